/**
 * Open-loop levels on a virtual clock against a backend with a fixed number of slots and a fixed
 * service time (D/D/c): no wall time, and every queueing figure computed by hand.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Backend, ChatResult } from '../src/backends/backend.js';
import { computeSweep } from '../src/analysis/levels.js';
import { executeRun } from '../src/runner/execute.js';
import type { PlannedRequest } from '../src/runner/plan.js';
import type { RateBounds, RateVerdict } from '../src/runner/rate-search.js';
import { runOpenLoop } from '../src/runner/rate-sweep.js';
import { openDb } from '../src/store/db.js';
import { listRequests } from '../src/store/requests.js';
import { insertRun } from '../src/store/runs.js';
import { listPhases } from '../src/store/telemetry.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();
const SLOTS = 2;
const SERVICE_MS = 200; // capacity: 2 / 0.2 s = 10 tasks/s

/** Timers on a virtual clock: `drive` resolves the earliest (then the earliest registered) once all else waits. */
class VirtualClock {
  ms = 0;
  private seq = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => this.timers.push({ at: this.ms + Math.max(0, ms), seq: this.seq++, resolve }));
  async drive<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    void work.finally(() => (settled = true)).catch(() => undefined);
    for (;;) {
      await new Promise((r) => setImmediate(r));
      if (settled) return work;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (next === undefined) throw new Error('nothing left to wait for: deadlock');
      this.ms = Math.max(this.ms, next.at);
      next.resolve();
    }
  }
}

/** A server with SLOTS slots, a FIFO queue and SERVICE_MS per request, on the virtual clock. */
function slotBackend(clock: VirtualClock): Backend {
  let busy = 0;
  const waiting: (() => void)[] = [];
  const answer = (latencyMs: number): ChatResult => ({
    state: 'ok',
    ttftMs: latencyMs - SERVICE_MS + 10,
    lastTokenMs: latencyMs,
    latencyMs,
    metrics: { promptTokens: 10, promptEvalMs: 5, outputTokens: 20, evalMs: 190, loadMs: null, totalMs: 200 },
    metricsSource: 'server',
    cachedPromptTokens: null,
    doneReason: 'stop',
    text: 'ok',
    chunks: 21,
    malformedLines: 0,
  });
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
      const start = clock.ms;
      if (busy >= SLOTS) await new Promise<void>((r) => waiting.push(r));
      else busy += 1;
      await clock.sleep(SERVICE_MS);
      const next = waiting.shift();
      if (next === undefined) busy -= 1;
      else next(); // the slot passes straight to the longest waiter
      return answer(clock.ms - start);
    },
  };
}

const TASKS: PlannedRequest[] = ['a', 'b', 'c'].map((taskId, seq) => ({
  seq,
  taskId,
  repeatIndex: 0,
  messages: [{ role: 'user', content: taskId }],
  options: {},
  format: undefined,
  check: null,
  expected: undefined,
}));

async function openLevel(
  ratePerS: number,
  minDurationMs: number,
  sweep: { bounds: RateBounds; resolution: number } | null = null,
) {
  const db = openDb(join(tempDir(), `r${ratePerS}.db`));
  const runId = insertRun(db, {
    startedAt: '2026-01-01T00:00:00.000Z',
    backend: 'ollama',
    host: 'http://fake',
    model: 'm',
    suiteId: 's',
    suiteVersion: '1',
    repeatCount: 1,
    plannedRequests: 0,
    settings: {},
    costbenchVersion: '0',
    pid: 1,
  });
  const clock = new VirtualClock();
  const plan = { pattern: 'constant' as const, seed: 1, peakToMean: 1, ratePerS, sweep };
  const verdicts: RateVerdict[] = [];
  const result = await clock.drive(
    executeRun({
      db,
      runId,
      backend: slotBackend(clock),
      model: 'm',
      requests: TASKS,
      concurrencyLevels: [],
      warmup: false,
      coldStart: false,
      alreadyLoaded: true,
      keepAlive: '5m',
      timeoutMs: 60_000,
      storeOutputs: false,
      now: () => clock.ms,
      originMs: 0,
      idleBaselineMs: 0,
      cooldownMs: 0,
      retryDelaysMs: [],
      minDurationMs,
      sleep: (ms) => clock.sleep(ms),
      wallClock: () => new Date(Date.parse('2026-01-01T00:00:00.000Z') + clock.ms),
      openLoop: (input, origin, closed, rest) => runOpenLoop(input, origin, plan, closed, rest),
      onEvent: (e) => void (e.kind === 'rate-level-done' && verdicts.push(e.verdict)),
    }),
  );
  const rows = listRequests(db, runId).sort((a, b) => a.startOffsetMs - b.startOffsetMs);
  const phases = listPhases(db, runId);
  db.close();
  return { result, rows, phases, verdicts };
}

