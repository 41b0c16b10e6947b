/**
 * Fuzzes the input files through the real CLI, in process: configs (`costbench config --config`),
 * suites (`costbench run --suite`, JSON and JSONL), litellm price files (`costbench prices import`)
 * and OpenAI batch files (`costbench run --replay`). Every malformed input must give a one-line
 * `costbench: ` error (and at most a hint line), the documented exit code, no stack trace and
 * nothing on stdout. Valid inputs, checked first, show the harness tells good from bad.
 * Reproduce a run with FUZZ_SEED=<seed> (printed with every failure).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { EXIT } from '../src/errors.js';
import {
  BOM,
  INVALID_UTF8,
  TEXT_MUTATORS,
  brokenText,
  createRng,
  deepJson,
  deepValue,
  deleteAt,
  deriveSeed,
  getAt,
  insertBytes,
  randomBytes,
  rawJson,
  scanJsonText,
  setAt,
  stringify,
  syntaxBroken,
  unknownKey,
  wrongType,
  type Json,
  type JsonType,
  type Rng,
  type TreeRules,
} from './support/fuzz.js';
import { makeTempDir } from './support/temp.js';
import { captureIo } from './support/capture-io.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_250_611);
/** Nothing listens on port 1: a run whose input is valid stops at the backend (exit 3). */
const NO_SERVER = 'http://127.0.0.1:1';
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;
const ERROR_AT_LINE_START = /^\s*[\w.]*Error:/m;
const FUZZ_TIMEOUT_MS = 60_000;

type Kind = 'config' | 'suite-json' | 'suite-jsonl' | 'prices' | 'batch';

/** One input: its bytes (null: no file at all), what it is, and the exit code it must get. */
interface FuzzCase {
  label: string;
  bytes: Buffer | null;
  code: number;
}

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

const EXT: Record<Kind, string> = {
  config: '.json',
  'suite-json': '.json',
  'suite-jsonl': '.jsonl',
  prices: '.json',
  batch: '.jsonl',
};

function argvFor(kind: Kind, file: string, dir: string): string[] {
  const db = join(dir, 'data', 'costbench.db');
  switch (kind) {
    case 'config':
      return ['config', '--config', file];
    case 'suite-json':
    case 'suite-jsonl':
      return ['run', '--suite', file, '--host', NO_SERVER, '--db', db];
    case 'prices':
      return ['prices', 'import', file, '--db', db];
    case 'batch':
      return ['run', '--replay', file, '--host', NO_SERVER, '--db', db];
  }
}

let root: { path: string; remove: () => void };
let fileCount = 0;
beforeAll(() => {
  root = makeTempDir('costbench-fuzz-');
  mkdirSync(join(root.path, 'data'));
});
afterAll(() => root.remove());

/** Writes the case's file (unless it is a missing-file case) and runs the CLI on it in process. */
async function runCase(
  kind: Kind,
  input: Buffer | null,
  argv?: (file: string, dir: string) => string[],
): Promise<Outcome> {
  const dir = root.path;
  const file = join(dir, `${kind}-${(fileCount += 1)}${EXT[kind]}`);
  if (input !== null) writeFileSync(file, input);
  // No COSTBENCH_DB or OLLAMA_HOST: they would override the config file's own store.path and backend.host.
  const { io, stdout, stderr } = captureIo({ HOME: dir, XDG_DATA_HOME: join(dir, 'xdg') }, dir);
  const code = await main((argv ?? ((f, d) => argvFor(kind, f, d)))(file, dir), io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** What is wrong with the CLI's answer to a malformed input; empty when it is right. */
function problemsWith(outcome: Outcome, expectedCode: number): string[] {
  const problems: string[] = [];
  if (outcome.code === EXIT.ok) problems.push('exit 0: the malformed input was accepted');
  else if (outcome.code === EXIT.internal) problems.push('exit 70: internal error');
  else if (outcome.code !== expectedCode) problems.push(`exit ${outcome.code}, expected ${expectedCode}`);
  if (outcome.stdout !== '') problems.push('something on stdout');
  const lines = outcome.stderr.replace(/\n$/, '').split(/\r\n|\r|\n/);
  if (!(lines[0] ?? '').startsWith('costbench: ')) problems.push("stderr does not start with 'costbench: '");
  if (lines.length > 2) problems.push(`stderr has ${lines.length} lines, at most 2 (message + hint) allowed`);
  if (lines.length === 2 && !(lines[1] ?? '').startsWith('  hint: '))
    problems.push("stderr's second line is not '  hint: ...'");
  if (STACK_TRACE.test(outcome.stderr) || ERROR_AT_LINE_START.test(outcome.stderr))
    problems.push('stack trace on stderr');
  return problems;
}

function shown(text: string, max = 400): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text);
}

