import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend, ChatResult } from '../src/backends/backend.js';
import { executeRun } from '../src/runner/execute.js';
import type { PlannedRequest } from '../src/runner/plan.js';
import { openDb } from '../src/store/db.js';
import { listRequests } from '../src/store/requests.js';
import { insertRun } from '../src/store/runs.js';
import { listPhases } from '../src/store/telemetry.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();

const PLANNED: PlannedRequest = {
  seq: 0,
  taskId: 'a',
  repeatIndex: 0,
  messages: [{ role: 'user', content: 'hi' }],
  options: {},
  format: undefined,
  check: null,
  expected: undefined,
};

const METRICS = {
  promptTokens: 10,
  promptEvalMs: 5,
  outputTokens: 40,
  evalMs: 400,
  loadMs: null,
  totalMs: 420,
};

function busy(latencyMs: number): ChatResult {
  return {
    state: 'errored',
    error: 'HTTP 503: server busy',
    status: 503,
    errorKind: 'http',
    ttftMs: null,
    lastTokenMs: null,
    latencyMs,
    metrics: {
      ...METRICS,
      promptTokens: null,
      promptEvalMs: null,
      outputTokens: null,
      evalMs: null,
      totalMs: null,
    },
    metricsSource: null,
    cachedPromptTokens: null,
    doneReason: null,
    text: '',
    chunks: 0,
    malformedLines: 0,
  };
}

function answered(latencyMs: number): ChatResult {
  return {
    state: 'ok',
    ttftMs: 30,
    lastTokenMs: latencyMs - 5,
    latencyMs,
    metrics: METRICS,
    metricsSource: 'server',
    cachedPromptTokens: null,
    doneReason: 'stop',
    text: 'fine',
    chunks: 41,
    malformedLines: 0,
  };
}

/** A backend that plays scripted results, each taking its latency on the shared fake clock. */
function scriptedBackend(clock: { ms: number }, script: ChatResult[]): Backend {
  return {
    kind: 'ollama',
    host: 'http://fake',
    version: async () => '0',
    listModels: async () => [],
    loadedModels: async () => [],
    showModel: async () => {
      throw new Error('unused');
    },
    serverFacts: async () => {
      throw new Error('unused');
    },
    warmUp: async () => ({ state: 'ok', latencyMs: 0, loadMs: null, doneReason: 'load', error: null }),
    unload: async () => true,
    chat: async () => {
      const next = script.shift();
      if (next === undefined) throw new Error('script exhausted');
      clock.ms += next.latencyMs;
      return next;
    },
  };
}

async function runScripted(script: ChatResult[], retryDelaysMs: number[]) {
  const db = openDb(join(tempDir(), 'r.db'));
  const runId = insertRun(db, {
    startedAt: '2026-01-01T00:00:00.000Z',
    backend: 'ollama',
    host: 'http://fake',
    model: 'm',
    suiteId: 's',
    suiteVersion: '1',
    repeatCount: 1,
    plannedRequests: 1,
    settings: {},
    costbenchVersion: '0',
    pid: 1,
  });
  // Run time zero at 10 000 ms on the monotonic clock; wall clock 2026-01-01T00:00:00Z at the same instant.
  const clock = { ms: 10_000 };
  const result = await executeRun({
    db,
    runId,
    backend: scriptedBackend(clock, script),
    model: 'm',
    requests: [PLANNED],
    concurrencyLevels: [1],
    warmup: false,
    coldStart: false,
    alreadyLoaded: true,
    keepAlive: '5m',
    timeoutMs: 60_000,
    storeOutputs: false,
    now: () => clock.ms,
    originMs: 10_000,
    idleBaselineMs: 0,
    cooldownMs: 0,
    retryDelaysMs,
    minDurationMs: 0,
    sleep: async (ms) => void (clock.ms += ms),
    wallClock: () => new Date(Date.parse('2026-01-01T00:00:00.000Z') + clock.ms - 10_000),
  });
  const rows = listRequests(db, runId);
  const phases = listPhases(db, runId);
  db.close();
  return { result, rows, phases };
}

describe('a request that needed retries', () => {
  it("stores the window of the attempt that produced its row, not the first attempt's start", async () => {
    // Attempt 1: 503 after 50 ms (t 0-50); wait 1000 ms (t 50-1050); attempt 2 answers in 400 ms (t 1050-1450).
    const { result, rows, phases } = await runScripted([busy(50), answered(400)], [1000]);
    expect(result.status).toBe('completed');
    const [row] = rows;
    expect(row?.startOffsetMs, 'the answering attempt started at 50 + 1000 ms').toBe(1050);
    expect(row?.latencyMs).toBe(400);
    expect(row?.startedAt).toBe('2026-01-01T00:00:01.050Z');
    // The level's measured time still covers the whole request, retries and waits included.
    expect(phases).toEqual([{ name: 'measure', concurrency: 1, startMs: 0, endMs: 1450 }]);
  });

  it("a request that failed after its retries: its last attempt's window, and how many retries it took", async () => {
    // 503 at t 0-50, wait 100, 503 at t 150-230, wait 200, 503 at t 430-450: no retry left.
    const { rows } = await runScripted([busy(50), busy(80), busy(20)], [100, 200]);
    const [row] = rows;
    expect(row?.state).toBe('errored');
    expect(row?.startOffsetMs, '50 + 100 + 80 + 200').toBe(430);
    expect(row?.latencyMs).toBe(20);
    expect(row?.error).toBe('HTTP 503: server busy (after 2 retries)');
  });
});
