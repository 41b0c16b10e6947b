/**
 * One streamed chat completion read into its result: each SSE event's data is classified and
 * parsed once, straight into the stream's running state (no per-event record or promise), and
 * the state becomes a ChatResult. The clock is passed in.
 */
import type { ChatResult, ChunkListener } from './backend.js';
import { classifyStreamError, redactKey, type ClassifiedError } from './openai-errors.js';
import {
  classifySseData,
  computeCachedPromptTokens,
  computeMetrics,
  choiceDelta,
  deltaContent,
  deltaReasoning,
  firstChoice,
  parseErrorObject,
  parseTimings,
  parseUsage,
  SSE_DONE,
  type LlamaCppTimings,
  type Usage,
} from './openai-sse.js';
import { readSse } from './sse-reader.js';

/** What the stream said so far. */
export interface StreamState {
  /** Since the request started, at the first chunk with answer text or reasoning. */
  ttftMs: number | null;
  /** Since the request started, at the last chunk with answer text or reasoning. */
  lastContentMs: number | null;
  text: string;
  /** JSON chunks (not `[DONE]`, not malformed events). */
  chunks: number;
  /** Chunks that carried answer text or reasoning. */
  contentChunks: number;
  /** Events whose data was not a JSON object. */
  malformedLines: number;
  finishReason: string | null;
  usage: Usage | null;
  timings: LlamaCppTimings | null;
  fingerprint: string | null;
  sawDone: boolean;
}

export function emptyStreamState(): StreamState {
  return {
    ttftMs: null,
    lastContentMs: null,
    text: '',
    chunks: 0,
    contentChunks: 0,
    malformedLines: 0,
    finishReason: null,
    usage: null,
    timings: null,
    fingerprint: null,
    sawDone: false,
  };
}

/** How a stream is read: its clock and start, the key to redact from an error event, the chunk listener. */
export interface StreamReadOptions {
  now: () => number;
  startedMs: number;
  apiKey: string | null;
  onChunk?: ChunkListener | undefined;
}

/**
 * Reads the SSE body into `state` up to `[DONE]`, an error event or the body's end; returns the
 * error event, if the server sent one. Events after `[DONE]` or an error are not read.
 * TTFT is read off the clock at the first chunk with text or reasoning. The last such chunk's
 * time is read once per network read, after that read's events (they all arrived together):
 * one clock reading per read instead of one per token.
 */
export async function readOpenAiStream(
  body: ReadableStream<Uint8Array>,
  state: StreamState,
  options: StreamReadOptions,
): Promise<ClassifiedError | null> {
  const reading: ReadingState = { error: null, contentUnstamped: false };
  const stampLastContent = (): void => {
    if (!reading.contentUnstamped) return;
    reading.contentUnstamped = false;
    state.lastContentMs = options.now() - options.startedMs;
  };
  await readSse(
    body,
    (data) => {
      const value = classifySseData(data);
      if (value === SSE_DONE) {
        state.sawDone = true;
        return true;
      }
      if (value === null) {
        state.malformedLines += 1;
        return false;
      }
      const error = parseErrorObject(value);
      if (error !== null) {
        reading.error = classifyStreamError(error.message, options.apiKey);
        return true;
      }
      applyChunk(state, value, reading, options);
      return false;
    },
    stampLastContent,
  );
  stampLastContent();
  return reading.error;
}

/** The read's own bookkeeping: the error event, a content chunk of this network read not yet timed. */
interface ReadingState {
  error: ClassifiedError | null;
  contentUnstamped: boolean;
}

/** What parseChunk reads, written straight into the state: no record per chunk (the hot path). */
function applyChunk(
  state: StreamState,
  value: Record<string, unknown>,
  reading: ReadingState,
  options: StreamReadOptions,
): void {
  const choice = firstChoice(value);
  const delta = choiceDelta(choice);
  const content = deltaContent(delta);
  state.chunks += 1;
  if (content !== '' || deltaReasoning(delta) !== '') {
    state.contentChunks += 1;
    if (state.ttftMs === null) {
      state.ttftMs = options.now() - options.startedMs;
      state.lastContentMs = state.ttftMs;
    } else reading.contentUnstamped = true; // timed once, when this network read's events are done
  }
  if (content !== '') {
    state.text += content;
    options.onChunk?.(content);
  }
  const finishReason = choice === null ? undefined : choice['finish_reason'];
  if (typeof finishReason === 'string') state.finishReason = finishReason;
  // Absent on most chunks: parsed only when present (null or a non-object keeps what came before).
  if (value['usage'] !== undefined) state.usage = parseUsage(value['usage']) ?? state.usage;
  if (value['timings'] !== undefined) state.timings = parseTimings(value['timings']) ?? state.timings;
  const fingerprint = value['system_fingerprint'];
  if (typeof fingerprint === 'string') state.fingerprint = fingerprint;
}

/** The result of a stream that ended well, `latencyMs` after the request started. */
export function streamSucceeded(state: StreamState, latencyMs: number): ChatResult {
  const totals = { usage: state.usage, timings: state.timings, contentChunks: state.contentChunks };
  const { metrics, source } = computeMetrics(totals);
  return {
    state: 'ok',
    ttftMs: state.ttftMs,
    lastTokenMs: state.lastContentMs,
    latencyMs,
    metrics,
    metricsSource: source,
    cachedPromptTokens: computeCachedPromptTokens(totals),
    reasoningTokens: state.usage?.reasoningTokens ?? null,
    doneReason: state.finishReason,
    text: state.text,
    chunks: state.chunks,
    malformedLines: state.malformedLines,
  };
}

/** The result of a failed request: what the stream said before it failed, the key redacted from the error. */
export function streamFailed(
  classified: ClassifiedError,
  state: StreamState,
  latencyMs: number,
  apiKey: string | null,
): ChatResult {
  return {
    state: classified.kind === 'aborted' ? 'aborted' : 'errored',
    error: redactKey(classified.message, apiKey),
    status: classified.status,
    errorKind: classified.kind,
    ttftMs: state.ttftMs,
    lastTokenMs: state.lastContentMs,
    latencyMs,
    metrics: {
      promptTokens: null,
      promptEvalMs: null,
      outputTokens: null,
      evalMs: null,
      loadMs: null,
      totalMs: null,
    },
    metricsSource: null,
    cachedPromptTokens: null,
    doneReason: null,
    text: state.text,
    chunks: state.chunks,
    malformedLines: state.malformedLines,
  };
}