/** Runs every case and fails listing the first few bad ones, each reproducible from the seed. */
async function fuzz(kind: Kind, cases: readonly FuzzCase[]): Promise<void> {
  const failures: string[] = [];
  for (const [index, c] of cases.entries()) {
    const outcome = await runCase(kind, c.bytes);
    const problems = problemsWith(outcome, c.code);
    if (problems.length === 0) continue;
    failures.push(
      [
        `FUZZ_SEED=${SEED} ${kind} case #${index}: ${c.label}`,
        `  input: ${c.bytes === null ? '(no file)' : shown(c.bytes.toString('utf8'))}`,
        `  exit ${outcome.code}; stdout ${shown(outcome.stdout, 200)}; stderr ${shown(outcome.stderr, 600)}`,
        `  problems: ${problems.join('; ')}`,
      ].join('\n'),
    );
  }
  if (failures.length > 0)
    console.error(
      `${failures.length} of ${cases.length} ${kind} cases failed:\n${failures.slice(0, 20).join('\n')}`,
    );
  expect(failures.length, `${kind}: failing cases (details above)`).toBe(0);
}

function textCases(rng: Rng, bytes: Buffer, jsonl: boolean, perMutator: number): FuzzCase[] {
  return Object.keys(TEXT_MUTATORS).flatMap((name) =>
    Array.from({ length: perMutator }, () => ({ ...brokenText(rng, bytes, jsonl, name), code: EXIT.config })),
  );
}

/** Random bytes that are not JSON (or not JSON lines). */
function randomCases(rng: Rng, jsonl: boolean, count: number): FuzzCase[] {
  return Array.from({ length: count }, () => {
    for (;;) {
      const bytes = randomBytes(rng, 1 + rng.int(200));
      if (syntaxBroken(bytes, jsonl))
        return { label: `${bytes.length} random bytes`, bytes, code: EXIT.config };
    }
  });
}

function bytesOf(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/**
 * Inputs that are wrong whatever the kind: no file, nothing in it, not an object. A missing file is
 * exit 6 (not found), but a missing --config file is a config error (2), as loadConfig documents.
 */
function commonCases(jsonl: boolean, missingCode: number = EXIT.notFound): FuzzCase[] {
  const tops = [
    '[]',
    '[{}]',
    '"text"',
    '42',
    'null',
    'true',
    '{}{}',
    'NaN',
    "{'a': 1}",
    '{"a": 1,}',
    '// comment\n{}',
    '{"a" 1}',
    '\u0000',
  ];
  return [
    { label: 'missing file', bytes: null, code: missingCode },
    { label: 'empty file', bytes: Buffer.alloc(0), code: EXIT.config },
    { label: 'only whitespace', bytes: bytesOf(' \n\t\r\n '), code: EXIT.config },
    { label: 'a lone BOM', bytes: Buffer.from(BOM), code: EXIT.config },
    ...tops.map((t) => ({
      label: `top level ${JSON.stringify(t)}${jsonl ? ' (one line)' : ''}`,
      bytes: bytesOf(t),
      code: EXIT.config,
    })),
  ];
}

/** Cases from a rule table: each listed path set to each listed bad value. */
function tableCases(
  base: Json,
  table: Readonly<Record<string, readonly Json[]>>,
  encode: (tree: Json) => Buffer,
): FuzzCase[] {
  return Object.entries(table).flatMap(([dotted, values]) => {
    const path = dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
    return values.map((value) => ({
      label: `bad value: ${dotted} = ${stringify(value).slice(0, 60)}`,
      bytes: encode(setAt(base, path, value)),
      code: EXIT.config,
    }));
  });
}

function deletionCases(base: Json, paths: readonly string[], encode: (tree: Json) => Buffer): FuzzCase[] {
  return paths.map((dotted) => ({
    label: `required key deleted: ${dotted}`,
    bytes: encode(
      deleteAt(
        base,
        dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k)),
      ),
    ),
    code: EXIT.config,
  }));
}

/** `count` cases, each from one of the tree mutators. */
function treeCases(
  rng: Rng,
  base: Json,
  rules: TreeRules,
  encode: (tree: Json) => Buffer,
  counts: { wrongType: number; unknownKey: number; deep: number },
): FuzzCase[] {
  const make = (n: number, mutate: typeof wrongType): FuzzCase[] =>
    Array.from({ length: n }, () => {
      const { tree, label } = mutate(rng, base, rules);
      return { label, bytes: encode(tree), code: EXIT.config };
    });
  return [
    ...make(counts.wrongType, wrongType),
    ...make(counts.unknownKey, unknownKey),
    ...make(counts.deep, deepValue),
  ];
}

// ---------------------------------------------------------------------------------------------
// Configs: `costbench config --config <file>`.

const CONFIG: Json = {
  $schema: './config.schema.json',
  backend: { host: 'http://127.0.0.1:11434', keepAlive: '10m', requestTimeoutMs: 300_000 },
  run: {
    model: 'llama3.2:1b',
    suite: 'triage-basic',
    repeat: 2,
    warmup: true,
    concurrency: [1, 2],
    minDurationS: 0,
    coldStart: false,
    cooldownS: 0,
    storeOutputs: true,
  },
  store: { path: 'runs.db' },
  telemetry: {
    enabled: true,
    intervalMs: 100,
    idleBaselineS: 30,
    sources: ['nvidia', 'rapl', 'estimate'],
    meters: [
      { kind: 'shelly', host: '192.168.1.40', switchId: 0 },
      { kind: 'command', command: 'echo 42' },
      { kind: 'tasmota', host: 'plug' },
    ],
    cpuTdpW: 65,
  },
  cost: {
    currency: 'EUR',
    currencyPerUsd: 0.92,
    electricityPerKwh: 0.3,
    overheadFactor: 1.1,
    hardware: { purchasePrice: 2000, amortizationMonths: 36, alreadyOwnedIdle: false, workloadShare: 0.5 },
    engineering: { setupHours: 4, maintenanceHoursPerMonth: 1, hourlyRate: 80 },
    monthlyTasks: 10_000,
    availabilityHoursPerDay: 24,
    compareWith: ['gpt-4o-mini'],
    cachedInputShare: 0.2,
    batch: true,
    tokenRatio: { anthropic: 1.1 },
    customPrices: [
      {
        model: 'my/llama',
        provider: 'custom',
        inputPerMTok: 0.1,
        outputPerMTok: 0.2,
        cachedInputPerMTok: 0.05,
      },
    ],
  },
  roofline: { device: 'nvidia-rtx-4090', bandwidthGBps: 1008 },
};

