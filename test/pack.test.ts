import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const ROOT = join(import.meta.dirname, '..');
const execFileP = promisify(execFile);

interface Manifest {
  name: string;
  version: string;
  license?: string;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
interface Lockfile {
  packages: Record<string, Record<string, unknown> & { dev?: boolean }>;
}
interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}
interface Source {
  file: string;
  text: string;
}

function readJson<T>(...path: string[]): T {
  return JSON.parse(readFileSync(join(...path), 'utf8')) as T;
}

/** Every .ts file under a folder, with its text. */
function sources(dir: string): Source[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

/** `const NAME = 'a/b'` or `const NAME = join('a', 'b')` anywhere in src, as NAME -> 'a/b'. */
function pathConstants(files: Source[]): Map<string, string> {
  const constants = new Map<string, string>();
  for (const { text } of files) {
    for (const m of text.matchAll(/const (\w+)(?:: string)? = (?:'([^']+)'|join\(((?:\s*'[^']+',?)+)\));/g)) {
      const parts = m[2] !== undefined ? [m[2]] : [...(m[3] ?? '').matchAll(/'([^']+)'/g)].map((x) => x[1]);
      constants.set(m[1] ?? '', parts.join('/'));
    }
  }
  return constants;
}

/**
 * What the CLI reads by path at run time, found in src: `join(packageRoot(), …)` with string literals or
 * constants of them (migrations/, data/…, bench/suites), and `new URL('…', import.meta.url)` (resolved
 * where the file is compiled to). A `packageRoot()` this cannot follow is returned as unresolved.
 */
function findRuntimePaths(files: Source[]): { paths: string[]; unresolved: string[] } {
  const constants = pathConstants(files);
  const paths = new Set<string>();
  const unresolved: string[] = [];
  for (const { file, text } of files) {
    const compiled = join('dist', relative(ROOT, file));
    for (const m of text.matchAll(/packageRoot\(\)/g)) {
      if (text.slice(m.index - 16, m.index) === 'export function ') continue;
      const call = /^join\(packageRoot\(\), ([^)]*)\)/.exec(text.slice(m.index - 5));
      const args = (call?.[1] ?? '').split(',').map((a) => a.trim());
      const parts = args.map((a) => /^'([^']+)'$/.exec(a)?.[1] ?? constants.get(a));
      if (call === null || parts.some((p) => p === undefined)) {
        unresolved.push(`${relative(ROOT, file)}:${text.slice(0, m.index).split('\n').length}`);
      } else {
        paths.add(parts.join('/'));
      }
    }
    for (const m of text.matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)) {
      paths.add(join(dirname(compiled), m[1] ?? ''));
    }
  }
  return { paths: [...paths].sort(), unresolved };
}

/** The packages src imports or resolves at run time (bare specifiers, not node: built-ins, not type-only). */
function runtimeImports(files: Source[]): string[] {
  const names = new Set<string>();
  const bare = "'([^'.][^']*)'";
  const from = `import\\s+(type\\s+)?[^;]*?from\\s+${bare}`;
  const specifiers = new RegExp(`${from}|import\\(${bare}\\)|resolve\\(${bare}\\)`, 'g');
  for (const { text } of files) {
    for (const m of text.matchAll(specifiers)) {
      const spec = m[1] === undefined ? (m[2] ?? m[3] ?? m[4] ?? '') : '';
      if (spec === '' || spec.startsWith('node:')) continue;
      names.add(
        spec
          .split('/')
          .slice(0, spec.startsWith('@') ? 2 : 1)
          .join('/'),
      );
    }
  }
  return [...names].sort();
}

/**
 * A lockfile for a project that depends on the packed tarball only: our lockfile's entries minus the
 * dev-only ones, so that `npm ci --offline` installs the same versions from npm's cache (a plain
 * `npm install --offline` needs the registry's package documents, which `npm ci` does not cache).
 */
function lockForTarball(ours: Lockfile, manifest: Manifest, tarball: string): object {
  const resolved = `file:${tarball}`;
  const { version, license, bin, engines, dependencies, optionalDependencies } = manifest;
  const packages: Record<string, unknown> = {
    '': { name: 'costbench-pack-test', dependencies: { [manifest.name]: resolved } },
    [`node_modules/${manifest.name}`]: {
      version,
      resolved,
      license,
      bin,
      engines,
      dependencies,
      optionalDependencies,
    },
  };
  for (const [path, entry] of Object.entries(ours.packages)) {
    if (path !== '' && entry.dev !== true) packages[path] = entry;
  }
  return { name: 'costbench-pack-test', lockfileVersion: 3, requires: true, packages };
}

