import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeLoopLag, LOOP_LAG_FLAG_MS } from '../src/analysis/loop-lag.js';
import { formatLoopLagLines } from '../src/report/format-loop-lag.js';
import { summariseLoopLag, type LagHistogram } from '../src/runner/loop-lag.js';
import { openDb } from '../src/store/db.js';
import { insertLoopLag, listLoopLag } from '../src/store/loop-lag.js';
import { insertRun } from '../src/store/runs.js';
import type { LoopLagRow } from '../src/types/loop-lag.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();

/** A histogram with the given percentiles (ns), as perf_hooks hands them. */
function histogram(byPercentile: Record<number, number>, maxNs: number, count: number): LagHistogram {
  return { count, max: maxNs, percentile: (p) => byPercentile[p] ?? Number.NaN };
}

function row(levelKey: string, concurrency: number, p99Ms: number): LoopLagRow {
  return { levelKey, concurrency, p50Ms: 0.5, p99Ms, maxMs: p99Ms * 2, samples: 100 };
}

describe('summariseLoopLag (a histogram of whole timer intervals, ns)', () => {
  it('takes the resolution off each figure, exactly', () => {
    // p50 10.5 ms - 10 = 0.5; p99 17.25 - 10 = 7.25; max 31 - 10 = 21 (ms)
    const h = histogram({ 50: 10_500_000, 99: 17_250_000 }, 31_000_000, 250);
    expect(summariseLoopLag(h, { concurrency: 8 }, 10)).toEqual({
      levelKey: '8',
      concurrency: 8,
      p50Ms: 0.5,
      p99Ms: 7.25,
      maxMs: 21,
      samples: 250,
    });
  });

  it('counts a timer that fired early as no lag, keys a level by all its dimensions, and gives null without turns', () => {
    // p50 9.2 ms < 10 ms resolution -> 0; p99 12 - 10 = 2; max 14.5 - 10 = 4.5
    const h = histogram({ 50: 9_200_000, 99: 12_000_000 }, 14_500_000, 3);
    const level = { concurrency: 4, arrivalRatePerS: 2 };
    expect(summariseLoopLag(h, level, 10)).toEqual({
      levelKey: '4,rate=2/s',
      concurrency: 4,
      p50Ms: 0,
      p99Ms: 2,
      maxMs: 4.5,
      samples: 3,
    });
    expect(summariseLoopLag(histogram({}, 0, 0), { concurrency: 1 }), 'no turn').toBeNull();
  });
});

describe('computeLoopLag (the flag on TTFT and latency)', () => {
  it(`flags levels whose p99 exceeds ${LOOP_LAG_FLAG_MS} ms, not one exactly at it`, () => {
    const rows = [row('1', 1, 0.5), row('8', 8, 7.25), row('64', 64, 5)];
    expect(LOOP_LAG_FLAG_MS, 'threshold').toBe(5);
    const lag = computeLoopLag(rows);
    expect(lag?.worst, 'worst p99: 7.25 > 5 > 0.5').toEqual(row('8', 8, 7.25));
    expect(lag?.flaggedLevels, '7.25 > 5; 5 is not > 5').toEqual(['8']);
    expect(computeLoopLag(rows, 0.4)?.flaggedLevels, 'threshold 0.4').toEqual(['1', '8', '64']);
    expect(computeLoopLag([]), 'a run from before: not measured').toBeNull();
  });

  it('prints the worst level and the flag; nothing for a run without rows', () => {
    expect(formatLoopLagLines(computeLoopLag([row('1', 1, 0.5), row('8', 8, 7.25)]) ?? undefined)).toEqual([
      'Client event-loop lag: p99 7.3 ms, max 14.5 ms (worst level: concurrency 8)',
      "FLAG: p99 lag over 5 ms at concurrency 8: TTFT and latency there include the client's own delay",
    ]);
    expect(formatLoopLagLines(computeLoopLag([row('1', 1, 0.5)]) ?? undefined)).toEqual([
      "Client event-loop lag: p99 0.5 ms, max 1.0 ms (worst level: concurrency 1); under 5 ms at every level: the timings are the server's",
    ]);
    expect(formatLoopLagLines(undefined), 'not measured: no line').toEqual([]);
  });
});

describe('run_loop_lag in the store', () => {
  it('round-trips rows by concurrency; a level measured again (a resume) replaces its row; cascades', () => {
    const db = openDb(join(tempDir(), 'lag.db'));
    const runId = insertRun(db, {
      startedAt: '2026-12-02T10:00:00.000Z',
      backend: 'ollama',
      host: 'http://127.0.0.1:11434',
      model: 'm:latest',
      suiteId: 's',
      suiteVersion: '1',
      repeatCount: 1,
      plannedRequests: 2,
      settings: {},
      costbenchVersion: '0.1.0',
      pid: 1,
    });
    expect(listLoopLag(db, runId), 'before: not measured').toEqual([]);
    insertLoopLag(db, runId, row('8', 8, 3));
    insertLoopLag(db, runId, row('1', 1, 0.25));
    insertLoopLag(db, runId, row('8', 8, 6.5));
    expect(listLoopLag(db, runId)).toEqual([row('1', 1, 0.25), row('8', 8, 6.5)]);
    db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_loop_lag').get(), 'cascade').toEqual({ n: 0 });
    db.close();
  });
});
