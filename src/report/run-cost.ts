import { computeCostSummary, type CostSummary, type MeasuredWork } from '../cost/cost-summary.js';
import type { ApiPrice } from '../cost/price-types.js';
import type { Config } from '../config/schema.js';
import type { RunSummary } from './summary.js';
import { hasEstimatedCounts } from './token-counts.js';

/** What the cost model needs from a run's summary. Pure. */
export function toMeasuredWork(s: RunSummary): MeasuredWork {
  const total = s.energy?.total;
  const wall = s.energy?.channels.some((c) => c.inTotal && c.covers === 'wall') ?? false;
  const latencySumMs = s.latencyMs === null ? 0 : s.latencyMs.mean * s.latencyMs.count;
  // A sweep's capacity and energy per task come from its best level (the most tasks per second).
  const best = s.sweep?.levels.find((l) => l.concurrency === s.sweep?.best);
  const sweep = s.sweep !== null && s.sweep.levels.length > 1 && best !== undefined ? best : null;
  return {
    okTasks: sweep?.ok ?? s.requests.ok,
    measureMs: sweep?.durationMs ?? s.measureMs ?? latencySumMs,
    // token totals scaled to the tasks counted, so per-task means stay the means over the requests that have counts
    promptTokens: (s.tokens.promptPerRequest ?? 0) * (sweep?.ok ?? s.requests.ok),
    outputTokens: (s.tokens.outputPerRequest ?? 0) * (sweep?.ok ?? s.requests.ok),
    localTokens: hasEstimatedCounts(s.tokens) ? 'stream chunks (ESTIMATE)' : 'server tokenizer',
    promptTokensUnknown: s.requests.ok > 0 && s.tokens.promptPerRequest === null,
    totalJPerTask: sweep === null ? (total?.perTaskJ ?? null) : sweep.energyPerTaskJ,
    marginalJPerTask: sweep === null ? (total?.perTaskMarginalJ ?? null) : sweep.marginalEnergyPerTaskJ,
    idleW: total?.idleW ?? null,
    energyIncludesEstimate: total?.includesEstimate ?? false,
    energyFromWall: wall,
    accuracy: s.quality === null || s.quality.scored === 0 ? null : s.quality.accuracy,
    apiUsage: s.replay === null ? null : { promptTokens: s.replay.promptTokensPerTask, outputTokens: s.replay.completionTokensPerTask, cachedShare: s.replay.cachedShare, model: s.replay.apiModel },
  };
}

/** Options of a cost comparison beyond the config: the command line's overrides. */
export interface CostOverrides {
  volume?: number;
  kwhPrice?: number;
  /** API models to compare with instead of cost.compareWith. */
  models?: string[];
}

/**
 * The cost of a run against the chosen API models. Models missing from the price table are
 * returned apart (the caller decides whether that is an error). Pure.
 */
export function computeRunCost(s: RunSummary, cost: Config['cost'], prices: readonly ApiPrice[], overrides: CostOverrides = {}): { cost: CostSummary; missing: string[] } {
  // A replay compares first with the model its requests were sent to.
  const replayModel = s.replay?.apiModel ?? null;
  const base = overrides.models ?? cost.compareWith;
  const wanted = replayModel !== null && prices.some((p) => p.model === replayModel) ? [replayModel, ...base.filter((m) => m !== replayModel)] : base;
  const byModel = new Map(prices.map((p) => [p.model, p]));
  const chosen = wanted.flatMap((m) => {
    const p = byModel.get(m);
    return p === undefined ? [] : [p];
  });
  const missing = wanted.filter((m) => !byModel.has(m));
  const summary = computeCostSummary(toMeasuredWork(s), {
    cost,
    volume: overrides.volume ?? cost.monthlyTasks,
    prices: chosen,
    ...(overrides.kwhPrice === undefined ? {} : { kwhPrice: overrides.kwhPrice }),
  });
  if (missing.length > 0) summary.notes.push(`not in the price table, left out: ${missing.join(', ')} (see \`costbench prices list\`)`);
  if (s.requests.ok === 0) summary.notes.push('no request succeeded: there is nothing to cost');
  return { cost: summary, missing };
}
