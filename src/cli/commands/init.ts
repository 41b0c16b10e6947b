import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { defaultConfig } from '../../config/json-schema.js';
import { DEFAULT_CONFIG_FILE } from '../../config/load.js';
import { validateConfig } from '../../config/validate.js';
import { ConfigError, EXIT, describeError } from '../../errors.js';
import { formatAnswer, INIT_QUESTIONS, valueAt, type Question } from '../init-questions.js';
import type { CliIo } from '../io.js';
import { stripByteOrderMark } from '../../util/byte-order-mark.js';

/** Where `init` asks its questions: a terminal, or streams a test hands in. */
export interface InitStreams {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** Whether input is a terminal a person answers on. */
  interactive: boolean;
}

/** Tries at one question before init gives up on it. */
const MAX_TRIES = 5;
const LOAD_PREFIX = 'cost.load.';
const INCOMPLETE_KEYS = [
  'cost.hardware.purchasePrice',
  'cost.hardware.alreadyOwnedIdle',
  'cost.engineering.setupHours',
  'cost.engineering.maintenanceHoursPerMonth',
  'cost.engineering.hourlyRate',
];

/** The config file init writes: --config, else $COSTBENCH_CONFIG, else ./costbench.config.json. */
function configPath(flags: Record<string, unknown>, io: CliIo): string {
  const explicit = typeof flags['config'] === 'string' ? flags['config'] : io.env['COSTBENCH_CONFIG'];
  return resolve(io.cwd, explicit !== undefined && explicit.trim() !== '' ? explicit : DEFAULT_CONFIG_FILE);
}

/** The file's JSON object, {} when there is none; a file that is not a JSON object is never overwritten. */
function readExisting(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  const hint = 'Fix or move that file, or write another with --config <path>.';
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripByteOrderMark(readFileSync(path, 'utf8')));
  } catch (error) {
    throw new ConfigError(
      `${path} is not a JSON config file (${describeError(error)}): costbench init will not overwrite it`,
      hint,
      error,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`${path} is not a JSON object: costbench init will not overwrite it`, hint);
  }
  return parsed as Record<string, unknown>;
}

/** Answers from flags (unattended). A bad flag is a one-line error naming it. */
function answersFromFlags(flags: Record<string, unknown>): Map<string, unknown> {
  const answers = new Map<string, unknown>();
  for (const q of INIT_QUESTIONS) {
    const text = flags[q.flag];
    if (typeof text !== 'string') continue;
    const parsed = q.parse(text);
    if ('error' in parsed)
      throw new ConfigError(
        `${q.flagName} ${JSON.stringify(text)}: ${parsed.error}`,
        'See `costbench init --help`.',
      );
    answers.set(q.key, parsed.value);
  }
  if (!answers.has('cost.load.shape')) {
    if (answers.has('cost.load.peakToMean')) answers.set('cost.load.shape', 'peak-to-mean');
    if (answers.has('cost.load.hourlyWeights')) answers.set('cost.load.shape', 'hourly');
  }
  return answers;
}

function currentValue(existing: Record<string, unknown>, key: string): unknown {
  const value = valueAt(existing, key) ?? valueAt(defaultConfig() as unknown as Record<string, unknown>, key);
  return key === 'cost.load.shape' ? (value ?? 'steady') : value;
}

async function askOne(
  q: Question,
  current: unknown,
  next: () => Promise<string | null>,
  out: NodeJS.WritableStream,
): Promise<{ set: boolean; value?: unknown }> {
  const shown = current === undefined || current === null ? 'unset' : formatAnswer(q.key, current);
  for (let tries = 0; tries < MAX_TRIES; tries += 1) {
    out.write(`${q.ask} [${shown}]: `);
    const line = await next();
    if (line === null)
      throw new ConfigError(
        'costbench init: the input ended before every question was answered',
        'Answer each question, or pass the answers as flags.',
      );
    if (line.trim() === '')
      return current === undefined || current === null ? { set: false } : { set: true, value: current };
    const parsed = q.parse(line);
    if ('value' in parsed) return { set: true, value: parsed.value };
    out.write(`  ${parsed.error}\n`);
  }
  throw new ConfigError(
    `costbench init: no valid answer to "${q.ask}" after ${MAX_TRIES} tries`,
    `Pass it as ${q.flagName} instead.`,
  );
}

