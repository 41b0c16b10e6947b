import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { levelKey, pickLevel, type Level } from '../types/level.js';
import type { LoopLagRow } from '../types/loop-lag.js';

/**
 * The lag monitor's timer interval. 10 ms: about 100 wake-ups a second, nothing next to a
 * streaming client's own work, and fine enough to see a loop held for a few milliseconds.
 */
export const LOOP_LAG_RESOLUTION_MS = 10;

/** What the summary reads of a histogram (nanoseconds): perf_hooks' IntervalHistogram, or a test's values. */
export interface LagHistogram {
  count: number;
  max: number;
  percentile(p: number): number;
}

/**
 * A level's lag in ms from a monitorEventLoopDelay histogram. Node records each whole timer
 * interval (resolution included), so the lag of a turn is its value minus the resolution, and
 * a timer that fired early counts as no lag (0). null when the monitor saw no turn. Pure.
 */
export function summariseLoopLag(
  histogram: LagHistogram,
  level: Level,
  resolutionMs: number = LOOP_LAG_RESOLUTION_MS,
): LoopLagRow | null {
  if (histogram.count === 0) return null;
  const lagMs = (ns: number): number => Math.max(0, ns / 1e6 - resolutionMs);
  return {
    levelKey: levelKey(pickLevel(level)),
    concurrency: level.concurrency,
    p50Ms: lagMs(histogram.percentile(50)),
    p99Ms: lagMs(histogram.percentile(99)),
    maxMs: lagMs(histogram.max),
    samples: histogram.count,
  };
}

/** Measures the loop's lag over stretches of a run: one level at a time. */
export interface LoopLagMonitor {
  /** Starts a level's stretch (ending one still open). */
  begin(level: Level): void;
  /** Ends the open stretch, if any, handing its row to `record`. */
  end(): void;
}

/** A monitor that hands each level's row to `record` (the store) when the level's stretch ends. */
export function startLoopLagMonitor(record: (row: LoopLagRow) => void): LoopLagMonitor {
  let histogram: IntervalHistogram | null = null;
  let level: Level | null = null;
  const end = (): void => {
    if (histogram === null || level === null) return;
    histogram.disable();
    const row = summariseLoopLag(histogram, level);
    histogram = null;
    level = null;
    if (row !== null) record(row);
  };
  return {
    begin(next) {
      end();
      level = pickLevel(next);
      histogram = monitorEventLoopDelay({ resolution: LOOP_LAG_RESOLUTION_MS });
      histogram.enable();
    },
    end,
  };
}
