import { createHash } from 'node:crypto';
import type { GenerationOptions } from '../types/model-info.js';
import type { Config } from '../config/schema.js';
import type { RecordedConfig, RecordedSoftware, SettingsRecord } from '../types/settings-record.js';
export type { RecordedConfig, RecordedSoftware, SettingsRecord } from '../types/settings-record.js';

/** The record's layout version: a reader refuses a newer one and fills what an older one lacks with unknown. */
export const SETTINGS_RECORD_VERSION = 1;

/** A configuration without where the database lives (and the editor's $schema). Pure. */
export function recordedConfigOf(config: Config): RecordedConfig {
  const copy: Partial<Config> = { ...config };
  delete copy.store;
  delete copy.$schema;
  return copy as RecordedConfig;
}

/** The parts of a suite the record needs. */
export interface RecordedSuiteInput {
  id: string;
  version: string;
  options: GenerationOptions;
  tasks: readonly {
    id: string;
    options?: GenerationOptions | undefined;
    format?: 'json' | Record<string, unknown> | undefined;
  }[];
  format?: 'json' | Record<string, unknown> | undefined;
}

/** Builds a run's record. Pure: the caller reads the software facts. */
export function buildSettingsRecord(input: {
  config: Config;
  suite: RecordedSuiteInput;
  suiteSource: string;
  replayOutput: string | null;
  /** The workload: a suite, or a replayed batch file. */
  kind: 'suite' | 'replay';
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
    suite: {
      kind: input.kind,
      id: input.suite.id,
      version: input.suite.version,
      source: input.suiteSource,
      replayOutput: input.replayOutput,
    },
    requestOptions: {
      suite: input.suite.options,
      byTask,
      formatByTask,
      keepAlive: input.config.backend.keepAlive,
      timeoutMs: input.config.backend.requestTimeoutMs,
      stream: true,
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
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** sha256 of the canonical JSON, hex; reports print its first 12 characters. */
export function recordDigest(record: SettingsRecord): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}
