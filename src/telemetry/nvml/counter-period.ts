/**
 * How often an NVML energy counter moves. The counter is quantised (about 100 ms on many GPUs,
 * finer on some): a window shorter than that reads 0 J, so reports say the period beside the
 * figures. Found at probe time by reading the counter in a tight loop until it has changed a few
 * times, within a bounded time.
 */

/** Changes of the counter to see before the period is taken. */
export const COUNTER_CHANGES_WANTED = 4;
/** Longest time spent looking for the period. */
export const COUNTER_PROBE_BUDGET_MS = 1_000;
/** Time between two looks at the counter while probing. */
const PROBE_STEP_MS = 1;

/**
 * The counter's update period from the times it was seen to change: the median gap between
 * successive changes, rounded to 1 ms, or null with fewer than two changes. Pure. The first
 * change is a boundary like the others; the time before it (a partial period) is never used.
 */
export function computeCounterPeriodMs(changeTimesMs: readonly number[]): number | null {
  if (changeTimesMs.length < 2) return null;
  const gaps = changeTimesMs
    .slice(1)
    .map((t, i) => t - (changeTimesMs[i] ?? t))
    .sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  const median = gaps.length % 2 === 1 ? (gaps[mid] ?? 0) : ((gaps[mid - 1] ?? 0) + (gaps[mid] ?? 0)) / 2;
  return Math.round(median);
}

/** What probing needs: a counter read per GPU (null when it failed), a clock and a sleep. */
export interface CounterPeriodIo {
  readers: readonly (() => bigint | null)[];
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  budgetMs?: number;
  changesWanted?: number;
}

/** Each counter's update period (null: it did not change often enough within the budget). */
export async function measureCounterPeriodsMs(io: CounterPeriodIo): Promise<(number | null)[]> {
  const wanted = io.changesWanted ?? COUNTER_CHANGES_WANTED;
  const deadline = io.now() + (io.budgetMs ?? COUNTER_PROBE_BUDGET_MS);
  const last = io.readers.map((read) => read());
  const changes: number[][] = io.readers.map(() => []);
  // wanted + 1 change times give `wanted` whole periods.
  while (io.now() < deadline && changes.some((c) => c.length <= wanted)) {
    await io.sleep(PROBE_STEP_MS);
    const t = io.now();
    io.readers.forEach((read, i) => {
      const value = read();
      if (value !== null && last[i] !== null && value !== last[i]) changes[i]?.push(t);
      last[i] = value;
    });
  }
  return changes.map((c) => computeCounterPeriodMs(c));
}
