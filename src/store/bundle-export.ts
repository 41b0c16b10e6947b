import { NotFoundError } from '../errors.js';
import type { Bundle, BundleRun, BundleRunEntry, MachineIdentity } from './bundle-format.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from './bundle-format.js';
import { runDigest } from './bundle-hash.js';
import { downsampleRun, type DownsampleOptions, type DownsampleOutcome } from './bundle-downsample.js';
import { allBundleColumns, OMITTED_WHEN_EMPTY, readRunRows } from './bundle-tables.js';
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

/** A bundle, and how each run's thinning went (with --downsample-ms), by run id. */
export interface BuiltBundle {
  bundle: Bundle;
  downsampled: Map<number, DownsampleOutcome>;
}

/**
 * Reads the runs `ids` into a bundle: every run-owned table's rows, local ids left out; in one read
 * transaction, so a bundle is one consistent snapshot. With `downsample`, each run's samples are
 * thinned and its energy summary from every sample travels with it (bundle-downsample.ts).
 */
export function buildBundle(
  db: Db,
  ids: readonly number[],
  origin: BundleOrigin,
  downsample?: DownsampleOptions,
): BuiltBundle {
  return db.transaction(() => readBundle(db, ids, origin, downsample))();
}

interface RunInfo {
  uuid: string;
  started_at: string;
  model: string;
  hostname: string | null;
}

function readBundle(
  db: Db,
  ids: readonly number[],
  origin: BundleOrigin,
  downsample: DownsampleOptions | undefined,
): BuiltBundle {
  const all = allBundleColumns(db);
  const downsampled = new Map<number, DownsampleOutcome>();
  const read = ids.map((id) => {
    const run = db
      .prepare(
        'SELECT r.uuid, r.started_at, r.model, m.hostname FROM runs r LEFT JOIN run_machines m ON m.run_id = r.id WHERE r.id = ?',
      )
      .get(id) as RunInfo;
    let rows = readRunRows(db, id, all);
    if (downsample !== undefined) {
      const thinned = downsampleRun(id, rows, all, downsample);
      rows = thinned.rows;
      downsampled.set(id, thinned.outcome);
    }
    return { run, rows };
  });
  // A table that may be left out (OMITTED_WHEN_EMPTY) and that no run has a row in is left out.
  const tables = Object.fromEntries(
    Object.entries(all).filter(
      ([name]) => !OMITTED_WHEN_EMPTY.has(name) || read.some((r) => (r.rows[name] ?? []).length > 0),
    ),
  );
  const runs: BundleRun[] = [];
  const entries: BundleRunEntry[] = [];
  for (const { run, rows } of read) {
    const kept = Object.fromEntries(Object.keys(tables).map((name) => [name, rows[name] ?? []]));
    runs.push({ uuid: run.uuid, rows: kept });
    entries.push({
      uuid: run.uuid,
      sha256: runDigest(kept, tables),
      startedAt: run.started_at,
      model: run.model,
      hostname: run.hostname,
    });
  }
  const header = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    schemaVersion: schemaVersion(db),
    ...origin,
    tables,
    runs: entries,
  } as const;
  return { bundle: { header, runs }, downsampled };
}
