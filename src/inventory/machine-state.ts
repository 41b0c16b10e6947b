/**
 * The machine state that moves benchmark results, read at the start and at the end of a run:
 * CPU frequency scaling, the power source, the load average, GPU power limits and clocks, and
 * the other processes on the GPUs. Every field is null when unknown, never a silent zero, and
 * what could not be read is said in `errors`: a failing sensor is data, never a throw.
 */
import os from 'node:os';
import { join } from 'node:path';
import { readAmdGpus } from './amd-gpu-state.js';
import { readCpuFreq, UNKNOWN_CPU_STATE } from './cpu-governor.js';
import type { CpuState } from './cpu-governor.js';
import { readNvidiaState } from './gpu-state.js';
import { parseLoadAverage } from './load-average.js';
import type { LoadAverage } from './load-average.js';
import { parsePmsetBatt, PMSET_ARGS } from './pmset.js';
import { readPowerSupplies, UNKNOWN_POWER_STATE } from './power-supply.js';
import type { PowerState } from './power-supply.js';
import { toolExecFromPath } from './run-tool.js';
import type { ToolExec } from './run-tool.js';
import { readFileUtf8, sysfsReader } from './sysfs-reader.js';
import type { ReadFile } from './sysfs-reader.js';
import type { MachineStatePhase, MachineState } from '../types/machine-state.js';
export type { MachineStatePhase, MachineState } from '../types/machine-state.js';

export type { CpuState } from './cpu-governor.js';
export type { GpuState } from './gpu-state.js';

/** Where the state is read from; tests point every part elsewhere. */
export interface MachineStateOptions {
  /** Root of sysfs. Default "/sys". */
  sysRoot: string;
  /** Root of procfs. Default "/proc". */
  procRoot: string;
  platform: NodeJS.Platform;
  /** Runs nvidia-smi and pmset. From env: found on PATH, TOOL_TIMEOUT_MS (5 s) each. */
  exec: ToolExec;
  /** How sysfs files are read. Default fs.readFileSync. */
  readFile?: ReadFile;
  /** Load averages where there is no procfs (macOS). Default os.loadavg. */
  loadavg?: () => number[];
  /** Wall clock, epoch ms. Default Date.now. */
  wallClock?: () => number;
}

/**
 * Options from the environment: COSTBENCH_SYS_ROOT and COSTBENCH_PROC_ROOT override /sys and
 * /proc (as for telemetry), tools are found on env.PATH.
 */
export function machineStateOptionsFromEnv(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): MachineStateOptions {
  return {
    sysRoot: env['COSTBENCH_SYS_ROOT'] ?? '/sys',
    procRoot: env['COSTBENCH_PROC_ROOT'] ?? '/proc',
    platform,
    exec: toolExecFromPath(env),
  };
}

/** Reads the machine state. Never throws; takes at most about two tool timeouts. */
export async function readMachineState(
  phase: MachineStatePhase,
  options: MachineStateOptions,
): Promise<MachineState> {
  const collectedAt = new Date((options.wallClock ?? Date.now)()).toISOString();
  const errors: string[] = [];
  const read = sysfsReader(options.readFile ?? readFileUtf8, errors);
  const linux = options.platform === 'linux';
  const darwin = options.platform === 'darwin';
  const [power, nvidia] = await Promise.all([
    darwin ? readPmsetPower(options.exec, errors) : Promise.resolve(null),
    darwin ? Promise.resolve(null) : readNvidiaState(options.exec, errors),
  ]);
  const cpu = linux
    ? readCpuFreq(options.sysRoot, read, errors)
    : notOnPlatform('CPU frequency', options, errors);
  const amd = linux ? readAmdGpus(options.sysRoot, read) : null;
  const nvidiaGpus = nvidia?.gpus ?? null;
  // No AMD card and nvidia-smi unusable is "unknown", not "no GPU": NVIDIA GPUs may be there unseen.
  const gpus =
    nvidiaGpus === null && (amd ?? []).length === 0 ? null : [...(nvidiaGpus ?? []), ...(amd ?? [])];
  return {
    collectedAt,
    phase,
    platform: options.platform,
    cpu,
    power: power ?? (linux ? readPowerSupplies(options.sysRoot, read, errors) : UNKNOWN_POWER_STATE),
    loadAverage: readLoadAverage(options, read, errors),
    gpus,
    gpuProcesses: nvidia?.processes ?? null,
    errors,
  };
}

async function readPmsetPower(exec: ToolExec, errors: string[]): Promise<PowerState> {
  const out = await exec('pmset', PMSET_ARGS);
  if (out.ok) return parsePmsetBatt(out.stdout);
  errors.push(`power source: ${out.error}`);
  return UNKNOWN_POWER_STATE;
}

function readLoadAverage(
  options: MachineStateOptions,
  read: ReturnType<typeof sysfsReader>,
  errors: string[],
): LoadAverage | null {
  if (options.platform === 'linux') {
    const path = join(options.procRoot, 'loadavg');
    const text = read.text(path);
    const parsed = text === null ? null : parseLoadAverage(text);
    if (parsed === null)
      errors.push(`load average: ${path} ${text === null ? 'not readable' : 'not understood'}`);
    return parsed;
  }
  // Windows has no load average: os.loadavg() returns zeros there, which would read as idle.
  if (options.platform !== 'darwin') {
    errors.push(`load average: none on ${options.platform}`);
    return null;
  }
  return parseLoadAverage((options.loadavg ?? os.loadavg)().join(' '));
}

function notOnPlatform(what: string, options: MachineStateOptions, errors: string[]): CpuState {
  errors.push(`${what}: not read on ${options.platform} (Linux sysfs only)`);
  return UNKNOWN_CPU_STATE;
}
