/**
 * Whether the machine runs on mains or battery, from Linux `class/power_supply/<name>/`
 * (type, online, capacity, status, scope). The summary is pure; reading is {@link readPowerSupplies}.
 */
import { join } from 'node:path';
import type { SysfsReader } from './sysfs-reader.js';
import type { PowerState } from '../types/machine-state.js';
export type { BatteryState, PowerState } from '../types/machine-state.js';

/** One power_supply entry, as read. */
export interface PowerSupplyFiles {
  name: string;
  type: string | null;
  online: string | null;
  capacity: number | null;
  status: string | null;
  /** "System" or "Device" (a mouse's battery); absent on most system supplies. */
  scope: string | null;
}

/** A PowerState that knows nothing. */
export const UNKNOWN_POWER_STATE: PowerState = { onMains: null, batteries: [] };

const MAINS_TYPES = new Set(['Mains', 'USB']);

/**
 * Mains when any Mains/USB supply is online; battery when a system battery discharges, or when
 * there is a battery and every mains supply reads offline; otherwise unknown (a desktop lists none).
 */
export function summarizePowerSupplies(supplies: readonly PowerSupplyFiles[]): PowerState {
  const mains = supplies.filter((s) => s.type !== null && MAINS_TYPES.has(s.type) && s.online !== null);
  const batteries = supplies
    .filter((s) => s.type === 'Battery' && s.scope !== 'Device')
    .map((s) => ({ name: s.name, capacityPercent: s.capacity, status: s.status }));
  let onMains: boolean | null = null;
  if (mains.some((s) => s.online === '1')) onMains = true;
  else if (batteries.some((b) => b.status === 'Discharging')) onMains = false;
  else if (batteries.length > 0 && mains.length > 0) onMains = false;
  return { onMains, batteries };
}

/** Reads every entry under `<sysRoot>/class/power_supply`. */
export function readPowerSupplies(sysRoot: string, read: SysfsReader, errors: string[]): PowerState {
  const dir = join(sysRoot, 'class', 'power_supply');
  const names = read.list(dir);
  if (names === null) {
    errors.push(`power source: ${dir} not found`);
    return UNKNOWN_POWER_STATE;
  }
  return summarizePowerSupplies(
    names.map((name) => ({
      name,
      type: read.text(join(dir, name, 'type')),
      online: read.text(join(dir, name, 'online')),
      capacity: read.number(join(dir, name, 'capacity')),
      status: read.text(join(dir, name, 'status')),
      scope: read.text(join(dir, name, 'scope')),
    })),
  );
}
