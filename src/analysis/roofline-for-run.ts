import type { Config } from '../config/schema.js';
import type { DecodeTimedBy } from './decode-rate.js';
import type { RunSummary } from './summary.js';
import { hasEstimatedCounts } from './token-counts.js';
import { findHardwareById, type HardwareTable } from '../roofline/hardware.js';
import { computeKvBytesPerContextToken, DEFAULT_KV_CACHE_TYPE } from '../roofline/kv-cache.js';
import { computeRoofline, matchHardware } from '../roofline/roofline.js';
import type { DepthRoofline, KvTerm, RunRoofline, RunRooflineResult } from './roofline-types.js';
export type { RunRoofline, RunRooflineResult } from './roofline-types.js';

type Device = { name: string; id: string | null; bandwidth: number; how: RunRoofline['how'] };
type GpuName = { name: string; vramBytes: number | null };

/**
 * Compares single-stream decode speed with bandwidth / bytes read per generated token: the model's
 * weights (its file size, not its size once loaded) plus the KV cache at the measured context. The
 * device is the configured one, else the GPU the run measured (its nvidia-smi / tool name), else the
 * inventory's first GPU. Pure; `gpuNames` are the names seen, best first.
 */
export function computeRunRoofline(
  s: RunSummary,
  table: HardwareTable,
  settings: Config['roofline'],
  gpuNames: readonly GpuName[],
): RunRooflineResult {
  const weightBytes = s.model?.sizeBytes ?? null;
  if (weightBytes === null) return { roofline: null, why: whyNoWeights(s) };
  const level1 = s.sweep?.levels.find((l) => l.concurrency === 1);
  const server = (level1 === undefined ? s.generationTokensPerS : level1.generationTokensPerS)?.median;
  const client = (level1 === undefined ? s.clientDecodeTokensPerS : level1.clientDecodeTokensPerS)?.median;
  const decodeTimedBy: DecodeTimedBy = server === undefined ? 'client' : 'server';
  const decode = server ?? client;
  if (decode === undefined) return { roofline: null, why: 'no decode speed was measured' };
  const device = findDevice(s, table, settings, gpuNames);
  if ('why' in device) return { roofline: null, why: device.why };
  const kv = kvTermOf(s, level1?.contextDepthTokens);
  const kvBytes = kv.term === null ? null : kv.term.bytesPerContextToken * kv.term.meanContextTokens;
  const atDepth = kv.term === null ? [] : depthRooflines(s, device.bandwidth, weightBytes, kv.term);
  const roofline = computeRoofline({
    bandwidthGBps: device.bandwidth,
    weightBytes,
    kvBytes,
    decodeTokensPerS: decode,
  });
  if (roofline === null) return { roofline: null, why: 'bandwidth or model size is not a positive number' };
  return {
    roofline: {
      ...roofline,
      device: device.name,
      deviceId: device.id,
      how: device.how,
      bandwidthGBps: device.bandwidth,
      decodeTokensPerS: decode,
      decodeTimedBy,
      kv: kv.term,
      kvMissing: kv.why,
      estimate: hasEstimatedCounts(s.tokens),
      ...(atDepth.length === 0 ? {} : { atDepth }),
    },
  };
}

/**
 * The ceiling at each context depth of the run (its concurrency-1 levels): the KV read per token
 * grows with the depth, bytesPerContextToken x (prompt with filler + output / 2). Pure.
 */
function depthRooflines(
  s: RunSummary,
  bandwidthGBps: number,
  weightBytes: number,
  kv: KvTerm,
): DepthRoofline[] {
  const levels = s.sweep?.contextDepth?.levels.filter((l) => l.concurrency === 1) ?? [];
  return levels.flatMap((l) => {
    if (l.promptTokensMean === null || l.outputTokensMean === null) return [];
    const meanContextTokens = l.promptTokensMean + l.outputTokensMean / 2;
    const kvBytes = kv.bytesPerContextToken * meanContextTokens;
    const decode = l.decodeTokensPerS?.median ?? null;
    const r = computeRoofline({ bandwidthGBps, weightBytes, kvBytes, decodeTokensPerS: decode });
    if (r === null) return [];
    return [
      {
        contextDepthTokens: l.contextDepthTokens,
        meanContextTokens,
        kvBytes,
        bytesPerToken: r.bytesPerToken,
        ceilingTokensPerS: r.ceilingTokensPerS,
        decodeTokensPerS: decode,
        shareOfCeiling: r.shareOfCeiling,
      },
    ];
  });
}

