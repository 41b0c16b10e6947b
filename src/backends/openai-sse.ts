/**
 * Pure parsing for OpenAI-compatible streaming: Server-Sent Events framing, then the JSON of
 * each `chat.completion.chunk`, then the end-of-stream metrics. Nothing here does I/O or reads
 * a clock, so every rule is testable with strings.
 */
import type { MetricsSource, ServerMetrics } from './backend.js';
import { SseFramer } from './sse-reader.js';

/** One SSE event's data: the `[DONE]` sentinel, a JSON object, or text that is not one. */
export type SseData =
  { kind: 'done' } | { kind: 'json'; value: Record<string, unknown> } | { kind: 'malformed'; raw: string };

/**
 * Incremental SSE decoder over {@link SseFramer}: feed text as it arrives, get back the data of
 * each complete event, classified. The framing rules are the framer's.
 */
export class SseDecoder {
  private out: SseData[] = [];
  private readonly framer = new SseFramer((data) => {
    this.out.push(parseSseData(data));
    return false;
  });

  /** Adds text; returns the data of every event completed by it. */
  push(text: string): SseData[] {
    this.framer.push(text);
    return this.take();
  }

  end(): SseData[] {
    this.framer.end();
    return this.take();
  }

  private take(): SseData[] {
    const out = this.out;
    this.out = [];
    return out;
  }
}

/** What {@link classifySseData} returns for the `[DONE]` sentinel. */
export const SSE_DONE = 'done';

/**
 * One event's data, without building a record for it: SSE_DONE for `[DONE]` (blanks around it
 * allowed), the JSON object, or null for text that is not a JSON object.
 */
export function classifySseData(raw: string): Record<string, unknown> | typeof SSE_DONE | null {
  // A '{' first cannot be [DONE]: the common case skips the trim.
  if (raw.charCodeAt(0) !== 123 && raw.trim() === '[DONE]') return SSE_DONE;
  try {
    const value: unknown = JSON.parse(raw);
    if (isRecord(value)) return value;
  } catch {
    // falls through: counted as malformed by the caller
  }
  return null;
}

/** Classifies one event's data. */
export function parseSseData(raw: string): SseData {
  const value = classifySseData(raw);
  if (value === SSE_DONE) return { kind: 'done' };
  return value === null ? { kind: 'malformed', raw } : { kind: 'json', value };
}

/** An error object as OpenAI-compatible servers send it. */
export interface OpenAiErrorBody {
  message: string;
  type: string | null;
  code: string | number | null;
}

/** llama.cpp's per-request timings (milliseconds; prompt_n excludes cached tokens). */
export interface LlamaCppTimings {
  promptN: number | null;
  promptMs: number | null;
  predictedN: number | null;
  predictedMs: number | null;
  cacheN: number | null;
}

export interface Usage {
  promptTokens: number | null;
  completionTokens: number | null;
  /** vLLM (and OpenAI): prompt_tokens_details.cached_tokens. */
  cachedTokens: number | null;
  /** OpenAI (o-series, reasoning models): completion_tokens_details.reasoning_tokens, part of completionTokens. */
  reasoningTokens?: number | null;
}

/** What one chunk carries that costbench uses. */
export interface ParsedChunk {
  content: string;
  reasoning: string;
  finishReason: string | null;
  usage: Usage | null;
  timings: LlamaCppTimings | null;
  error: OpenAiErrorBody | null;
  systemFingerprint: string | null;
}

/** Reads a chunk (or a non-streaming completion: `message` stands in for `delta`). */
export function parseChunk(value: Record<string, unknown>): ParsedChunk {
  const choice = firstChoice(value);
  const delta = choiceDelta(choice);
  return {
    content: deltaContent(delta),
    reasoning: deltaReasoning(delta),
    finishReason: choice === null ? null : stringOr(choice['finish_reason'], null),
    usage: parseUsage(value['usage']),
    timings: parseTimings(value['timings']),
    error: parseErrorObject(value),
    systemFingerprint: stringOr(value['system_fingerprint'], null),
  };
}

/** A chunk's first choice, when it is an object. */
export function firstChoice(value: Record<string, unknown>): Record<string, unknown> | null {
  const choices = value['choices'];
  const first: unknown = Array.isArray(choices) ? choices[0] : undefined;
  return isRecord(first) ? first : null;
}

/** A choice's `delta` (a streamed chunk) or `message` (a whole completion), when it is an object. */
export function choiceDelta(choice: Record<string, unknown> | null): Record<string, unknown> | null {
  if (choice === null) return null;
  const delta = choice['delta'] ?? choice['message'];
  return isRecord(delta) ? delta : null;
}

/** The answer text a delta carries ('' for none). */
export function deltaContent(delta: Record<string, unknown> | null): string {
  return delta === null ? '' : stringOr(delta['content'], '');
}

