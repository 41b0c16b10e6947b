import type { CpuState, GpuProcess, GpuState, MachineState, PowerState } from '../types/machine-state.js';
/**
 * Plain sentences about machine state known to move benchmark results: battery power, a
 * power-saving CPU governor or preference, capped clocks, a lowered GPU power limit, other
 * processes on the GPU, a busy machine, and settings that changed between start and end. Pure.
 */

/** Above this 1-minute load per CPU core at the start, other work is competing. */
export const HIGH_LOAD_PER_CORE = 0.5;
/**
 * Drivers in "active" mode, where 'powersave' is the normal dynamic governor and the
 * energy-performance preference decides; elsewhere (acpi-cpufreq, intel_cpufreq) it pins clocks low.
 */
const EPP_DRIVERS = new Set(['intel_pstate', 'amd-pstate-epp']);
const POWER_SAVING_EPP = new Set(['power', 'balance_power']);

/**
 * One sentence per problem: from the start state, from the GPU processes seen at start or end
 * that are not in `ownPids` (costbench, the model server), and from what changed by the end.
 * `cpuCores` sizes the load threshold (null: the load is not judged).
 */
export function machineStateWarnings(
  start: MachineState,
  end: MachineState | null,
  ownPids: readonly number[],
  cpuCores: number | null,
): string[] {
  return [
    ...powerWarnings(start.power),
    ...cpuWarnings(start.cpu),
    ...loadWarnings(start, cpuCores),
    ...(start.gpus ?? []).flatMap((gpu) => gpuWarnings(gpu, start.platform)),
    ...processWarnings([...(start.gpuProcesses ?? []), ...(end?.gpuProcesses ?? [])], ownPids),
    ...(end === null ? [] : changeWarnings(start, end)),
  ];
}

function powerWarnings(power: PowerState): string[] {
  if (power.onMains !== false) return [];
  const levels = power.batteries
    .filter((b) => b.capacityPercent !== null)
    .map((b) => `${b.name} at ${String(b.capacityPercent)}%`);
  const level = levels.length === 0 ? 'level unknown' : levels.join(', ');
  return [
    `On battery power (${level}): laptops lower CPU and GPU clocks on battery; plug in for comparable results.`,
  ];
}

function cpuWarnings(cpu: CpuState): string[] {
  const warnings: string[] = [];
  const drivers = cpu.scalingDrivers ?? [];
  if (
    cpu.governors?.includes('powersave') &&
    drivers.length > 0 &&
    !drivers.every((d) => EPP_DRIVERS.has(d))
  ) {
    warnings.push(
      `CPU governor is powersave with the ${drivers.join(', ')} driver: it keeps clocks low; ` +
        'set performance or schedutil.',
    );
  }
  for (const epp of (cpu.energyPerfPreferences ?? []).filter((p) => POWER_SAVING_EPP.has(p))) {
    warnings.push(
      `CPU energy-performance preference is ${epp}: the CPU favours saving power over speed; ` +
        'set balance_performance or performance.',
    );
  }
  if (cpu.boost === false) warnings.push('CPU boost (turbo) is off: clocks stay at or below base frequency.');
  // With boost off, intel_pstate lowers scaling_max_freq itself: the boost sentence says it already.
  if (cpu.boost !== false && cpu.cappedCpuCount !== null && cpu.cappedCpuCount > 0) {
    warnings.push(
      `${String(cpu.cappedCpuCount)} of ${String(cpu.cpuCount)} CPUs have scaling_max_freq below their ` +
        'hardware maximum: their clocks are capped.',
    );
  }
  return warnings;
}

function loadWarnings(start: MachineState, cpuCores: number | null): string[] {
  const load1 = start.loadAverage?.[0];
  if (load1 === undefined || cpuCores === null || cpuCores <= 0 || load1 <= HIGH_LOAD_PER_CORE * cpuCores)
    return [];
  return [
    `Load average at start was ${load1.toFixed(2)} on ${String(cpuCores)} CPU cores ` +
      `(over ${String(HIGH_LOAD_PER_CORE)} per core): other work competes for the CPU.`,
  ];
}

function gpuWarnings(gpu: GpuState, platform: string): string[] {
  const warnings: string[] = [];
  const { powerLimitW: limit, defaultPowerLimitW: stock } = gpu;
  if (limit !== null && stock !== null && limit < stock) {
    warnings.push(
      `${gpuLabel(gpu)} power limit is ${watts(limit)}, below its default of ${watts(stock)}: ` +
        'it runs slower than stock.',
    );
  }
  if (gpu.performanceLevel === 'low') {
    warnings.push(
      `${gpuLabel(gpu)} performance level is forced to low: its clocks are held at their minimum.`,
    );
  }
  if (gpu.vendor === 'nvidia' && platform === 'linux' && gpu.persistenceMode === false) {
    warnings.push(
      `${gpuLabel(gpu)} has persistence mode off: the driver may unload when idle, adding cold-start ` +
        'latency (nvidia-smi -pm 1 turns it on).',
    );
  }
  return warnings;
}

function processWarnings(processes: readonly GpuProcess[], ownPids: readonly number[]): string[] {
  const own = new Set(ownPids);
  const seen = new Set<number>();
  const warnings: string[] = [];
  for (const p of processes) {
    if (own.has(p.pid) || seen.has(p.pid)) continue;
    seen.add(p.pid);
    const memory = p.usedMemoryMiB === null ? 'memory unknown' : `${String(p.usedMemoryMiB)} MiB`;
    warnings.push(
      `Another process uses the GPU: ${p.processName} (pid ${String(p.pid)}, ${memory}); ` +
        'it competes for GPU time and memory.',
    );
  }
  return warnings;
}

function changeWarnings(start: MachineState, end: MachineState): string[] {
  const warnings: string[] = [];
  const changed = (what: string, a: string, b: string): void => {
    if (a !== b) warnings.push(`${what} changed during the run: ${a} at start, ${b} at end.`);
  };
  const [g0, g1] = [start.cpu.governors, end.cpu.governors];
  if (g0 !== null && g1 !== null) changed('CPU governor', g0.join(', '), g1.join(', '));
  const [b0, b1] = [start.cpu.boost, end.cpu.boost];
  if (b0 !== null && b1 !== null) changed('CPU boost', b0 ? 'on' : 'off', b1 ? 'on' : 'off');
  const [m0, m1] = [start.power.onMains, end.power.onMains];
  if (m0 !== null && m1 !== null) changed('Power source', m0 ? 'mains' : 'battery', m1 ? 'mains' : 'battery');
  for (const gpu of start.gpus ?? []) {
    const later = end.gpus?.find((g) => g.vendor === gpu.vendor && g.index === gpu.index);
    if (gpu.powerLimitW === null || later?.powerLimitW === undefined || later.powerLimitW === null) continue;
    changed(`${gpuLabel(gpu)} power limit`, watts(gpu.powerLimitW), watts(later.powerLimitW));
  }
  return warnings;
}

/** "GPU 0 (NVIDIA GeForce RTX 4090)"; AMD cards by their DRM name, "GPU card1". */
export function gpuLabel(gpu: GpuState): string {
  const id = gpu.vendor === 'amd' ? `card${String(gpu.index)}` : String(gpu.index);
  return gpu.name === null ? `GPU ${id}` : `GPU ${id} (${gpu.name})`;
}

function watts(w: number): string {
  return `${String(Math.round(w * 100) / 100)} W`;
}
