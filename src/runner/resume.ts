import { isReplayRun } from '../record/workload.js';
import { configSchema, type Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import type { Db } from '../store/db.js';
import { levelKey, levelOf, type Level } from '../types/level.js';
import { listRequests } from '../store/requests.js';
import { getRecord, type StoredRecord } from '../store/records.js';
import { getRunImport } from '../store/run-imports.js';
import { getRun, type RunRow } from '../store/runs.js';

/** What resuming a run needs: the run, its own settings, and the requests it already has. */
export interface ResumePlan {
  run: RunRow;
  /** The run's settings as it was started (model, suite, repeat, levels...), not today's config. */
  runSettings: Config['run'];
  /** levelRequestKey of every request the run already has a row for. */
  done: Set<string>;
  /** The run's whole settings record, restored on resume; null for a run from before records were kept. */
  record: StoredRecord | null;
}

/** The key of one request of one level: `${levelKey}:${taskId}#${repeatIndex}`, e.g. "4:t1#0". */
export function levelRequestKey(level: Level, taskId: string, repeatIndex: number): string {
  return `${levelKey(level)}:${taskId}#${repeatIndex}`;
}

const RUN_KEYS = Object.keys(configSchema.shape.run.unwrap().shape);

/**
 * Checks that a run can be resumed (interrupted, aborted or failed; not a replay; measured here, not
 * imported) and reads what it already did. Requests with a row (ok or failed) are not run again: only missing ones.
 */
export function prepareResume(db: Db, ref: string): ResumePlan {
  const run = getRun(db, ref);
  if (run.status === 'completed')
    throw new ConfigError(
      `run ${run.id} is completed: there is nothing to resume`,
      'Start a new run instead.',
    );
  if (run.status === 'running')
    throw new ConfigError(
      `run ${run.id} is still running (pid in the runs table)`,
      'Wait for it, or stop it first (SIGINT).',
    );
  const imported = getRunImport(db, run.id);
  if (imported !== null)
    throw new ConfigError(
      `run ${run.id} was imported from ${imported.exportedBy.hostname} (${imported.bundleFile}): it cannot be resumed here`,
      'Resume it on the machine that ran it; its new bundle then differs from this copy: import that into another database.',
    );
  const record = getRecord(db, run.id);
  if (isReplayRun(run, record?.record ?? null))
    throw new ConfigError(`run ${run.id} is a replay, which cannot be resumed`, 'Run the replay again.');
  const picked = Object.fromEntries(Object.entries(run.settings).filter(([k]) => RUN_KEYS.includes(k)));
  const parsed = configSchema.safeParse({ run: picked });
  if (!parsed.success)
    throw new ConfigError(
      `run ${run.id} has settings this costbench cannot read`,
      'Start a new run instead.',
    );
  const done = new Set(
    listRequests(db, run.id).map((r) => levelRequestKey(levelOf(r), r.taskId, r.repeatIndex)),
  );
  const runSettings = record === null ? parsed.data.run : record.record.config.run;
  return { run, runSettings: { ...runSettings, model: run.model }, done, record };
}
