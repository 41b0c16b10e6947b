import { NotFoundError } from '../errors.js';
import type { Bundle, BundleRun, BundleRunEntry, MachineIdentity } from './bundle-format.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from './bundle-format.js';
import { runDigest } from './bundle-hash.js';
import { allBundleColumns, readRunRows } from './bundle-tables.js';
import type { Db } from './db-handle.js';
import { getRun } from './runs.js';

/** Which runs to export: ids (or `latest`), or every run started at or after `since`. */
export interface RunSelection {
  refs: readonly string[];
  since?: string;
}

/** The runs a selection names, in id order, and those left out because they are still running. */
export function selectRuns(db: Db, selection: RunSelection): { ids: number[]; running: number[] } {
  const ids = new Set(selection.refs.map((ref) => getRun(db, ref).id));
  if (selection.since !== undefined) {
    const rows = db.prepare('SELECT id FROM runs WHERE started_at >= ? ORDER BY id').all(selection.since) as {
      id: number;
    }[];
    if (rows.length === 0 && ids.size === 0)
      throw new NotFoundError(`no run started at or after ${selection.since}`, 'See `costbench runs`.');
    for (const r of rows) ids.add(r.id);
  }
  const status = db.prepare('SELECT status FROM runs WHERE id = ?');
  const sorted = [...ids].sort((a, b) => a - b);
  const isRunning = (id: number): boolean => (status.get(id) as { status: string }).status === 'running';
  return { ids: sorted.filter((id) => !isRunning(id)), running: sorted.filter(isRunning) };
}

/** What a bundle says about where it came from. */
export interface BundleOrigin {
  costbenchVersion: string;
  createdAt: string;
  exportedBy: MachineIdentity;
}

/** The highest migration the database has. */
export function schemaVersion(db: Db): number {
  return (db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number }).v;
}

/**
 * Reads the runs `ids` into a bundle: every run-owned table's rows, local ids left out; in one read
 * transaction, so a bundle is one consistent snapshot.
 */
export function buildBundle(db: Db, ids: readonly number[], origin: BundleOrigin): Bundle {
  return db.transaction(() => readBundle(db, ids, origin))();
}

function readBundle(db: Db, ids: readonly number[], origin: BundleOrigin): Bundle {
  const tables = allBundleColumns(db);
  const runs: BundleRun[] = [];
  const entries: BundleRunEntry[] = [];
  for (const id of ids) {
    const run = db
      .prepare(
        'SELECT r.uuid, r.started_at, r.model, m.hostname FROM runs r LEFT JOIN run_machines m ON m.run_id = r.id WHERE r.id = ?',
      )
      .get(id) as { uuid: string; started_at: string; model: string; hostname: string | null };
    const rows = readRunRows(db, id, tables);
    runs.push({ uuid: run.uuid, rows });
    entries.push({
      uuid: run.uuid,
      sha256: runDigest(rows, tables),
      startedAt: run.started_at,
      model: run.model,
      hostname: run.hostname,
    });
  }
  return {
    header: {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      schemaVersion: schemaVersion(db),
      ...origin,
      tables,
      runs: entries,
    },
    runs,
  };
}
