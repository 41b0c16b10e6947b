// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** An import of a folder of src/ from anywhere below src/ (relative: ../x/, ../../x/). */
const folder = (/** @type {string[]} */ names) => `^(\\.\\./)+(${names.join('|')})/`;

/** Node modules that touch the disk or start processes: I/O lives at the edges. */
const IO_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'child_process',
  'node:child_process',
];

/**
 * no-restricted-imports for one folder: the folders of src/ it must not import, and whether it
 * may use I/O modules. The layer order and the absence of circles are checked by
 * test/import-graph.test.ts; these say what each room may not reach even downwards.
 */
function banImports(/** @type {string[]} */ folders, /** @type {string} */ why, /** @type {boolean} */ noIo) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: noIo
          ? IO_MODULES.map((name) => ({
              name,
              message: `${why} No file or process I/O here: take data, return data.`,
            }))
          : [],
        patterns: [{ regex: folder(folders), message: why }],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', '.ci/tools/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Only the CLI layer, the test doubles and the benchmarks talk to the terminal.
    files: ['src/cli/**', 'test/**', 'bench/**'],
    rules: { 'no-console': 'off' },
  },
  {
    // Only the CLI's entry point ends the process (errors carry their exit code up to it).
    files: ['src/**'],
    ignores: ['src/cli/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'exit',
          message: 'Throw a CostbenchError with an exit code; only src/cli/ exits.',
        },
      ],
    },
  },
  {
    files: ['src/analysis/**', 'src/cost/**'],
    rules: banImports(
      ['store', 'telemetry', 'backends', 'inventory', 'runner', 'report', 'tables', 'schedule', 'cli'],
      'analysis/ and cost/ are pure: they compute from a RunRecord (types/) and tables the caller read.',
      true,
    ),
  },
  {
    files: ['src/report/**'],
    rules: banImports(
      ['store', 'telemetry', 'backends', 'inventory', 'record', 'runner', 'tables', 'schedule', 'cli'],
      'report/ only formats analysed figures (analysis/, cost/, types/).',
      true,
    ),
  },
  {
    files: ['src/roofline/**', 'src/types/**'],
    rules: banImports(
      [
        'store',
        'telemetry',
        'backends',
        'inventory',
        'runner',
        'analysis',
        'report',
        'tables',
        'schedule',
        'cli',
      ],
      'roofline/ and types/ are pure data and computations, below everything that reads or writes.',
      true,
    ),
  },
  {
    files: ['src/backends/**'],
    rules: banImports(
      ['store', 'runner', 'analysis', 'report', 'tables', 'schedule', 'cli'],
      'backends/ send requests and time results; the runner stores them.',
      false,
    ),
  },
  {
    files: ['src/telemetry/**'],
    rules: banImports(
      ['store', 'runner', 'analysis', 'report', 'tables', 'schedule', 'cli'],
      'telemetry/ hands readings to the TelemetrySink it is given; it never writes the store itself.',
      false,
    ),
  },
  {
    files: ['src/store/**'],
    rules: banImports(
      ['analysis', 'report', 'runner', 'tables', 'schedule', 'cli'],
      'store/ writes and reads plain records; what is computed from them lives above it.',
      false,
    ),
  },
);
