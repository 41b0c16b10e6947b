import os from 'node:os';
import si from 'systeminformation';
import type { MachineInventory } from '../types/inventory-rows.js';
import { readVirtualization } from './virtualization-read.js';
import type { SystemInformationVirtual, Virtualization } from './virtualization.js';
import type { CpuFacts } from '../telemetry/cpu-tdp.js';
import { cpuFactsFromModel } from '../telemetry/estimate.js';

/** systeminformation spawns helpers (lspci, nvidia-smi); past this, fall back to node:os. */
export const INVENTORY_TIMEOUT_MS = 10_000;

/** Options of {@link readMachineInventory}. */
export interface MachineInventoryOptions {
  /** Past this, fall back to node:os. Default {@link INVENTORY_TIMEOUT_MS}. */
  timeoutMs?: number;
  /**
   * Roots of sysfs and procfs for the virtualization signals (COSTBENCH_SYS_ROOT / _PROC_ROOT).
   * Where either is set, systeminformation's virtual flag is not consulted: it reads the real
   * /sys and runs dmidecode, so it would describe another machine than the trees given.
   */
  sysRoot?: string;
  procRoot?: string;
}

/** The inventory options from the environment: COSTBENCH_SYS_ROOT and COSTBENCH_PROC_ROOT. */
export function inventoryOptionsFromEnv(env: NodeJS.ProcessEnv): MachineInventoryOptions {
  const sysRoot = env['COSTBENCH_SYS_ROOT'];
  const procRoot = env['COSTBENCH_PROC_ROOT'];
  return { ...(sysRoot === undefined ? {} : { sysRoot }), ...(procRoot === undefined ? {} : { procRoot }) };
}
/** The inventory, with what the CPU power estimate needs to know of the CPU (not stored as such). */
export type MachineReading = MachineInventory & { cpuFacts: CpuFacts };

/**
 * Gathers the machine inventory once per run, before measuring: never call it inside a
 * sampling loop, since several systeminformation calls spawn processes and block the event loop.
 * It includes whether this is a virtual machine ({@link readVirtualizationFact}).
 */
export async function readMachineInventory(options: MachineInventoryOptions = {}): Promise<MachineReading> {
  const timeoutMs = options.timeoutMs ?? INVENTORY_TIMEOUT_MS;
  const [inventory, virtualization] = await Promise.all([
    readHardwareInventory(timeoutMs),
    readVirtualizationFact(options, timeoutMs),
  ]);
  return { ...inventory, virtualization };
}

/**
 * Whether this is a VM: cpuinfo and DMI under the given roots, plus systeminformation's flag
 * (`si.system()`) where no root was given. A failed or slow systeminformation leaves it out.
 */
export async function readVirtualizationFact(
  options: MachineInventoryOptions,
  timeoutMs = INVENTORY_TIMEOUT_MS,
): Promise<Virtualization> {
  const { sysRoot, procRoot } = options;
  let systemInformation: SystemInformationVirtual | null = null;
  if (sysRoot === undefined && procRoot === undefined) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const system = await Promise.race([si.system().catch(() => null), timeout]).finally(() =>
      clearTimeout(timer),
    );
    systemInformation = system === null ? null : { virtual: system.virtual, virtualHost: system.virtualHost };
  }
  return readVirtualization({ sysRoot, procRoot, systemInformation });
}

async function readHardwareInventory(timeoutMs: number): Promise<MachineReading> {
  const fallback = fromNodeOs();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const detailed = await Promise.race([fromSystemInformation(fallback), timeout]);
    return detailed ?? { ...fallback, collectedBy: `node:os (systeminformation took over ${timeoutMs} ms)` };
  } catch (error) {
    return {
      ...fallback,
      collectedBy: `node:os (systeminformation failed: ${error instanceof Error ? error.message : String(error)})`,
    };
  } finally {
    clearTimeout(timer);
  }
}

async function fromSystemInformation(fallback: MachineReading): Promise<MachineReading> {
  const [cpu, mem, osInfo, graphics] = await Promise.all([si.cpu(), si.mem(), si.osInfo(), si.graphics()]);
  const cpuModel = `${cpu.manufacturer} ${cpu.brand}`.trim();
  return {
    hostname: osInfo.hostname || fallback.hostname,
    platform: osInfo.distro
      ? `${osInfo.platform} (${osInfo.distro} ${osInfo.release})`.trim()
      : fallback.platform,
    osRelease: osInfo.kernel || fallback.osRelease,
    arch: osInfo.arch || fallback.arch,
    cpuModel: cpuModel || fallback.cpuModel,
    cpuCores: cpu.cores || fallback.cpuCores,
    memoryBytes: mem.total || fallback.memoryBytes,
    gpus: graphics.controllers.map((g) => ({
      vendor: g.vendor,
      model: g.model,
      vramBytes: typeof g.vram === 'number' && g.vram > 0 ? g.vram * 1024 * 1024 : null,
    })),
    nodeVersion: process.version,
    collectedBy: `systeminformation ${si.version()}`,
    cpuFacts: await readCpuFacts(cpu, cpuModel || fallback.cpuModel),
  };
}

// The CPU estimate's facts: class (chassis, battery), physical cores, sockets, max clock.
async function readCpuFacts(cpu: si.Systeminformation.CpuData, model: string): Promise<CpuFacts> {
  const [chassis, battery] = await Promise.all([
    si.chassis().catch(() => null),
    si.battery().catch(() => null),
  ]);
  const positive = (n: number): number | null => (Number.isFinite(n) && n > 0 ? n : null);
  return {
    model,
    vendor: cpu.manufacturer || cpu.vendor || null,
    cores: positive(cpu.cores),
    physicalCores: positive(cpu.physicalCores),
    sockets: positive(cpu.processors),
    speedMaxGhz: positive(cpu.speedMax),
    chassis: chassis?.type || null,
    hasBattery: battery === null ? null : battery.hasBattery,
  };
}

function fromNodeOs(): MachineReading {
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform: os.platform(),
    osRelease: os.release(),
    arch: os.arch(),
    cpuModel: cpus[0]?.model ?? 'unknown',
    cpuCores: cpus.length,
    memoryBytes: os.totalmem(),
    gpus: [],
    nodeVersion: process.version,
    collectedBy: 'node:os',
    cpuFacts: cpuFactsFromModel(cpus[0]?.model ?? 'unknown', cpus.length > 0 ? cpus.length : null),
  };
}
