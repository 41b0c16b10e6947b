import { tQuantile975 } from './t-table.js';

/** A closed interval [low, high]. */
export interface Interval {
  low: number;
  high: number;
}

/** A summary of one measured quantity over a run's requests. */
export interface Distribution {
  count: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
  /** Sample standard deviation (n - 1 in the denominator); 0 for a single value. */
  stdDev: number;
  /** 95% confidence interval of the mean, mean ± t(0.975, n-1) × stdDev / √n; null for n < 2. */
  ci95: Interval | null;
  /** Coefficient of variation, stdDev / mean (meaningful for positive quantities); null when the mean is 0. */
  cv: number | null;
  /** Values outside the Tukey fences [Q1 − 1.5 IQR, Q3 + 1.5 IQR], ascending: flagged, still counted above. */
  outliers: number[];
}

/** Tukey's fence multiplier: 1.5 IQR beyond the quartiles. */
export const OUTLIER_IQR_FACTOR = 1.5;

/**
 * The q-quantile (0..1) of ascending-sorted values by linear interpolation between closest
 * ranks (Hyndman & Fan type 7, numpy's default). Pure; undefined for an empty list.
 */
export function quantileSorted(sorted: readonly number[], q: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] as number;
  const high = sorted[upper] as number;
  return low + (high - low) * (position - lower);
}

/** Summarises values (any order; nulls and non-finite values are left out). null when none remain. */
export function computeDistribution(values: readonly (number | null)[]): Distribution | null {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const sum = sorted.reduce((acc, v) => acc + v, 0);
  const mean = sum / sorted.length;
  const stdDev = sampleStdDev(sorted, mean);
  return {
    count: sorted.length,
    min: sorted[0] as number,
    median: quantileSorted(sorted, 0.5) as number,
    p95: quantileSorted(sorted, 0.95) as number,
    max: sorted[sorted.length - 1] as number,
    mean,
    stdDev,
    ci95: computeCi95(mean, stdDev, sorted.length),
    cv: mean === 0 ? null : stdDev / mean,
    outliers: findOutliers(sorted),
  };
}

/**
 * Sample standard deviation (Bessel's n - 1) of ascending-sorted values around their mean.
 * 0 for fewer than two values, and exactly 0 when all values are equal (a rounded mean would
 * otherwise leave a residue like 1e-17).
 */
export function sampleStdDev(sorted: readonly number[], mean: number): number {
  if (sorted.length < 2 || sorted[0] === sorted[sorted.length - 1]) return 0;
  const squares = sorted.reduce((acc, v) => acc + (v - mean) ** 2, 0);
  return Math.sqrt(squares / (sorted.length - 1));
}

/**
 * The 95% confidence interval of a mean from n samples: mean ± t(0.975, n - 1) × stdDev / √n
 * (Student's t; assumes roughly independent samples). null for n < 2, where it is undefined.
 */
export function computeCi95(mean: number, stdDev: number, count: number): Interval | null {
  if (count < 2) return null;
  const halfWidth = (tQuantile975(count - 1) * stdDev) / Math.sqrt(count);
  return { low: mean - halfWidth, high: mean + halfWidth };
}

/**
 * Values of an ascending-sorted list outside [Q1 − 1.5 IQR, Q3 + 1.5 IQR], with type-7 quartiles
 * (quantileSorted), ascending. They are only flagged: callers keep them in every other figure.
 */
export function findOutliers(sorted: readonly number[]): number[] {
  const q1 = quantileSorted(sorted, 0.25);
  const q3 = quantileSorted(sorted, 0.75);
  if (q1 === undefined || q3 === undefined) return [];
  const reach = OUTLIER_IQR_FACTOR * (q3 - q1);
  return sorted.filter((v) => v < q1 - reach || v > q3 + reach);
}

/**
 * Whether two 95% confidence intervals (say, two runs' mean tokens/s) overlap, ends included.
 * null when either is null (a run with one sample): no interval, so no verdict either way.
 * Read it as: false means the means differ (separate 95% intervals is a conservative test,
 * roughly p < 0.01 for similar spreads); true does not prove them equal, only that these two
 * intervals cannot tell them apart.
 */
export function ciOverlap(a: Interval | null, b: Interval | null): boolean | null {
  if (a === null || b === null) return null;
  return a.low <= b.high && b.low <= a.high;
}
