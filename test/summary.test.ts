import { describe, expect, it } from 'vitest';
import { formatRunTable } from '../src/report/format-table.js';
import { computeRunSummary } from '../src/analysis/summary.js';
import type { RequestRow } from '../src/store/requests.js';
import type { RunRow } from '../src/store/runs.js';

const RUN: RunRow = {
  id: 7,
  status: 'completed',
  startedAt: '2026-11-27T10:00:00.000Z',
  finishedAt: '2026-11-27T10:00:10.000Z',
  backend: 'ollama',
  host: 'http://127.0.0.1:11434',
  model: 'llama3.2:latest',
  suiteId: 'triage-basic',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 5,
  settings: {},
  costbenchVersion: '0.1.0',
  error: null,
  warnings: [],
};

function row(seq: number, over: Partial<RequestRow>): RequestRow {
  return {
    concurrency: 1,
    seq,
    taskId: `t${seq}`,
    repeatIndex: 0,
    state: 'ok',
    startedAt: RUN.startedAt,
    startOffsetMs: seq * 1000,
    ttftMs: 100,
    latencyMs: 1000,
    promptTokens: 100,
    promptEvalMs: 50,
    outputTokens: 50,
    evalMs: 1000,
    loadMs: null,
    serverTotalMs: 1000,
    doneReason: 'stop',
    chunks: 51,
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

const ROWS = [
  row(0, { ttftMs: 100, latencyMs: 1000, outputTokens: 50, evalMs: 1000 }), // 50 tok/s
  row(1, { ttftMs: 120, latencyMs: 1500, outputTokens: 60, evalMs: 1500, promptEvalMs: 25 }), // 40 tok/s, prompt 4000 tok/s
  row(2, { ttftMs: 80, latencyMs: 500, outputTokens: 30, evalMs: 500, doneReason: 'length', loadMs: 2500 }), // 60 tok/s, reloaded
  row(3, {
    ttftMs: null,
    latencyMs: 300,
    promptTokens: null,
    outputTokens: null,
    evalMs: null,
    promptEvalMs: null,
  }), // counts unknown
  row(4, {
    state: 'errored',
    ttftMs: null,
    latencyMs: 20,
    error: 'HTTP 500: boom',
    outputTokens: null,
    evalMs: null,
  }),
];

describe('computeRunSummary', () => {
  const s = computeRunSummary(
    RUN,
    ROWS,
    {
      state: 'ok',
      alreadyLoaded: false,
      startOffsetMs: 0,
      latencyMs: 1800,
      loadMs: 1700.5,
      doneReason: 'load',
      error: null,
    },
    null,
    null,
  );

  it('counts requests by state', () => {
    expect(s.requests).toEqual({
      planned: 5,
      ok: 4,
      errored: 1,
      aborted: 0,
      notRun: 0,
      truncated: 1,
      malformedLines: 0,
    });
  });

  it('computes client and server distributions over ok requests only', () => {
    const t2 = 4.302653; // t(0.975, df 2)
    expect(s.ttftMs, 'ttft').toMatchObject({
      count: 3,
      min: 80,
      median: 100,
      p95: 118,
      max: 120,
      mean: 100,
      stdDev: 20,
      cv: 0.2,
      outliers: [],
    });
    expect(s.ttftMs?.ci95?.low, 'ttft ci95 low').toBeCloseTo(100 - (t2 * 20) / Math.sqrt(3), 4);
    expect(s.latencyMs?.median, 'latency median').toBe(750);
    expect(s.generationTokensPerS, 'gen tok/s').toMatchObject({
      count: 3,
      min: 40,
      median: 50,
      p95: 59,
      max: 60,
      mean: 50,
      stdDev: 10,
      cv: 0.2,
    });
    expect(s.promptTokensPerS?.max, 'prompt tok/s').toBe(4000);
    expect(s.generationTokensPerSOverall, 'overall = 140 tokens / 3 s').toBeCloseTo(46.666666666666664, 12);
  });

  it('sums tokens, keeps the cold load apart and flags a reload', () => {
    expect(s.tokens).toEqual({
      prompt: 300,
      output: 140,
      requestsWithoutCounts: 1,
      promptPerRequest: 100,
      outputPerRequest: 140 / 3,
      sources: { server: 4, usage: 0, chunks: 0, unknown: 0 },
      cachedPrompt: null,
      cachedPromptPerRequest: null,
      cachedShare: null,
    });
    expect(s.warmup).toEqual({ state: 'ok', alreadyLoaded: false, latencyMs: 1800, serverLoadMs: 1700.5 });
    expect(s.reloadsDuringRun).toBe(1);
    expect(s.failures).toEqual([
      { seq: 4, taskId: 't4', repeatIndex: 0, state: 'errored', error: 'HTTP 500: boom' },
    ]);
  });

  it('formats every figure into the table', () => {
    const table = formatRunTable(s);
    expect(table).toContain('Run 7 · completed · started 2026-11-27T10:00:00.000Z (10.0 s)');
    expect(table).toContain('1800.0 ms client round trip, server load 1700.5 ms');
    expect(table).toMatch(/Generation tok\/s \(server\)\s+50\.0\s+59\.0\s+40\.0\s+60\.0\s+3/);
    expect(table).toMatch(/TTFT, ms \(client\)\s+100\.0\s+118\.0\s+80\.0\s+120\.0\s+3/);
    expect(table).toContain('Generation overall: 46.67 tok/s');
    expect(table).toContain('Tokens: 300 prompt, 140 output');
    expect(table).toContain('1 answers stopped at the output limit');
    expect(table).toContain('#4 t4 (repeat 1): errored: HTTP 500: boom');
  });
});
