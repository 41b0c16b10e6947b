import type { LoopLagRow } from '../types/loop-lag.js';
import type { Db } from './db.js';

/** Records a level's lag; a resumed run measuring the level again replaces it. */
export function insertLoopLag(db: Db, runId: number, row: LoopLagRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO run_loop_lag (run_id, level_key, concurrency, p50_ms, p99_ms, max_ms, samples)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(runId, row.levelKey, row.concurrency, row.p50Ms, row.p99Ms, row.maxMs, row.samples);
}

/** A run's lag rows by concurrency, then key; empty for a run from before lag was measured. */
export function listLoopLag(db: Db, runId: number): LoopLagRow[] {
  const rows = db
    .prepare(
      `SELECT level_key, concurrency, p50_ms, p99_ms, max_ms, samples FROM run_loop_lag
       WHERE run_id = ? ORDER BY concurrency, level_key`,
    )
    .all(runId) as {
    level_key: string;
    concurrency: number;
    p50_ms: number;
    p99_ms: number;
    max_ms: number;
    samples: number;
  }[];
  return rows.map((r) => ({
    levelKey: r.level_key,
    concurrency: r.concurrency,
    p50Ms: r.p50_ms,
    p99Ms: r.p99_ms,
    maxMs: r.max_ms,
    samples: r.samples,
  }));
}
