import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../errors.js';
import type { Db } from './db.js';
import type { RemoteRun, RunStatus, RunRow } from '../types/run-rows.js';
export type { RemoteRun, RunStatus, RunRow } from '../types/run-rows.js';

export interface NewRun {
  startedAt: string;
  backend: string;
  host: string;
  model: string;
  suiteId: string;
  suiteVersion: string;
  repeatCount: number;
  plannedRequests: number;
  settings: Record<string, unknown>;
  costbenchVersion: string;
  pid: number;
}

/** Inserts a run in state 'running', with a new random UUID (its identity across databases), and returns its id. */
export function insertRun(db: Db, run: NewRun): number {
  const result = db
    .prepare(
      `INSERT INTO runs (status, started_at, backend, host, model, suite_id, suite_version, repeat_count,
         planned_requests, settings_json, costbench_version, pid, uuid)
       VALUES ('running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      run.startedAt,
      run.backend,
      run.host,
      run.model,
      run.suiteId,
      run.suiteVersion,
      run.repeatCount,
      run.plannedRequests,
      JSON.stringify(run.settings),
      run.costbenchVersion,
      run.pid,
      randomUUID(),
    );
  return Number(result.lastInsertRowid);
}

/** Marks a run as against a remote API, with the price it is billed at and its limits (written at its start, and when it stops early). */
export function setRemoteRun(db: Db, runId: number, remote: RemoteRun): void {
  db.prepare('UPDATE runs SET remote_json = ? WHERE id = ?').run(JSON.stringify(remote), runId);
}

/** Records a warning on a run as soon as it is known. */
export function addRunWarning(db: Db, runId: number, warning: string): void {
  db.prepare(`UPDATE runs SET warnings_json = json_insert(warnings_json, '$[#]', ?) WHERE id = ?`).run(
    warning,
    runId,
  );
}

/**
 * Marks as interrupted the runs still "running" whose process is gone (killed, power lost):
 * only runs started on this host, whose pid `isAlive` says is not running. Returns their ids.
 */
export function markInterruptedRuns(
  db: Db,
  hostname: string,
  isAlive: (pid: number) => boolean,
  finishedAt: string,
): number[] {
  const stale = (
    db
      .prepare(
        `SELECT r.id, r.pid FROM runs r JOIN run_machines m ON m.run_id = r.id WHERE r.status = 'running' AND m.hostname = ? AND r.pid IS NOT NULL`,
      )
      .all(hostname) as { id: number; pid: number }[]
  ).filter((r) => r.pid !== process.pid && !isAlive(r.pid));
  const mark = db.prepare(
    `UPDATE runs SET status = 'interrupted', finished_at = ?, error = ? WHERE id = ? AND status = 'running'`,
  );
  for (const r of stale)
    mark.run(
      finishedAt,
      `its process (pid ${r.pid}) ended without finishing the run; finished requests are kept: continue with \`costbench run --resume ${r.id}\``,
      r.id,
    );
  return stale.map((r) => r.id);
}

/** Puts a stopped run back to running under this process, to resume it. */
export function reopenRun(db: Db, runId: number, pid: number): void {
  db.prepare(
    `UPDATE runs SET status = 'running', finished_at = NULL, error = NULL, pid = ? WHERE id = ?`,
  ).run(pid, runId);
}

/** Counts requests added to a run's plan while it runs (passes added to reach a minimum duration). */
export function addPlannedRequests(db: Db, runId: number, count: number): void {
  db.prepare('UPDATE runs SET planned_requests = planned_requests + ? WHERE id = ?').run(count, runId);
}

/** Sets a run's final status. */
export function finishRun(
  db: Db,
  runId: number,
  status: Exclude<RunStatus, 'running'>,
  finishedAt: string,
  error: string | null,
): void {
  db.prepare('UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(
    status,
    finishedAt,
    error,
    runId,
  );
}

type RunRecord = {
  id: number;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  backend: string;
  host: string;
  model: string;
  suite_id: string;
  suite_version: string;
  repeat_count: number;
  planned_requests: number;
  settings_json: string;
  costbench_version: string;
  error: string | null;
  warnings_json: string;
  remote_json: string | null;
};

function toRunRow(r: RunRecord): RunRow {
  return {
    id: r.id,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    backend: r.backend,
    host: r.host,
    model: r.model,
    suiteId: r.suite_id,
    suiteVersion: r.suite_version,
    repeatCount: r.repeat_count,
    plannedRequests: r.planned_requests,
    settings: JSON.parse(r.settings_json) as Record<string, unknown>,
    costbenchVersion: r.costbench_version,
    error: r.error,
    warnings: JSON.parse(r.warnings_json) as string[],
    ...(r.remote_json == null ? {} : { remote: JSON.parse(r.remote_json) as RemoteRun }),
  };
}

/** Runs, newest first. */
export function listRuns(db: Db, limit = 50): RunRow[] {
  return (db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as RunRecord[]).map(toRunRow);
}

/** The run named by an id or "latest"; NotFoundError when there is none. */
export function getRun(db: Db, ref: string): RunRow {
  const record = (
    ref === 'latest'
      ? db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get()
      : /^\d+$/.test(ref)
        ? db.prepare('SELECT * FROM runs WHERE id = ?').get(Number(ref))
        : undefined
  ) as RunRecord | undefined;
  if (record === undefined) {
    if (ref === 'latest')
      throw new NotFoundError(`no runs in ${db.name} yet`, 'Start one with `costbench run`.');
    if (!/^\d+$/.test(ref))
      throw new NotFoundError(
        `"${ref}" is not a run id`,
        'Give a number from `costbench runs`, or "latest".',
      );
    throw new NotFoundError(`no run ${ref} in ${db.name}`, 'List the runs with `costbench runs`.');
  }
  return toRunRow(record);
}

/** One series' latest run: the newest run of each model x suite x machine (hostname) x backend. */
export interface SeriesRun {
  runId: number;
  model: string;
  suiteId: string;
  backend: string;
  /** The machine's hostname; "unknown" for a run whose machine was not recorded. */
  machine: string;
}

/** The newest run of each series, newest first. */
export function latestRunPerSeries(db: Db): SeriesRun[] {
  return db
    .prepare(
      `SELECT MAX(r.id) AS runId, r.model AS model, r.suite_id AS suiteId, r.backend AS backend,
         COALESCE(m.hostname, 'unknown') AS machine
       FROM runs r LEFT JOIN run_machines m ON m.run_id = r.id
       GROUP BY r.model, r.suite_id, r.backend, COALESCE(m.hostname, 'unknown')
       ORDER BY runId DESC`,
    )
    .all() as SeriesRun[];
}

/** Suites with their number of runs (runs still running left out), most runs first. */
export function suitesWithRuns(db: Db): { suiteId: string; runs: number }[] {
  return db
    .prepare(
      `SELECT suite_id AS suiteId, COUNT(*) AS runs FROM runs WHERE status != 'running'
       GROUP BY suite_id ORDER BY runs DESC, suite_id`,
    )
    .all() as { suiteId: string; runs: number }[];
}

/** The ids of a suite's runs that are not running (finished, failed, stopped), oldest first. */
export function runIdsOfSuite(db: Db, suiteId: string): number[] {
  return (
    db.prepare(`SELECT id FROM runs WHERE suite_id = ? AND status != 'running' ORDER BY id`).all(suiteId) as {
      id: number;
    }[]
  ).map((r) => r.id);
}
