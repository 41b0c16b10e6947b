import { createHash } from 'node:crypto';
import type { GenerationOptions } from '../backends/backend.js';
import type { Config } from '../config/schema.js';

/** The record's layout version: a reader refuses a newer one and fills what an older one lacks with unknown. */
export const SETTINGS_RECORD_VERSION = 1;

/** The configuration as it shaped the run: everything but where the database lives. */
export type RecordedConfig = Omit<Config, 'store' | '$schema'>;

/** A configuration without where the database lives (and the editor's $schema). Pure. */
export function recordedConfigOf(config: Config): RecordedConfig {
  const copy: Partial<Config> = { ...config };
  delete copy.store;
  delete copy.$schema;
  return copy as RecordedConfig;
}

/** What each request was sent with, besides its messages. */
export interface RecordedRequestOptions {
  /** The suite's options, sent with every task (temperature, seed, numPredict, numCtx). */
  suite: GenerationOptions;
  /** Tasks whose own options override the suite's, by task id. */
  byTask: Record<string, GenerationOptions>;
  /** Tasks that ask for JSON or a schema, by task id ("json" or "schema"). */
  formatByTask: Record<string, 'json' | 'schema'>;
  /** Ollama keep_alive sent with each request (other servers ignore it). */
  keepAlive: string | number;
  timeoutMs: number;
  /** Answers are always streamed: TTFT is timed from the first streamed token. */
  stream: true;
}

/** Where costbench itself came from. */
export interface RecordedSoftware {
  costbenchVersion: string;
  /** The commit when costbench ran from a git checkout; null from an installed package. */
  commit: string | null;
  /** The checkout had uncommitted changes to tracked files; null when unknown or not a checkout. */
  dirty: boolean | null;
  nodeVersion: string;
  platform: string;
  arch: string;
}

/**
 * Everything that shapes a run's figures, stored once per run, versioned: the effective
 * configuration (telemetry, backend, run, cost as at run time), the suite and the options each
 * request was sent with, and the software that ran it. The server's own facts and the machine's
 * state are stored beside it (run_server_facts, run_machine_states).
 */
export interface SettingsRecord {
  recordVersion: number;
  config: RecordedConfig;
  /** source: the built-in suite id, or the suite (or replayed batch) file as an absolute path; replayOutput: the batch's output file. */
  suite: { id: string; version: string; source: string; replayOutput: string | null };
  requestOptions: RecordedRequestOptions;
  /** The embedded engine's thread count for this run (one value of a sweep); null for servers. */
  engineThreads: number | 'auto' | null;
  /** All thread counts of a threads sweep this run belongs to; null otherwise. */
  threadsSweep: (number | 'auto')[] | null;
  software: RecordedSoftware;
  /** The run this one reran (`costbench rerun`), or null. */
  rerunOf: number | null;
}

/** The parts of a suite the record needs. */
export interface RecordedSuiteInput {
  id: string;
  version: string;
  options: GenerationOptions;
  tasks: readonly { id: string; options?: GenerationOptions | undefined; format?: 'json' | Record<string, unknown> | undefined }[];
  format?: 'json' | Record<string, unknown> | undefined;
}

/** Builds a run's record. Pure: the caller reads the software facts. */
export function buildSettingsRecord(input: {
  config: Config;
  suite: RecordedSuiteInput;
  suiteSource: string;
  replayOutput: string | null;
  rerunOf: number | null;
  engineThreads: number | 'auto' | null;
  threadsSweep: (number | 'auto')[] | null;
  software: RecordedSoftware;
}): SettingsRecord {
  const config = recordedConfigOf(input.config);
  const byTask: Record<string, GenerationOptions> = {};
  const formatByTask: Record<string, 'json' | 'schema'> = {};
  for (const task of input.suite.tasks) {
    if (task.options !== undefined && Object.keys(task.options).length > 0) byTask[task.id] = task.options;
    const format = task.format ?? input.suite.format;
    if (format !== undefined) formatByTask[task.id] = format === 'json' ? 'json' : 'schema';
  }
  return {
    recordVersion: SETTINGS_RECORD_VERSION,
    config,
    suite: { id: input.suite.id, version: input.suite.version, source: input.suiteSource, replayOutput: input.replayOutput },
    requestOptions: {
      suite: input.suite.options, byTask, formatByTask,
      keepAlive: input.config.backend.keepAlive, timeoutMs: input.config.backend.requestTimeoutMs, stream: true,
    },
    engineThreads: input.engineThreads,
    threadsSweep: input.threadsSweep,
    software: input.software,
    rerunOf: input.rerunOf,
  };
}

/** JSON with object keys sorted at every level, so equal records give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** sha256 of the canonical JSON, hex; reports print its first 12 characters. */
export function recordDigest(record: SettingsRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

/** The short digest reports print. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 12);
}
