import type { MachineState } from '../types/machine-state.js';
import type { Db } from './db.js';
import type { RunMachineStates } from '../types/record-rows.js';
export type { RunMachineStates } from '../types/record-rows.js';

/** Records a state under its phase; a second one for the same phase (a resumed run's end) replaces it. */
export function insertMachineState(db: Db, runId: number, state: MachineState): void {
  db.prepare(
    `INSERT OR REPLACE INTO run_machine_states (run_id, phase, collected_at, state_json) VALUES (?, ?, ?, ?)`,
  ).run(runId, state.phase, state.collectedAt, JSON.stringify(state));
}

/** The start and end states of a run. */
export function getMachineStates(db: Db, runId: number): RunMachineStates {
  const rows = db.prepare('SELECT phase, state_json FROM run_machine_states WHERE run_id = ?').all(runId) as {
    phase: string;
    state_json: string;
  }[];
  const of = (phase: string): MachineState | null => {
    const row = rows.find((r) => r.phase === phase);
    return row === undefined ? null : (JSON.parse(row.state_json) as MachineState);
  };
  return { start: of('start'), end: of('end') };
}
