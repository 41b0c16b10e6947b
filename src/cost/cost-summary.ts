import type { LocalCostInputs } from './cost-types.js';
import type { Config } from '../config/schema.js';
import { DEFAULT_ELECTRICITY_PER_KWH } from '../config/schema.js';
import { computeApiTaskCost } from './api-cost.js';
import { computeBreakEven } from './break-even.js';
import { resolveCachedShare } from './cached-share.js';
import { costNotes } from './cost-notes.js';
import { pickLevel } from '../types/level.js';
import { explainBuckets } from './explain-buckets.js';
import { chooseLevel, type ChosenLevel } from './level-choice.js';
import { computePeakToMean, formatLoadShape } from './load-shape.js';
import { computeCapacityPerMonth, computeEnergyCost, computeLocalMonth } from './local-cost.js';
import type { ApiPrice } from './price-types.js';
import { isBelowZeroBeyondNoise } from './marginal-noise.js';
import { withEnergyRange } from './cost-range.js';
import type {
  MeasuredWork,
  ApiComparison,
  LevelUsed,
  LoadComparison,
  VolumeRow,
  CostSummary,
  CostOptions,
} from './cost-types.js';
export type {
  MeasuredWork,
  WorkEnergyEnd,
  ApiComparison,
  LevelUsed,
  LoadComparison,
  VolumeRow,
  CostSummary,
  CostOptions,
} from './cost-types.js';

/** The volumes of the comparison table, in tasks a month. */
export const TABLE_VOLUMES = [100, 1_000, 10_000, 100_000, 1_000_000] as const;

/** The local inputs of the cost model from a run's chosen level and the settings. Pure. */
export function toLocalInputs(
  work: MeasuredWork,
  chosen: ChosenLevel | null,
  cost: Config['cost'],
  kwhPrice: number,
): LocalCostInputs {
  const l = chosen?.level;
  return {
    secondsPerTask:
      chosen === null || !chosen.meetsBound || l === undefined
        ? null
        : l.arrivalRatePerS !== undefined
          ? 1 / l.arrivalRatePerS
          : l.measureMs / 1000 / l.okTasks,
    totalJPerTask: l?.totalJPerTask ?? null,
    marginalJPerTask: l?.marginalJPerTask ?? null,
    idleW: work.idleW,
    kwhPrice,
    overheadFactor: work.energyFromWall ? 1 : cost.overheadFactor,
    availabilityHoursPerDay: cost.availabilityHoursPerDay,
    peakToMean: computePeakToMean(cost.load, cost.availabilityHoursPerDay),
    purchasePrice: cost.hardware.purchasePrice,
    amortizationMonths: cost.hardware.amortizationMonths,
    alreadyOwnedIdle: cost.hardware.alreadyOwnedIdle,
    workloadShare: cost.hardware.workloadShare,
    setupHours: cost.engineering.setupHours,
    maintenanceHoursPerMonth: cost.engineering.maintenanceHoursPerMonth,
    hourlyRate: cost.engineering.hourlyRate,
  };
}

function compare(local: number | null, api: number): 'local' | 'api' | null {
  return local === null ? null : local <= api ? 'local' : 'api';
}

function levelUsed(chosen: ChosenLevel | null): LevelUsed | null {
  if (chosen === null) return null;
  const { level, tasksPerS, meetsBound, why, closedLoop } = chosen;
  return {
    ...pickLevel(level),
    tasksPerS,
    p95LatencyMs: level.p95LatencyMs,
    meetsBound,
    why,
    ...(closedLoop === undefined ? {} : { closedLoop }),
  };
}

/** The API side's per-task token counts: billed usage for replays, else the local counts. */
function apiTokens(work: MeasuredWork): { prompt: number; output: number } {
  return {
    prompt: work.apiUsage?.promptTokens ?? work.promptTokensPerTask,
    output: work.apiUsage?.outputTokens ?? work.outputTokensPerTask,
  };
}

function compareApi(
  price: ApiPrice,
  work: MeasuredWork,
  options: CostOptions,
  inputs: LocalCostInputs,
  ctx: { full: number | null; marginalPerTask: number | null; share: number },
): ApiComparison {
  const { cost, volume } = options;
  // Billed usage is already in the API's tokens: no ratio.
  const tokenRatio = work.apiUsage === null ? (cost.tokenRatio[price.provider] ?? 1) : 1;
  const tokens = apiTokens(work);
  const task = computeApiTaskCost(price, tokens.prompt, tokens.output, {
    cachedInputShare: ctx.share,
    batch: cost.batch,
    tokenRatio,
    currencyPerUsd: cost.currencyPerUsd,
  });
  const monthly = task.perTask * volume;
  const cheaper = compare(ctx.full, monthly);
  const [low, high] = cheaper === 'local' ? [ctx.full ?? 0, monthly] : [monthly, ctx.full ?? 0];
  return {
    model: price.model,
    provider: price.provider,
    priceSource: price.source,
    priceAsOf: price.asOf,
    tokenRatio,
    task,
    monthly,
    cheaper,
    ratio: cheaper !== null && low > 0 ? high / low : null,
    ratioRange: null,
    dependsOnPower: false,
    breakEvenFull: computeBreakEven(inputs, task.perTask),
    marginalCheaper:
      ctx.marginalPerTask === null ? null : ctx.marginalPerTask <= task.perTask ? 'local' : 'api',
  };
}

