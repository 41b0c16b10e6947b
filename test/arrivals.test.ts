import { describe, expect, it } from 'vitest';
import { arrivalOffsetsMs, BURST_PERIOD_S, mulberry32 } from '../src/runner/arrivals.js';

describe('arrival schedules', () => {
  it('mulberry32 gives the published sequence for a seed', () => {
    // Reference values of mulberry32 (Tommy Ettinger's constants), seed 1 and seed 42.
    expect(mulberry32(1)()).toBe(0.6270739405881613);
    const r = mulberry32(42);
    expect([r(), r(), r()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('constant: one arrival every 1/rate s from 0', () => {
    // 2.5 tasks/s: a gap of 1000 / 2.5 = 400 ms.
    expect(arrivalOffsetsMs({ pattern: 'constant', ratePerS: 2.5, seed: 1, peakToMean: 1 }, 4)).toEqual([
      0, 400, 800, 1200,
    ]);
  });

  it('poisson: exponential gaps -ln(1 - u) / rate from the seeded PRNG, the same for the same seed', () => {
    const spec = { pattern: 'poisson' as const, ratePerS: 2, seed: 1, peakToMean: 1 };
    const offsets = arrivalOffsetsMs(spec, 3);
    // First u of seed 1 is 0.6270739405881613: -ln(0.3729260594118387) = 0.986375, x 500 ms = 493.19 ms.
    expect(offsets[0]).toBeCloseTo(-Math.log(1 - 0.6270739405881613) * 500, 9);
    expect(offsets[0]).toBeCloseTo(493.19, 2);
    expect(arrivalOffsetsMs(spec, 3)).toEqual(offsets);
    expect(arrivalOffsetsMs({ ...spec, seed: 2 }, 3)).not.toEqual(offsets);
  });

  it('poisson: over many arrivals the mean gap is 1/rate', () => {
    // 20,000 exponential gaps of mean 250 ms: the standard error of the mean is 250 / sqrt(20000) = 1.77 ms,
    // so within 2% (5 ms, about 3 standard errors) unless the PRNG is broken.
    const offsets = arrivalOffsetsMs({ pattern: 'poisson', ratePerS: 4, seed: 7, peakToMean: 1 }, 20_000);
    expect((offsets.at(-1) ?? 0) / 20_000).toBeGreaterThan(245);
    expect((offsets.at(-1) ?? 0) / 20_000).toBeLessThan(255);
  });

  it('burst: on for 1/peakToMean of each cycle at peakToMean x the rate, then off', () => {
    // Mean 1 task/s, peak-to-mean 5: 5 tasks/s (200 ms apart) during the first 10 s / 5 = 2 s of each
    // 10 s cycle, so 10 arrivals at 0..1800 ms, then the next 10 from 10,000 ms.
    const offsets = arrivalOffsetsMs({ pattern: 'burst', ratePerS: 1, seed: 1, peakToMean: 5 }, 12);
    expect(BURST_PERIOD_S).toBe(10);
    expect(offsets.slice(0, 10)).toEqual([0, 200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800]);
    expect(offsets.slice(10)).toEqual([10_000, 10_200]);
  });
});
