import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { levelRequestKey, prepareResume } from '../src/runner/resume.js';
import { openDb } from '../src/store/db.js';
import { insertRequest } from '../src/store/requests.js';
import { finishRun, insertRun } from '../src/store/runs.js';
import {
  levelKey,
  levelLabel,
  levelOf,
  OPEN_LOOP_MAX_IN_FLIGHT,
  pickLevel,
  sameLevel,
} from '../src/types/level.js';
import { okRequestRow } from './support/request-row.js';
import { useTempDir } from './support/temp.js';

describe('one level type: its key and its label', () => {
  it('keys a concurrency-only level by the concurrency alone, and names every other dimension', () => {
    expect(levelKey({ concurrency: 4 })).toBe('4');
    expect(levelKey({ concurrency: 4, threads: 8 })).toBe('4,threads=8');
    expect(levelKey({ concurrency: 1, arrivalRatePerS: 2.5, contextDepthTokens: 4096 })).toBe(
      '1,rate=2.5/s,depth=4096',
    );
    expect(levelKey({ concurrency: 2, threads: 4, arrivalRatePerS: 0.5, contextDepthTokens: 0 })).toBe(
      '2,threads=4,rate=0.5/s,depth=0',
    );
  });

  it('labels a level in the words the reports print', () => {
    expect(levelLabel({ concurrency: 1 })).toBe('concurrency 1');
    expect(levelLabel({ concurrency: 4, threads: 8 })).toBe('concurrency 4, threads 8');
    // An open-loop level's concurrency is its cap on requests in flight, named only when not the default.
    expect(levelLabel({ concurrency: 2, arrivalRatePerS: 0.5, contextDepthTokens: 4096 })).toBe(
      'open loop, at most 2 in flight, 0.5 arrivals/s, context depth 4096 tokens',
    );
    expect(levelLabel({ concurrency: OPEN_LOOP_MAX_IN_FLIGHT, arrivalRatePerS: 2.5 })).toBe(
      'open loop, 2.5 arrivals/s',
    );
  });

  it('reads the offered rate of an open-loop row into its level, and none from a closed-loop row', () => {
    expect(levelOf({ concurrency: 256, arrivalRatePerS: 2.5 })).toEqual({
      concurrency: 256,
      arrivalRatePerS: 2.5,
    });
    expect(levelOf({ concurrency: 4, arrivalRatePerS: null })).toEqual({ concurrency: 4 });
    expect(levelKey(levelOf({ concurrency: 256, arrivalRatePerS: 2.5 }))).toBe('256,rate=2.5/s');
  });

  it('takes a level out of a row or a summary: its dimensions alone, none it does not vary', () => {
    // A stored request's threads are the run's one thread count, not a dimension of its level.
    expect(levelOf(okRequestRow({ concurrency: 4, threads: 8 }))).toEqual({ concurrency: 4 });
    const summary = { concurrency: 4, threads: 8, ok: 3, tasksPerS: 1.5 };
    expect(pickLevel(summary)).toEqual({ concurrency: 4, threads: 8 });
    expect(sameLevel({ concurrency: 4 }, { concurrency: 4, threads: 8 })).toBe(false);
    expect(sameLevel({ concurrency: 4, threads: 8 }, { threads: 8, concurrency: 4 })).toBe(true);
  });
});

describe('resume keys of stored rows', () => {
  const tempDir = useTempDir();

  it('are `${concurrency}:${taskId}#${repeatIndex}`, as before the level type', () => {
    expect(levelRequestKey({ concurrency: 4 }, 't1', 2)).toBe('4:t1#2');
    const db = openDb(join(tempDir(), 'runs.db'));
    const runId = insertRun(db, {
      startedAt: '2026-12-01T10:00:00.000Z',
      backend: 'ollama',
      host: 'http://127.0.0.1:11434',
      model: 'm',
      suiteId: 's',
      suiteVersion: '1',
      repeatCount: 2,
      plannedRequests: 4,
      settings: { concurrency: [1, 4], repeat: 2 },
      costbenchVersion: '0.1.0',
      pid: 1,
    });
    insertRequest(db, runId, okRequestRow({ concurrency: 1, seq: 0, taskId: 't1', repeatIndex: 0 }));
    insertRequest(
      db,
      runId,
      okRequestRow({ concurrency: 4, seq: 1, taskId: 't1', repeatIndex: 1, threads: 8 }),
    );
    finishRun(db, runId, 'interrupted', '2026-12-01T10:01:00.000Z', null);
    expect([...prepareResume(db, String(runId)).done].sort()).toEqual(['1:t1#0', '4:t1#1']);
    db.close();
  });
});