const NULLABLE: readonly JsonType[] = ['null'];
const CONFIG_RULES: TreeRules = {
  alsoAccepts: {
    'backend.keepAlive': ['number'],
    'run.model': NULLABLE,
    'store.path': NULLABLE,
    'telemetry.cpuTdpW': NULLABLE,
    'cost.electricityPerKwh': NULLABLE,
    'cost.hardware.purchasePrice': NULLABLE,
    'cost.hardware.alreadyOwnedIdle': NULLABLE,
    'cost.engineering.setupHours': NULLABLE,
    'cost.engineering.maintenanceHoursPerMonth': NULLABLE,
    'cost.engineering.hourlyRate': NULLABLE,
    'cost.cachedInputShare': NULLABLE,
    'cost.customPrices.*.cachedInputPerMTok': NULLABLE,
    'roofline.device': NULLABLE,
    'roofline.bandwidthGBps': NULLABLE,
  },
  anyValue: [],
  openObjects: { 'cost.tokenRatio': 'number' },
};

const HUGE = rawJson('1e400');
const CONFIG_BAD_VALUES: Readonly<Record<string, readonly Json[]>> = {
  $schema: [null, 1],
  'backend.host': [
    '',
    '   ',
    'ftp://example.com',
    'http://a b',
    'http://[::',
    'file:///etc/passwd',
    'http://host:99999',
  ],
  'backend.keepAlive': ['10 minutes', '', 'm10', '1.5.5m', '10d', HUGE],
  'backend.requestTimeoutMs': [0, -1, 1.5, HUGE, '300000'],
  'run.model': [''],
  'run.suite': ['', null],
  'run.repeat': [0, -1, 1.5, 10_001, HUGE, 'NaN', '2'],
  'run.warmup': ['true', 1, null],
  'run.concurrency': [[], [0], [257], [1.5], ['1'], [null], 1, '1,2'],
  'run.minDurationS': [-1, 86_401, HUGE],
  'run.cooldownS': [-0.5, 3601],
  'store.path': [''],
  'telemetry.intervalMs': [19, 10_001, 100.5, 0],
  'telemetry.idleBaselineS': [-1, 3601],
  'telemetry.sources': [['gpu'], ['NVIDIA'], 'nvidia', [null]],
  'telemetry.meters': [
    [{ kind: 'shelly' }],
    [{ kind: 'zigbee', host: 'x' }],
    [{ kind: 'command', command: '' }],
    [{ host: 'x' }],
    [{ kind: 'tasmota', host: 'x', extra: 1 }],
    [null],
    {},
  ],
  'telemetry.meters.0.switchId': [-1, 0.5],
  'telemetry.meters.0.host': [''],
  'telemetry.cpuTdpW': [0, -5],
  'cost.currency': ['', 'TOOLONGCUR'],
  'cost.currencyPerUsd': [0, -1, HUGE],
  'cost.electricityPerKwh': [-0.1, rawJson('-1e400')],
  'cost.overheadFactor': [0.99, 5.01],
  'cost.hardware.purchasePrice': [-1, HUGE],
  'cost.hardware.amortizationMonths': [0, 1.5],
  'cost.hardware.workloadShare': [0, 1.01],
  'cost.engineering.setupHours': [-1],
  'cost.engineering.maintenanceHoursPerMonth': [-0.1],
  'cost.engineering.hourlyRate': [-80],
  'cost.monthlyTasks': [-1, 0.5],
  'cost.availabilityHoursPerDay': [0, 24.5],
  'cost.compareWith': [[''], 'gpt-4o-mini', [1]],
  'cost.cachedInputShare': [-0.1, 1.1],
  'cost.tokenRatio': [{ openai: 0 }, { openai: -1 }, { openai: '1' }, [], { 'a\nb': null }],
  'cost.customPrices': [
    [{ model: 'x' }],
    [{ model: '', inputPerMTok: 1, outputPerMTok: 1 }],
    [{ model: 'x', inputPerMTok: -1, outputPerMTok: 1 }],
    [{ model: 'x', provider: '', inputPerMTok: 1, outputPerMTok: 1 }],
  ],
  'roofline.device': [''],
  'roofline.bandwidthGBps': [0, -1],
};

