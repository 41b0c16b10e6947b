/** A summary of one measured quantity over a run's requests. */
export interface Distribution {
  count: number;
  min: number;
  median: number;
  p95: number;
  max: number;
  mean: number;
}

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
  return {
    count: sorted.length,
    min: sorted[0] as number,
    median: quantileSorted(sorted, 0.5) as number,
    p95: quantileSorted(sorted, 0.95) as number,
    max: sorted[sorted.length - 1] as number,
    mean: sum / sorted.length,
  };
}
