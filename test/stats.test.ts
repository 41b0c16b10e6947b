import { describe, expect, it } from 'vitest';
import {
  ciOverlap,
  computeCi95,
  computeDistribution,
  findOutliers,
  quantileSorted,
  sampleStdDev,
} from '../src/analysis/stats.js';
import { tQuantile975, Z_975 } from '../src/analysis/t-table.js';

describe('quantileSorted (type 7, linear between closest ranks)', () => {
  it('interpolates', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileSorted(sorted, 0.5), 'median').toBe(5.5);
    expect(quantileSorted(sorted, 0.95), 'p95').toBeCloseTo(9.55, 12);
    expect(quantileSorted(sorted, 0.75), 'p75').toBe(7.75);
    expect(quantileSorted(sorted, 0), 'min').toBe(1);
    expect(quantileSorted(sorted, 1), 'max').toBe(10);
  });

  it('handles one value and none', () => {
    expect(quantileSorted([42], 0.95)).toBe(42);
    expect(quantileSorted([], 0.5)).toBeUndefined();
  });
});

describe('computeDistribution', () => {
  it('sorts, skips unknowns and states exact figures', () => {
    const d = computeDistribution([40, null, 10, 30, 20, Number.NaN]);
    // sd = sqrt(500 / 3); ci95 = 25 ± t(3) 3.182446 × sd / 2.
    expect(d).toEqual({
      count: 4,
      min: 10,
      median: 25,
      p95: 38.5,
      max: 40,
      mean: 25,
      stdDev: expect.closeTo(12.909944, 6),
      ci95: { low: expect.closeTo(4.457399, 6), high: expect.closeTo(45.542601, 6) },
      cv: expect.closeTo(0.516398, 6),
      outliers: [],
    });
  });

  it('is null when nothing is known', () => {
    expect(computeDistribution([null, null])).toBeNull();
  });

  it('states spread, interval and outliers of [2,4,4,4,5,5,7,9]', () => {
    const d = computeDistribution([9, 4, 2, 4, 5, 4, 7, 5]);
    expect(d?.mean, 'mean').toBe(5);
    // Squared deviations sum to 32: sd = sqrt(32 / 7).
    expect(d?.stdDev, 'sample sd').toBeCloseTo(2.13809, 5);
    // Half-width t(7) 2.364624 × 2.138090 / sqrt(8) = 1.787488.
    expect(d?.ci95?.low, 'ci95 low').toBeCloseTo(5 - 1.787488, 6);
    expect(d?.ci95?.high, 'ci95 high').toBeCloseTo(5 + 1.787488, 6);
    expect(d?.cv, 'cv').toBeCloseTo(0.427618, 6);
    // Q1 = 4, Q3 = 5.5, IQR 1.5: fences 1.75 and 7.75, so 9 is flagged and still counted.
    expect(d?.outliers, 'outliers').toEqual([9]);
    expect(d?.max, 'max keeps the outlier').toBe(9);
    expect(d?.count, 'count keeps the outlier').toBe(8);
  });

  it('gives one value no spread and no interval', () => {
    expect(computeDistribution([42])).toEqual({
      count: 1,
      min: 42,
      median: 42,
      p95: 42,
      max: 42,
      mean: 42,
      stdDev: 0,
      ci95: null,
      cv: 0,
      outliers: [],
    });
  });

  it('gives equal values exactly zero spread, even when the mean rounds', () => {
    const d = computeDistribution([0.1, 0.1, 0.1]);
    expect(d?.stdDev, 'sd').toBe(0);
    expect(d?.cv, 'cv').toBe(0);
    expect(d?.ci95?.high, 'ci95 collapses to the mean').toBe(d?.ci95?.low);
    expect(d?.outliers, 'outliers').toEqual([]);
  });

  it('has no cv when the mean is 0', () => {
    const d = computeDistribution([-1, 1]);
    expect(d?.cv, 'cv').toBeNull();
    expect(d?.stdDev, 'sd').toBeCloseTo(Math.SQRT2, 12);
    // t(1) × sqrt(2) / sqrt(2).
    expect(d?.ci95?.high, 'ci95 high').toBeCloseTo(12.706205, 9);
  });
});

describe('spread helpers', () => {
  it('sampleStdDev uses n - 1 and is 0 below two values', () => {
    expect(sampleStdDev([1, 2, 3, 4], 2.5), 'sd').toBeCloseTo(1.290994, 6);
    expect(sampleStdDev([7], 7), 'one value').toBe(0);
    expect(sampleStdDev([], 0), 'none').toBe(0);
  });

  it('computeCi95 needs two samples', () => {
    expect(computeCi95(10, 2, 1)).toBeNull();
    // t(4) 2.776445 × 2 / sqrt(5) = 2.483328.
    const ci = computeCi95(10, 2, 5);
    expect(ci?.low, 'low').toBeCloseTo(7.516672, 6);
    expect(ci?.high, 'high').toBeCloseTo(12.483328, 6);
  });
});

