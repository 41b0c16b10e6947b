import type { Config } from '../config/schema.js';
import type { GenerationOptions } from './model-info.js';

/** The configuration as it shaped the run: everything but where the database lives. */
export type RecordedConfig = Omit<Config, 'store' | '$schema'>;

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
  /**
   * kind: a suite, or a replayed OpenAI batch file (absent in records written before it was kept:
   * see isReplayRun); source: the built-in suite id, or the suite (or replayed batch) file as an
   * absolute path; replayOutput: the batch's output file.
   */
  suite: {
    kind?: 'suite' | 'replay';
    id: string;
    version: string;
    source: string;
    replayOutput: string | null;
  };
  requestOptions: RecordedRequestOptions;
  /** The embedded engine's thread count for this run (one value of a sweep); null for servers. */
  engineThreads: number | 'auto' | null;
  /** All thread counts of a threads sweep this run belongs to; null otherwise. */
  threadsSweep: (number | 'auto')[] | null;
  software: RecordedSoftware;
  /** The run this one reran (`costbench rerun`), or null. */
  rerunOf: number | null;
}