const CONFIG_REQUIRED = [
  'telemetry.meters.0.kind',
  'telemetry.meters.0.host',
  'telemetry.meters.1.command',
  'cost.customPrices.0.model',
  'cost.customPrices.0.inputPerMTok',
  'cost.customPrices.0.outputPerMTok',
];

function configCases(rng: Rng): FuzzCase[] {
  const encode = (tree: Json): Buffer => bytesOf(stringify(tree, 2));
  const text = encode(CONFIG);
  return [
    ...commonCases(false, EXIT.config),
    ...[[], ['run'], ['cost', 'hardware']].flatMap((at) =>
      ([{}, { run: { repeat: 0 } }, null] as Json[]).map((value) => ({
        label: `"__proto__" in ${at.join('.') || '(root)'} = ${stringify(value)}`,
        bytes: encode(setAt(CONFIG, [...at, '__proto__'], value)),
        code: EXIT.config,
      })),
    ),
    ...tableCases(CONFIG, CONFIG_BAD_VALUES, encode),
    ...deletionCases(CONFIG, CONFIG_REQUIRED, encode),
    ...treeCases(rng, CONFIG, CONFIG_RULES, encode, { wrongType: 90, unknownKey: 60, deep: 15 }),
    ...textCases(rng, text, false, 14),
    ...randomCases(rng, false, 15),
  ];
}

// ---------------------------------------------------------------------------------------------
// Suites: `costbench run --suite <file>` (JSON, and JSONL: the suite's fields, then one task a line).

const SUITE: Json = {
  id: 'fuzz',
  version: '1',
  description: 'a suite to mutate',
  system: 'Answer briefly.',
  options: { temperature: 0, seed: 1, numPredict: 32, numCtx: 2048 },
  check: { type: 'exact', caseSensitive: false },
  tasks: [
    { id: 't1', prompt: '2+2?', expected: '4' },
    {
      id: 't2',
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'u' },
      ],
      expected: ['a', 'b'],
      check: { type: 'one-of', caseSensitive: true },
    },
    { id: 't3', prompt: 'p', expected: '^a+$', check: { type: 'regex', flags: 'i' } },
    { id: 't4', prompt: 'p', expected: { k: 'v' }, check: { type: 'json-fields', fields: ['k'] } },
    {
      id: 't5',
      prompt: 'p',
      expected: ['x', 'y'],
      check: { type: 'labels-f1', field: 'labels', threshold: 0.5 },
      options: { temperature: 0.2 },
      format: { type: 'object' },
    },
    { id: 't6', prompt: 'p', system: 'sys', expected: ['x'], check: { type: 'contains-all' } },
    { id: 't.7_x-y', prompt: 'no expected answer', format: 'json' },
  ],
};

const SUITE_RULES: TreeRules = {
  alsoAccepts: { 'tasks.*.format': ['string', 'object'] },
  anyValue: ['tasks.*.format.type', 'tasks.*.expected.k'],
  openObjects: { 'tasks.*.format': 'any', 'tasks.*.expected': 'any' },
};

/** Keys a suite cannot do without (t3's own check is left out: without it, the suite's exact check scores it fine). */
const SUITE_REQUIRED = [
  'id',
  'version',
  'description',
  'tasks',
  'check',
  'check.type',
  'tasks.0.id',
  'tasks.0.prompt',
  'tasks.1.messages',
  'tasks.1.messages.0.role',
  'tasks.1.messages.1.content',
  'tasks.1.check',
  'tasks.3.check',
  'tasks.4.check',
  'tasks.5.check',
  'tasks.2.check.type',
  'tasks.6.prompt',
];

const BAD_PATTERNS = [
  '(',
  '[a-',
  'a{2,1}',
  '(?<n>a)(?<n>b)',
  '\\',
  '(\n',
  '*',
  'a**',
  '+a',
  '(?<=',
  '[z-a]',
  '\\k<nope>(?<x>a)',
  'x\r\n(',
];
const SUITE_BAD_VALUES: Readonly<Record<string, readonly Json[]>> = {
  id: ['', 'has space', 'a/b', 'é', 'a\nb'],
  version: [''],
  'options.temperature': [-0.1, HUGE],
  'options.seed': [1.5, HUGE],
  'options.numPredict': [0, -1, 2.5],
  'options.numCtx': [0],
  'check.type': ['fuzzy', 'EXACT', ''],
  tasks: [[], [null], 'tasks'],
  'tasks.0.id': ['', 't 1', 't2', 'ü', '../x'],
  'tasks.0.prompt': [''],
  'tasks.0.messages': [[{ role: 'user', content: 'both' }]],
  'tasks.0.expected': [4, ['4'], { answer: '4' }, null],
  'tasks.1.messages': [
    [],
    [{ role: 'bot', content: 'x' }],
    [{ role: 'tool', content: 'x' }],
    [{ role: 'developer', content: 'x' }],
    [{ role: 'user' }],
    [{ role: 'user', content: 'x', name: 'n' }],
    ['user: hi'],
  ],
  'tasks.1.prompt': ['and a prompt'],
  'tasks.1.expected': ['a', [1, 2], ['a', null]],
  'tasks.2.expected': [...BAD_PATTERNS, 42, ['^a$']],
  'tasks.2.check.flags': ['g', 'y', 'x', 'I', 'ii', 'uu'],
  'tasks.3.expected': [['k'], 'k', null],
  'tasks.3.check.fields': [[], [''], 'k'],
  'tasks.4.expected': ['x,y', [1], { x: 1 }],
  'tasks.4.check.threshold': [-0.1, 1.1],
  'tasks.4.check.field': [''],
  'tasks.4.format': ['xml', ['json'], 1],
  'tasks.5.expected': ['x', [['x']]],
  'tasks.6.options': [{ temperature: -1 }, { top_k: 1 }],
};

