import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { parseOllamaHost } from './ollama-host.js';
import type { Config } from './schema.js';
import { validateConfig } from './validate.js';
import { describeJsonError } from '../util/json-error.js';
import { stripByteOrderMark } from '../util/byte-order-mark.js';

/** The name looked for in the working directory when no --config is given. */
export const DEFAULT_CONFIG_FILE = 'costbench.config.json';

/** Command-line values that override configuration, as commander hands them over. */
export interface ConfigFlags {
  config?: string;
  host?: string;
  model?: string;
  suite?: string;
  repeat?: string | number;
  db?: string;
  idle?: string | number;
  /** false from --no-store-outputs; commander's default (true) is not passed on, so the config can say false. */
  storeOutputs?: boolean;
  /** "1,2,4,8" */
  concurrency?: string;
  /** "0,4096,16384" */
  contextDepth?: string;
  coldStart?: boolean;
  cooldown?: string | number;
  backend?: string;
  minDuration?: string | number;
  /** Embedded engine: "auto", "4", or "1,2,4" (a threads sweep). */
  threads?: string;
  gpuLayers?: string;
  contextSize?: string;
  batchSize?: string;
  /** "auto", "on" or "off". */
  flashAttention?: string;
  kvCacheType?: string;
  seed?: string | number;
  /** false from --no-mmap. */
  mmap?: boolean;
  /** --remote (true) / --no-remote (false); absent: by host. */
  remote?: boolean;
  allowInsecure?: boolean;
  maxSpend?: string | number;
  maxOutputTokens?: string | number;
  priceModel?: string;
  batch?: boolean;
  /** Open-loop arrivals, tasks/s. */
  rate?: string | number;
  /** "constant", "poisson" or "burst". */
  arrival?: string;
  arrivalSeed?: string | number;
  rateSweep?: boolean;
  maxP95Latency?: string | number;
  maxP95Ttft?: string | number;
  rateResolution?: string | number;
}

/** A configuration ready to use, with where it came from. */
export interface LoadedConfig {
  config: Config;
  /** The config file read, or null when none was. */
  file: string | null;
  /** Base URL of the model server, normalised the way Ollama reads OLLAMA_HOST. */
  host: string;
  /** Absolute path of the SQLite database. */
  dbPath: string;
}

type Layer = { label: (key: string) => string; values: Record<string, unknown> };

export const FLAG_PATHS: Record<Exclude<keyof ConfigFlags, 'config'>, string> = {
  host: 'backend.host',
  model: 'run.model',
  suite: 'run.suite',
  repeat: 'run.repeat',
  db: 'store.path',
  idle: 'telemetry.idleBaselineS',
  storeOutputs: 'run.storeOutputs',
  concurrency: 'run.concurrency',
  contextDepth: 'run.contextDepth',
  coldStart: 'run.coldStart',
  cooldown: 'run.cooldownS',
  backend: 'backend.kind',
  minDuration: 'run.minDurationS',
  threads: 'backend.threads',
  gpuLayers: 'backend.gpuLayers',
  contextSize: 'backend.contextSize',
  batchSize: 'backend.batchSize',
  flashAttention: 'backend.flashAttention',
  kvCacheType: 'backend.kvCacheType',
  seed: 'backend.seed',
  mmap: 'backend.mmap',
  remote: 'backend.remote',
  allowInsecure: 'backend.allowInsecure',
  maxSpend: 'run.maxSpendUsd',
  maxOutputTokens: 'run.maxOutputTokens',
  priceModel: 'run.priceModel',
  batch: 'cost.batch',
  rate: 'run.rate',
  arrival: 'run.arrival',
  arrivalSeed: 'run.arrivalSeed',
  rateSweep: 'run.rateSweep',
  maxP95Latency: 'run.maxP95LatencyMs',
  maxP95Ttft: 'run.maxP95TtftMs',
  rateResolution: 'run.rateResolution',
};

/** Other names for backend kinds. */
const BACKEND_ALIASES: Record<string, string> = { embedded: 'llama-cpp' };

/** Deeper than any config key: leaf paths stop here, so a deeply nested value cannot overflow the stack. */
const MAX_KEY_DEPTH = 8;

/** Flags whose values are numbers in the config (commander hands over strings). */
const NUMERIC_PATHS = new Set([
  'run.repeat',
  'telemetry.idleBaselineS',
  'run.cooldownS',
  'run.minDurationS',
  'backend.gpuLayers',
  'backend.contextSize',
  'backend.batchSize',
  'backend.seed',
  'run.maxSpendUsd',
  'run.maxOutputTokens',
  'run.rate',
  'run.arrivalSeed',
  'run.maxP95LatencyMs',
  'run.maxP95TtftMs',
  'run.rateResolution',
]);

const ENV_PATHS: Record<string, string> = { OLLAMA_HOST: 'backend.host', COSTBENCH_DB: 'store.path' };

/**
 * Loads configuration with the precedence flags > environment > config file > defaults.
 * The file is --config, else $COSTBENCH_CONFIG, else ./costbench.config.json when present.
 */
