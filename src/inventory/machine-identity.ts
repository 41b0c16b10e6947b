import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** The machine that wrote a bundle: what later fleet reports group runs by. */
export interface MachineIdentity {
  hostname: string;
  /**
   * sha256 of the machine id (/etc/machine-id, systemd's stable per-install id): stable across
   * renames, without publishing the id itself. null where there is none (macOS, containers).
   */
  machineIdSha256: string | null;
}

/** Reads this machine's identity; `etcRoot` is a test's tree. */
export function readMachineIdentity(etcRoot = '/etc'): MachineIdentity {
  let machineId: string | null;
  try {
    machineId = readFileSync(join(etcRoot, 'machine-id'), 'utf8').trim() || null;
  } catch {
    machineId = null;
  }
  return {
    hostname: hostname(),
    machineIdSha256: machineId === null ? null : createHash('sha256').update(machineId).digest('hex'),
  };
}
