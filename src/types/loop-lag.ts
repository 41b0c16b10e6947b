/** The client's event-loop lag while one level was measured (table run_loop_lag). */
export interface LoopLagRow {
  /** levelKey() of the level (src/types/level.ts). */
  levelKey: string;
  concurrency: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Timer turns the monitor saw: at 10 ms resolution about 100 a second. */
  samples: number;
}
