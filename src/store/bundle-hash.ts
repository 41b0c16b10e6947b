import { createHash } from 'node:crypto';
import { OMITTED_WHEN_EMPTY, type RunRows, type TableColumns } from './bundle-tables.js';

/** sha256 of a text, as lowercase hex. */
export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Each table's digest of a run's rows: sha256 of the canonical JSON `[table, columns, rows]`, rows
 * in the order they were written, local ids left out (they are not in the rows); an OMITTED_WHEN_EMPTY
 * table the run has no row in is left out. Pure.
 */
export function tableDigests(rows: RunRows, columns: TableColumns): Record<string, string> {
  const names = Object.keys(columns)
    .filter((name) => !OMITTED_WHEN_EMPTY.has(name) || (rows[name] ?? []).length > 0)
    .sort();
  return Object.fromEntries(
    names.map((name) => [name, sha256Hex(JSON.stringify([name, columns[name], rows[name] ?? []]))]),
  );
}

/** A run's content digest: sha256 of its table digests in table-name order. Pure. */
export function runDigest(rows: RunRows, columns: TableColumns): string {
  return sha256Hex(JSON.stringify(Object.entries(tableDigests(rows, columns))));
}

/** The tables whose rows differ between two copies of a run, by name (empty: the same content). Pure. */
export function differingTables(a: RunRows, b: RunRows, columns: TableColumns): string[] {
  const da = tableDigests(a, columns);
  const db = tableDigests(b, columns);
  const names = [...new Set([...Object.keys(da), ...Object.keys(db)])].sort();
  return names.filter((name) => da[name] !== db[name]);
}