/** Each regex check with its flags and a pattern that does not compile, under the u flag too. */
const SUITE_BAD_PATTERNS_U = ['\\p{Nope}', '\\-', '\\c', '{', 'a{'];

function suiteJsonl(tree: Json): Buffer {
  if (tree === null || typeof tree !== 'object' || Array.isArray(tree)) return bytesOf(stringify(tree));
  const { tasks, ...header } = tree;
  if (!Array.isArray(tasks)) return bytesOf(stringify(tasks === undefined ? header : tree));
  return bytesOf([stringify(header), ...tasks.map((t) => stringify(t))].join('\n') + '\n');
}

function suiteCases(rng: Rng, jsonl: boolean): FuzzCase[] {
  const encode = jsonl ? suiteJsonl : (tree: Json): Buffer => bytesOf(stringify(tree, 2));
  const text = encode(SUITE);
  const inStrings = scanJsonText(text.toString('latin1')).inString;
  const tasks = (SUITE as { tasks: Json[] }).tasks;
  const shape = jsonl
    ? [
        {
          label: 'only the header line',
          bytes: encode({ ...(SUITE as Record<string, Json>), tasks: [] }),
          code: EXIT.config,
        },
        {
          label: 'a task line first, no header',
          bytes: bytesOf(tasks.map((t) => stringify(t)).join('\n')),
          code: EXIT.config,
        },
        { label: 'the whole suite on one line', bytes: bytesOf(stringify(SUITE)), code: EXIT.config },
        {
          label: 'two objects on one line',
          bytes: bytesOf(
            `${stringify(deleteAt(SUITE, ['tasks']))}\n${stringify(tasks[0] ?? null)}${stringify(tasks[1] ?? null)}\n`,
          ),
          code: EXIT.config,
        },
      ]
    : [];
  return [
    ...commonCases(jsonl),
    ...shape,
    ...tableCases(SUITE, SUITE_BAD_VALUES, encode),
    ...SUITE_BAD_PATTERNS_U.map((p) => ({
      label: `regex ${JSON.stringify(p)} with the u flag`,
      bytes: encode(setAt(setAt(SUITE, ['tasks', 2, 'expected'], p), ['tasks', 2, 'check', 'flags'], 'u')),
      code: EXIT.config,
    })),
    ...deletionCases(SUITE, SUITE_REQUIRED, encode),
    ...Array.from({ length: 8 }, () => {
      const [a, b] = [rng.int(tasks.length), rng.int(tasks.length - 1)];
      const id = (tasks[a] as { id: string }).id;
      const other = b >= a ? b + 1 : b;
      return {
        label: `duplicate id: tasks.${other}.id = ${id}`,
        bytes: encode(setAt(SUITE, ['tasks', other, 'id'], id)),
        code: EXIT.config,
      };
    }),
    ...treeCases(rng, SUITE, SUITE_RULES, encode, { wrongType: 50, unknownKey: 36, deep: 10 }),
    ...textCases(rng, text, jsonl, 6),
    ...Array.from({ length: 12 }, () => {
      const at = rng.pick(inStrings);
      const seq = rng.pick(INVALID_UTF8);
      return {
        label: `invalid UTF-8 ${Buffer.from(seq).toString('hex')} inside a string at byte ${at}`,
        bytes: insertBytes(text, at, seq),
        code: EXIT.config,
      };
    }),
    ...randomCases(rng, jsonl, 10),
  ];
}

// ---------------------------------------------------------------------------------------------
// litellm price files: `costbench prices import <file>`. Malformed: no entry yields a chat price.

const PRICES: Json = {
  sample_spec: {
    input_cost_per_token: 0,
    output_cost_per_token: 0,
    litellm_provider: 'one of https://docs.litellm.ai/docs/providers',
    mode: 'one of: chat, embedding, completion',
  },
  'gpt-x': {
    mode: 'chat',
    litellm_provider: 'openai',
    input_cost_per_token: 1.5e-7,
    output_cost_per_token: 6e-7,
    cache_read_input_token_cost: 7.5e-8,
  },
  'anthropic/claude-y': {
    mode: 'chat',
    input_cost_per_token: 3e-6,
    output_cost_per_token: 1.5e-5,
    input_cost_per_token_batches: 1.5e-6,
  },
  'text-embedding-z': {
    mode: 'embedding',
    litellm_provider: 'openai',
    input_cost_per_token: 2e-8,
    output_cost_per_token: 0,
  },
};
const CHAT_MODELS = ['gpt-x', 'anthropic/claude-y'];
const BAD_PRICES: readonly Json[] = [
  '1.5e-7',
  -1e-7,
  -1,
  null,
  true,
  [],
  {},
  'NaN',
  'free',
  HUGE,
  rawJson('-1e400'),
  1e300,
  Number.MAX_VALUE,
  [1.5e-7],
  { usd: 1e-7 },
];

