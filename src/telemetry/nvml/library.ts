/**
 * Finding and opening the NVML library (libnvidia-ml.so.1 / nvml.dll) that ships with the
 * NVIDIA driver. Never the unversioned libnvidia-ml.so: that is the CUDA toolkit's link-time
 * stub, which loads but fails at nvmlInit. A failure lists every path tried and why.
 */
import { existsSync } from 'node:fs';
import { basename, join, win32 } from 'node:path';
import { describeError } from '../../errors.js';
import { bindNvml } from './bindings.js';
import type { KoffiModule, NvmlApi } from './bindings.js';

/** Names the NVML library to load; `none` turns NVML off (nvidia-smi is used instead). */
export const NVML_LIB_ENV = 'COSTBENCH_NVML_LIB';
/** The driver's versioned soname on Linux. */
export const NVML_SONAME = 'libnvidia-ml.so.1';
/** Where Linux distributions put the driver's libraries (Debian/Ubuntu, Fedora/RHEL, WSL2, NixOS, arm64). */
export const LINUX_DRIVER_DIRS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu',
  '/usr/lib64',
  '/usr/lib/wsl/lib',
  '/run/opengl-driver/lib',
  '/usr/lib/aarch64-linux-gnu',
];
const UNVERSIONED = 'libnvidia-ml.so';
const STUB_NOTE = "the unversioned libnvidia-ml.so is the CUDA toolkit's link stub, not the driver's library";

/** What to try, in order, or why NVML is not tried at all. */
export type NvmlCandidates =
  { ok: true; candidates: string[] } | { ok: false; reason: string; hint: string | null };

/** Where the candidates are looked for; tests point `dirs` at a temp tree. */
export interface NvmlCandidateOptions {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** Driver directories searched after the bare soname (Linux). Default LINUX_DRIVER_DIRS. */
  dirs?: readonly string[];
}

/**
 * The libraries to try, in order. Pure. COSTBENCH_NVML_LIB alone when set (an explicit choice
 * that fails is reported, never silently replaced); else the bare soname (the dynamic linker's
 * search, which knows ldconfig's cache), then each driver directory.
 */
export function listNvmlCandidates(options: NvmlCandidateOptions): NvmlCandidates {
  const explicit = options.env[NVML_LIB_ENV]?.trim();
  if (explicit !== undefined && explicit !== '') {
    if (explicit.toLowerCase() === 'none')
      return { ok: false, reason: `NVML turned off (${NVML_LIB_ENV}=none)`, hint: null };
    if (basename(explicit) === UNVERSIONED) {
      return {
        ok: false,
        reason: `${NVML_LIB_ENV}=${explicit} refused: ${STUB_NOTE}`,
        hint: `point ${NVML_LIB_ENV} at the driver's ${NVML_SONAME}`,
      };
    }
    return { ok: true, candidates: [explicit] };
  }
  if (options.platform === 'win32') {
    const systemRoot = options.env['SystemRoot'] ?? options.env['SYSTEMROOT'] ?? 'C:\\Windows';
    const programFiles = options.env['ProgramFiles'] ?? options.env['PROGRAMFILES'] ?? 'C:\\Program Files';
    return {
      ok: true,
      candidates: [
        'nvml.dll',
        win32.join(systemRoot, 'System32', 'nvml.dll'),
        win32.join(programFiles, 'NVIDIA Corporation', 'NVSMI', 'nvml.dll'),
      ],
    };
  }
  if (options.platform !== 'linux') {
    return {
      ok: false,
      reason: `NVML is read on Linux and Windows only (this is ${options.platform})`,
      hint: null,
    };
  }
  return {
    ok: true,
    candidates: [NVML_SONAME, ...(options.dirs ?? LINUX_DRIVER_DIRS).map((dir) => join(dir, NVML_SONAME))],
  };
}

/** One candidate that did not load, and why. */
export interface LoadAttempt {
  path: string;
  error: string;
}

/** The first candidate that loads, or every attempt. An absolute path that does not exist is not loaded. */
export function loadFirst<L>(
  candidates: readonly string[],
  load: (path: string) => L,
  exists: (path: string) => boolean = existsSync,
): { ok: true; lib: L; path: string } | { ok: false; tried: LoadAttempt[] } {
  const tried: LoadAttempt[] = [];
  for (const path of candidates) {
    const absolute = path.includes('/') || path.includes('\\');
    if (absolute && !exists(path)) {
      tried.push({ path, error: 'absent' });
      continue;
    }
    try {
      return { ok: true, lib: load(path), path };
    } catch (error) {
      tried.push({ path, error: describeError(error) });
    }
  }
  return { ok: false, tried };
}

/** "NVML library not found (tried libnvidia-ml.so.1: ...; /usr/lib64/libnvidia-ml.so.1: absent)". Pure. */
export function describeLoadFailure(tried: readonly LoadAttempt[]): string {
  return `NVML library not loaded (tried ${tried.map((t) => `${t.path}: ${t.error}`).join('; ')})`;
}

/** An opened NVML (not yet initialised), or why not. */
export type OpenNvml =
  { ok: true; api: NvmlApi; path: string } | { ok: false; reason: string; hint: string | null };

const NOT_FOUND_HINT =
  'install the NVIDIA driver (NVML ships with it), or name the library in ' +
  `${NVML_LIB_ENV}; in a container, use the NVIDIA container toolkit so the driver's libraries are mounted`;

/** Loads koffi and the first NVML library that loads, and binds its functions. Never throws. */
export async function openNvml(
  options: NvmlCandidateOptions & { exists?: (path: string) => boolean },
): Promise<OpenNvml> {
  const listed = listNvmlCandidates(options);
  if (!listed.ok) return listed;
  let koffi: KoffiModule;
  try {
    koffi = (await import('koffi')).default;
  } catch (error) {
    return {
      ok: false,
      reason: `koffi (the FFI module NVML is read through) did not load: ${describeError(error)}`,
      hint: 'reinstall costbench (npm ci)',
    };
  }
  const loaded = loadFirst(listed.candidates, (path) => koffi.load(path), options.exists);
  if (!loaded.ok) return { ok: false, reason: describeLoadFailure(loaded.tried), hint: NOT_FOUND_HINT };
  try {
    return { ok: true, api: bindNvml(koffi, loaded.lib), path: loaded.path };
  } catch (error) {
    return {
      ok: false,
      reason: `${loaded.path} lacks an NVML function: ${describeError(error)}`,
      hint: 'update the NVIDIA driver',
    };
  }
}
