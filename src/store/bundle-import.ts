import { BundleConflictError, BundleError, CostbenchError, describeError } from '../errors.js';
import type { ParsedBundle } from './bundle-format.js';
import { bundledIntervalMs, getDownsampledEnergy, thinningConflict } from './bundle-downsample.js';
import { differingTables } from './bundle-hash.js';
import { allBundleColumns, readRunRows, writeRunRows, type TableColumns } from './bundle-tables.js';
import type { Db } from './db-handle.js';

/** A run of a bundle and its id in the target database. */
export interface ImportedRun {
  uuid: string;
  runId: number;
}

/** What importing one bundle did. */
export interface ImportResult {
  added: ImportedRun[];
  /** Runs the database already had with the same content: left as they were. */
  present: ImportedRun[];
}

/** A bundle's tables and columns must all exist here (a bundle from an older schema may have fewer). */
function checkColumns(db: Db, tables: TableColumns, file: string): void {
  const here = allBundleColumns(db);
  for (const [name, columns] of Object.entries(tables)) {
    const known = Object.hasOwn(here, name) ? here[name] : undefined;
    const missing =
      known === undefined ? [name] : columns.filter((c) => !known.includes(c)).map((c) => `${name}.${c}`);
    if (missing.length > 0)
      throw new BundleError(
        `bundle ${file} has ${missing.join(', ')}, which this database does not`,
        'It was written by a newer costbench: upgrade costbench, then import again.',
      );
  }
}

function recordImport(db: Db, runId: number, bundle: ParsedBundle, file: string, importedAt: string): void {
  db.prepare(
    `INSERT INTO run_imports (run_id, imported_at, bundle_file, bundle_sha256, exported_at, exported_by_json,
       costbench_version) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    importedAt,
    file,
    bundle.sha256,
    bundle.header.createdAt,
    JSON.stringify(bundle.header.exportedBy),
    bundle.header.costbenchVersion,
  );
}

/** A failure of the database itself (locked, full, read-only, I/O), not of the bundle's rows. */
function isEnvironmentError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    /^SQLITE_(BUSY|LOCKED|FULL|IOERR|READONLY|CANTOPEN|NOMEM|CORRUPT|NOTADB)/.test(code)
  );
}

/**
 * Imports a parsed bundle in one transaction: a run whose UUID the database lacks is written with
 * new local ids; one it has with the same content is left alone; one it has with other content
 * refuses the whole bundle (BundleConflictError naming the tables that differ). Any failure leaves
 * the database as it was. Each added run gets a run_imports row: which bundle, exported by which
 * machine, imported at `importedAt`.
 */
export function importBundle(db: Db, bundle: ParsedBundle, file: string, importedAt: string): ImportResult {
  const { tables } = bundle.header;
  checkColumns(db, tables, file);
  const find = db.prepare('SELECT id FROM runs WHERE uuid = ?');
  const result: ImportResult = { added: [], present: [] };
  const write = db.transaction(() => {
    for (const run of bundle.runs) {
      const bundledMs = bundledIntervalMs(run.rows, tables, file, run.uuid);
      const existing = find.get(run.uuid) as { id: number } | undefined;
      if (existing === undefined) {
        const runId = writeRunRows(db, run.rows, tables);
        recordImport(db, runId, bundle, file, importedAt);
        result.added.push({ uuid: run.uuid, runId });
        continue;
      }
      const differ = differingTables(readRunRows(db, existing.id, tables), run.rows, tables);
      if (differ.length > 0) {
        const storedMs = getDownsampledEnergy(db, existing.id)?.intervalMs ?? null;
        const thinning = thinningConflict(storedMs, bundledMs);
        throw new BundleConflictError(
          `bundle ${file}: run ${run.uuid} is already stored as run ${existing.id} with other content (${differ.join(', ')} differ)${thinning}; nothing of the bundle was imported`,
          thinning === ''
            ? 'A run resumed or re-scored after its export differs from its bundle: export it again from the machine that ran it, or import into another database.'
            : 'One database holds one copy of a run: import this bundle into another database (a downsampled copy keeps every energy figure exact).',
        );
      }
      result.present.push({ uuid: run.uuid, runId: existing.id });
    }
  });
  try {
    write.immediate();
  } catch (error) {
    if (error instanceof CostbenchError || isEnvironmentError(error)) throw error;
    throw new BundleError(
      `bundle ${file} cannot be written: ${describeError(error)}; nothing of it was imported`,
      'The bundle is damaged, or older than this database allows: export it again.',
      error,
    );
  }
  return result;
}
