import type { MachineState } from './machine-state.js';
import type { SettingsRecord } from './settings-record.js';

/** A run's stored record with its digest. */
export interface StoredRecord {
  record: SettingsRecord;
  digest: string;
}

/** A run's machine states; null where none was recorded (a run from before migration 0011, or cut short). */
export interface RunMachineStates {
  start: MachineState | null;
  end: MachineState | null;
}
