/**
 * An engine reply as a {@link ChatResult}: the engine's own timings as the server side, costbench's
 * clock (when the answer's messages arrived) as the client side. Pure.
 */
import { describeError } from '../../errors.js';
import type { ChatResult, ServerMetrics } from '../backend.js';
import type { FromEngine } from './protocol.js';

/** costbench's clock for one request: sent, first and latest answer message, messages received. */
export interface ClientTimes {
  startMs: number;
  firstMs: number | null;
  lastMs: number | null;
  chunks: number;
}

type Reply = Exclude<FromEngine, { type: 'pieces' }>;

const NO_METRICS: ServerMetrics = {
  promptTokens: null,
  promptEvalMs: null,
  outputTokens: null,
  evalMs: null,
  loadMs: null,
  totalMs: null,
};

function base(times: ClientTimes, endMs: number) {
  return {
    ttftMs: times.firstMs === null ? null : times.firstMs - times.startMs,
    lastTokenMs: times.lastMs === null ? null : times.lastMs - times.startMs,
    latencyMs: endMs - times.startMs,
    metrics: NO_METRICS,
    metricsSource: null,
    cachedPromptTokens: null,
    doneReason: null,
    text: '',
    chunks: times.chunks,
    malformedLines: 0,
  };
}

/**
 * The result of a reply. The done message carries the last token (the end-of-generation token
 * is one): its arrival is the client's last-token time, and the first answer message's arrival
 * (or the done message, when the answer was one token) its first-token time.
 */
function from(
  reply: Reply,
  times: ClientTimes,
  endMs: number,
  loadMs: number | null,
  cancelled: 'timeout' | 'aborted' | null,
  timeoutMs: number,
): ChatResult {
  if (reply.type === 'failed') {
    return {
      ...base(times, endMs),
      state: 'errored',
      error: reply.failure.message,
      status: null,
      errorKind: 'engine',
    };
  }
  if (reply.type !== 'done') {
    return {
      ...base(times, endMs),
      state: 'errored',
      error: `engine answered ${reply.type}`,
      status: null,
      errorKind: 'engine',
    };
  }
  const m = reply.metrics;
  const hasLast = reply.pieces.length > 0 || m.outputTokens > 0;
  const firstMs = times.firstMs ?? endMs;
  const result = {
    ...base({ ...times, firstMs, lastMs: hasLast ? endMs : times.lastMs }, endMs),
    metrics: {
      promptTokens: m.promptTokens,
      promptEvalMs: m.prefillMs,
      outputTokens: m.outputTokens,
      evalMs: m.decodeMs,
      evalTokens: m.decodeMs === null ? null : m.outputTokens - 1,
      loadMs,
      totalMs: m.totalMs,
    },
    metricsSource: 'server' as const,
    // Each request starts on a cleared sequence: no prompt cache.
    cachedPromptTokens: 0,
    doneReason: reply.doneReason,
    text: reply.text,
    threads: m.threads,
    chunks: times.chunks + (reply.pieces.length > 0 ? 1 : 0),
  };
  if (reply.doneReason !== 'cancelled') return { ...result, state: 'ok' };
  const timedOut = cancelled !== 'aborted';
  return {
    ...result,
    state: timedOut ? 'errored' : 'aborted',
    status: null,
    errorKind: timedOut ? 'timeout' : 'aborted',
    error: timedOut ? `no answer within ${timeoutMs} ms (request timeout)` : 'aborted',
  };
}

/** A request that never got a reply: the engine crashed, or refused before generating. */
function failed(times: ClientTimes, endMs: number, error: unknown, crashed: boolean): ChatResult {
  return {
    ...base(times, endMs),
    state: 'errored',
    error: describeError(error),
    status: null,
    errorKind: crashed ? 'crashed' : 'engine',
  };
}

/** Builds request results from engine replies. */
export const toChatResult = { from, failed };
