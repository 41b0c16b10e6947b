/**
 * The idle guard: a scheduled run starts only on a quiet machine, since anything else running
 * would be measured with it. CPU utilization from /proc/stat over about a second, GPU
 * utilization from one nvidia-smi query when it is on PATH; the decision itself is pure.
 */
import { execFile } from 'node:child_process';
import { describeError } from '../errors.js';
import { ProcStatReader } from '../telemetry/cpu-load.js';
import { findExecutable } from '../telemetry/which.js';
import { sleep as defaultSleep } from '../util/sleep.js';

/** Above this utilization (either CPU or GPU), a run is postponed (`--max-load`). */
export const DEFAULT_MAX_LOAD_PCT = 20;
/** How long a busy machine postpones a run (`--postpone-minutes`). */
export const DEFAULT_POSTPONE_MINUTES = 10;
/** Postponements before a run is skipped (`--max-postpones`). */
export const DEFAULT_MAX_POSTPONES = 6;
/** How long CPU utilization is sampled. */
export const LOAD_SAMPLE_MS = 1_000;
/** Longest wait for the nvidia-smi query. */
const NVIDIA_SMI_TIMEOUT_MS = 5_000;

/** Utilization (0-100) seen just before a run, null where unknown, with why it is unknown. */
export interface LoadSample {
  cpuPct: number | null;
  /** The busiest GPU; null without nvidia-smi or when it failed. */
  gpuPct: number | null;
  notes: string[];
}

/** How the guard decides. */
export interface IdlePolicy {
  maxLoadPct: number;
  maxPostpones: number;
}

/** What to do now, and why (for the log). */
export interface IdleDecision {
  action: 'run' | 'postpone' | 'skip';
  reason: string;
}

/**
 * Run when neither the CPU nor the GPU is above `maxLoadPct` (an unknown load does not block:
 * a machine without /proc must still run); otherwise postpone, until `maxPostpones` have
 * been spent, then skip. Pure.
 */
export function decideIdle(load: LoadSample, policy: IdlePolicy, postponed: number): IdleDecision {
  const over = [
    ...(load.cpuPct !== null && load.cpuPct > policy.maxLoadPct ? [`CPU ${formatPct(load.cpuPct)}`] : []),
    ...(load.gpuPct !== null && load.gpuPct > policy.maxLoadPct ? [`GPU ${formatPct(load.gpuPct)}`] : []),
  ];
  if (over.length === 0)
    return { action: 'run', reason: `${formatLoad(load)}, at or below --max-load ${policy.maxLoadPct}%` };
  const busy = `${over.join(' and ')} above --max-load ${policy.maxLoadPct}%`;
  if (postponed < policy.maxPostpones) return { action: 'postpone', reason: busy };
  return { action: 'skip', reason: `${busy} after ${postponed} postponement${postponed === 1 ? '' : 's'}` };
}

/** "CPU 3.0%, GPU unknown". Pure. */
function formatLoad(load: LoadSample): string {
  const pct = (value: number | null): string => (value === null ? 'unknown' : formatPct(value));
  return `CPU ${pct(load.cpuPct)}, GPU ${pct(load.gpuPct)}`;
}

function formatPct(value: number): string {
  return `${value.toFixed(1)}%`;
}

/**
 * The busiest GPU's utilization from `nvidia-smi --query-gpu=utilization.gpu
 * --format=csv,noheader,nounits` (one line per GPU; "[N/A]" on MIG and some boards is skipped).
 * null when no line has a number. Pure.
 */
export function parseNvidiaUtilization(stdout: string): number | null {
  const values = stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^\d+(\.\d+)?$/.test(line))
    .map(Number);
  return values.length === 0 ? null : Math.max(...values);
}

/** Where the load is read from; tests pass fixtures. */
export interface LoadSources {
  /** Root of procfs (COSTBENCH_PROC_ROOT). */
  procRoot: string;
  /** PATH for nvidia-smi. */
  env: NodeJS.ProcessEnv;
  sampleMs?: number;
  readFile?: (path: string) => string;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Samples CPU utilization over `sampleMs` while one nvidia-smi query runs. Never throws. */
export async function sampleLoad(sources: LoadSources, signal?: AbortSignal): Promise<LoadSample> {
  const reader = new ProcStatReader({
    procRoot: sources.procRoot,
    ...(sources.readFile === undefined ? {} : { readFile: sources.readFile }),
  });
  reader.prime();
  const gpu = queryGpuUtilization(sources.env);
  await (sources.sleep ?? defaultSleep)(sources.sampleMs ?? LOAD_SAMPLE_MS, signal);
  const cpu = reader.next();
  const { pct: gpuPct, note: gpuNote } = await gpu;
  const notes: string[] = [];
  if (typeof cpu === 'string') notes.push(`CPU load unknown: ${cpu}`);
  else if (cpu === null) notes.push('CPU load unknown: no CPU time passed between two /proc/stat reads');
  if (gpuNote !== null) notes.push(gpuNote);
  return { cpuPct: typeof cpu === 'number' ? cpu * 100 : null, gpuPct, notes };
}

async function queryGpuUtilization(
  env: NodeJS.ProcessEnv,
): Promise<{ pct: number | null; note: string | null }> {
  const path = findExecutable('nvidia-smi', env);
  if (path === null) return { pct: null, note: null };
  return new Promise((resolve) => {
    execFile(
      path,
      ['--query-gpu=utilization.gpu', '--format=csv,noheader,nounits'],
      { env, timeout: NVIDIA_SMI_TIMEOUT_MS },
      (error, stdout) => {
        if (error !== null) {
          resolve({ pct: null, note: `GPU load unknown: nvidia-smi failed: ${describeError(error)}` });
          return;
        }
        const pct = parseNvidiaUtilization(stdout);
        resolve({ pct, note: pct === null ? 'GPU load unknown: nvidia-smi reported no utilization' : null });
      },
    );
  });
}
