/**
 * CPU frequency scaling state from sysfs (`devices/system/cpu/cpu<N>/cpufreq/`): the governor,
 * the driver, the scaling limits, the energy-performance preference and whether boost is on.
 * The summary is pure; reading the tree is {@link readCpuFreq}.
 */
import { join } from 'node:path';
import type { SysfsReader } from './sysfs-reader.js';
import type { CpuState } from '../types/machine-state.js';
export type { CpuState } from '../types/machine-state.js';

/** One CPU's cpufreq files, as read (null: absent or unreadable). */
export interface CpuFreqFiles {
  scalingDriver: string | null;
  governor: string | null;
  scalingMinKhz: number | null;
  scalingMaxKhz: number | null;
  cpuinfoMaxKhz: number | null;
  energyPerfPreference: string | null;
}

/** The system-wide boost switches, as read: `cpufreq/boost` and intel_pstate's `no_turbo`. */
export interface BoostFiles {
  cpufreqBoost: string | null;
  noTurbo: string | null;
}

/** A CpuState that knows nothing (another platform, or no cpufreq). */
export const UNKNOWN_CPU_STATE: CpuState = {
  cpuCount: null,
  scalingDrivers: null,
  governors: null,
  energyPerfPreferences: null,
  scalingMinKhz: null,
  scalingMaxKhz: null,
  cpuinfoMaxKhz: null,
  cappedCpuCount: null,
  boost: null,
};

/** Summarizes every CPU's files into one state. No CPUs: every field null. */
function summarizeCpuFreq(cpus: readonly CpuFreqFiles[], boost: BoostFiles): CpuState {
  const capped = cpus.filter((c) => c.scalingMaxKhz !== null && c.cpuinfoMaxKhz !== null);
  return {
    cpuCount: cpus.length === 0 ? null : cpus.length,
    scalingDrivers: distinct(cpus.map((c) => c.scalingDriver)),
    governors: distinct(cpus.map((c) => c.governor)),
    energyPerfPreferences: distinct(cpus.map((c) => c.energyPerfPreference)),
    scalingMinKhz: extreme(
      cpus.map((c) => c.scalingMinKhz),
      Math.min,
    ),
    scalingMaxKhz: extreme(
      cpus.map((c) => c.scalingMaxKhz),
      Math.max,
    ),
    cpuinfoMaxKhz: extreme(
      cpus.map((c) => c.cpuinfoMaxKhz),
      Math.max,
    ),
    cappedCpuCount:
      capped.length === 0
        ? null
        : capped.filter((c) => (c.scalingMaxKhz ?? 0) < (c.cpuinfoMaxKhz ?? 0)).length,
    boost: parseBoost(boost),
  };
}

/** `cpufreq/boost` 1/0 first; else intel_pstate's `no_turbo`, inverted; else unknown. */
export function parseBoost(files: BoostFiles): boolean | null {
  if (files.cpufreqBoost === '1') return true;
  if (files.cpufreqBoost === '0') return false;
  if (files.noTurbo === '1') return false;
  if (files.noTurbo === '0') return true;
  return null;
}

/** Reads every `cpu<N>/cpufreq` under `<sysRoot>/devices/system/cpu`; says in `errors` when there is none. */
export function readCpuFreq(sysRoot: string, read: SysfsReader, errors: string[]): CpuState {
  const cpuDir = join(sysRoot, 'devices', 'system', 'cpu');
  const entries = read.list(cpuDir);
  if (entries === null) {
    errors.push(`CPU frequency: ${cpuDir} not found`);
    return UNKNOWN_CPU_STATE;
  }
  const cpus: CpuFreqFiles[] = [];
  for (const name of entries.filter((e) => /^cpu\d+$/.test(e))) {
    const dir = join(cpuDir, name, 'cpufreq');
    if (read.list(dir) === null) continue;
    cpus.push({
      scalingDriver: read.text(join(dir, 'scaling_driver')),
      governor: read.text(join(dir, 'scaling_governor')),
      scalingMinKhz: read.number(join(dir, 'scaling_min_freq')),
      scalingMaxKhz: read.number(join(dir, 'scaling_max_freq')),
      cpuinfoMaxKhz: read.number(join(dir, 'cpuinfo_max_freq')),
      energyPerfPreference: read.text(join(dir, 'energy_performance_preference')),
    });
  }
  if (cpus.length === 0) {
    errors.push(
      `CPU frequency: no cpufreq under ${cpuDir} (a virtual machine, or no frequency scaling driver)`,
    );
  }
  const boost = {
    cpufreqBoost: read.text(join(cpuDir, 'cpufreq', 'boost')),
    noTurbo: read.text(join(cpuDir, 'intel_pstate', 'no_turbo')),
  };
  return summarizeCpuFreq(cpus, boost);
}

function distinct(values: readonly (string | null)[]): string[] | null {
  const known = values.filter((v): v is string => v !== null && v !== '');
  return known.length === 0 ? null : [...new Set(known)].sort();
}

function extreme(values: readonly (number | null)[], pick: (...n: number[]) => number): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : pick(...known);
}
