import type { Config } from '../config/schema.js';
import type { DecodeTimedBy } from '../report/decode-rate.js';
import type { RunSummary } from '../report/summary.js';
import { findHardwareById, type HardwareTable } from './hardware.js';
import { computeRoofline, matchHardware, type Roofline } from './roofline.js';

/** A run's decode speed against its device's memory-bandwidth ceiling. */
export interface RunRoofline extends Roofline {
  device: string;
  deviceId: string | null;
  /** How the device was found: the config, an exact or fuzzy name match. */
  how: 'config' | 'exact' | 'fuzzy';
  bandwidthGBps: number;
  /** Single-stream decode speed compared: the median generation tok/s at concurrency 1. */
  decodeTokensPerS: number;
  /** The server's decode timing, or the client's where the server reports none (vLLM, LM Studio). */
  decodeTimedBy: DecodeTimedBy;
}

/** Why no roofline was computed. */
export type RunRooflineResult = { roofline: RunRoofline } | { roofline: null; why: string };

/**
 * Compares single-stream decode speed with bandwidth / model size. The device is the configured
 * one, else the GPU the run measured (its nvidia-smi / tool name), else the inventory's first GPU.
 * Pure; `gpuNames` are the names seen, best first.
 */
export function computeRunRoofline(s: RunSummary, table: HardwareTable, settings: Config['roofline'], gpuNames: readonly { name: string; vramBytes: number | null }[]): RunRooflineResult {
  const modelBytes = s.model?.sizeBytes ?? null;
  if (modelBytes === null) return { roofline: null, why: 'the model\'s size in memory is unknown' };
  const spills = s.model?.sizeVramBytes !== null && s.model?.sizeVramBytes !== undefined && s.model.sizeVramBytes < modelBytes;
  const level1 = s.sweep?.levels.find((l) => l.concurrency === 1);
  const server = (level1 === undefined ? s.generationTokensPerS : level1.generationTokensPerS)?.median;
  const client = (level1 === undefined ? s.clientDecodeTokensPerS : level1.clientDecodeTokensPerS)?.median;
  const decodeTimedBy: DecodeTimedBy = server === undefined ? 'client' : 'server';
  const decode = server ?? client;
  if (decode === undefined) return { roofline: null, why: 'no decode speed was measured' };
  let device: { name: string; id: string | null; bandwidth: number; how: RunRoofline['how'] } | null = null;
  if (settings.device !== null) {
    const row = findHardwareById(table, settings.device);
    if (row === undefined) return { roofline: null, why: `roofline.device "${settings.device}" is not in data/hardware.json` };
    device = { name: row.name, id: row.id, bandwidth: settings.bandwidthGBps ?? row.memoryBandwidthGBps, how: 'config' };
  } else if (spills) {
    return { roofline: null, why: 'the model spills into CPU memory: set roofline.device to the memory that bounds it' };
  } else {
    for (const gpu of gpuNames) {
      const match = matchHardware(table, { name: gpu.name, vramBytes: gpu.vramBytes });
      if (match !== null) {
        device = { name: match.device.name, id: match.device.id, bandwidth: settings.bandwidthGBps ?? match.device.memoryBandwidthGBps, how: match.how };
        break;
      }
    }
    if (device === null) return { roofline: null, why: gpuNames.length === 0 ? 'no GPU found: set roofline.device (e.g. a cpu_memory id) for a CPU-only machine' : `no table entry for ${gpuNames.map((g) => `"${g.name}"`).join(', ')}: set roofline.device or roofline.bandwidthGBps` };
  }
  const roofline = computeRoofline({ bandwidthGBps: device.bandwidth, modelBytes, decodeTokensPerS: decode });
  if (roofline === null) return { roofline: null, why: 'bandwidth or model size is not a positive number' };
  return { roofline: { ...roofline, device: device.name, deviceId: device.id, how: device.how, bandwidthGBps: device.bandwidth, decodeTokensPerS: decode, decodeTimedBy } };
}
