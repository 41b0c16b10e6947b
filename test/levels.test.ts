import { describe, expect, it } from 'vitest';
import { computeSlowdown, computeSweep } from '../src/analysis/levels.js';
import type { RequestRow } from '../src/store/requests.js';
import type { Phase } from '../src/store/telemetry.js';

function row(concurrency: number, seq: number, over: Partial<RequestRow> = {}): RequestRow {
  return {
    concurrency,
    seq,
    taskId: `t${seq}`,
    repeatIndex: 0,
    state: 'ok',
    startedAt: '',
    startOffsetMs: seq * 100,
    ttftMs: 50,
    latencyMs: 1000,
    promptTokens: 10,
    promptEvalMs: 5,
    outputTokens: 100,
    evalMs: 1000,
    loadMs: null,
    serverTotalMs: 1000,
    doneReason: 'stop',
    chunks: 101,
    malformedLines: 0,
    outputText: null,
    error: null,
    score: null,
    correct: null,
    scoreDetail: null,
    agreement: null,
    agreementMethod: null,
    lastTokenMs: null,
    metricsSource: 'server',
    cachedPromptTokens: null,
    ...over,
  };
}

const phase = (concurrency: number, startMs: number, endMs: number): Phase => ({
  name: 'measure',
  concurrency,
  startMs,
  endMs,
});

describe('computeSweep', () => {
  // 10 tasks per level; levels take 10 s, 5 s, 3 s and 2.9 s.
  const rows = [1, 2, 4, 8].flatMap((c) =>
    Array.from({ length: 10 }, (_, i) => row(c, i, c === 8 ? { loadMs: 400 } : {})),
  );
  const phases = [
    phase(1, 0, 10_000),
    phase(2, 10_000, 15_000),
    phase(4, 15_000, 18_000),
    phase(8, 18_000, 20_900),
  ];
  const sweep = computeSweep(rows, phases, null);

  it('gives throughput and gain per level', () => {
    const expected = [
      [1, 1, 100],
      [2, 2, 200],
      [4, 10 / 3, 1000 / 3],
      [8, 10 / 2.9, 1000 / 2.9],
    ];
    sweep?.levels.forEach((l, i) => {
      expect(l.concurrency).toBe(expected[i]?.[0]);
      expect(l.tasksPerS, `tasks/s at ${l.concurrency}`).toBeCloseTo(expected[i]?.[1] ?? 0, 12);
      expect(l.outputTokensPerS, `tok/s at ${l.concurrency}`).toBeCloseTo(expected[i]?.[2] ?? 0, 10);
    });
    expect(sweep?.levels[1]?.gain).toBeCloseTo(1, 12);
    expect(sweep?.levels[3]?.gain).toBeCloseTo(3 / 2.9 - 1, 12);
  });

  it('marks the level that gains under 5% as saturated, and picks the lowest level within 5% of the top', () => {
    expect(sweep?.levels.map((l) => l.saturated)).toEqual([false, false, false, true]);
    expect(sweep?.saturatedAt).toBe(8);
    expect(sweep?.best, '3.33 tasks/s is within 5% of 3.45').toBe(4);
  });

  it('flags queueing when requests wait in the server queue', () => {
    expect(sweep?.flags).toEqual([
      "concurrency 8: requests waited in Ollama's queue (median 400 ms load/queue time): OLLAMA_NUM_PARALLEL is probably below 8, so they queued instead of running together",
    ]);
  });
});

describe('queueing on servers that report no queue time', () => {
  it("flags a level whose median TTFT is over half a one-at-a-time request's latency", () => {
    // level 1: TTFT 50 ms, latency 1000 ms; level 2 runs together (TTFT 60); level 4 waits (TTFT 900 ms)
    const ttft: Record<number, number> = { 1: 50, 2: 60, 4: 900 };
    const rows = [1, 2, 4].flatMap((c) =>
      Array.from({ length: 6 }, (_, i) => row(c, i, { loadMs: null, ttftMs: ttft[c] ?? 0 })),
    );
    const sweep = computeSweep(rows, [phase(1, 0, 6000), phase(2, 6000, 9000), phase(4, 9000, 12_000)], null);
    expect(sweep?.flags).toEqual([
      "concurrency 4: median TTFT 900 ms is over half of a one-at-a-time request's latency (1000 ms): requests probably waited for one another — " +
        "fewer server slots than 4 (llama-server -np, LM Studio's parallel requests) or prompt processing saturated",
    ]);
    // The embedded engine has no server slots: its sequences share one batch and the threads.
    const embedded = computeSweep(
      rows,
      [phase(1, 0, 6000), phase(2, 6000, 9000), phase(4, 9000, 12_000)],
      null,
      'llama-cpp',
    );
    expect(embedded?.flags).toEqual([
      "concurrency 4: median TTFT 900 ms is over half of a one-at-a-time request's latency (1000 ms): requests probably waited for one another — " +
        'the embedded engine decodes its 4 sequences in one batch on the same threads, so prompt processing or the threads saturated',
    ]);
  });
});

describe('computeSlowdown (drift)', () => {
  it('compares the first and last third of decode rates in the order requests ran', () => {
    const rates = [100, 100, 100, 95, 95, 95, 90, 90, 90];
    const rows = rates.map((r, i) => row(1, i, { outputTokens: r, evalMs: 1000 }));
    expect(computeSlowdown(rows)).toBeCloseTo(0.1, 12);
    expect(computeSlowdown(rows.slice(0, 5)), 'too few requests to say').toBeNull();
  });
});
