import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/validate.js';
import { ConfigError } from '../src/errors.js';
import { openLoopPlanOf } from '../src/runner/rate-sweep.js';
import { openLevelCount } from '../src/runner/open-loop.js';
import { errorOf } from './support/error-of.js';

const config = (run: object, cost: object = {}) => validateConfig({ run, cost });

describe('the open-loop plan of a run', () => {
  it('is none for a closed-loop run', () => {
    const c = config({});
    expect(openLoopPlanOf(c.run, c.cost, false)).toBeUndefined();
  });

  it('takes the rate, pattern and seed; bursts take the load shape peak-to-mean', () => {
    const c = config(
      { rate: 2.5, arrival: 'burst', arrivalSeed: 9 },
      { load: { shape: 'peak-to-mean', peakToMean: 4 } },
    );
    expect(openLoopPlanOf(c.run, c.cost, false)).toEqual({
      pattern: 'burst',
      seed: 9,
      peakToMean: 4,
      ratePerS: 2.5,
      sweep: null,
    });
  });

  it("sweeps within --max-p95-latency, else the cost's bound, and refuses a sweep without one", () => {
    const own = config({ rateSweep: true, maxP95LatencyMs: 2000 });
    expect(openLoopPlanOf(own.run, own.cost, false)?.sweep).toEqual({
      bounds: { latencyMs: 2000, ttftMs: null },
      resolution: 0.05,
    });
    const costs = config({ rateSweep: true }, { load: { shape: 'steady', p95LatencyBoundMs: 1500 } });
    expect(openLoopPlanOf(costs.run, costs.cost, false)?.sweep?.bounds.latencyMs).toBe(1500);
    const none = config({ rateSweep: true });
    expect(errorOf(() => openLoopPlanOf(none.run, none.cost, false), ConfigError).message).toBe(
      '--rate-sweep needs a p95 latency or TTFT bound',
    );
  });

  it('sweeps within --max-p95-ttft alone or with a latency bound, and refuses either bound without a sweep', () => {
    const ttft = config({ rateSweep: true, maxP95TtftMs: 300 });
    expect(openLoopPlanOf(ttft.run, ttft.cost, false)?.sweep?.bounds).toEqual({
      latencyMs: null,
      ttftMs: 300,
    });
    const both = config({ rateSweep: true, maxP95TtftMs: 300, maxP95LatencyMs: 2000 });
    expect(openLoopPlanOf(both.run, both.cost, false)?.sweep?.bounds).toEqual({
      latencyMs: 2000,
      ttftMs: 300,
    });
    const lone = config({ rate: 2, maxP95TtftMs: 300 });
    const e = errorOf(() => openLoopPlanOf(lone.run, lone.cost, false), ConfigError);
    expect(e.message).toBe("--max-p95-ttft is the rate sweep's bound, and this run has no --rate-sweep");
    expect(e.hint).toBe(
      'Add --rate-sweep (it searches the highest rate within the bound), or drop --max-p95-ttft.',
    );
    // A resumed run's recorded settings from before the keys existed lack them: no bound, no refusal.
    const older: Partial<typeof lone.run> = { ...config({ rate: 2 }).run };
    delete older.maxP95TtftMs;
    delete older.maxP95LatencyMs;
    expect(openLoopPlanOf(older as typeof lone.run, lone.cost, false)?.sweep).toBeNull();
    const oldSweep = openLoopPlanOf(
      { ...(older as typeof lone.run), rateSweep: true },
      config({}, { load: { shape: 'steady', p95LatencyBoundMs: 900 } }).cost,
      false,
    );
    expect(oldSweep?.sweep?.bounds).toEqual({ latencyMs: 900, ttftMs: null });
    const closed = config({ maxP95LatencyMs: 2000 });
    expect(errorOf(() => openLoopPlanOf(closed.run, closed.cost, false), ConfigError).message).toBe(
      "--max-p95-latency is the rate sweep's bound, and this run has no --rate-sweep",
    );
  });

  it('is refused against a remote API', () => {
    const c = config({ rate: 1 });
    expect(errorOf(() => openLoopPlanOf(c.run, c.cost, true), ConfigError).message).toMatch(/remote API/);
  });

  it('runs whole passes of the suite, at least 20 requests and at least min duration x rate', () => {
    // 3 tasks: 20 needs 7 passes = 21. 40/s x 3 s = 120 = 40 passes of 3. 50 tasks: one pass.
    expect(openLevelCount(3, 4, 0)).toBe(21);
    expect(openLevelCount(3, 40, 3000)).toBe(120);
    expect(openLevelCount(50, 1, 0)).toBe(50);
  });
});
