import type { RequestRow } from '../types/run-rows.js';

/** Who timed a decode rate: the server (its own decode duration) or costbench's clock (streamed tokens). */
export type DecodeTimedBy = 'server' | 'client';

type RateFields = Pick<RequestRow, 'outputTokens' | 'evalMs' | 'ttftMs' | 'lastTokenMs' | 'evalTokens'>;

/**
 * Server-timed decode speed: the tokens the server's decode duration covers / that duration
 * (Ollama's eval_count / eval_duration, llama.cpp's predicted_n / predicted_ms; the embedded
 * engine's (n - 1) / first-to-last-token time). null when the server reported no duration.
 */
export function serverDecodeTokensPerS(r: RateFields): number | null {
  const tokens = r.evalTokens ?? r.outputTokens;
  return tokens !== null && r.evalMs !== null && r.evalMs > 0 ? (tokens / r.evalMs) * 1000 : null;
}

/**
 * Client-timed decode speed: the tokens after the first / the time between the first and the last
 * streamed token on costbench's clock. It needs no server timings (vLLM, LM Studio report none);
 * it includes network and chunking jitter, and a server that sends several tokens per chunk makes
 * it lumpier, not wrong. null with fewer than two tokens or no time between them.
 */
export function clientDecodeTokensPerS(r: RateFields): number | null {
  if (r.outputTokens === null || r.outputTokens < 2 || r.ttftMs === null || r.lastTokenMs === null)
    return null;
  const spanMs = r.lastTokenMs - r.ttftMs;
  return spanMs > 0 ? ((r.outputTokens - 1) / spanMs) * 1000 : null;
}

/** The decode speed to compare requests by: the server's when it timed one, else the client's. */
export function decodeTokensPerS(r: RateFields): { tokensPerS: number; timedBy: DecodeTimedBy } | null {
  const server = serverDecodeTokensPerS(r);
  if (server !== null) return { tokensPerS: server, timedBy: 'server' };
  const client = clientDecodeTokensPerS(r);
  return client === null ? null : { tokensPerS: client, timedBy: 'client' };
}

/**
 * Prefill speed: the prompt tokens the server evaluated / its prompt duration. Tokens it took from
 * its cache (llama.cpp cache_n, vLLM cached_tokens) cost no prompt time and are left out; where the
 * cached count is unknown (Ollama, which counts cached tokens in prompt_eval_count since v0.30) all
 * prompt tokens count, as the server reports them. null without a duration.
 */
export function prefillTokensPerS(
  r: Pick<RequestRow, 'promptTokens' | 'cachedPromptTokens' | 'promptEvalMs'>,
): number | null {
  if (r.promptTokens === null || r.promptEvalMs === null || r.promptEvalMs <= 0) return null;
  return ((r.promptTokens - (r.cachedPromptTokens ?? 0)) / r.promptEvalMs) * 1000;
}
