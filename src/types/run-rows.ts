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
  /** A run against a remote, per-token-billed API; null or absent: a local run (power, roofline, capacity). */
  remote?: RemoteRun | null;
}

/**
 * A run against a remote API (OpenAI, OpenRouter, Groq, ...): no power, no roofline, no capacity;
 * its cost is its billed usage at the price stored here, the one it ran under.
 */
export interface RemoteRun {
  /** The price-table key the run was billed at, e.g. "gpt-4o-mini" or "openrouter/openai/gpt-4o-mini". */
  priceModel: string;
  /** The provider of that price, e.g. "openai". */
  provider: string;
  /** The prices applied, USD per 1M tokens (batch prices already chosen when `batch`). */
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
  /** null: no cached-input price (cached tokens billed at the input price). */
  cachedInputUsdPerMTok: number | null;
  /** The work would go through the provider's batch API: batch prices where the table has them. */
  batch: boolean;
  /** Where the price came from (bundled, imported, config) and the table's date. */
  priceSource: 'bundled' | 'imported' | 'config';
  priceAsOf: string | null;
  /** The spend cap the run ran under, USD. */
  maxSpendUsd: number;
  /** Why the run stopped before its plan (e.g. the spend cap); null: it did not stop early. */
  stopReason: string | null;
}

/** One measured request as stored: written the moment the request completes. */
export interface RequestRow {
  /** Requests in flight at once at this request's level of a concurrency sweep (1: one at a time). */
  concurrency: number;
  /** The tokens of filler context requested before the prompt (run --context-depth); absent: no filler. */
  contextDepthTokens?: number;
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
  /** Remote API: completion_tokens_details.reasoning_tokens (part of outputTokens); null or absent: not reported. */
  reasoningTokens?: number | null;
  /** Remote API: 429 answers retried before this outcome, and the time waited as Retry-After asked. */
  retries?: number;
  retryWaitMs?: number;
  /** Remote API: this request's billed usage x the run's price (RemoteRun), USD; null or absent: local, or no usage. */
  costUsd?: number | null;
  /** Open-loop level: its offered rate, tasks/s; absent: closed loop (--concurrency). */
  arrivalRatePerS?: number;
  /** Open-loop level: when the request was due on the run's clock; startOffsetMs minus it is the client's queue wait. */
  scheduledOffsetMs?: number;
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
