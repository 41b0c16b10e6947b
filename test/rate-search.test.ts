import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../src/analysis/stats.js';
import { isOverSaturated } from '../src/runner/over-saturation.js';
import {
  judgeRateLevel,
  MAX_RATE_LEVELS,
  nextRate,
  p95Of,
  type RateVerdict,
} from '../src/runner/rate-search.js';

const verdict = (ratePerS: number, passes: boolean): RateVerdict => ({
  ratePerS,
  passes,
  p95LatencyMs: null,
  p95TtftMs: null,
  overSaturated: false,
});

/** Runs the search against a server that holds the bound up to `capacity` tasks/s. */
function search(start: number, capacity: number, resolution: number): RateVerdict[] {
  const verdicts: RateVerdict[] = [];
  for (let rate: number | null = start; rate !== null; rate = nextRate(verdicts, resolution))
    verdicts.push(verdict(rate, rate <= capacity));
  return verdicts;
}

describe('the rate sweep search', () => {
  it('doubles until a rate fails, then bisects to the resolution', () => {
    // Start 1/s, capacity 5/s: 1 ok, 2 ok, 4 ok, 8 fails; then 6 fails, 5 ok, 5.5 fails, 5.25 fails,
    // 5.125 fails (5.125 - 5 = 0.125 <= 0.05 x 5 = 0.25: done).
    const v = search(1, 5, 0.05);
    expect(v.map((x) => x.ratePerS)).toEqual([1, 2, 4, 8, 6, 5, 5.5, 5.25]);
    // After 5.25 fails: 5.25 - 5 = 0.25 <= 0.25, done; the answer is 5, the capacity itself.
    expect(Math.max(...v.filter((x) => x.passes).map((x) => x.ratePerS))).toBe(5);
  });

  it('halves from a start that fails until one passes', () => {
    // Start 10/s, capacity 3/s: 10, 5 fail; 2.5 passes; 3.75 fails; 3.125 fails; 2.8125 (4 digits: 2.813) passes;
    // 2.969 passes (3.125 - 2.969 = 0.156 > 0.148); 3.047 fails: 3.047 - 2.969 = 0.078 <= 0.148: done.
    const v = search(10, 3, 0.05);
    expect(v.map((x) => x.ratePerS)).toEqual([10, 5, 2.5, 3.75, 3.125, 2.813, 2.969, 3.047]);
    const answer = Math.max(...v.filter((x) => x.passes).map((x) => x.ratePerS));
    // Within the resolution below the capacity: 3 x (1 - 0.05) = 2.85 <= 2.969 <= 3.
    expect(answer).toBe(2.969);
    expect(answer).toBeGreaterThanOrEqual(3 * 0.95);
  });

  it('gives up when nothing passes down to 1/1024 of the start, and stops at MAX_RATE_LEVELS', () => {
    const none = search(1, 0, 0.05);
    // 1, 0.5, ..., each halved and rounded to 4 digits (0.015625 -> 0.01563, ...), the 11th 0.000977
    // (>= 1/1024 = 0.0009766); the 12th, 0.0004885, is below the floor: 11 levels.
    expect(none).toHaveLength(11);
    expect(none.at(-1)?.ratePerS).toBe(0.000977);
    const always = search(1, Infinity, 0.05);
    expect(always).toHaveLength(MAX_RATE_LEVELS);
  });

  it('judges a level: within the bound, not over-saturated, nothing failed', () => {
    // p95 of 1..20 (type 7): position 19 x 0.95 = 18.05 -> 19 + 0.05 x (20 - 19) = 19.05.
    const lat = Array.from({ length: 20 }, (_, i) => i + 1);
    const ok = { latenciesMs: lat, ttftsMs: [] };
    const latency = (ms: number) => ({ latencyMs: ms, ttftMs: null });
    expect(judgeRateLevel(2, ok, 0, false, latency(19.05))).toEqual({
      ratePerS: 2,
      passes: true,
      p95LatencyMs: 19.05,
      p95TtftMs: null,
      overSaturated: false,
    });
    expect(judgeRateLevel(2, ok, 0, false, latency(19)).passes, 'p95 above the bound').toBe(false);
    expect(judgeRateLevel(2, ok, 1, false, latency(100)).passes, 'a failed request').toBe(false);
    expect(judgeRateLevel(2, ok, 0, true, latency(100)).passes, 'over-saturated').toBe(false);
    const none = { latenciesMs: [], ttftsMs: [] };
    expect(judgeRateLevel(2, none, 0, false, latency(100)).passes, 'no ok request').toBe(false);
  });

  it('judges a level against a TTFT bound, alone or with the latency bound: every given bound must hold', () => {
    // Latencies 1..20 ms (p95 19.05, as above); TTFTs 0.5..10 ms (i / 2) and one unknown (null, left
    // out): p95 of 0.5..10 = 9.5 + 0.05 x 0.5 = 9.525.
    const ok = {
      latenciesMs: Array.from({ length: 20 }, (_, i) => i + 1),
      ttftsMs: [...Array.from({ length: 20 }, (_, i) => (i + 1) / 2), null],
    };
    const ttftOnly = judgeRateLevel(3, ok, 0, false, { latencyMs: null, ttftMs: 9.525 });
    expect(ttftOnly).toEqual({
      ratePerS: 3,
      passes: true,
      p95LatencyMs: 19.05,
      p95TtftMs: 9.525,
      overSaturated: false,
    });
    expect(judgeRateLevel(3, ok, 0, false, { latencyMs: null, ttftMs: 9.5 }).passes, 'TTFT over').toBe(false);
    // Latency holds (19.05 <= 20) but TTFT does not (9.525 > 9): the level fails.
    expect(judgeRateLevel(3, ok, 0, false, { latencyMs: 20, ttftMs: 9 }).passes).toBe(false);
    expect(judgeRateLevel(3, ok, 0, false, { latencyMs: 19, ttftMs: 10 }).passes, 'latency over').toBe(false);
    expect(judgeRateLevel(3, ok, 0, false, { latencyMs: 20, ttftMs: 10 }).passes, 'both hold').toBe(true);
    const noTtft = { latenciesMs: [100], ttftsMs: [null] };
    expect(judgeRateLevel(3, noTtft, 0, false, { latencyMs: null, ttftMs: 1000 }).passes, 'no TTFT').toBe(
      false,
    );
  });

  it("computes the same p95 as the report's statistics", () => {
    const values = [5, 1, 9, 3, 7, 2, 8, 4, 6, 10, 11.5];
    expect(p95Of(values)).toBe(
      quantileSorted(
        [...values].sort((a, b) => a - b),
        0.95,
      ),
    );
  });
});

describe('over-saturation', () => {
  it('needs 20 samples', () => {
    expect(isOverSaturated(Array.from({ length: 19 }, (_, i) => i))).toBe(false);
  });

  it('flags in-flight growth of 20% of the second half of the arrivals, and at least 5', () => {
    // 20 samples, half = 10: growth = last - sample[9]; needs >= max(5, 0.2 x 10 = 2) = 5.
    const flat = Array.from({ length: 20 }, () => 3);
    expect(isOverSaturated(flat)).toBe(false);
    const growing = [...Array.from({ length: 10 }, () => 3), 4, 4, 5, 5, 6, 6, 7, 7, 8, 8];
    // 8 - 3 = 5 >= 5.
    expect(isOverSaturated(growing)).toBe(true);
    expect(isOverSaturated([...growing.slice(0, 19), 7]), '7 - 3 = 4 < 5').toBe(false);
    // 100 samples: growth must reach 0.2 x 50 = 10.
    const slow = Array.from({ length: 100 }, (_, i) => (i < 50 ? 10 : 10 + Math.floor((i - 49) / 6)));
    // Last: 10 + floor(50 / 6) = 18: 18 - 10 = 8 < 10.
    expect(isOverSaturated(slow)).toBe(false);
  });
});
