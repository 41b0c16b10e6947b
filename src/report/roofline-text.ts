import type { RunRoofline } from '../analysis/roofline-for-run.js';
import { formatNumber } from './format-number.js';

/** Bytes as GB (>= 1e9) or MB, decimal. */
function formatBytes(bytes: number): string {
  return bytes >= 1e9 ? `${formatNumber(bytes / 1e9, 2)} GB` : `${formatNumber(bytes / 1e6, 1)} MB`;
}

/**
 * "decode 130.0 tok/s is 64% of the ceiling 201.7 tok/s (1008 GB/s NVIDIA GeForce RTX 4090, from the
 * config)"; the decode speed marked ~ and ESTIMATE when tokens were counted by chunks. Pure.
 */
export function formatRooflineShare(x: RunRoofline): string {
  const decode = x.estimate
    ? `~${formatNumber(x.decodeTokensPerS)} tok/s ESTIMATE (output tokens counted one per streamed chunk)`
    : `${formatNumber(x.decodeTokensPerS)} tok/s`;
  const share = x.shareOfCeiling === null ? '—' : formatNumber(x.shareOfCeiling * 100, 0);
  const how = x.how === 'config' ? 'from the config' : `${x.how} name match`;
  return (
    `decode ${decode}${x.decodeTimedBy === 'client' ? ' (client-timed)' : ''} is ${share}% of the ceiling ` +
    `${formatNumber(x.ceilingTokensPerS)} tok/s (${formatNumber(x.bandwidthGBps, 0)} GB/s ${x.device}, ${how})`
  );
}

/**
 * Both terms of the bytes read per generated token: "4.99 GB read per token: 4.92 GB of weights +
 * 78.6 MB of KV cache at 600 tokens of context (f16 assumed: ...)", or the weights alone and why the
 * KV term is missing. Pure.
 */
export function formatRooflineBytes(x: RunRoofline): string {
  const total = `${formatBytes(x.bytesPerToken)} read per token`;
  if (x.kv === null || x.kvBytes === null) {
    const why = x.kvMissing ?? 'unknown';
    return `${total}: weights only; the KV cache term is missing (${why}), so the ceiling is too high`;
  }
  const type = x.kv.cacheTypeAssumed
    ? `${x.kv.cacheType} assumed: the server does not report the cache type`
    : x.kv.cacheType;
  const context = `${formatNumber(x.kv.meanContextTokens, 0)} tokens of context${x.estimate ? ' (ESTIMATE)' : ''}`;
  const terms = `${formatBytes(x.weightBytes)} of weights + ${formatBytes(x.kvBytes)} of KV cache`;
  return `${total}: ${terms} at ${context} (${type})`;
}

/**
 * One line per context depth: "at depth 4096: ceiling 180.2 tok/s (4.92 GB of weights + 541.1 MB
 * of KV cache at 4128 tokens), decode 120.0 tok/s = 67%". Pure.
 */
export function formatRooflineAtDepth(x: RunRoofline): string[] {
  return (x.atDepth ?? []).map((d) => {
    const decode =
      d.decodeTokensPerS === null
        ? 'no decode measured'
        : `decode ${formatNumber(d.decodeTokensPerS)} tok/s = ${d.shareOfCeiling === null ? '—' : formatNumber(d.shareOfCeiling * 100, 0)}%`;
    return (
      `at depth ${d.contextDepthTokens}: ceiling ${formatNumber(d.ceilingTokensPerS)} tok/s ` +
      `(${formatBytes(x.weightBytes)} of weights + ${formatBytes(d.kvBytes)} of KV cache at ` +
      `${formatNumber(d.meanContextTokens, 0)} tokens), ${decode}`
    );
  });
}