export function loadConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv, cwd: string): LoadedConfig {
  const explicit = flags.config ?? nonEmpty(env['COSTBENCH_CONFIG']);
  const file = explicit !== undefined ? resolve(cwd, explicit) : findDefaultFile(cwd);
  const fileValues = file === null ? {} : readConfigFile(file, explicit !== undefined);
  if (file !== null && typeof fileValues.store === 'object' && fileValues.store !== null) {
    const store = fileValues.store as Record<string, unknown>;
    // An empty path is left for validation to refuse: resolved, it would name the config's directory.
    if (typeof store['path'] === 'string' && store['path'] !== '')
      store['path'] = resolve(dirname(file), store['path']);
  }

  const layers: Layer[] = [
    { label: () => `config file ${file ?? ''}`, values: fileValues },
    { label: (key) => `environment ${envNameFor(key)}`, values: fromPaths(envValues(env)) },
    { label: (key) => `flag --${flagNameFor(key)}`, values: fromPaths(flagValues(flags)) },
  ];
  const sources = new Map<string, string>();
  let merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const path of leafPaths(layer.values)) sources.set(path, layer.label(path));
    merged = deepMerge(merged, layer.values);
  }
  const backend = merged['backend'];
  if (
    isPlainObject(backend) &&
    typeof backend['kind'] === 'string' &&
    BACKEND_ALIASES[backend['kind']] !== undefined
  ) {
    merged = deepMerge(merged, { backend: { kind: BACKEND_ALIASES[backend['kind']] } });
  }
  const config = validateConfig(merged, sources);
  const dbPath = config.store.path === null ? defaultDbPath(env) : resolve(cwd, config.store.path);
  return { config, file, host: parseOllamaHost(config.backend.host), dbPath };
}

/** $XDG_DATA_HOME/costbench/costbench.db, else ~/.local/share/costbench/costbench.db. */
export function defaultDbPath(env: NodeJS.ProcessEnv): string {
  const xdg = nonEmpty(env['XDG_DATA_HOME']);
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(env['HOME'] ?? homedir(), '.local', 'share');
  return join(base, 'costbench', 'costbench.db');
}

/** Reads and parses a JSON config file; a syntax error names the line and column. */
function readConfigFile(file: string, mustExist: boolean): Record<string, unknown> {
  if (!existsSync(file)) {
    if (mustExist)
      throw new ConfigError(`config file not found: ${file}`, 'Check the --config path or COSTBENCH_CONFIG.');
    return {};
  }
  // A byte-order mark (some Windows editors write one) is no JSON token: it goes before parsing.
  const text = stripByteOrderMark(readFileSync(file, 'utf8'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // V8 quotes the text around a bad token verbatim, line breaks included: escape them to keep one line.
    const message = describeJsonError(error, text).replace(/\p{Cc}/gu, (c) => JSON.stringify(c).slice(1, -1));
    throw new ConfigError(
      `config file ${file}: ${message}`,
      'Fix the JSON syntax (config.example.json shows the layout).',
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(
      `config file ${file}: expected a JSON object at the top level`,
      'See config.example.json.',
    );
  }
  return parsed as Record<string, unknown>;
}

function findDefaultFile(cwd: string): string | null {
  const candidate = join(cwd, DEFAULT_CONFIG_FILE);
  return existsSync(candidate) ? candidate : null;
}

function envValues(env: NodeJS.ProcessEnv): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(ENV_PATHS)) {
    const value = nonEmpty(env[name]);
    if (value !== undefined) values.set(path, value);
  }
  return values;
}

function flagValues(flags: ConfigFlags): Map<string, unknown> {
  const values = new Map<string, unknown>();
  for (const [flag, path] of Object.entries(FLAG_PATHS)) {
    const value = flags[flag as keyof typeof FLAG_PATHS];
    if (value === undefined || ((flag === 'storeOutputs' || flag === 'mmap') && value === true)) continue;
    if (
      (path === 'run.concurrency' || path === 'run.contextDepth' || path === 'backend.threads') &&
      typeof value === 'string'
    ) {
      values.set(path, parseLevels(value, path === 'backend.threads'));
      continue;
    }
    if (path === 'backend.flashAttention' && typeof value === 'string') {
      values.set(
        path,
        ({ on: true, true: true, off: false, false: false } as Record<string, boolean>)[value] ?? value,
      );
      continue;
    }
    values.set(
      path,
      typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) && NUMERIC_PATHS.has(path)
        ? Number(value)
        : value,
    );
  }
  return values;
}

/** "1,2,4" → [1, 2, 4]; a bad item stays a string for validation to name; "auto" stays "auto" where allowed. */
function parseLevels(value: string, autoAllowed: boolean): unknown {
  if (autoAllowed && value.trim() === 'auto') return 'auto';
  return value.split(',').map((v) => (/^\s*\d+\s*$/.test(v) ? Number(v) : v.trim()));
}

function envNameFor(path: string): string {
  return Object.entries(ENV_PATHS).find(([, p]) => p === path)?.[0] ?? path;
}

function flagNameFor(path: string): string {
  const name = Object.entries(FLAG_PATHS).find(([, p]) => p === path)?.[0] ?? path;
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function fromPaths(values: Map<string, unknown>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of values) {
    const keys = path.split('.');
    let node = root;
    for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[keys[keys.length - 1] ?? path] = value;
  }
  return root;
}

function leafPaths(value: Record<string, unknown>, prefix = '', depth = 0): string[] {
  return Object.entries(value).flatMap(([key, child]) =>
    isPlainObject(child) && depth < MAX_KEY_DEPTH
      ? leafPaths(child, `${prefix}${key}.`, depth + 1)
      : [`${prefix}${key}`],
  );
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = Object.hasOwn(out, key) ? out[key] : undefined;
    const merged = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
    // Defined, not assigned: assigning a "__proto__" key from the file would set the prototype, and validation would never see the key.
    Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
