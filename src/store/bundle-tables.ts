import type { Db } from './db-handle.js';

/** How a run-owned table's rows are found: the runs row itself, by run_id, or through their channel. */
export type BundleTableOwner = 'self' | 'run' | 'channel';

/** A table whose rows travel in a bundle. */
export interface BundleTable {
  name: string;
  owner: BundleTableOwner;
}

/**
 * Every table that holds a run's rows, in an order that inserts parents first (runs, then the
 * channels before their samples). test/bundle-edges.test.ts fails when a migration adds a table
 * that references runs (or one of these) and is listed neither here nor in LOCAL_TABLES.
 */
export const BUNDLE_TABLES: readonly BundleTable[] = [
  { name: 'runs', owner: 'self' },
  { name: 'warmups', owner: 'run' },
  { name: 'run_machines', owner: 'run' },
  { name: 'run_models', owner: 'run' },
  { name: 'run_engines', owner: 'run' },
  { name: 'run_records', owner: 'run' },
  { name: 'run_server_facts', owner: 'run' },
  { name: 'run_machine_states', owner: 'run' },
  { name: 'requests', owner: 'run' },
  { name: 'replay_references', owner: 'run' },
  { name: 'telemetry_sources', owner: 'run' },
  { name: 'telemetry_channels', owner: 'run' },
  { name: 'samples', owner: 'channel' },
  { name: 'telemetry_errors', owner: 'run' },
  { name: 'phases', owner: 'run' },
  { name: 'idle_settles', owner: 'run' },
  { name: 'run_loop_lag', owner: 'run' },
  { name: 'run_downsampled_energy', owner: 'run' },
];

/**
 * Tables a bundle leaves out when none of its runs has a row in them, and a run's digest leaves out
 * when it has none: a bundle without `--downsample-ms` stays what it was before the table existed,
 * and a run's content sha256 does not depend on whether a bundle next to it was thinned.
 */
export const OMITTED_WHEN_EMPTY: ReadonlySet<string> = new Set(['run_downsampled_energy']);

/**
 * Tables that reference runs but stay in their database: run_imports records this database's import
 * of a run (from which bundle, exported by which machine), not the run's content.
 */
export const LOCAL_TABLES: readonly string[] = ['run_imports'];

/**
 * Local ids: they differ between databases, so a bundle leaves them out and an import gives new
 * ones. A sample names its channel by key instead of channel_id.
 */
export const LOCAL_ID_COLUMNS: ReadonlySet<string> = new Set(['id', 'run_id', 'channel_id']);

/** The column a sample carries in a bundle instead of channel_id. */
export const SAMPLE_CHANNEL_COLUMN = 'channel_key';

/** A table's columns in a bundle, by table name. */
export type TableColumns = Record<string, string[]>;

/** One run's rows, by table name: each row its values in the order of the table's bundle columns. */
export type RunRows = Record<string, unknown[][]>;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The columns a table has in this database, local ids left out (a sample's channel key first). */
export function bundleColumns(db: Db, table: BundleTable): string[] {
  const names = (db.prepare(`PRAGMA table_info(${quote(table.name)})`).all() as { name: string }[])
    .map((c) => c.name)
    .filter((name) => !LOCAL_ID_COLUMNS.has(name));
  return table.owner === 'channel' ? [SAMPLE_CHANNEL_COLUMN, ...names] : names;
}

/** Every bundle table's columns in this database. */
export function allBundleColumns(db: Db): TableColumns {
  return Object.fromEntries(BUNDLE_TABLES.map((t) => [t.name, bundleColumns(db, t)]));
}

function selectSql(table: BundleTable, columns: readonly string[]): string {
  if (table.owner === 'self') return `SELECT ${columns.map(quote).join(', ')} FROM runs WHERE id = ?`;
  if (table.owner === 'run')
    return `SELECT ${columns.map(quote).join(', ')} FROM ${quote(table.name)} WHERE run_id = ? ORDER BY rowid`;
  const picked = columns.map((c) => (c === SAMPLE_CHANNEL_COLUMN ? 'c.key' : `s.${quote(c)}`));
  return `SELECT ${picked.join(', ')} FROM samples s JOIN telemetry_channels c ON c.id = s.channel_id
    WHERE c.run_id = ? ORDER BY s.rowid`;
}

/** A run's rows in `columns` (a table absent from it is left out), in the order they were written. */
export function readRunRows(db: Db, runId: number, columns: TableColumns): RunRows {
  const rows: RunRows = {};
  for (const table of BUNDLE_TABLES) {
    const cols = columns[table.name];
    if (cols === undefined) continue;
    rows[table.name] = db.prepare(selectSql(table, cols)).raw(true).all(runId) as unknown[][];
  }
  return rows;
}

/**
 * Writes a run's rows with new local ids and returns the new run id. The caller holds the
 * transaction; a table absent from `columns`, or a column absent from it, takes its defaults.
 */
export function writeRunRows(db: Db, rows: RunRows, columns: TableColumns): number {
  let runId = 0;
  const channelIds = new Map<string, number>();
  for (const table of BUNDLE_TABLES) {
    const cols = columns[table.name];
    const tableRows = rows[table.name] ?? [];
    if (cols === undefined || tableRows.length === 0) continue;
    if (table.owner === 'channel') {
      const keyAt = cols.indexOf(SAMPLE_CHANNEL_COLUMN);
      const rest = cols.filter((c) => c !== SAMPLE_CHANNEL_COLUMN);
      const insert = db.prepare(
        `INSERT INTO samples (channel_id, ${rest.map(quote).join(', ')}) VALUES (${['?', ...rest.map(() => '?')].join(', ')})`,
      );
      for (const row of tableRows) {
        const channelId = channelIds.get(String(row[keyAt]));
        insert.run(channelId ?? null, ...row.filter((_, i) => i !== keyAt));
      }
      continue;
    }
    const own = table.owner === 'run' ? ['run_id', ...cols] : cols;
    const insert = db.prepare(
      `INSERT INTO ${quote(table.name)} (${own.map(quote).join(', ')}) VALUES (${own.map(() => '?').join(', ')})`,
    );
    for (const row of tableRows) {
      const result = insert.run(...(table.owner === 'run' ? [runId, ...row] : row));
      if (table.owner === 'self') runId = Number(result.lastInsertRowid);
    }
    if (table.name === 'telemetry_channels') {
      const stored = db.prepare('SELECT id, key FROM telemetry_channels WHERE run_id = ?').all(runId) as {
        id: number;
        key: string;
      }[];
      for (const c of stored) channelIds.set(c.key, c.id);
    }
  }
  return runId;
}
