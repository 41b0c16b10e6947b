import type { StoredRecord } from '../types/record-rows.js';
import type { RunMachineStates } from '../types/record-rows.js';
import { flattenSettings } from '../analysis/compare-settings.js';
import { formatCsvRow } from './format-csv.js';

/** The header of the settings CSV: one row per recorded value. */
export const SETTINGS_CSV_HEADER: readonly string[] = ['run_id', 'section', 'key', 'value'];

/**
 * The settings CSV: the settings record (section `record`, plus its digest), the server's facts
 * (`server` at the start, `server.resume1`… at each resume) and the machine's state (`machine.start`,
 * `machine.end`), each leaf a row with its value as JSON. A run without a record has only the
 * rows it has. Pure.
 */
export function* generateSettingsCsv(
  runId: number,
  record: StoredRecord | null,
  serverFacts: readonly { part: number; facts: unknown }[],
  states: RunMachineStates,
): Generator<string> {
  yield formatCsvRow(SETTINGS_CSV_HEADER);
  const sections: [string, unknown][] = [
    ['record', record === null ? null : { digest: record.digest, ...record.record }],
    ...serverFacts.map((f): [string, unknown] => [
      f.part === 0 ? 'server' : `server.resume${f.part}`,
      f.facts,
    ]),
    ['machine.start', states.start],
    ['machine.end', states.end],
  ];
  for (const [section, value] of sections) {
    if (value === null || typeof value !== 'object') continue;
    for (const [key, json] of flattenSettings(value as Record<string, unknown>))
      yield formatCsvRow([runId, section, key, json]);
  }
}
