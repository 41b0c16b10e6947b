import type { RunRow } from '../types/run-rows.js';
import type { SettingsRecord } from '../types/settings-record.js';

/**
 * Whether a run replayed an OpenAI batch file rather than running a suite: the record says so.
 * Records written before the kind was kept (and runs with no record) fall back on the suite id
 * the replay loader gives every replay ("replay-<file name>").
 */
export function isReplayRun(run: Pick<RunRow, 'suiteId'>, record: SettingsRecord | null): boolean {
  const kind = record?.suite.kind;
  return kind === undefined ? run.suiteId.startsWith('replay-') : kind === 'replay';
}