/** One way to keep a chat entry from becoming a price. */
function breakEntry(rng: Rng, tree: Json, model: string): { tree: Json; label: string } {
  const way = rng.int(5);
  if (way === 0) return { tree: deleteAt(tree, [model, 'mode']), label: `${model}: no mode` };
  if (way === 1) {
    const mode = rng.pick<Json>([
      'completion',
      'Chat',
      'chat ',
      '',
      1,
      null,
      ['chat'],
      { chat: true },
      rawJson(deepJson(20_000, 'array')),
    ]);
    return {
      tree: setAt(tree, [model, 'mode'], mode),
      label: `${model}: mode ${stringify(mode).slice(0, 40)}`,
    };
  }
  const key = rng.pick(['input_cost_per_token', 'output_cost_per_token']);
  if (way === 2) return { tree: deleteAt(tree, [model, key]), label: `${model}: no ${key}` };
  if (way === 3) {
    const price = rng.chance(0.1) ? rawJson(deepJson(20_000, 'object')) : rng.pick(BAD_PRICES);
    return {
      tree: setAt(tree, [model, key], price),
      label: `${model}: ${key} = ${stringify(price).slice(0, 40)}`,
    };
  }
  const entry = rng.pick<Json>([
    'chat',
    1.5e-7,
    null,
    [],
    [{ mode: 'chat' }],
    true,
    rawJson(deepJson(20_000, 'array')),
  ]);
  return { tree: setAt(tree, [model], entry), label: `${model}: entry ${stringify(entry).slice(0, 40)}` };
}

function brokenPrices(rng: Rng, base: Json): { tree: Json; label: string } {
  let tree = base;
  const labels: string[] = [];
  for (const model of CHAT_MODELS) {
    const broken = breakEntry(rng, tree, model);
    tree = broken.tree;
    labels.push(broken.label);
  }
  return { tree, label: labels.join('; ') };
}

function priceCases(rng: Rng): FuzzCase[] {
  const encode = (tree: Json): Buffer => bytesOf(stringify(tree, 2));
  const text = encode(PRICES);
  const onlySpec = { sample_spec: getAt(PRICES, ['sample_spec']) ?? null };
  const wrap = (models: Json): Json => ({
    source: { commit: 'abc', content_as_of: '2025-01-01', license: 'MIT' },
    models,
  });
  return [
    ...commonCases(false),
    { label: 'only sample_spec', bytes: encode(onlySpec), code: EXIT.config },
    {
      label: 'sample_spec marked chat with prices',
      bytes: encode({
        sample_spec: { mode: 'chat', input_cost_per_token: 1e-7, output_cost_per_token: 1e-7 },
      }),
      code: EXIT.config,
    },
    { label: 'wrapper with models an array', bytes: encode(wrap([PRICES])), code: EXIT.config },
    { label: 'wrapper with models a string', bytes: encode(wrap('gpt-x')), code: EXIT.config },
    { label: 'wrapper with no models', bytes: encode(wrap({})), code: EXIT.config },
    {
      label: 'every entry a string',
      bytes: encode(Object.fromEntries(CHAT_MODELS.map((m) => [m, 'chat']))),
      code: EXIT.config,
    },
    ...Array.from({ length: 110 }, () => {
      const { tree, label } = brokenPrices(rng, PRICES);
      return { label, bytes: encode(tree), code: EXIT.config };
    }),
    ...Array.from({ length: 20 }, () => {
      const { tree, label } = brokenPrices(rng, PRICES);
      return { label: `bundled wrapper: ${label}`, bytes: encode(wrap(tree)), code: EXIT.config };
    }),
    ...textCases(rng, text, false, 8),
    ...randomCases(rng, false, 10),
  ];
}

// ---------------------------------------------------------------------------------------------
// OpenAI batch input files: `costbench run --replay <file>`.

const BATCH: readonly Json[] = [
  {
    custom_id: 'r1',
    method: 'POST',
    url: '/v1/chat/completions',
    body: {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 's' },
        { role: 'user', content: 'hi' },
      ],
      temperature: 0,
      max_tokens: 10,
      seed: 1,
    },
  },
  {
    custom_id: 'r2',
    method: 'POST',
    url: '/chat/completions',
    body: {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'developer', content: [{ type: 'text', text: 'a' }] },
        { role: 'user', content: 'b' },
      ],
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } },
      max_completion_tokens: 5,
    },
  },
  {
    custom_id: 'r3',
    method: 'POST',
    url: '/v1/chat/completions',
    body: {
      messages: [
        { role: 'user', content: 'c' },
        { role: 'assistant', content: 'd' },
        { role: 'user', content: 'e' },
      ],
      response_format: { type: 'json_object' },
    },
  },
];

