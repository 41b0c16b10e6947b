import { describe, expect, it } from 'vitest';
import { computeSweep } from '../src/analysis/levels.js';
import { chooseLevel, type WorkLevel } from '../src/cost/level-choice.js';
import { OPEN_LOOP_MAX_IN_FLIGHT } from '../src/types/level.js';
import type { Phase } from '../src/types/telemetry-rows.js';
import { okRequestRow } from './support/request-row.js';

const CAP = OPEN_LOOP_MAX_IN_FLIGHT;

/** An open-loop row at `rate`: due at `dueMs`, started `lagMs` later, `latencyMs` long. */
const openRow = (seq: number, rate: number, dueMs: number, lagMs: number, latencyMs: number) =>
  okRequestRow({
    concurrency: CAP,
    seq,
    repeatIndex: seq,
    arrivalRatePerS: rate,
    scheduledOffsetMs: dueMs,
    startOffsetMs: dueMs + lagMs,
    latencyMs,
  });

describe('open-loop levels in the sweep summary', () => {
  // Closed loop: 2 requests of 1000 ms in a 2000 ms phase (1 task/s). Open loop at 2/s: 4 requests
  // due every 500 ms from 3000 ms, started 0, 2, 4, 6 ms late, 400..700 ms long, bound 650 ms.
  const rows = [
    okRequestRow({ seq: 0 }),
    okRequestRow({ seq: 1, repeatIndex: 1, startOffsetMs: 1000 }),
    ...[0, 1, 2, 3].map((i) => openRow(i, 2, 3000 + 500 * i, 2 * i, 400 + 100 * i)),
  ];
  const phases: Phase[] = [
    { name: 'measure', concurrency: 1, startMs: 0, endMs: 2000 },
    {
      name: 'measure',
      concurrency: CAP,
      startMs: 3000,
      endMs: 5200,
      arrivalRatePerS: 2,
      latencyBoundMs: 650,
    },
  ];
  const sweep = computeSweep(rows, phases, null);

  it('keeps the closed-loop best and gain apart from the open-loop level', () => {
    expect(sweep?.best).toBe(1);
    expect(sweep?.levels.map((l) => [l.concurrency, l.arrivalRatePerS, l.gain])).toEqual([
      [1, undefined, null],
      [CAP, 2, null],
    ]);
    expect(sweep?.levels[0]?.openLoop, 'a closed-loop level has no open-loop figures').toBeUndefined();
  });

  it('gives offered and achieved rate, the client queue wait, and the bound held or not', () => {
    const o = sweep?.levels[1]?.openLoop;
    expect(o?.offeredRatePerS).toBe(2);
    // Starts at 3000, 3502, 4004, 4506: 3 gaps over 1506 ms = 1.99203... starts/s.
    expect(o?.achievedRatePerS).toBeCloseTo(3000 / 1506, 12);
    // Lags 0, 2, 4, 6: median 3, count 4.
    expect(o?.clientQueueWaitMs?.median).toBe(3);
    expect(o?.clientQueueWaitMs?.max).toBe(6);
    // p95 of 400, 500, 600, 700 (type 7): 3 x 0.95 = 2.85 -> 600 + 0.85 x 100 = 685 > 650: exceeded.
    expect(sweep?.levels[1]?.latencyMs?.p95).toBeCloseTo(685, 9);
    expect(o?.withinBound).toBe(false);
    expect(sweep?.rateCapacity).toBeNull();
  });

  it('names the highest offered rate that held the bound as the capacity', () => {
    const held = computeSweep(
      rows,
      phases.map((p) => (p.arrivalRatePerS === undefined ? p : { ...p, latencyBoundMs: 700 })),
      null,
    );
    expect(held?.rateCapacity).toEqual({
      ratePerS: 2,
      p95LatencyMs: held?.levels[1]?.latencyMs?.p95,
      // Every row's TTFT is okRequestRow's 100 ms.
      p95TtftMs: 100,
      latencyBoundMs: 700,
      ttftBoundMs: null,
      lowestFailingRatePerS: null,
    });
  });

  it('holds a TTFT bound when the p95 TTFT of the ok requests is within it, with or without a latency bound', () => {
    // TTFTs 50, 150, 250, 350 (one per row): p95 (type 7) 3 x 0.95 = 2.85 -> 250 + 0.85 x 100 = 335.
    const ttftRows = rows.map((r, i) =>
      r.arrivalRatePerS === undefined ? r : { ...r, ttftMs: 50 + 100 * (i - 2) },
    );
    const withBounds = (latencyBoundMs: number | undefined, ttftBoundMs: number) =>
      computeSweep(
        ttftRows,
        phases.map((p) => {
          if (p.arrivalRatePerS === undefined) return p;
          const open: Phase = { ...p, ttftBoundMs };
          delete open.latencyBoundMs;
          return latencyBoundMs === undefined ? open : { ...open, latencyBoundMs };
        }),
        null,
      );
    const ttftOnly = withBounds(undefined, 335);
    expect(ttftOnly?.levels[1]?.ttftMs?.p95).toBeCloseTo(335, 9);
    expect(ttftOnly?.levels[1]?.openLoop?.withinBound).toBe(true);
    expect(ttftOnly?.rateCapacity).toMatchObject({ ratePerS: 2, latencyBoundMs: null, ttftBoundMs: 335 });
    expect(withBounds(undefined, 334)?.levels[1]?.openLoop?.withinBound, '335 > 334').toBe(false);
    // Latency p95 685 within 700, TTFT p95 335 over 300: not held.
    expect(withBounds(700, 300)?.levels[1]?.openLoop?.withinBound).toBe(false);
    expect(withBounds(700, 300)?.rateCapacity).toBeNull();
    expect(withBounds(700, 400)?.rateCapacity).toMatchObject({ latencyBoundMs: 700, ttftBoundMs: 400 });
  });
});

