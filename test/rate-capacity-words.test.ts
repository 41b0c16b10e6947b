import { describe, expect, it } from 'vitest';
import type { LevelSummary, SweepSummary } from '../src/analysis/levels.js';
import type { OpenLoopFigures, RateCapacity } from '../src/analysis/open-loop-summary.js';
import { describeRateCapacity } from '../src/report/format-open-loop.js';

/** A sweep with one open-loop level judged against these bounds, and this capacity. */
function sweepOf(latencyBoundMs: number | null, ttftBoundMs: number | null, capacity: RateCapacity | null) {
  const openLoop: OpenLoopFigures = {
    offeredRatePerS: 10,
    achievedRatePerS: 10,
    clientQueueWaitMs: null,
    overSaturated: false,
    latencyBoundMs,
    ttftBoundMs,
    withinBound: capacity !== null,
  };
  return { levels: [{ openLoop } as LevelSummary], rateCapacity: capacity } as SweepSummary;
}

const capacity = (latencyBoundMs: number | null, ttftBoundMs: number | null): RateCapacity => ({
  ratePerS: 10,
  p95LatencyMs: 200.4,
  p95TtftMs: 10.6,
  latencyBoundMs,
  ttftBoundMs,
  lowestFailingRatePerS: 10.5,
});

describe('the capacity sentence names the bound(s) it is within', () => {
  it('the latency bound alone: as before the TTFT bound existed', () => {
    expect(describeRateCapacity(sweepOf(400, null, capacity(400, null)))).toBe(
      'Capacity within the latency bound: 10 tasks/s (p95 200 ms within 400 ms; 10.5/s did not); the cost model uses it.',
    );
  });

  it('the TTFT bound alone, and both', () => {
    expect(describeRateCapacity(sweepOf(null, 60, capacity(null, 60)))).toBe(
      'Capacity within the TTFT bound: 10 tasks/s (p95 200 ms, p95 TTFT 11 ms within 60 ms; 10.5/s did not); the cost model uses it.',
    );
    expect(describeRateCapacity(sweepOf(400, 60, capacity(400, 60)))).toBe(
      'Capacity within the latency and TTFT bounds: 10 tasks/s (p95 200 ms within 400 ms, p95 TTFT 11 ms within 60 ms; 10.5/s did not); the cost model uses it.',
    );
  });

  it('no rate held them', () => {
    expect(describeRateCapacity(sweepOf(400, 60, null))).toBe(
      'Capacity within the latency and TTFT bounds: no offered rate held them.',
    );
    expect(describeRateCapacity(sweepOf(null, 60, null))).toBe(
      'Capacity within the TTFT bound: no offered rate held it.',
    );
  });
});