/** Asks every question on the streams; Enter keeps the value shown (or leaves it unset). */
async function answersFromPrompts(
  streams: InitStreams,
  existing: Record<string, unknown>,
): Promise<Map<string, unknown>> {
  const rl = createInterface({ input: streams.input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const next = async (): Promise<string | null> => {
    const r = await lines.next();
    return r.done === true ? null : (r.value as string);
  };
  const answers = new Map<string, unknown>();
  try {
    for (const q of INIT_QUESTIONS) {
      if (q.when !== undefined && !q.when(answers)) continue;
      const answer = await askOne(q, currentValue(existing, q.key), next, streams.output);
      if (answer.set) answers.set(q.key, answer.value);
    }
  } finally {
    rl.close();
  }
  return answers;
}

function setAt(target: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) {
    const child = node[part];
    if (child === null || typeof child !== 'object' || Array.isArray(child)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

/** The existing object with the answers set; the load shape assembled as one object. Keeps every other key. */
export function mergeAnswers(
  existing: Record<string, unknown>,
  answers: ReadonlyMap<string, unknown>,
): Record<string, unknown> {
  const out = structuredClone(existing);
  for (const [key, value] of answers) if (!key.startsWith(LOAD_PREFIX)) setAt(out, key, value);
  if (![...answers.keys()].some((k) => k.startsWith(LOAD_PREFIX))) return out;
  const prior = (valueAt(existing, 'cost.load') ?? {}) as Record<string, unknown>;
  const pick = (name: string): unknown =>
    answers.has(LOAD_PREFIX + name) ? answers.get(LOAD_PREFIX + name) : prior[name];
  const shape = pick('shape') ?? 'steady';
  const load: Record<string, unknown> = { shape, p95LatencyBoundMs: pick('p95LatencyBoundMs') ?? null };
  if (shape === 'peak-to-mean') load['peakToMean'] = pick('peakToMean');
  if (shape === 'hourly') load['hourlyWeights'] = pick('hourlyWeights');
  setAt(out, 'cost.load', load);
  return out;
}

function writeConfig(path: string, config: Record<string, unknown>): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, JSON.stringify(config, null, 2) + '\n');
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new ConfigError(
      `cannot write ${path}: ${describeError(error)}`,
      'Check that the directory exists and is writable, or choose another file with --config.',
      error,
    );
  }
}

/**
 * `costbench init`: asks (on a terminal) or takes as flags (unattended) the inputs of the cost model,
 * and writes them into the config file, keeping its other keys. Validated before anything is written.
 */
export async function initCommand(
  flags: Record<string, unknown>,
  io: CliIo,
  streams: InitStreams,
): Promise<number> {
  const path = configPath(flags, io);
  const existing = readExisting(path);
  const unattended = flags['yes'] === true || INIT_QUESTIONS.some((q) => typeof flags[q.flag] === 'string');
  if (!unattended && !streams.interactive) {
    throw new ConfigError(
      'costbench init: no terminal to ask on, and no answers given as flags',
      'Pass the answers as flags (see `costbench init --help`), or --yes to keep the file as it is.',
    );
  }
  const answers = unattended ? answersFromFlags(flags) : await answersFromPrompts(streams, existing);
  const merged = mergeAnswers(existing, answers);
  const source = unattended ? 'costbench init flags' : 'costbench init answers';
  const config = validateConfig(merged, new Map([...answers.keys()].map((k) => [k, source])));
  writeConfig(path, merged);
  io.stdout(`wrote ${path}\n`);
  for (const [key, value] of answers) {
    // The value as the file holds it, and the answer's word where it differs (true: owned-idle).
    const word = formatAnswer(key, value);
    const written = JSON.stringify(value);
    io.stdout(`  ${key} = ${written}${word === written || word === String(value) ? '' : ` (${word})`}\n`);
  }
  const unset = INIT_QUESTIONS.filter(
    (q) =>
      INCOMPLETE_KEYS.includes(q.key) &&
      valueAt(config as unknown as Record<string, unknown>, q.key) === null,
  );
  const needed = unset.filter(
    (q) =>
      q.key !== 'cost.engineering.hourlyRate' ||
      (config.cost.engineering.setupHours ?? 1) + (config.cost.engineering.maintenanceHoursPerMonth ?? 1) > 0,
  );
  if (needed.length > 0)
    io.stdout(
      `still unset, so the full view stays incomplete: ${needed.map((q) => `${q.key} (${q.flagName})`).join(', ')}\n`,
    );
  io.stdout("`costbench cost latest` recomputes the latest run's cost with these settings.\n");
  return EXIT.ok;
}
