import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/store/db.js';
import { insertRequest, listRequests } from '../src/store/requests.js';
import { insertRun } from '../src/store/runs.js';
import { insertPhase, listPhases, openPhaseWindow } from '../src/store/telemetry.js';
import { levelRequestKey } from '../src/runner/resume.js';
import { levelOf } from '../src/types/level.js';
import { okRequestRow } from './support/request-row.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();

const NEW_RUN = {
  startedAt: '2026-11-27T10:00:00.000Z',
  backend: 'ollama',
  host: 'http://127.0.0.1:11434',
  model: 'm:latest',
  suiteId: 's',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 3,
  settings: {},
  costbenchVersion: '0.1.0',
  pid: 1,
};

describe('requests and phases with a context depth (migration 0015)', () => {
  it('stores the depth, keys a resumed request by its whole level, and leaves it absent on a row without one', () => {
    const db = openDb(join(tempDir(), 'd.db'));
    const id = insertRun(db, NEW_RUN);
    insertRequest(db, id, okRequestRow({ taskId: 'a' }));
    insertRequest(db, id, okRequestRow({ taskId: 'a', contextDepthTokens: 0 }));
    insertRequest(db, id, okRequestRow({ taskId: 'a', contextDepthTokens: 2000 }));
    const rows = listRequests(db, id);
    expect(rows.map((r) => levelRequestKey(levelOf(r), r.taskId, r.repeatIndex))).toEqual([
      '1:a#0',
      '1,depth=0:a#0',
      '1,depth=2000:a#0',
    ]);
    expect(rows[0]).not.toHaveProperty('contextDepthTokens');
    expect(rows[2]?.contextDepthTokens).toBe(2000);
    db.close();
  });

  it('refuses the same task repetition twice at one level, with or without a depth', () => {
    const db = openDb(join(tempDir(), 'u.db'));
    const id = insertRun(db, NEW_RUN);
    insertRequest(db, id, okRequestRow());
    insertRequest(db, id, okRequestRow({ contextDepthTokens: 4096 }));
    expect(() => insertRequest(db, id, okRequestRow())).toThrow(/UNIQUE/);
    expect(() => insertRequest(db, id, okRequestRow({ contextDepthTokens: 4096 }))).toThrow(/UNIQUE/);
    db.close();
  });

  it("stores a measure phase's depth", () => {
    const db = openDb(join(tempDir(), 'p.db'));
    const id = insertRun(db, NEW_RUN);
    insertPhase(db, id, { name: 'warmup', concurrency: 0, startMs: 0, endMs: 1 });
    openPhaseWindow(db, id, 'measure', 1, 2, null, 4096).extendTo(5);
    expect(listPhases(db, id)).toEqual([
      { name: 'warmup', concurrency: 0, startMs: 0, endMs: 1 },
      { name: 'measure', concurrency: 1, contextDepthTokens: 4096, startMs: 2, endMs: 5 },
    ]);
    db.close();
  });
});
