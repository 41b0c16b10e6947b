/**
 * Reads the virtualization signals (see virtualization.ts) from injected roots, so tests and
 * containers that mount the host's /sys and /proc elsewhere point them at other trees.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { combineVirtualization } from './virtualization.js';
import type { SystemInformationVirtual, Virtualization } from './virtualization.js';

/** Where the signals are read from. */
export interface VirtualizationSources {
  /** Root of sysfs (DMI under class/dmi/id). Default "/sys". */
  sysRoot?: string;
  /** Root of procfs (cpuinfo). Default "/proc". */
  procRoot?: string;
  /** systeminformation's verdict, or null where it was not consulted. */
  systemInformation?: SystemInformationVirtual | null;
  /** How files are read. Default fs.readFileSync. */
  readFile?: (path: string) => string;
}

/** Reads cpuinfo and DMI and combines them with systeminformation's verdict. Never throws. */
export function readVirtualization(sources: VirtualizationSources = {}): Virtualization {
  const read = sources.readFile ?? ((path: string) => readFileSync(path, 'utf8'));
  const tryRead = (path: string): string | null => {
    try {
      return read(path);
    } catch {
      return null;
    }
  };
  const dmiDir = join(sources.sysRoot ?? '/sys', 'class', 'dmi', 'id');
  const field = (name: string): string | null => {
    const text = tryRead(join(dmiDir, name))?.trim();
    return text === undefined || text === '' ? null : text;
  };
  return combineVirtualization(
    tryRead(join(sources.procRoot ?? '/proc', 'cpuinfo')),
    { sysVendor: field('sys_vendor'), productName: field('product_name') },
    sources.systemInformation ?? null,
  );
}