const DEEP = rawJson(deepJson(20_000, 'array'));
/** Per field of a request line: values that make the line an error (r1's fields; r2 for max_completion_tokens and json_schema). */
const BATCH_BAD_VALUES: Readonly<Record<string, readonly Json[]>> = {
  custom_id: ['', 1, null, [], { id: 'r1' }, true, DEEP],
  method: ['GET', 'post', '', 1, null, DEEP],
  url: [1, null, [], { path: '/v1/chat/completions' }, DEEP],
  body: ['body', 1, null, [], true, DEEP],
  'body.messages': [
    'hi',
    {},
    [],
    null,
    [null],
    ['hi'],
    [[]],
    [{}],
    [{ role: 'bot', content: 'x' }],
    [{ role: null, content: 'x' }],
    [{ role: 'user' }],
    [{ role: 'user', content: 5 }],
    [{ role: 'user', content: [5] }],
    [{ role: 'user', content: [{ type: 'text' }] }],
    [{ role: 'user', content: [{ type: 'text', text: 5 }] }],
    [{ role: 'user', content: [{ type: 5 }] }],
    [{ role: 'user', content: [{}] }],
    DEEP,
  ],
  'body.messages.1.content': [{ text: 'hi' }, true, DEEP],
  'body.model': [1, [], {}, true, DEEP],
  'body.temperature': [-1, '0', true, [], HUGE, rawJson('-1e400'), DEEP],
  'body.max_tokens': [0, -1, 1.5, '10', HUGE, DEEP],
  'body.seed': [1.5, '1', HUGE, DEEP],
  'body.response_format': [
    'json',
    5,
    [],
    { type: 'xml' },
    { type: 5 },
    {},
    { type: 'json_schema' },
    { type: 'json_schema', json_schema: [] },
    { type: 'json_schema', json_schema: { schema: 5 } },
    { type: 'json_schema', json_schema: { schema: [] } },
    DEEP,
  ],
};
const BATCH_BAD_VALUES_R2: Readonly<Record<string, readonly Json[]>> = {
  'body.max_completion_tokens': [0, -5, 2.5, '5', HUGE],
  'body.response_format.json_schema.schema': ['object', 1, true, DEEP],
  'body.messages.0.content.0': ['a', null, { type: 'text', text: null }],
};

function batchText(lines: readonly Json[]): Buffer {
  return bytesOf(lines.map((l) => stringify(l)).join('\n') + '\n');
}

function withLine(index: number, line: Json): Json[] {
  return BATCH.map((l, i) => (i === index ? line : l));
}

function batchCases(rng: Rng): FuzzCase[] {
  const text = batchText(BATCH);
  const lineCases = (index: number, table: Readonly<Record<string, readonly Json[]>>): FuzzCase[] =>
    tableCases(BATCH[index] ?? null, table, (line) => batchText(withLine(index, line))).map((c) => ({
      ...c,
      label: `line ${index + 1}: ${c.label}`,
    }));
  const allSkipped = (why: string, edit: (line: Json) => Json): FuzzCase => ({
    label: `nothing to replay: ${why}`,
    bytes: batchText(BATCH.map(edit)),
    code: EXIT.config,
  });
  return [
    ...commonCases(true),
    ...lineCases(0, BATCH_BAD_VALUES),
    ...lineCases(1, BATCH_BAD_VALUES_R2),
    ...['custom_id', 'method', 'url', 'body', 'body.messages'].map((key) => ({
      label: `line 2: ${key} deleted`,
      bytes: batchText(withLine(1, deleteAt(BATCH[1] ?? null, key.split('.')))),
      code: EXIT.config,
    })),
    ...Array.from({ length: 6 }, (_, i) => {
      const [from, to] = [i % 3, (i + 1 + rng.int(2)) % 3];
      return {
        label: `duplicate custom_id: line ${to + 1} takes line ${from + 1}'s`,
        bytes: batchText(
          withLine(
            to,
            setAt(BATCH[to] ?? null, ['custom_id'], getAt(BATCH[from] ?? null, ['custom_id']) ?? null),
          ),
        ),
        code: EXIT.config,
      };
    }),
    {
      label: 'a custom_id with a line break, twice',
      bytes: batchText(BATCH.map((l) => setAt(l, ['custom_id'], 'a\nb'))),
      code: EXIT.config,
    },
    allSkipped('embeddings only', (l) => setAt(l, ['url'], '/v1/embeddings')),
    allSkipped('urls with line breaks', (l) => setAt(l, ['url'], '/v1/x\n/y\r\nz')),
    allSkipped('tool messages', (l) => setAt(l, ['body', 'messages'], [{ role: 'tool', content: 'x' }])),
    allSkipped('images', (l) =>
      setAt(
        l,
        ['body', 'messages'],
        [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }],
      ),
    ),
    allSkipped('odd part types', (l) =>
      setAt(l, ['body', 'messages'], [{ role: 'user', content: [{ type: 'weird\ntype' }] }]),
    ),
    allSkipped('tools', (l) => setAt(l, ['body', 'tools'], [{ type: 'function' }])),
    ...[0, 1, 2].flatMap((i) =>
      ['[]', '"line"', '1', 'null', '{}', '[{"custom_id":"x"}]'].map((bad) => ({
        label: `line ${i + 1} is ${bad}`,
        bytes: bytesOf(BATCH.map((l, j) => (j === i ? bad : stringify(l))).join('\n')),
        code: EXIT.config,
      })),
    ),
    ...textCases(rng, text, true, 16),
    ...randomCases(rng, true, 15),
  ];
}

// ---------------------------------------------------------------------------------------------

