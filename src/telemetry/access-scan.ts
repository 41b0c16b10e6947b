/**
 * Finds the power sources that are present here but that this user may not read (Linux):
 * RAPL `energy_uj` files (root-only since CVE-2020-8694), amdgpu hwmon power files, and the
 * device nodes nvidia-smi (/dev/nvidia*) and amd-smi / rocm-smi (/dev/kfd) open. All I/O goes
 * through an injected {@link AccessIo}: tests run as root, which reads everything, so they
 * inject the refusals.
 */
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseZoneDirName } from './rapl-domains.js';

/** The file-system calls the scan makes. */
export interface AccessIo {
  /** Reads a text file, throwing as fs does (EACCES, ENOENT). */
  readFile: (path: string) => string;
  /** A directory's entries, throwing as fs does. */
  listDir: (path: string) => string[];
  /** Whether this process may open the path for reading and writing. */
  canOpen: (path: string) => boolean;
  /** The name of the group owning the path; null when unknown. */
  groupOf: (path: string) => string | null;
}

/** Paths present but refused to this user, and the group owning the first of them. */
export interface Denied {
  paths: string[];
  group: string | null;
}

/** What the scan found refused, per source; null where nothing was refused (or nothing is there). */
export interface AccessFacts {
  rapl: Denied | null;
  hwmon: Denied | null;
  nvidia: Denied | null;
  amd: Denied | null;
}

/** Where the scan looks. */
export interface AccessRoots {
  sysRoot: string;
  devRoot: string;
}

/** PCI vendor id of AMD in sysfs. */
const AMD_VENDOR = '0x1002';
const HWMON_POWER_FILES = ['power1_input', 'power1_average'] as const;

/** True for EACCES / EPERM errors from fs. */
export function isPermissionError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'EACCES' || code === 'EPERM';
}

/** Group names by id from the text of /etc/group. Pure. */
export function parseEtcGroup(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , gid] = line.split(':');
    if (name === undefined || name === '' || gid === undefined || !/^\d+$/.test(gid)) continue;
    names.set(Number(gid), name);
  }
  return names;
}

/** The real file system; group names from /etc/group (ids without a name come back as "gid N"). */
export function nodeAccessIo(etcGroup = '/etc/group'): AccessIo {
  let names: Map<number, string> | null = null;
  return {
    readFile: (path) => readFileSync(path, 'utf8'),
    listDir: (path) => readdirSync(path),
    canOpen: (path) => {
      try {
        accessSync(path, constants.R_OK | constants.W_OK);
        return true;
      } catch {
        return false;
      }
    },
    groupOf: (path) => {
      try {
        const gid = statSync(path).gid;
        names ??= parseEtcGroup(readFileSync(etcGroup, 'utf8'));
        return names.get(gid) ?? `gid ${gid}`;
      } catch {
        return null;
      }
    },
  };
}

/** Scans every source. Never throws. */
export function scanAccess(io: AccessIo, roots: AccessRoots): AccessFacts {
  return {
    rapl: scanRapl(io, roots.sysRoot),
    hwmon: scanHwmon(io, roots.sysRoot),
    nvidia: scanDevices(io, roots.devRoot, /^nvidia(?:\d+|ctl)$/),
    amd: scanDevices(io, roots.devRoot, /^kfd$/),
  };
}

function listOrEmpty(io: AccessIo, dir: string): string[] {
  try {
    return io.listDir(dir).sort();
  } catch {
    return [];
  }
}

/** The paths among these that a read refuses for lack of permission (absent files are skipped). */
function refusedReads(io: AccessIo, paths: readonly string[]): string[] {
  return paths.filter((path) => {
    try {
      io.readFile(path);
      return false;
    } catch (error) {
      return isPermissionError(error);
    }
  });
}

function denied(io: AccessIo, paths: string[]): Denied | null {
  const first = paths[0];
  return first === undefined ? null : { paths, group: io.groupOf(first) };
}

/** RAPL zones (intel-rapl:N, intel-rapl:N:M, intel-rapl-mmio:N) whose energy_uj is refused. */
function scanRapl(io: AccessIo, sysRoot: string): Denied | null {
  const dir = join(sysRoot, 'class', 'powercap');
  const zones = listOrEmpty(io, dir).filter((entry) => parseZoneDirName(entry) !== null);
  return denied(
    io,
    refusedReads(
      io,
      zones.map((zone) => join(dir, zone, 'energy_uj')),
    ),
  );
}

/** amdgpu hwmon power files (power1_input, power1_average) that are refused. */
function scanHwmon(io: AccessIo, sysRoot: string): Denied | null {
  const drm = join(sysRoot, 'class', 'drm');
  const paths: string[] = [];
  for (const card of listOrEmpty(io, drm).filter((e) => /^card\d+$/.test(e))) {
    const device = join(drm, card, 'device');
    if (readOrNull(io, join(device, 'vendor'))?.trim().toLowerCase() !== AMD_VENDOR) continue;
    for (const hwmon of listOrEmpty(io, join(device, 'hwmon')).filter((e) => /^hwmon\d+$/.test(e))) {
      paths.push(...HWMON_POWER_FILES.map((f) => join(device, 'hwmon', hwmon, f)));
    }
  }
  return denied(io, refusedReads(io, paths));
}

/** Device nodes under devRoot matching the pattern that this process may not open. */
function scanDevices(io: AccessIo, devRoot: string, pattern: RegExp): Denied | null {
  const nodes = listOrEmpty(io, devRoot)
    .filter((e) => pattern.test(e))
    .map((e) => join(devRoot, e));
  return denied(
    io,
    nodes.filter((node) => !io.canOpen(node)),
  );
}

function readOrNull(io: AccessIo, path: string): string | null {
  try {
    return io.readFile(path);
  } catch {
    return null;
  }
}
