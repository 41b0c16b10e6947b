import type { LoopLagRow } from '../types/loop-lag.js';

/**
 * A level whose client event-loop lag p99 exceeds this has its TTFT and latency flagged. Every
 * timestamp is taken when the loop gets to the chunk, so a lag of d ms makes it up to d ms late.
 * 5 ms is 1% of a 500 ms TTFT and the gap between two tokens of a 200 tok/s stream: beyond it
 * the client, not the server, starts to show in first-token and per-token timings.
 */
export const LOOP_LAG_FLAG_MS = 5;

/** The client's event-loop lag over a run: every level, the worst one, and whether timings are flagged. */
export interface LoopLagSummary {
  levels: LoopLagRow[];
  /** The level with the highest p99 lag. */
  worst: LoopLagRow;
  thresholdMs: number;
  /** Level keys whose p99 lag exceeds thresholdMs: their TTFT and latency figures are the client's too. */
  flaggedLevels: string[];
}

/** The lag summary of a run's rows; null when none was measured (a run from before). Pure. */
export function computeLoopLag(
  rows: readonly LoopLagRow[],
  thresholdMs: number = LOOP_LAG_FLAG_MS,
): LoopLagSummary | null {
  const [first, ...rest] = rows;
  if (first === undefined) return null;
  const worst = rest.reduce((w, r) => (r.p99Ms > w.p99Ms ? r : w), first);
  return {
    levels: [...rows],
    worst,
    thresholdMs,
    flaggedLevels: rows.filter((r) => r.p99Ms > thresholdMs).map((r) => r.levelKey),
  };
}
