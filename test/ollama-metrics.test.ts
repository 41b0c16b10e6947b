import { describe, expect, it } from 'vitest';
import { nsToMs, parseServerMetrics } from '../src/backends/ollama-metrics.js';

describe('nanosecond conversion at the boundary', () => {
  it('converts integer nanoseconds to milliseconds', () => {
    expect(nsToMs(4_232_710_000)).toBe(4232.71);
    expect(nsToMs(1)).toBe(0.000001);
  });

  it('treats missing, zero and non-numeric values as unknown', () => {
    expect(nsToMs(undefined)).toBeNull();
    expect(nsToMs(0)).toBeNull();
    expect(nsToMs('123')).toBeNull();
  });
});

describe('parseServerMetrics', () => {
  it('reads the reference final chunk', () => {
    const final = {
      model: 'llama3.2',
      done: true,
      done_reason: 'stop',
      total_duration: 10_706_818_083,
      load_duration: 6_338_219_291,
      prompt_eval_count: 26,
      prompt_eval_duration: 130_079_000,
      eval_count: 259,
      eval_duration: 4_232_710_000,
    };
    expect(parseServerMetrics(final)).toEqual({
      promptTokens: 26,
      promptEvalMs: 130.079,
      outputTokens: 259,
      evalMs: 4232.71,
      loadMs: 6338.219291,
      totalMs: 10706.818083,
    });
  });

  it('leaves omitted keys unknown, not zero (warm request, empty output)', () => {
    expect(parseServerMetrics({ done: true, total_duration: 5_000_000, prompt_eval_count: 12 })).toEqual({
      promptTokens: 12,
      promptEvalMs: null,
      outputTokens: null,
      evalMs: null,
      loadMs: null,
      totalMs: 5,
    });
  });
});
