import type { GpuState, MachineState } from '../types/machine-state.js';
/**
 * What differs between the machine states of two runs (for `compare`; pass each run's start
 * state). Pure. Values are shown as text, "unknown" where not recorded (a run from before
 * machine states were kept, or a sensor that could not be read).
 */

/** One field that differs. */
export interface MachineStateDifference {
  /** e.g. "cpu.governors", "power.onMains", "gpu[0].powerLimitW". */
  field: string;
  a: string;
  b: string;
  /** Whether this field is known to move results (a clock reading or a temperature is not). */
  movesResults: boolean;
}

/** Shown for a value not recorded. */
export const UNKNOWN = 'unknown';

type Shown = string | number | boolean | null | undefined;
interface Field {
  value: string;
  movesResults: boolean;
}

const GPU_FIELDS: [keyof GpuState, boolean][] = [
  ['name', true],
  ['driverVersion', true],
  ['powerLimitW', true],
  ['defaultPowerLimitW', false],
  ['enforcedPowerLimitW', true],
  ['persistenceMode', true],
  ['maxSmClockMhz', true],
  ['performanceLevel', true],
  ['smClockMhz', false],
  ['memClockMhz', false],
  ['pstate', false],
  ['temperatureC', false],
];

/** The fields whose shown values differ, in a fixed order (CPU, power, load, GPUs, GPU processes). */
export function diffMachineStates(a: MachineState | null, b: MachineState | null): MachineStateDifference[] {
  const fa = flatten(a);
  const fb = flatten(b);
  const names = [...fa.keys(), ...[...fb.keys()].filter((k) => !fa.has(k))];
  const differences: MachineStateDifference[] = [];
  for (const field of names) {
    const x = fa.get(field);
    const y = fb.get(field);
    const shownA = x?.value ?? UNKNOWN;
    const shownB = y?.value ?? UNKNOWN;
    if (shownA === shownB) continue;
    differences.push({
      field,
      a: shownA,
      b: shownB,
      movesResults: x?.movesResults ?? y?.movesResults ?? false,
    });
  }
  return differences;
}

/** Every field of a state as text; a null state has the fixed fields, all unknown. */
function flatten(s: MachineState | null): Map<string, Field> {
  const fields = new Map<string, Field>();
  const put = (name: string, value: Shown | readonly (string | number)[], movesResults: boolean): void => {
    fields.set(name, { value: show(value), movesResults });
  };
  const cpu = s?.cpu;
  put('cpu.scalingDrivers', cpu?.scalingDrivers, true);
  put('cpu.governors', cpu?.governors, true);
  put('cpu.energyPerfPreferences', cpu?.energyPerfPreferences, true);
  put('cpu.scalingMinKhz', cpu?.scalingMinKhz, true);
  put('cpu.scalingMaxKhz', cpu?.scalingMaxKhz, true);
  put('cpu.cpuinfoMaxKhz', cpu?.cpuinfoMaxKhz, true);
  put('cpu.cappedCpuCount', cpu?.cappedCpuCount, true);
  put('cpu.boost', cpu?.boost, true);
  put('power.onMains', s?.power.onMains, true);
  // It differs between any two runs; a high load at the start is a warning of its own.
  put('loadAverage', s?.loadAverage, false);
  (s?.gpus ?? []).forEach((gpu, i) => {
    for (const [key, moves] of GPU_FIELDS) put(`gpu[${String(i)}].${key}`, gpu[key], moves);
  });
  // Names, not pids: the same server under a new pid is no difference.
  const names = s?.gpuProcesses?.map((p) => p.processName);
  put('gpuProcesses', names === undefined ? null : [...new Set(names)].sort(), true);
  return fields;
}

function show(value: Shown | readonly (string | number)[]): string {
  if (value === null || value === undefined) return UNKNOWN;
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
}
