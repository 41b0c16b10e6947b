import type { MachineIdentity } from '../inventory/machine-identity.js';
import type { Db } from './db-handle.js';

/** Where an imported run came from (table run_imports); null for a run measured into this database. */
export interface RunImport {
  importedAt: string;
  bundleFile: string;
  bundleSha256: string;
  exportedAt: string;
  exportedBy: MachineIdentity;
  costbenchVersion: string;
}

/** The import record of a run, or null when the run was measured here. */
export function getRunImport(db: Db, runId: number): RunImport | null {
  const row = db.prepare('SELECT * FROM run_imports WHERE run_id = ?').get(runId) as
    | {
        imported_at: string;
        bundle_file: string;
        bundle_sha256: string;
        exported_at: string;
        exported_by_json: string;
        costbench_version: string;
      }
    | undefined;
  if (row === undefined) return null;
  return {
    importedAt: row.imported_at,
    bundleFile: row.bundle_file,
    bundleSha256: row.bundle_sha256,
    exportedAt: row.exported_at,
    exportedBy: JSON.parse(row.exported_by_json) as MachineIdentity,
    costbenchVersion: row.costbench_version,
  };
}
