import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/store/db.js';
import { defaultMigrationsDir } from '../src/store/migrate.js';
import { insertRequest, listRequests } from '../src/store/requests.js';
import { insertRun } from '../src/store/runs.js';
import { listPhases, openPhaseWindow } from '../src/store/telemetry.js';
import { okRequestRow } from './support/request-row.js';
import { useTempDir } from './support/temp.js';

const RUN = {
  startedAt: '2026-12-01T10:00:00.000Z',
  backend: 'ollama',
  host: 'http://127.0.0.1:11434',
  model: 'm',
  suiteId: 's',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 1,
  settings: {},
  costbenchVersion: '0.1.0',
  pid: 1,
};

describe('migration 0014: open-loop requests and phases', () => {
  const tempDir = useTempDir();

  it('keeps the rows of a database from before it, and their uniqueness per level', () => {
    const old = join(tempDir(), 'migrations-13');
    mkdirSync(old);
    for (const f of readdirSync(defaultMigrationsDir()).filter((f) => f < '0014'))
      copyFileSync(join(defaultMigrationsDir(), f), join(old, f));
    const path = join(tempDir(), 'old.db');
    const db13 = openDb(path, old);
    const runId = insertRun(db13, RUN);
    db13
      .prepare(
        `INSERT INTO requests (run_id, concurrency, seq, task_id, repeat_index, state, started_at, start_offset_ms,
           latency_ms, retries, cost_usd) VALUES (?, 2, 0, 't', 0, 'ok', 'x', 5, 1000, 1, 0.25)`,
      )
      .run(runId);
    db13.close();

    const db = openDb(path);
    const [row] = listRequests(db, runId);
    expect([row?.concurrency, row?.taskId, row?.latencyMs, row?.retries, row?.costUsd]).toEqual([
      2,
      't',
      1000,
      1,
      0.25,
    ]);
    expect(row && 'arrivalRatePerS' in row, 'absent on a closed-loop row').toBe(false);
    // The same task and repetition at the same closed-loop level is still refused...
    expect(() => insertRequest(db, runId, okRequestRow({ concurrency: 2, taskId: 't' }))).toThrow(
      /UNIQUE constraint failed/,
    );
    // ...but stored once per offered rate, with when it was due.
    const open = { concurrency: 256, taskId: 't', arrivalRatePerS: 2.5, scheduledOffsetMs: 400 };
    insertRequest(db, runId, okRequestRow(open));
    insertRequest(db, runId, okRequestRow({ ...open, arrivalRatePerS: 5 }));
    expect(() => insertRequest(db, runId, okRequestRow(open))).toThrow(/UNIQUE constraint failed/);
    expect(
      listRequests(db, runId).map((r) => [r.concurrency, r.arrivalRatePerS, r.scheduledOffsetMs]),
    ).toEqual([
      [2, undefined, undefined],
      [256, 2.5, 400],
      [256, 5, 400],
    ]);
    db.close();
  });

  it('stores an open-loop phase with its rate, bound and over-saturation; a closed-loop one without', () => {
    const db = openDb(join(tempDir(), 'phases.db'));
    const runId = insertRun(db, RUN);
    openPhaseWindow(db, runId, 'measure', 1, 0).extendTo(100);
    const window = openPhaseWindow(db, runId, 'measure', 256, 200, {
      arrivalRatePerS: 8,
      latencyBoundMs: 2000,
    });
    window.extendTo(900);
    window.markOverSaturated();
    expect(listPhases(db, runId)).toEqual([
      { name: 'measure', concurrency: 1, startMs: 0, endMs: 100 },
      {
        name: 'measure',
        concurrency: 256,
        startMs: 200,
        endMs: 900,
        arrivalRatePerS: 8,
        overSaturated: true,
        latencyBoundMs: 2000,
      },
    ]);
    db.close();
  });
});
