/**
 * NVIDIA GPU settings that move results (power limits, persistence mode, clocks, P-state) and
 * the other processes on the GPUs, from one-shot nvidia-smi queries. Parsing is pure; the
 * queries go through an injected {@link ToolExec}.
 */
import { parseNvidiaValue } from '../telemetry/nvidia-parse.js';
import type { ToolExec } from './run-tool.js';
import type { GpuState, GpuProcess } from '../types/machine-state.js';
export type { GpuState, GpuProcess } from '../types/machine-state.js';

/** Fields of the state query, in output order. */
export const NVIDIA_STATE_FIELDS = [
  'index',
  'name',
  'driver_version',
  'power.limit',
  'power.default_limit',
  'enforced.power.limit',
  'persistence_mode',
  'clocks.sm',
  'clocks.mem',
  'clocks.max.sm',
  'pstate',
  'temperature.gpu',
] as const;
const CSV = '--format=csv,noheader,nounits';
/** Arguments of the GPU state query. */
export const NVIDIA_STATE_ARGS = [`--query-gpu=${NVIDIA_STATE_FIELDS.join(',')}`, CSV];
/** Arguments of the compute-process query. */
export const NVIDIA_APPS_ARGS = ['--query-compute-apps=pid,process_name,used_memory', CSV];

/** Parsed rows, and one line per row that could not be read. */
export interface ParsedRows<T> {
  rows: T[];
  errors: string[];
}

/** Reads the state query's CSV, one GPU a line. */
export function parseNvidiaGpuState(csv: string): ParsedRows<GpuState> {
  const rows: GpuState[] = [];
  const errors: string[] = [];
  for (const line of nonBlankLines(csv)) {
    const v = line.split(',').map((f) => f.trim());
    const index = num(v[0]);
    if (v.length !== NVIDIA_STATE_FIELDS.length || index === null) {
      errors.push(`nvidia-smi: unexpected GPU state line "${line}"`);
      continue;
    }
    rows.push({
      vendor: 'nvidia',
      index,
      name: text(v[1]),
      driverVersion: text(v[2]),
      powerLimitW: num(v[3]),
      defaultPowerLimitW: num(v[4]),
      enforcedPowerLimitW: num(v[5]),
      persistenceMode: onOff(v[6]),
      smClockMhz: num(v[7]),
      memClockMhz: num(v[8]),
      maxSmClockMhz: num(v[9]),
      pstate: text(v[10]),
      temperatureC: num(v[11]),
      performanceLevel: null,
    });
  }
  return { rows, errors };
}

/** Reads the compute-apps CSV: "pid, process name, used MiB" (a name may itself hold commas). */
export function parseNvidiaComputeApps(csv: string): ParsedRows<GpuProcess> {
  const rows: GpuProcess[] = [];
  const errors: string[] = [];
  for (const line of nonBlankLines(csv)) {
    if (/^No running processes/i.test(line)) continue;
    const v = line.split(',').map((f) => f.trim());
    const pid = num(v[0]);
    if (v.length < 3 || pid === null) {
      errors.push(`nvidia-smi: unexpected compute process line "${line}"`);
      continue;
    }
    rows.push({ pid, processName: v.slice(1, -1).join(', '), usedMemoryMiB: num(v[v.length - 1]) });
  }
  return { rows, errors };
}

/** The NVIDIA part of the machine state: null lists when nvidia-smi could not be run. */
export async function readNvidiaState(
  exec: ToolExec,
  errors: string[],
): Promise<{ gpus: GpuState[] | null; processes: GpuProcess[] | null }> {
  const state = await exec('nvidia-smi', NVIDIA_STATE_ARGS);
  if (!state.ok) {
    errors.push(`GPU state: ${state.error}`);
    return { gpus: null, processes: null };
  }
  const gpus = parseNvidiaGpuState(state.stdout);
  errors.push(...gpus.errors);
  const apps = await exec('nvidia-smi', NVIDIA_APPS_ARGS);
  if (!apps.ok) {
    errors.push(`GPU processes: ${apps.error}`);
    return { gpus: gpus.rows, processes: null };
  }
  const processes = parseNvidiaComputeApps(apps.stdout);
  errors.push(...processes.errors);
  return { gpus: gpus.rows, processes: processes.rows };
}

function nonBlankLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function num(raw: string | undefined): number | null {
  return raw === undefined ? null : (parseNvidiaValue(raw) ?? null);
}

function text(raw: string | undefined): string | null {
  return raw === undefined || raw === '' || /^\[.*\]$/.test(raw) ? null : raw;
}

function onOff(raw: string | undefined): boolean | null {
  return raw === 'Enabled' ? true : raw === 'Disabled' ? false : null;
}
