import type { ServerMetrics } from './backend.js';

const NS_PER_MS = 1_000_000;

/**
 * Converts an Ollama duration (integer nanoseconds) to milliseconds. Ollama omits zero-valued
 * metrics, so a missing or non-numeric value is unknown: null, never 0.
 */
export function nsToMs(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value / NS_PER_MS : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

/** Reads the metrics of Ollama's final (done:true) chunk. The one place nanoseconds become ms. */
export function parseServerMetrics(final: Record<string, unknown>): ServerMetrics {
  return {
    promptTokens: count(final['prompt_eval_count']),
    promptEvalMs: nsToMs(final['prompt_eval_duration']),
    outputTokens: count(final['eval_count']),
    evalMs: nsToMs(final['eval_duration']),
    loadMs: nsToMs(final['load_duration']),
    totalMs: nsToMs(final['total_duration']),
  };
}

/** Metrics of a request that never reached its final chunk: all unknown. */
export const UNKNOWN_METRICS: ServerMetrics = Object.freeze({
  promptTokens: null,
  promptEvalMs: null,
  outputTokens: null,
  evalMs: null,
  loadMs: null,
  totalMs: null,
});