const CASES: Record<Kind, (rng: Rng) => FuzzCase[]> = {
  config: configCases,
  'suite-json': (rng) => suiteCases(rng, false),
  'suite-jsonl': (rng) => suiteCases(rng, true),
  prices: priceCases,
  batch: batchCases,
};
const GENERATED = Object.fromEntries(
  (Object.keys(CASES) as Kind[]).map((kind) => [kind, CASES[kind](createRng(deriveSeed(SEED, kind)))]),
) as Record<Kind, FuzzCase[]>;

describe('the harness tells valid inputs from malformed ones', () => {
  it('accepts a valid config, and {}, and one saved with a byte-order mark', async () => {
    const withBom = Buffer.concat([Buffer.from(BOM), bytesOf(stringify(CONFIG, 2))]);
    for (const bytes of [
      bytesOf(stringify(CONFIG, 2)),
      bytesOf('{}'),
      bytesOf('{\r\n  "run": {"repeat": 3}\r\n}\r\n'),
      withBom,
    ]) {
      const outcome = await runCase('config', bytes);
      expect([outcome.code, outcome.stderr], 'exit, stderr').toEqual([EXIT.ok, '']);
      expect(JSON.parse(outcome.stdout), 'the effective config').toHaveProperty('config.run');
    }
  });

  it('accepts a valid suite, JSON and JSONL (CRLF too): the run goes on and stops at the missing server', async () => {
    const jsonl = suiteJsonl(SUITE);
    const bom = (b: Buffer): Buffer => Buffer.concat([Buffer.from(BOM), b]);
    const valid = [
      ['suite-json', bytesOf(stringify(SUITE, 2))],
      ['suite-json', bom(bytesOf(stringify(SUITE, 2)))],
      ['suite-jsonl', jsonl],
      ['suite-jsonl', bom(jsonl)],
      ['suite-jsonl', bytesOf(jsonl.toString('utf8').replace(/\n/g, '\r\n'))],
    ] as const;
    for (const [kind, bytes] of valid) {
      const outcome = await runCase(kind, bytes);
      expect(outcome.code, `${kind}: exit ${outcome.stderr}`).toBe(EXIT.backendUnreachable);
      expect(outcome.stdout, `${kind}: stdout`).toBe('');
    }
  });

  it('imports a valid litellm file, and lists it', async () => {
    const outcome = await runCase('prices', bytesOf(stringify(PRICES, 2)));
    expect([outcome.code, outcome.stderr], 'exit, stderr').toEqual([EXIT.ok, '']);
    expect(outcome.stdout, 'stdout').toMatch(/^imported 2 chat model prices from /);
    const list = await runCase('prices', null, (_, dir) => [
      'prices',
      'list',
      '--json',
      '--db',
      join(dir, 'data', 'costbench.db'),
    ]);
    expect(list.code, `list: ${list.stderr}`).toBe(EXIT.ok);
    expect(
      (JSON.parse(list.stdout) as { prices: { model: string }[] }).prices.map((p) => p.model),
      'listed',
    ).toEqual(expect.arrayContaining(CHAT_MODELS));
    // Saved with a byte-order mark (some Windows editors): the same file, read the same way.
    const withBom = await runCase('prices', Buffer.concat([Buffer.from(BOM), bytesOf(stringify(PRICES, 2))]));
    expect([withBom.code, withBom.stderr], 'with a BOM: exit, stderr').toEqual([EXIT.ok, '']);
  });

  it('accepts a valid batch file: the run goes on and stops at the missing server', async () => {
    const outcome = await runCase('batch', batchText(BATCH));
    expect(outcome.code, `exit: ${outcome.stderr}`).toBe(EXIT.backendUnreachable);
    expect(outcome.stderr, 'stderr').toMatch(/^replay: 3 chat completion requests replayed from /);
  });

  it('flags an accepted input as a failure', () => {
    expect(problemsWith({ code: 0, stdout: '{}\n', stderr: '' }, EXIT.config), 'problems').toEqual([
      'exit 0: the malformed input was accepted',
      'something on stdout',
      "stderr does not start with 'costbench: '",
    ]);
    expect(
      problemsWith(
        {
          code: 70,
          stdout: '',
          stderr: 'costbench: internal error: x\n  hint: y\nRangeError: z\n    at f (a.js:1:2)\n',
        },
        2,
      ),
      'problems',
    ).toEqual([
      'exit 70: internal error',
      'stderr has 4 lines, at most 2 (message + hint) allowed',
      'stack trace on stderr',
    ]);
  });
});

describe('malformed inputs get a one-line error and their exit code', () => {
  it('generates at least 1,000 cases', () => {
    const counts = Object.fromEntries(Object.entries(GENERATED).map(([kind, cases]) => [kind, cases.length]));
    console.log(`fuzz seed ${SEED}: ${JSON.stringify(counts)}`);
    expect(
      Object.values(counts).reduce((a, b) => a + b, 0),
      'cases',
    ).toBeGreaterThanOrEqual(1000);
  });

  for (const kind of Object.keys(CASES) as Kind[]) {
    it(`${kind}: ${GENERATED[kind].length} cases`, () => fuzz(kind, GENERATED[kind]), FUZZ_TIMEOUT_MS);
  }
});