/** A child npm's environment: none of the npm_* settings an enclosing `npm test` exports, but its cache. */
function npmEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const cache = process.env['npm_config_cache'];
  return cache === undefined ? env : { ...env, npm_config_cache: cache };
}

/** Packs the checkout (dist/ as built) into `dir`: the tarball's name and the files it holds. */
async function pack(dir: string): Promise<{ tarball: string; files: string[] }> {
  const args = ['--ignore-scripts', '--offline', '--no-update-notifier', '--json', '--pack-destination', dir];
  const { stdout } = await execFileP('npm', ['pack', ...args], { cwd: ROOT, env: npmEnv() });
  const [result] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: result?.filename ?? '', files: result?.files.map((f) => f.path) ?? [] };
}

/**
 * Installs the tarball into `project` as a user's `npm install costbench` would, but from npm's cache only
 * (--offline), without the optional embedded engine (--omit=optional: ~730 MB of llama.cpp builds that a
 * cache filled by `npm ci --omit=optional` does not hold; the CLI must work without it), and without install
 * scripts (better-sqlite3's would download a prebuilt binary or compile one): its binding is copied from
 * this checkout, the same version by the lockfile.
 */
async function installOffline(project: string, tarball: string, manifest: Manifest): Promise<void> {
  mkdirSync(project);
  const dependencies = { [manifest.name]: `file:${tarball}` };
  const lock = lockForTarball(readJson(ROOT, 'package-lock.json'), manifest, tarball);
  const projectManifest = { name: 'costbench-pack-test', private: true, dependencies };
  writeFileSync(join(project, 'package.json'), JSON.stringify(projectManifest));
  writeFileSync(join(project, 'package-lock.json'), JSON.stringify(lock));
  const flags = ['--offline', '--omit=optional', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'];
  try {
    await execFileP('npm', ['ci', ...flags, '--no-update-notifier'], { cwd: project, env: npmEnv() });
  } catch (error) {
    const lines = String((error as { stderr?: string }).stderr ?? error)
      .split('\n')
      .map((l) => l.replace(/^npm error /, ''));
    const why = lines.find((l) => l !== '' && !/^(code \w+|A complete log)/.test(l)) ?? lines[0];
    throw new Error(`offline install of the packed tarball failed: ${why} (\`npm ci\` fills npm's cache)`, {
      cause: error,
    });
  }
  const binding = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
  mkdirSync(dirname(join(project, binding)), { recursive: true });
  copyFileSync(join(ROOT, binding), join(project, binding));
}

/** Every file under a path of the checkout (the path itself when it is a file), relative to the root. */
function filesUnder(path: string): string[] {
  if (!statSync(join(ROOT, path)).isDirectory()) return [path];
  return readdirSync(join(ROOT, path), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

const manifest = readJson<Manifest>(ROOT, 'package.json');
const srcFiles = sources(join(ROOT, 'src'));

describe('what src reads by path at run time', () => {
  it('follows literals and constants, and reports what it cannot follow', () => {
    const files = [
      {
        file: join(ROOT, 'src/a/x.ts'),
        text: "const F = join('data', 'f.json');\nread(join(packageRoot(), F));",
      },
      {
        file: join(ROOT, 'src/a/y.ts'),
        text: "join(packageRoot(), 'db');\nnew URL('../w.js', import.meta.url);",
      },
      {
        file: join(ROOT, 'src/z.ts'),
        text: "export function packageRoot() {}\n\nconst d = packageRoot() + '/x';",
      },
    ];
    const paths = ['data/f.json', 'db', 'dist/src/w.js'];
    expect(findRuntimePaths(files)).toEqual({ paths, unresolved: ['src/z.ts:3'] });
  });

  it('finds the bundled folders in the real src', () => {
    const paths = [
      'bench/suites',
      'data/api-prices.json',
      'data/hardware.json',
      // the embedded engine's child process, forked by path
      'dist/src/backends/embedded/engine-child.js',
      'dist/src/cli/main.js',
      'migrations',
    ];
    expect(findRuntimePaths(srcFiles)).toEqual({ paths: [...paths, 'package.json'], unresolved: [] });
  });
});

describe('the published package: packed, installed offline from the npm cache, run', () => {
  const dir = makeTempDir('costbench-pack-');
  const project = join(dir.path, 'project');
  const installed = join(project, 'node_modules', manifest.name);
  let packed: string[] = [];
  let server: FakeOllama | undefined;

  beforeAll(async () => {
    if (!existsSync(join(ROOT, 'dist/src/cli/main.js')))
      throw new Error('dist/ is missing: run `npm run build`');
    const { tarball, files } = await pack(dir.path);
    packed = files;
    await installOffline(project, join('..', tarball), manifest);
    server = await startFakeOllama({ genTokensPerS: 5000, promptTokensPerS: 20_000, loadMs: 0 });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    dir.remove();
  });

  /** Runs the installed `costbench` bin as a user would: through its symlink and `#!/usr/bin/env node`. */
  async function costbench(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const env = {
      PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`,
      HOME: dir.path,
      ...extra,
    };
    const bin = join(project, 'node_modules', '.bin', 'costbench');
    try {
      return { code: 0, ...(await execFileP(bin, args, { cwd: dir.path, env })) };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
    }
  }

  it('carries every file the CLI reads by path (found in src), and nothing of the tests', () => {
    const { paths, unresolved } = findRuntimePaths(srcFiles);
    expect(unresolved, 'packageRoot() calls to write as join(packageRoot(), literal or constant)').toEqual(
      [],
    );
    for (const p of paths) {
      expect(existsSync(join(installed, p)), `${p} in the installed package`).toBe(true);
      const inPackage = packed.filter((f) => f === p || f.startsWith(`${p}/`)).sort();
      expect(inPackage, `every file of ${p}`).toEqual(filesUnder(p));
    }
    expect(
      packed.filter((f) => /^(test|src|dist\/test|dist\/bench)\//.test(f)),
      'no tests, no sources',
    ).toEqual([]);
  });

  it('needs at run time only its dependencies and optional dependencies', () => {
    const imports = runtimeImports(srcFiles);
    expect(imports, 'some of them').toEqual(expect.arrayContaining(['better-sqlite3', 'uplot', 'zod']));
    const allowed = new Set(Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }));
    expect(
      imports.filter((n) => !allowed.has(n)),
      'imported, but dev-only or missing',
    ).toEqual([]);
  });

  it('lists every built-in suite from the installed package', async () => {
    const suites = await costbench(['suites', '--json']);
    expect(suites.code, suites.stderr).toBe(0);
    const files = filesUnder('bench/suites').filter((f) => f.endsWith('.json'));
    const ids = files.map((f) => readJson<{ id: string }>(ROOT, f).id);
    expect((JSON.parse(suites.stdout) as { id: string }[]).map((s) => s.id).sort()).toEqual(ids.sort());
  });

  it('runs a built-in suite against a model server, reports it in HTML, lists the bundled prices', async () => {
    const db = join(dir.path, 'runs.db');
    const args = [
      'run',
      '--suite',
      'triage-basic',
      '--model',
      'llama3.2',
      '--idle',
      '0',
      '--db',
      db,
      '--json',
    ];
    const result = await costbench(args, { OLLAMA_HOST: server?.url });
    expect(result.code, result.stderr).toBe(0);
    type Summary = { run: { status: string; suiteId: string }; requests: { ok: number } };
    const { run, requests } = JSON.parse(result.stdout) as Summary;
    const tasks = readJson<{ tasks: unknown[] }>(ROOT, 'bench', 'suites', 'triage-basic.json').tasks.length;
    expect([run.status, run.suiteId, requests.ok]).toEqual(['completed', 'triage-basic', tasks]);

    const html = join(dir.path, 'report.html');
    const report = await costbench(['report', '--db', db, '--format', 'html', '--out', html]);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(html, 'utf8'), 'uPlot inlined from the installed dependency').toContain('/*! uPlot ');

    const prices = await costbench(['prices', 'list', '--db', db, '--json']);
    expect(prices.code, prices.stderr).toBe(0);
    const table = JSON.parse(prices.stdout) as {
      sources: { kind: string; path: string }[];
      prices: unknown[];
    };
    const bundled = join(installed, 'data', 'api-prices.json');
    const source = expect.objectContaining({ kind: 'bundled', path: bundled });
    expect(table.sources, 'read from the installed package').toEqual([source]);
    expect(table.prices).toHaveLength(Object.keys(readJson<{ models: object }>(bundled).models).length);
  });
});
