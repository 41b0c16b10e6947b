import os from 'node:os';
import si from 'systeminformation';
import type { MachineInventory } from '../store/inventory.js';
import type { CpuFacts } from '../telemetry/cpu-tdp.js';
import { cpuFactsFromModel } from '../telemetry/estimate.js';

/** systeminformation spawns helpers (lspci, nvidia-smi); past this, fall back to node:os. */
export const INVENTORY_TIMEOUT_MS = 10_000;

/** The inventory, with what the CPU power estimate needs to know of the CPU (not stored as such). */
export type MachineReading = MachineInventory & { cpuFacts: CpuFacts };

/**
 * Gathers the machine inventory once per run, before measuring: never call it inside a
 * sampling loop, since several systeminformation calls spawn processes and block the event loop.
 */
export async function readMachineInventory(timeoutMs = INVENTORY_TIMEOUT_MS): Promise<MachineReading> {
  const fallback = fromNodeOs();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const detailed = await Promise.race([fromSystemInformation(fallback), timeout]);
    return detailed ?? { ...fallback, collectedBy: `node:os (systeminformation took over ${timeoutMs} ms)` };
  } catch (error) {
    return { ...fallback, collectedBy: `node:os (systeminformation failed: ${error instanceof Error ? error.message : String(error)})` };
  } finally {
    clearTimeout(timer);
  }
}

async function fromSystemInformation(fallback: MachineReading): Promise<MachineReading> {
  const [cpu, mem, osInfo, graphics] = await Promise.all([si.cpu(), si.mem(), si.osInfo(), si.graphics()]);
  const cpuModel = `${cpu.manufacturer} ${cpu.brand}`.trim();
  return {
    hostname: osInfo.hostname || fallback.hostname,
    platform: osInfo.distro ? `${osInfo.platform} (${osInfo.distro} ${osInfo.release})`.trim() : fallback.platform,
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