function whyNoWeights(s: RunSummary): string {
  if (s.model?.loadedSizeBytes != null) {
    return (
      "the weights' size was not recorded (a run stored before costbench kept it apart from the size in memory, " +
      'which includes the KV cache)'
    );
  }
  return "the model's weight size is unknown (the server did not list its file size)";
}

/** The configured device, else the first GPU name the table knows; or why there is none. */
function findDevice(
  s: RunSummary,
  table: HardwareTable,
  settings: Config['roofline'],
  gpuNames: readonly GpuName[],
): Device | { why: string } {
  if (settings.device !== null) {
    const row = findHardwareById(table, settings.device);
    if (row === undefined)
      return { why: `roofline.device "${settings.device}" is not in data/hardware.json` };
    return {
      name: row.name,
      id: row.id,
      bandwidth: settings.bandwidthGBps ?? row.memoryBandwidthGBps,
      how: 'config',
    };
  }
  const loaded = s.model?.loadedSizeBytes ?? null;
  const vram = s.model?.sizeVramBytes ?? null;
  if (loaded !== null && vram !== null && vram < loaded) {
    return { why: 'the model spills into CPU memory: set roofline.device to the memory that bounds it' };
  }
  for (const gpu of gpuNames) {
    const match = matchHardware(table, { name: gpu.name, vramBytes: gpu.vramBytes });
    if (match === null) continue;
    const bandwidth = settings.bandwidthGBps ?? match.device.memoryBandwidthGBps;
    return { name: match.device.name, id: match.device.id, bandwidth, how: match.how };
  }
  if (gpuNames.length === 0) {
    return { why: 'no GPU found: set roofline.device (e.g. a cpu_memory id) for a CPU-only machine' };
  }
  const names = gpuNames.map((g) => `"${g.name}"`).join(', ');
  return { why: `no table entry for ${names}: set roofline.device or roofline.bandwidthGBps` };
}

/**
 * The KV cache read per generated token: bytes per token of context x the mean context over a
 * request's decode (its prompt, cached tokens included, + about half its output), at the compared
 * level's context depth in a run with --context-depth. The cache type
 * is taken as f16: no server reports it (Ollama's OLLAMA_KV_CACHE_TYPE is not visible).
 */
function kvTermOf(
  s: RunSummary,
  depth: number | undefined,
): { term: KvTerm; why: null } | { term: null; why: string } {
  const size = computeKvBytesPerContextToken(s.model?.architecture ?? null, DEFAULT_KV_CACHE_TYPE);
  if (size.bytesPerContextToken === null) return { term: null, why: size.why };
  // A run with context depths compares the level it compares the decode of: that depth's context alone.
  const atDepth = s.sweep?.contextDepth?.levels.find(
    (l) => l.concurrency === 1 && l.contextDepthTokens === depth,
  );
  const prompt = atDepth === undefined ? s.tokens.promptPerRequest : atDepth.promptTokensMean;
  const output = atDepth === undefined ? s.tokens.outputPerRequest : atDepth.outputTokensMean;
  if (prompt === null || output === null) {
    return { term: null, why: 'the requests have no prompt or output token counts to size the context' };
  }
  const term: KvTerm = {
    bytesPerContextToken: size.bytesPerContextToken,
    meanContextTokens: prompt + output / 2,
    cacheType: DEFAULT_KV_CACHE_TYPE,
    cacheTypeAssumed: true,
  };
  return { term, why: null };
}