function loadComparison(
  inputs: LocalCostInputs,
  volume: number,
  apis: readonly ApiComparison[],
): LoadComparison | null {
  if (inputs.peakToMean === 1) return null;
  const steadyInputs = { ...inputs, peakToMean: 1 };
  const steady = computeLocalMonth(steadyInputs, volume);
  const shaped = computeLocalMonth(inputs, volume);
  return {
    volume,
    steady: { machines: steady.machines, localFull: steady.full },
    shaped: { machines: shaped.machines, localFull: shaped.full },
    apis: apis.map((a) => ({
      model: a.model,
      steadyCheaper: compare(steady.full, a.monthly),
      shapedCheaper: compare(shaped.full, a.monthly),
      steadyBreakEven: computeBreakEven(steadyInputs, a.task.perTask),
      shapedBreakEven: a.breakEvenFull,
    })),
  };
}

function volumeTable(
  inputs: LocalCostInputs,
  apis: readonly ApiComparison[],
  clamp: (v: number | null) => number | null,
): VolumeRow[] {
  return TABLE_VOLUMES.map((volume) => {
    const month = computeLocalMonth(inputs, volume);
    return {
      volume,
      machines: month.machines,
      localFull: month.full,
      localMarginal: clamp(month.marginal),
      apis: apis.map((a) => ({
        model: a.model,
        monthly: a.task.perTask * volume,
        cheaper: compare(month.full, a.task.perTask * volume),
        dependsOnPower: false,
      })),
    };
  });
}

/**
 * Local cost in both views against each API, at a volume, with break-even volumes and a table; with
 * an estimated energy range, at both ends too, and a verdict only where they agree. Pure.
 */
export function computeCostSummary(work: MeasuredWork, options: CostOptions): CostSummary {
  return withEnergyRange(work, options, computeCostAtPoint);
}

/** The cost summary at the work's own energy figures (no range). */
function computeCostAtPoint(work: MeasuredWork, options: CostOptions): CostSummary {
  const { cost, volume } = options;
  const kwhPriceIsDefault = options.kwhPrice === undefined && cost.electricityPerKwh === null;
  const kwhPrice =
    options.kwhPrice ?? cost.electricityPerKwh ?? DEFAULT_ELECTRICITY_PER_KWH * cost.currencyPerUsd;
  const chosen = chooseLevel(work.levels, cost.load.p95LatencyBoundMs);
  const inputs = toLocalInputs(work, chosen, cost, kwhPrice);
  const local = computeLocalMonth(inputs, volume);
  const belowZero = isBelowZeroBeyondNoise(inputs.marginalJPerTask, inputs.totalJPerTask);
  const clamp = (v: number | null): number | null => (v === null ? null : Math.max(0, v));
  const rawMarginal =
    inputs.marginalJPerTask === null
      ? null
      : computeEnergyCost(inputs.marginalJPerTask, kwhPrice, inputs.overheadFactor);
  const marginalPerTask = clamp(rawMarginal);
  const usable = chosen?.meetsBound === true;
  const cachedShare = resolveCachedShare(work, cost.cachedInputShare);
  const ctx = {
    full: usable ? local.full : null,
    marginalPerTask: usable && !belowZero ? marginalPerTask : null,
    share: cachedShare.value,
  };
  const apis = options.prices.map((price) => compareApi(price, work, options, inputs, ctx));
  const perTask = (monthly: number | null): number | null =>
    monthly === null || volume === 0 ? null : monthly / volume;
  return {
    currency: cost.currency,
    kwhPrice,
    kwhPriceIsDefault,
    overheadFactor: inputs.overheadFactor,
    volume,
    level: levelUsed(chosen),
    load: {
      shape: cost.load,
      peakToMean: inputs.peakToMean,
      described: formatLoadShape(cost.load, cost.availabilityHoursPerDay),
    },
    perTask: {
      promptTokens: work.promptTokensPerTask,
      cachedPromptTokens: work.cachedPromptTokensPerTask,
      outputTokens: work.outputTokensPerTask,
      tokensCountedBy: work.tokenSource,
      seconds: inputs.secondsPerTask,
      totalJ: inputs.totalJPerTask,
      marginalJ: inputs.marginalJPerTask,
    },
    capacityPerMachinePerMonth:
      inputs.secondsPerTask === null
        ? null
        : computeCapacityPerMonth(inputs.secondsPerTask, cost.availabilityHoursPerDay),
    fullView: { complete: local.missing.length === 0, missing: local.missing },
    local: {
      ...local,
      marginal: clamp(local.marginal),
      marginalElectricity: clamp(local.marginalElectricity),
      fullPerTask: perTask(local.full),
      marginalPerTask,
      marginalBelowZero: belowZero,
      fullPerCorrectTask: perCorrect(perTask(local.full), work.accuracy),
      marginalPerCorrectTask: perCorrect(marginalPerTask, work.accuracy),
      accuracy: work.accuracy,
      explained: explainBuckets(inputs, local, cost.currency),
    },
    cachedShare,
    apiTokens: work.apiUsage !== null ? 'billed' : work.tokenSource,
    apis,
    table: volumeTable(inputs, apis, clamp),
    loadComparison: loadComparison(inputs, volume, apis),
    range: null,
    energyIsEstimate: work.energyIncludesEstimate,
    notes: costNotes({
      work,
      cost,
      kwhPriceIsDefault,
      kwhPrice,
      local,
      apis,
      chosen,
      belowZero,
      cachedShare,
    }),
  };
}

function perCorrect(perTask: number | null, accuracy: number | null): number | null {
  return perTask === null || accuracy === null || accuracy === 0 ? null : perTask / accuracy;
}
