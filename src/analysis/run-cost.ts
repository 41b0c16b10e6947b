import {
  computeCostSummary,
  type CostSummary,
  type MeasuredWork,
  type WorkEnergyEnd,
} from '../cost/cost-summary.js';
import type { WorkLevel } from '../cost/level-choice.js';
import type { ApiPrice } from '../cost/price-types.js';
import type { Config } from '../config/schema.js';
import type { RunSummary } from './summary.js';
import { hasEstimatedCounts } from './token-counts.js';
import { pickLevel, sameLevel } from '../types/level.js';

/**
 * The levels the cost model can choose from. A sweep gives one per level; a run with
 * one level (or no phases) gives one, from the run's totals.
 */
function workLevels(s: RunSummary): WorkLevel[] {
  const total = s.energy?.total;
  const levels = s.sweep?.levels ?? [];
  if (levels.length > 1) {
    return levels.map((l) => ({
      ...pickLevel(l),
      okTasks: l.ok,
      measureMs: l.durationMs,
      p95LatencyMs: l.latencyMs?.p95 ?? null,
      totalJPerTask: l.energyPerTaskJ,
      marginalJPerTask: l.marginalEnergyPerTaskJ,
      energyCoverage: s.energy?.levels.find((e) => sameLevel(e, l))?.coverage ?? null,
      ...(l.openLoop === undefined
        ? {}
        : {
            heldRateBound: l.openLoop.withinBound,
            rateBoundsMs: { latencyMs: l.openLoop.latencyBoundMs, ttftMs: l.openLoop.ttftBoundMs },
          }),
    }));
  }
  const latencySumMs = s.latencyMs === null ? 0 : s.latencyMs.mean * s.latencyMs.count;
  return [
    {
      ...(levels[0] === undefined ? { concurrency: 1 } : pickLevel(levels[0])),
      okTasks: s.requests.ok,
      measureMs: s.measureMs ?? latencySumMs,
      p95LatencyMs: levels[0]?.latencyMs?.p95 ?? s.latencyMs?.p95 ?? null,
      totalJPerTask: total?.perTaskJ ?? null,
      marginalJPerTask: total?.perTaskMarginalJ ?? null,
      energyCoverage: total?.coverage ?? null,
    },
  ];
}

/** Each level's energy per task at one end of the estimate's TDP range, with the run's idle power there. */
function energyEnd(s: RunSummary, levels: readonly WorkLevel[], end: 'low' | 'high'): WorkEnergyEnd {
  const e = s.energy;
  const single = levels.length === 1;
  return {
    levels: levels.map((l) => {
      const level = e?.levels.find((x) => sameLevel(x, l));
      const r = single ? e?.total.range?.[end] : level?.range?.[end];
      return {
        ...pickLevel(l),
        totalJPerTask: r?.perTaskJ ?? null,
        marginalJPerTask: r?.perTaskMarginalJ ?? null,
      };
    }),
    idleW: e?.total.range?.[end].idleW ?? null,
  };
}

/** The energy range the cost carries: both ends, and the TDP behind them; nulls without a range. */
function energyRangeOf(
  s: RunSummary,
  levels: readonly WorkLevel[],
): Pick<MeasuredWork, 'energyRange' | 'energyEstimate'> {
  const t = s.energy?.total;
  if (t?.range == null || t.estimate === null) return { energyRange: null, energyEstimate: null };
  return {
    energyRange: { low: energyEnd(s, levels, 'low'), high: energyEnd(s, levels, 'high') },
    energyEstimate: { lowW: t.estimate.lowW, highW: t.estimate.highW, basis: t.estimate.basis },
  };
}

/** What the cost model needs from a run's summary. Pure. */
export function toMeasuredWork(s: RunSummary): MeasuredWork {
  const total = s.energy?.total;
  const wall = s.energy?.channels.some((c) => c.inTotal && c.covers === 'wall') ?? false;
  const levels = workLevels(s);
  // The sweep's best level (the most tasks per second), as `compare` shows it.
  const best = levels.find((l) => l.concurrency === s.sweep?.best) ?? levels[0];
  // With context depths, a task's tokens are those of the lowest depth (the capacity's): the
  // filler of the deeper levels is a load condition, not part of the task an API would bill.
  const atDepth = s.sweep?.contextDepth?.levels[0];
  return {
    levels,
    totalJPerTask: best?.totalJPerTask ?? null,
    marginalJPerTask: best?.marginalJPerTask ?? null,
    promptTokensPerTask: (atDepth === undefined ? s.tokens.promptPerRequest : atDepth.promptTokensMean) ?? 0,
    cachedPromptTokensPerTask: s.tokens.cachedPromptPerRequest,
    outputTokensPerTask: (atDepth === undefined ? s.tokens.outputPerRequest : atDepth.outputTokensMean) ?? 0,
    tokenSource: hasEstimatedCounts(s.tokens) ? 'chunks' : 'server',
    promptTokensUnknown: s.requests.ok > 0 && s.tokens.promptPerRequest === null,
    idleW: total?.idleW ?? null,
    energyIncludesEstimate: total?.includesEstimate ?? false,
    energyFromWall: wall,
    accuracy: s.quality === null || s.quality.scored === 0 ? null : s.quality.accuracy,
    apiUsage:
      s.replay === null
        ? null
        : {
            promptTokens: s.replay.promptTokensPerTask,
            outputTokens: s.replay.completionTokensPerTask,
            cachedShare: s.replay.cachedShare,
            model: s.replay.apiModel,
          },
    ...energyRangeOf(s, levels),
  };
}

/** Options of a cost comparison beyond the config: the command line's overrides. */
export interface CostOverrides {
  volume?: number;
  kwhPrice?: number;
  /** API models to compare with instead of cost.compareWith. */
  models?: string[];
}

/** The API models to compare with: a replay's own model first, then the chosen set; and those the table lacks. */
function chooseModels(
  s: RunSummary,
  cost: Config['cost'],
  prices: readonly ApiPrice[],
  models?: string[],
): { chosen: ApiPrice[]; missing: string[] } {
  const replayModel = s.replay?.apiModel ?? null;
  const base = models ?? cost.compareWith;
  const wanted =
    replayModel !== null && prices.some((p) => p.model === replayModel)
      ? [replayModel, ...base.filter((m) => m !== replayModel)]
      : base;
  const byModel = new Map(prices.map((p) => [p.model, p]));
  const chosen = wanted.flatMap((m) => {
    const p = byModel.get(m);
    return p === undefined ? [] : [p];
  });
  return { chosen, missing: wanted.filter((m) => !byModel.has(m)) };
}

/**
 * The cost of a run against the chosen API models. Models missing from the price table are
 * returned apart (the caller decides whether that is an error). Pure.
 */
export function computeRunCost(
  s: RunSummary,
  cost: Config['cost'],
  prices: readonly ApiPrice[],
  overrides: CostOverrides = {},
): { cost: CostSummary; missing: string[] } {
  const { chosen, missing } = chooseModels(s, cost, prices, overrides.models);
  const summary = computeCostSummary(toMeasuredWork(s), {
    cost,
    volume: overrides.volume ?? cost.monthlyTasks,
    prices: chosen,
    ...(overrides.kwhPrice === undefined ? {} : { kwhPrice: overrides.kwhPrice }),
  });
  if (missing.length > 0)
    summary.notes.push(
      `not in the price table, left out: ${missing.join(', ')} (see \`costbench prices list\`)`,
    );
  if (s.requests.ok === 0) summary.notes.push('no request succeeded: there is nothing to cost');
  return { cost: summary, missing };
}
