import type { MetricsSource } from './model-info.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'aborted' | 'interrupted';

/** A row of the runs table, in costbench's names. */
export interface RunRow {
  id: number;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  backend: string;
  host: string;
  model: string;
  suiteId: string;
  suiteVersion: string;
  repeatCount: number;
  plannedRequests: number;
  settings: Record<string, unknown>;
  costbenchVersion: string;
  error: string | null;
  warnings: string[];
}

/** One measured request as stored: written the moment the request completes. */
export interface RequestRow {
  /** Requests in flight at once at this request's level of a concurrency sweep (1: one at a time). */
  concurrency: number;
  seq: number;
  taskId: string;
  repeatIndex: number;
  state: 'ok' | 'errored' | 'aborted';
  startedAt: string;
  /** Offset on the run's monotonic clock (0 = run start). */
  startOffsetMs: number;
  ttftMs: number | null;
  /** Client time from sending to the last streamed token; with ttftMs, a client-timed decode rate. */
  lastTokenMs: number | null;
  latencyMs: number;
  promptTokens: number | null;
  promptEvalMs: number | null;
  outputTokens: number | null;
  evalMs: number | null;
  /** The tokens evalMs covers when not all of outputTokens (the embedded engine: outputTokens - 1); null or absent: all. */
  evalTokens?: number | null;
  loadMs: number | null;
  serverTotalMs: number | null;
  /** The CPU threads the embedded engine computed this request with; null or absent for model servers. */
  threads?: number | null;
  /** What the token counts are: the server's timed counts, its usage block, or counted by chunks (estimate). */
  metricsSource: MetricsSource | null;
  cachedPromptTokens: number | null;
  doneReason: string | null;
  chunks: number;
  malformedLines: number;
  outputText: string | null;
  error: string | null;
  /** 0..1 against the expected answer; null when the task has none. */
  score: number | null;
  correct: boolean | null;
  scoreDetail: string | null;
  /** 0..1 against the API's own answer (replay); null otherwise. */
  agreement: number | null;
  agreementMethod: string | null;
}

/** The warm-up request that loaded the model before measuring. */
export interface WarmupRow {
  state: 'ok' | 'errored' | 'aborted';
  /** The server had the model in memory already, so this was no cold load. */
  alreadyLoaded: boolean;
  startOffsetMs: number;
  latencyMs: number;
  loadMs: number | null;
  doneReason: string | null;
  error: string | null;
}

/** The API's own answer and billed usage for one replayed request. */
export interface ReplayReference {
  taskId: string;
  customId: string;
  apiModel: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  answerText: string | null;
  statusCode: number | null;
  error: string | null;
}
