import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../src/store/db.js';
import { getMachineStates, insertMachineState } from '../src/store/machine-states.js';
import { insertRun } from '../src/store/runs.js';
import { quietState } from './support/machine-state.js';
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
  plannedRequests: 2,
  settings: {},
  costbenchVersion: '0.1.0',
  pid: 1,
};

describe('machine states in the store', () => {
  it('round-trip start and end; a second end (a resume) replaces the first', () => {
    const db = openDb(join(tempDir(), 'states.db'));
    const runId = insertRun(db, NEW_RUN);
    const start = quietState();
    insertMachineState(db, runId, start);
    insertMachineState(db, runId, quietState({ phase: 'end', collectedAt: '2026-11-27T10:05:00.000Z' }));
    const resumedEnd = quietState({
      phase: 'end',
      collectedAt: '2026-11-27T11:00:00.000Z',
      loadAverage: null,
      errors: ['load average: /proc/loadavg not readable'],
    });
    insertMachineState(db, runId, resumedEnd);
    expect(getMachineStates(db, runId), 'states').toEqual({ start, end: resumedEnd });
    const rows = db.prepare('SELECT phase, collected_at FROM run_machine_states ORDER BY phase').all();
    expect(rows, 'rows').toEqual([
      { phase: 'end', collected_at: '2026-11-27T11:00:00.000Z' },
      { phase: 'start', collected_at: '2026-11-27T10:00:00.000Z' },
    ]);
    db.close();
  });

  it('give nulls for a run without rows (from before migration 0011), and cascade on delete', () => {
    const db = openDb(join(tempDir(), 'old.db'));
    const old = insertRun(db, NEW_RUN);
    expect(getMachineStates(db, old), 'no rows').toEqual({ start: null, end: null });
    insertMachineState(db, old, quietState());
    db.prepare('DELETE FROM runs WHERE id = ?').run(old);
    expect(db.prepare('SELECT COUNT(*) AS n FROM run_machine_states').get(), 'cascade').toEqual({ n: 0 });
    db.close();
  });
});
