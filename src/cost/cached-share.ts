import type { MeasuredWork } from './cost-types.js';

import type { CachedShare } from './cost-types.js';

/**
 * The cached share the API side is billed with: an explicit cost.cachedInputShare wins; else a
 * replay's billed cached share; else the share of prompt tokens the local server took from its
 * prompt cache (a shared system prompt an API would cache too); else 0. Pure.
 */
export function resolveCachedShare(work: MeasuredWork, configured: number | null): CachedShare {
  const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
  if (configured !== null)
    return { value: configured, source: 'config', described: `${pct(configured)} (cost.cachedInputShare)` };
  if (work.apiUsage !== null) {
    const value = work.apiUsage.cachedShare;
    return {
      value,
      source: 'billed',
      described: `${pct(value)} (the replayed requests' billed usage)`,
    };
  }
  const cached = work.cachedPromptTokensPerTask;
  if (cached !== null && work.promptTokensPerTask > 0) {
    const value = Math.min(1, cached / work.promptTokensPerTask);
    const from = `${cached.toFixed(0)} of ${work.promptTokensPerTask.toFixed(0)} prompt tokens per task`;
    return {
      value,
      source: 'measured',
      described: `${pct(value)} (measured: ${from} came from the server's prompt cache)`,
    };
  }
  return {
    value: 0,
    source: 'none',
    described: '0% (the server reported no prompt cache; set cost.cachedInputShare to assume one)',
  };
}
