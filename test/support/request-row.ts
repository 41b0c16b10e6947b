import type { RequestRow } from '../../src/types/run-rows.js';

/**
 * An ok request row for the energy tests: 1000 ms end to end, first token at 100 ms, 100 prompt
 * tokens in 50 ms, 100 output tokens decoded in 800 ms, counted by the server; overrides on top.
 */
export function okRequestRow(overrides: Partial<RequestRow> = {}): RequestRow {
  return {
    concurrency: 1,
    seq: 0,
    taskId: 't',
    repeatIndex: 0,
    state: 'ok',
    startedAt: '2026-11-27T10:00:00.000Z',
    startOffsetMs: 0,
    ttftMs: 100,
    lastTokenMs: 900,
    latencyMs: 1000,
    promptTokens: 100,
    promptEvalMs: 50,
    outputTokens: 100,
    evalMs: 800,
    loadMs: null,
    serverTotalMs: 1000,
    metricsSource: 'server',
    cachedPromptTokens: null,
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
    ...overrides,
  };
}