describe('open-loop levels against 2 slots of 200 ms (capacity 10 tasks/s), constant arrivals', () => {
  it('below capacity (5/s): no queue, every latency the service time', async () => {
    const { result, rows, phases } = await openLevel(5, 0);
    expect(result.status).toBe('completed');
    // 21 requests (7 passes of 3: at least 20), due every 200 ms: one in service at a time.
    expect(rows.map((r) => r.scheduledOffsetMs)).toEqual(Array.from({ length: 21 }, (_, i) => i * 200));
    expect(rows.map((r) => r.startOffsetMs - (r.scheduledOffsetMs ?? NaN))).toEqual(Array(21).fill(0));
    expect(rows.map((r) => r.latencyMs)).toEqual(Array(21).fill(200));
    expect(phases.find((p) => p.arrivalRatePerS === 5)?.overSaturated).toBeUndefined();
  });

  it('at capacity (10/s): D/D/2 still never queues: each slot frees as the next request arrives', async () => {
    // Request i arrives at 100 i; request i - 2 finishes at 100 (i - 2) + 200 = 100 i.
    const { rows } = await openLevel(10, 0);
    expect(rows).toHaveLength(21);
    expect(rows.map((r) => r.latencyMs)).toEqual(Array(21).fill(200));
  });

  it('above capacity (20/s): the queue grows by one request per 100 ms, and the level stops over-saturated', async () => {
    // 20/s for 3 s: 60 planned, one every 50 ms. FIFO on 2 slots: request i enters service at
    // 100 i - 50 (i odd) (i >= 2), so its latency is 50 i + 200 - 50 (i odd): 200, 200, 300, 300, 400, ...
    // In flight before arrival i (t = 50 i), counted from the first completion (t = 200, i = 4):
    // i - completed, completed = floor((t - 200) / 200) + 1 + floor((t - 250) / 200) + 1.
    // The 20th sample (i = 23, t = 1150): 23 - (5 + 5) = 13; the 10th (i = 13, t = 650): 13 - (3 + 3) = 7;
    // growth 6 >= max(5, 0.2 x 10): over-saturated, so request 23 is not sent: 23 requests.
    const { result, rows, phases } = await openLevel(20, 3000);
    expect(result.status).toBe('completed');
    expect(rows).toHaveLength(23);
    expect(rows.map((r) => r.latencyMs)).toEqual(
      Array.from({ length: 23 }, (_, i) => 50 * i + 200 - (i % 2 === 1 ? 50 : 0)),
    );
    expect(phases.find((p) => p.arrivalRatePerS === 20)?.overSaturated).toBe(true);
  });

  it('the rate sweep within a p95 bound of 200 ms (the service time) finds 10/s, the capacity', async () => {
    // Within 200 ms means no queue at all: D/D/2 holds it up to 10/s exactly; above, request 2 arrives
    // before a slot frees. From 4/s: 4 and 8 hold, 16 and 12 fail, 10 holds, 11 fails (11 - 10 = 1 >
    // 0.05 x 10), 10.5 fails (10.5 - 10 = 0.5 <= 0.5): done, the answer 10/s, the capacity itself.
    const bounds = { latencyMs: 200, ttftMs: null };
    const { verdicts, phases } = await openLevel(4, 0, { bounds, resolution: 0.05 });
    expect(verdicts.map((v) => [v.ratePerS, v.passes])).toEqual([
      [4, true],
      [8, true],
      [16, false],
      [12, false],
      [10, true],
      [11, false],
      [10.5, false],
    ]);
    expect(verdicts.find((v) => v.ratePerS === 10)?.p95LatencyMs).toBe(200);
    expect(phases.filter((p) => p.name === 'measure').map((p) => p.latencyBoundMs)).toEqual(
      Array(7).fill(200),
    );
  });

  describe('above capacity, FIFO on 2 slots: request i waits 2 floor(i / 2) x (100 - g) ms (g = 1000 / rate)', () => {
    // Request i is due at i g; even i enters service at 100 i (its slot frees then), odd i at
    // g + 100 (i - 1): wait w_i = i (100 - g) (even), (i - 1) (100 - g) (odd). 21 requests (7 passes
    // of 3; 18 in-flight counts from the first completion at 200 ms, under 20: never over-saturated).
    // p95 (type 7) of 21 rising waits: position 20 x 0.95 = 19, w_19 = 18 (100 - g). The backend's TTFT
    // is its wait + 10 ms, its latency the wait + 200 ms: p95 TTFT = 10 + 18 (100 - g), p95 latency
    // = 200 + 18 (100 - g).
    // At 11/s: g = 90.909, 18 x 9.0909 = 163.64: latency 363.64 (within 400), TTFT 173.64 (over 60).
    // At 10.5/s: g = 95.238, 18 x 4.7619 = 85.714: latency 285.71 (within 400), TTFT 95.714 (over 60).
    // At 11.5/s: g = 86.957, 18 x 13.043 = 234.78: latency 434.78 (over 400).
    // At 12/s: g = 83.333, 18 x 16.667 = 300: latency 500; at 16/s: g = 62.5: latency 200 + 675 = 875.
    it('the latency bound of 400 ms alone: 4, 8 hold, 16, 12 fail, 10, 11 hold, 11.5 fails: 11/s', async () => {
      // 11.5 - 11 = 0.5 <= 0.05 x 11 = 0.55: done.
      const bounds = { latencyMs: 400, ttftMs: null };
      const { verdicts } = await openLevel(4, 0, { bounds, resolution: 0.05 });
      expect(verdicts.map((v) => [v.ratePerS, v.passes])).toEqual([
        [4, true],
        [8, true],
        [16, false],
        [12, false],
        [10, true],
        [11, true],
        [11.5, false],
      ]);
      expect(verdicts.find((v) => v.ratePerS === 11)?.p95LatencyMs).toBeCloseTo(
        200 + 18 * (100 - 1000 / 11),
        6,
      );
    });

    it('with a TTFT bound of 60 ms too: 11/s holds the latency bound but not the TTFT one, so 10/s', async () => {
      // 4, 8 hold (no wait: TTFT 10), 16, 12 fail, 10 holds (TTFT 10), 11 fails (TTFT 173.64 > 60),
      // 10.5 fails (TTFT 95.714 > 60): 10.5 - 10 = 0.5 <= 0.05 x 10: done, the answer 10/s.
      const bounds = { latencyMs: 400, ttftMs: 60 };
      const { verdicts, phases } = await openLevel(4, 0, { bounds, resolution: 0.05 });
      expect(verdicts.map((v) => [v.ratePerS, v.passes])).toEqual([
        [4, true],
        [8, true],
        [16, false],
        [12, false],
        [10, true],
        [11, false],
        [10.5, false],
      ]);
      const at11 = verdicts.find((v) => v.ratePerS === 11);
      expect(at11?.p95LatencyMs, 'within the latency bound').toBeCloseTo(363.636364, 5);
      expect(at11?.p95TtftMs, 'over the TTFT bound').toBeCloseTo(173.636364, 5);
      expect(verdicts.find((v) => v.ratePerS === 10.5)?.p95TtftMs).toBeCloseTo(
        10 + 18 * (100 - 1000 / 10.5),
        6,
      );
      expect(verdicts.find((v) => v.ratePerS === 10)?.p95TtftMs).toBe(10);
      const measured = phases.filter((p) => p.name === 'measure');
      expect(measured.map((p) => [p.latencyBoundMs, p.ttftBoundMs])).toEqual(Array(7).fill([400, 60]));
    });

    it('the TTFT bound of 60 ms alone gives the same 10/s, and no latency bound is stored', async () => {
      const bounds = { latencyMs: null, ttftMs: 60 };
      const { verdicts, phases, rows } = await openLevel(4, 0, { bounds, resolution: 0.05 });
      expect(verdicts.map((v) => v.ratePerS)).toEqual([4, 8, 16, 12, 10, 11, 10.5]);
      expect(Math.max(...verdicts.filter((v) => v.passes).map((v) => v.ratePerS))).toBe(10);
      const measured = phases.filter((p) => p.name === 'measure');
      expect(measured.map((p) => [p.latencyBoundMs, p.ttftBoundMs])).toEqual(Array(7).fill([undefined, 60]));
      // The analysis judges the stored levels the same way: the capacity within the TTFT bound is 10/s.
      const sweep = computeSweep(rows, phases, null);
      expect(sweep?.rateCapacity).toEqual({
        ratePerS: 10,
        p95LatencyMs: 200,
        p95TtftMs: 10,
        latencyBoundMs: null,
        ttftBoundMs: 60,
        lowestFailingRatePerS: 10.5,
      });
    });
  });
});