describe('the level the cost uses', () => {
  const work = (over: Partial<WorkLevel>): WorkLevel => ({
    concurrency: 1,
    okTasks: 10,
    measureMs: 5000,
    p95LatencyMs: 800,
    totalJPerTask: null,
    marginalJPerTask: null,
    energyCoverage: null,
    ...over,
  });
  // Closed loop: 10 tasks in 5 s = 2 tasks/s at concurrency 1, 16 in 4 s = 4 tasks/s at 4.
  const closed = [work({}), work({ concurrency: 4, okTasks: 16, measureMs: 4000, p95LatencyMs: 1900 })];
  const open = (rate: number, held: boolean | null, p95: number): WorkLevel =>
    work({ concurrency: CAP, arrivalRatePerS: rate, heldRateBound: held, p95LatencyMs: p95, okTasks: 20 });

  it('is the highest offered rate that held the sweep bound: capacity within the latency bound', () => {
    const levels = [...closed, open(3, true, 900), open(3.5, true, 1400), open(4, false, 2600)];
    const chosen = chooseLevel(levels, null);
    expect(chosen?.level.arrivalRatePerS).toBe(3.5);
    expect(chosen?.tasksPerS).toBe(3.5);
    // The closed-loop figure beside it: without a bound, the most tasks/s: 4 at concurrency 4.
    expect(chosen?.closedLoop).toEqual({ tasksPerS: 4, label: 'concurrency 4' });
    expect(chosen?.why).toBe(
      'capacity within the latency bound: 3.5 tasks/s offered at p95 1400 ms, the highest rate that held it; closed loop: 4.00 tasks/s at concurrency 4',
    );
  });

  it('names the bounds the rate held: the TTFT bound, or the latency and TTFT bounds', () => {
    const ttft = (latencyMs: number | null) =>
      ({ ...open(3.5, true, 1400), rateBoundsMs: { latencyMs, ttftMs: 300 } }) as WorkLevel;
    expect(chooseLevel([ttft(null)], null)?.why).toBe(
      'capacity within the TTFT bound: 3.5 tasks/s offered at p95 1400 ms, the highest rate that held it',
    );
    expect(chooseLevel([ttft(2000)], null)?.why).toBe(
      'capacity within the latency and TTFT bounds: 3.5 tasks/s offered at p95 1400 ms, the highest rate that held them',
    );
    // The cost's own latency bound (1500 ms, met by 1400) counts as a latency bound too.
    expect(chooseLevel([ttft(null)], 1500)?.why).toMatch(/^capacity within the latency and TTFT bounds: /);
  });

  it("also meets the cost's own bound when one is set; a rate without a sweep bound counts only then", () => {
    const levels = [...closed, open(3, true, 900), open(3.5, true, 1400), open(5, null, 1000)];
    // Bound 1000 ms: 3.5/s (p95 1400) fails it; 5/s had no sweep bound but meets 1000: chosen.
    expect(chooseLevel(levels, 1000)?.level.arrivalRatePerS).toBe(5);
    expect(chooseLevel(levels, 950)?.level.arrivalRatePerS).toBe(3);
    // Without any bound, the unbounded 5/s level is no capacity: 3.5/s is.
    expect(chooseLevel(levels, null)?.level.arrivalRatePerS).toBe(3.5);
  });

  it('falls back to the closed-loop choice when no rate held its bound', () => {
    const chosen = chooseLevel([...closed, open(4, false, 2600)], null);
    expect(chosen?.level.concurrency).toBe(4);
    expect(chosen?.level.arrivalRatePerS).toBeUndefined();
    expect(chosen?.closedLoop).toBeUndefined();
  });
});
