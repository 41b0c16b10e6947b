/**
 * The amdgpu hwmon sampler's file helpers: parsing sysfs values, finding a card's power sensor and
 * saying why a file cannot be read (with what to do about a permission problem). hwmon.ts re-exports
 * the parsers.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import type { ProbeResult } from './sampler.js';

/** The power files, in order of preference: instantaneous, then the firmware's average. */
export const POWER_FILES = ['power1_input', 'power1_average'] as const;
export type PowerFile = (typeof POWER_FILES)[number];

/** True for EACCES / EPERM errors from fs. */
function isPermissionError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'EACCES' || code === 'EPERM';
}

/** A whole number from a sysfs file ("35000000\n"), or null. Pure. */
export function parseSysfsInteger(text: string): number | null {
  const trimmed = text.trim();
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : null;
}

/** PCI_SLOT_NAME from a device's uevent file ("0000:03:00.0"), or null. Pure. */
export function parsePciSlot(uevent: string): string | null {
  return /^PCI_SLOT_NAME=(.+)$/m.exec(uevent)?.[1]?.trim() ?? null;
}

/** The first hwmonN dir holding a power file, preferring power1_input (instantaneous) over power1_average. */
export function findPowerSensor(hwmonRoot: string): { hwmonDir: string; powerFile: PowerFile } | null {
  let entries: string[];
  try {
    entries = readdirSync(hwmonRoot).filter((e) => /^hwmon\d+$/.test(e));
  } catch {
    return null;
  }
  for (const entry of entries.sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)))) {
    const hwmonDir = join(hwmonRoot, entry);
    const powerFile = POWER_FILES.find((f) => existsSync(join(hwmonDir, f)));
    if (powerFile !== undefined) return { hwmonDir, powerFile };
  }
  return null;
}

/** One line for a failed read, with what to do when it is a permission problem. */
export function describeReadError(path: string, error: unknown): string {
  if (isPermissionError(error))
    return `permission denied reading ${path}: grant read access to one group (\`costbench doctor\` says how) or run as root`;
  return `cannot read ${path}: ${describeError(error)}`;
}

/** The probe's answer when the first readable card's power file was refused. */
export function refusedResult(path: string, error: unknown, drmDir: string): ProbeResult {
  if (!isPermissionError(error))
    return { available: false, reason: describeReadError(path, error), hint: null };
  return {
    available: false,
    reason: `permission denied reading ${path}`,
    hint: `grant read access to ${drmDir}/card*/device/hwmon/hwmon*/power1_* to one group: \`costbench doctor\` prints the udev rule and how to check it; or run costbench as root`,
  };
}

/** A whole, non-negative number from a sysfs file (µJ, µW), or one line saying why not. Never throws. */
export function readSysfsCount(readFile: (path: string) => string, path: string): number | string {
  let text: string;
  try {
    text = readFile(path);
  } catch (error) {
    return describeReadError(path, error);
  }
  const value = parseSysfsInteger(text);
  if (value === null || value < 0)
    return `${path} does not hold a whole, non-negative number: "${text.trim().slice(0, 40)}"`;
  return value;
}
