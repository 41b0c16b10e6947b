import { StoreError } from '../errors.js';
import { recordDigest, SETTINGS_RECORD_VERSION, type SettingsRecord } from '../record/settings-record.js';
import type { Db } from './db.js';
import type { StoredRecord } from '../types/record-rows.js';
export type { StoredRecord } from '../types/record-rows.js';

/** Stores a run's settings record (once, at its start). */
export function insertRecord(db: Db, runId: number, record: SettingsRecord): StoredRecord {
  const digest = recordDigest(record);
  db.prepare('INSERT INTO run_records (run_id, record_version, digest, record_json) VALUES (?, ?, ?, ?)').run(
    runId,
    record.recordVersion,
    digest,
    JSON.stringify(record),
  );
  return { record, digest };
}

/** A run's record; null for a run from before records were kept. */
export function getRecord(db: Db, runId: number): StoredRecord | null {
  const row = db
    .prepare('SELECT record_version, digest, record_json FROM run_records WHERE run_id = ?')
    .get(runId) as { record_version: number; digest: string; record_json: string } | undefined;
  if (row === undefined) return null;
  if (row.record_version > SETTINGS_RECORD_VERSION) {
    throw new StoreError(
      `run ${runId} has a settings record of version ${row.record_version}, newer than this costbench reads (${SETTINGS_RECORD_VERSION})`,
      'Upgrade costbench to read this run.',
    );
  }
  return { record: JSON.parse(row.record_json) as SettingsRecord, digest: row.digest };
}

/** Stores what the server said about itself at one start (part 0) or resume (1, 2…). */
export function insertServerFacts(db: Db, runId: number, facts: unknown, collectedAt: string): number {
  const row = db
    .prepare('SELECT COALESCE(MAX(part) + 1, 0) AS part FROM run_server_facts WHERE run_id = ?')
    .get(runId) as { part: number };
  db.prepare('INSERT INTO run_server_facts (run_id, part, collected_at, facts_json) VALUES (?, ?, ?, ?)').run(
    runId,
    row.part,
    collectedAt,
    JSON.stringify(facts),
  );
  return row.part;
}

/** What the server said at each start of the run, in order; [] for older runs. */
export function listServerFacts<T>(db: Db, runId: number): { part: number; collectedAt: string; facts: T }[] {
  const rows = db
    .prepare('SELECT part, collected_at, facts_json FROM run_server_facts WHERE run_id = ? ORDER BY part')
    .all(runId) as { part: number; collected_at: string; facts_json: string }[];
  return rows.map((r) => ({
    part: r.part,
    collectedAt: r.collected_at,
    facts: JSON.parse(r.facts_json) as T,
  }));
}