/** The reasoning a delta carries: `reasoning_content` (llama.cpp, DeepSeek), else `reasoning` (vLLM); '' for none. */
export function deltaReasoning(delta: Record<string, unknown> | null): string {
  return delta === null ? '' : stringOr(delta['reasoning_content'], stringOr(delta['reasoning'], ''));
}

/** `{"error": {...}}`, `{"error": "text"}` or vLLM's flat `{"object": "error", "message": ...}`. */
export function parseErrorObject(value: Record<string, unknown>): OpenAiErrorBody | null {
  const inner = value['error'];
  if (typeof inner === 'string') return { message: inner, type: null, code: null };
  const source = isRecord(inner) ? inner : value['object'] === 'error' ? value : null;
  if (source === null) return null;
  const code = source['code'];
  return {
    message: stringOr(source['message'], 'unknown error'),
    type: stringOr(source['type'], null),
    code: typeof code === 'string' || typeof code === 'number' ? code : null,
  };
}

/**
 * The usage object. Every count is checked, because it is billed: anything but a whole number
 * from 0 to 2^53 - 1 (a string, null, negative, NaN, fractional or huge value) is unknown (null),
 * never a crash and never a negative cost. A cached or reasoning count above its total is unknown too.
 */
export function parseUsage(value: unknown): Usage | null {
  if (!isRecord(value)) return null;
  const prompt = value['prompt_tokens_details'];
  const completion = value['completion_tokens_details'];
  const promptTokens = tokenCount(value['prompt_tokens']);
  const completionTokens = tokenCount(value['completion_tokens']);
  const cached = isRecord(prompt) ? tokenCount(prompt['cached_tokens']) : null;
  const reasoning = isRecord(completion) ? tokenCount(completion['reasoning_tokens']) : null;
  return {
    promptTokens,
    completionTokens,
    cachedTokens: partOf(cached, promptTokens),
    reasoningTokens: partOf(reasoning, completionTokens),
  };
}

/** A token count as billed: a whole number in 0..2^53-1, else null. */
export function tokenCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : null;
}

/** A part of a total (cached of prompt, reasoning of completion): null when it exceeds a known total. */
function partOf(part: number | null, total: number | null): number | null {
  return part !== null && total !== null && part > total ? null : part;
}

/** llama.cpp's `timings` object; null when it is not an object. */
export function parseTimings(value: unknown): LlamaCppTimings | null {
  if (!isRecord(value)) return null;
  return {
    promptN: numberOrNull(value['prompt_n']),
    promptMs: numberOrNull(value['prompt_ms']),
    predictedN: numberOrNull(value['predicted_n']),
    predictedMs: numberOrNull(value['predicted_ms']),
    cacheN: numberOrNull(value['cache_n']),
  };
}

/** The end-of-stream facts the metrics are built from. */
export interface StreamTotals {
  usage: Usage | null;
  timings: LlamaCppTimings | null;
  /** Chunks that carried answer text (or reasoning). */
  contentChunks: number;
}

/**
 * Builds ServerMetrics. promptTokens is always every prompt token, cached ones included (what an
 * API bills); {@link computeCachedPromptTokens} gives the cached part, and the prefill rate is
 * taken over the difference. llama.cpp timings win: prompt_n (evaluated in prompt_ms) + cache_n;
 * without cache_n (older builds), usage.prompt_tokens when sent, else prompt_n alone. Without
 * timings, usage counts (prompt_tokens includes cached ones). Without either (LM Studio),
 * outputTokens is the number of content chunks: one token per chunk, an estimate.
 */
export function computeMetrics(totals: StreamTotals): { metrics: ServerMetrics; source: MetricsSource } {
  const { usage, timings } = totals;
  const base: ServerMetrics = {
    promptTokens: null,
    promptEvalMs: null,
    outputTokens: null,
    evalMs: null,
    loadMs: null,
    totalMs: null,
  };
  if (timings !== null && (timings.predictedN !== null || timings.promptN !== null)) {
    const allPrompt =
      timings.promptN !== null && timings.cacheN !== null ? timings.promptN + timings.cacheN : null;
    return {
      source: 'server',
      metrics: {
        ...base,
        promptTokens: allPrompt ?? usage?.promptTokens ?? timings.promptN,
        promptEvalMs: timings.promptMs,
        outputTokens: timings.predictedN ?? usage?.completionTokens ?? null,
        evalMs: timings.predictedMs,
      },
    };
  }
  if (usage !== null) {
    return {
      source: 'usage',
      metrics: { ...base, promptTokens: usage.promptTokens, outputTokens: usage.completionTokens },
    };
  }
  return { source: 'chunks', metrics: { ...base, outputTokens: totals.contentChunks } };
}

/** Prompt tokens the server took from its cache: llama.cpp cache_n, else usage's cached_tokens; null: neither says. */
export function computeCachedPromptTokens(totals: StreamTotals): number | null {
  return totals.timings?.cacheN ?? totals.usage?.cachedTokens ?? null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOr<T extends string | null>(value: unknown, fallback: T): string | T {
  return typeof value === 'string' ? value : fallback;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