describe('findOutliers (Tukey fences on type-7 quartiles)', () => {
  it('flags both sides, ascending', () => {
    // Q1 10.5, Q3 13.5, IQR 3: fences 6 and 18.
    expect(findOutliers([-50, 10, 11, 12, 13, 14, 100])).toEqual([-50, 100]);
  });

  it('keeps a value exactly on a fence', () => {
    // Q1 2, Q3 4, IQR 2: upper fence 7.
    expect(findOutliers([1, 2, 3, 4, 7]), 'on the fence').toEqual([]);
    expect(findOutliers([1, 2, 3, 4, 7.5]), 'past the fence').toEqual([7.5]);
  });

  it('flags nothing in short or flat lists', () => {
    expect(findOutliers([])).toEqual([]);
    expect(findOutliers([5])).toEqual([]);
    expect(findOutliers([1, 1000])).toEqual([]);
    expect(findOutliers([3, 3, 3, 3])).toEqual([]);
  });

  it('flags repeated outliers each time', () => {
    expect(findOutliers([10, 10, 11, 11, 12, 12, 90, 90])).toEqual([90, 90]);
  });
});

describe('tQuantile975', () => {
  it('returns standard table values', () => {
    expect(tQuantile975(1), 'df 1').toBe(12.706205);
    expect(tQuantile975(2), 'df 2').toBe(4.302653);
    expect(tQuantile975(5), 'df 5').toBe(2.570582);
    expect(tQuantile975(7), 'df 7').toBe(2.364624);
    expect(tQuantile975(10), 'df 10').toBe(2.228139);
    expect(tQuantile975(30), 'df 30').toBe(2.042272);
    expect(tQuantile975(40), 'df 40').toBe(2.021075);
    expect(tQuantile975(60), 'df 60').toBe(2.000298);
    expect(tQuantile975(120), 'df 120').toBe(1.97993);
  });

  it('interpolates in 1/df, towards the normal value beyond the table', () => {
    // Between 30 and 40: exact t(35) is 2.030108.
    expect(tQuantile975(35), 'df 35').toBeCloseTo(2.030159, 6);
    // 1.959964 + (1.979930 - 1.959964) × 120 / 1000; exact 1.962339.
    expect(tQuantile975(1000), 'df 1000').toBeCloseTo(1.96236, 6);
    expect(tQuantile975(Number.POSITIVE_INFINITY), 'df infinity').toBe(Z_975);
  });

  it('falls as df grows and refuses df < 1', () => {
    for (let df = 1; df < 500; df += 1)
      expect(tQuantile975(df + 1), `df ${df + 1}`).toBeLessThan(tQuantile975(df));
    expect(() => tQuantile975(0)).toThrow(RangeError);
    expect(() => tQuantile975(Number.NaN)).toThrow(RangeError);
  });
});

describe('ciOverlap', () => {
  it('compares two intervals, ends included', () => {
    expect(ciOverlap({ low: 1, high: 3 }, { low: 2, high: 4 }), 'overlap').toBe(true);
    expect(ciOverlap({ low: 1, high: 3 }, { low: 3, high: 4 }), 'touching').toBe(true);
    expect(ciOverlap({ low: 1, high: 2 }, { low: 5, high: 6 }), 'apart').toBe(false);
    expect(ciOverlap({ low: 5, high: 6 }, { low: 1, high: 2 }), 'apart, other order').toBe(false);
    expect(ciOverlap({ low: 0, high: 10 }, { low: 4, high: 5 }), 'inside').toBe(true);
  });

  it('has no verdict without both intervals', () => {
    expect(ciOverlap(null, { low: 1, high: 2 })).toBeNull();
    expect(ciOverlap({ low: 1, high: 2 }, null)).toBeNull();
  });

  it('tells two runs apart', () => {
    const slow = computeDistribution([50, 51, 49, 50, 52]);
    const fast = computeDistribution([60, 61, 59, 62, 60]);
    const same = computeDistribution([50, 52, 48, 51, 50]);
    expect(ciOverlap(slow?.ci95 ?? null, fast?.ci95 ?? null), 'different means').toBe(false);
    expect(ciOverlap(slow?.ci95 ?? null, same?.ci95 ?? null), 'same means').toBe(true);
  });
});
