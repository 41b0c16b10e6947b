/**
 * AMD GPU settings from sysfs, where they cost a file read: the forced performance level and the
 * hwmon power cap against its default (microwatts). Other fields stay null (no tool is run).
 */
import { join } from 'node:path';
import type { GpuState } from './gpu-state.js';
import type { SysfsReader } from './sysfs-reader.js';

const AMD_VENDOR = '0x1002';
const MICROWATTS_PER_W = 1_000_000;

/** One AMD card's files, as read. */
export interface AmdCardFiles {
  index: number;
  name: string | null;
  performanceLevel: string | null;
  powerCapMicroW: number | null;
  powerCapDefaultMicroW: number | null;
}

/** The state of one AMD card. */
function summarizeAmdCard(card: AmdCardFiles): GpuState {
  const watts = (uw: number | null): number | null => (uw === null ? null : uw / MICROWATTS_PER_W);
  return {
    vendor: 'amd',
    index: card.index,
    name: card.name,
    driverVersion: null,
    powerLimitW: watts(card.powerCapMicroW),
    defaultPowerLimitW: watts(card.powerCapDefaultMicroW),
    enforcedPowerLimitW: null,
    persistenceMode: null,
    smClockMhz: null,
    memClockMhz: null,
    maxSmClockMhz: null,
    pstate: null,
    temperatureC: null,
    performanceLevel: card.performanceLevel,
  };
}

/** Every `<sysRoot>/class/drm/cardN` whose PCI vendor is AMD; [] when there is none. */
export function readAmdGpus(sysRoot: string, read: SysfsReader): GpuState[] {
  const drm = join(sysRoot, 'class', 'drm');
  const gpus: GpuState[] = [];
  for (const entry of read.list(drm) ?? []) {
    const match = /^card(\d+)$/.exec(entry);
    const device = join(drm, entry, 'device');
    if (match === null || read.text(join(device, 'vendor')) !== AMD_VENDOR) continue;
    const hwmonName = (read.list(join(device, 'hwmon')) ?? []).find((h) => /^hwmon\d+$/.test(h));
    const hwmon = hwmonName === undefined ? null : join(device, 'hwmon', hwmonName);
    gpus.push(
      summarizeAmdCard({
        index: Number(match[1]),
        name: read.text(join(device, 'product_name')),
        performanceLevel: read.text(join(device, 'power_dpm_force_performance_level')),
        powerCapMicroW: hwmon === null ? null : read.number(join(hwmon, 'power1_cap')),
        powerCapDefaultMicroW: hwmon === null ? null : read.number(join(hwmon, 'power1_cap_default')),
      }),
    );
  }
  return gpus;
}
