/**
 * The power source on macOS from `pmset -g batt`, e.g.
 * ```
 * Now drawing from 'Battery Power'
 *  -InternalBattery-0 (id=4653155)	85%; discharging; 5:12 remaining present: true
 * ```
 */
import type { BatteryState, PowerState } from './power-supply.js';

/** The arguments of the pmset query. */
export const PMSET_ARGS = ['-g', 'batt'] as const;

const SOURCE = /Now drawing from '([^']+)'/;
const BATTERY = /^\s*-(\S+) \(id=\d+\)\s+(\d+)%;\s*([^;]+);/;

/** 'AC Power' is mains, 'Battery Power' is battery, anything else (e.g. 'UPS Power') unknown. */
export function parsePmsetBatt(text: string): PowerState {
  const source = SOURCE.exec(text)?.[1] ?? null;
  const onMains = source === 'AC Power' ? true : source === 'Battery Power' ? false : null;
  const batteries: BatteryState[] = [];
  for (const line of text.split('\n')) {
    const match = BATTERY.exec(line);
    if (match === null) continue;
    batteries.push({
      name: match[1] ?? '',
      capacityPercent: Number(match[2]),
      status: match[3]?.trim() ?? null,
    });
  }
  return { onMains, batteries };
}
