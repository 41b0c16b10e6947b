import { describe, expect, it } from 'vitest';
import { computeDistribution, quantileSorted } from '../src/report/stats.js';

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
    expect(d).toEqual({ count: 4, min: 10, median: 25, p95: 38.5, max: 40, mean: 25 });
  });

  it('is null when nothing is known', () => {
    expect(computeDistribution([null, null])).toBeNull();
  });
});
