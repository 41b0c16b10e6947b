import type { Config } from '../config/schema.js';
import { DEFAULT_ELECTRICITY_PER_KWH } from '../config/schema.js';
import { computeApiTaskCost, type ApiTaskCost } from './api-cost.js';
import { computeBreakEven, type BreakEven } from './break-even.js';
import { resolveCachedShare, type CachedShare } from './cached-share.js';
import { costNotes } from './cost-notes.js';
import { explainBuckets, type BucketExplanation } from './explain-buckets.js';
import { chooseLevel, type ChosenLevel, type WorkLevel } from './level-choice.js';
import { computePeakToMean, formatLoadShape, type LoadShape } from './load-shape.js';
import {
  computeCapacityPerMonth,
  computeEnergyCost,
  computeLocalMonth,
  type LocalCostInputs,
  type LocalMonth,
} from './local-cost.js';
import type { MissingInput } from './missing-inputs.js';
import type { ApiPrice } from './price-types.js';
import { isBelowZeroBeyondNoise } from './marginal-noise.js';
import { withEnergyRange, type CostRange } from './cost-range.js';

/** The volumes of the comparison table, in tasks a month. */
export const TABLE_VOLUMES = [100, 1_000, 10_000, 100_000, 1_000_000] as const;

/** How a run's local token counts were made. */
export type LocalTokens = 'server tokenizer' | 'stream chunks (ESTIMATE)';

/** What a run measured that the cost depends on. */
export interface MeasuredWork {
  /** Every measured concurrency level (one for a run without a sweep); the cost model picks one. */
  levels: WorkLevel[];
  /** Energy per task at the sweep's best level (the most tasks/s, no latency bound): what `compare` shows. */
  totalJPerTask: number | null;
  marginalJPerTask: number | null;
  /** Mean prompt tokens per task: every prompt token, cached ones included (what an API bills). */
  promptTokensPerTask: number;
  /** Mean prompt tokens the server took from its cache, over the requests that reported it; null: none did. */
  cachedPromptTokensPerTask: number | null;
  outputTokensPerTask: number;
  /** How the local counts were made: the server's tokenizer, or one token per streamed chunk (an estimate). */
  localTokens: LocalTokens;
  /** The server reported no prompt counts (LM Studio streams no usage): prompt tokens are 0, not measured. */
  promptTokensUnknown: boolean;
  idleW: number | null;
  /** The energy includes an estimate / comes from a wall meter (then no overhead factor). */
  energyIncludesEstimate: boolean;
  energyFromWall: boolean;
  /** Share of scored tasks answered correctly; null when the suite has no expected answers. */
  accuracy: number | null;
  /** Replays: the API's billed usage per task (means), used for the API side instead of local counts. */
  apiUsage: { promptTokens: number; outputTokens: number; cachedShare: number; model: string | null } | null;
  /**
   * The energy at both ends of the CPU estimate's TDP range (each level's J per task, idle power);
   * null when the energy has no range (measured, or an estimate from one rated figure).
   */
  energyRange: { low: WorkEnergyEnd; high: WorkEnergyEnd } | null;
  /** The CPU estimate's TDP range and its basis, for the notes; null without a range. */
  energyEstimate: { lowW: number; highW: number; basis: string } | null;
}

/** The energy of one end of an estimate's range. */
export interface WorkEnergyEnd {
  levels: Pick<WorkLevel, 'concurrency' | 'totalJPerTask' | 'marginalJPerTask'>[];
  idleW: number | null;
}

/** One API against local, at the chosen volume. */
export interface ApiComparison {
  model: string;
  provider: string;
  priceSource: ApiPrice['source'];
  priceAsOf: string | null;
  tokenRatio: number;
  task: ApiTaskCost;
  monthly: number;
  /**
   * Which option costs less at the chosen volume (full view); null when the full view is incomplete,
   * or when the two ends of an estimated energy's range disagree (dependsOnPower).
   */
  cheaper: 'local' | 'api' | null;
  /** The dearer / the cheaper; null with no verdict, or with an energy range (see ratioRange). */
  ratio: number | null;
  /** With an energy range and a verdict: the ratio at each end, lower first; null otherwise. */
  ratioRange: { low: number; high: number } | null;
  /** The ends of an estimated energy's range disagree on the full-view verdict at the chosen volume. */
  dependsOnPower: boolean;
  breakEvenFull: BreakEven;
  /** Marginal view (electricity above idle only); null when unknown or below zero. */
  marginalCheaper: 'local' | 'api' | null;
}

/** The level whose J per task and seconds per task the cost uses, and why. */
export interface LevelUsed {
  concurrency: number;
  tasksPerS: number;
  p95LatencyMs: number | null;
  meetsBound: boolean;
  why: string;
}

/** The same monthly volume under a steady load and under the configured shape. */
export interface LoadComparison {
  volume: number;
  steady: { machines: number | null; localFull: number | null };
  shaped: { machines: number | null; localFull: number | null };
  apis: {
    model: string;
    steadyCheaper: 'local' | 'api' | null;
    shapedCheaper: 'local' | 'api' | null;
    steadyBreakEven: BreakEven;
    shapedBreakEven: BreakEven;
  }[];
}

/** A row of the table by volume. */
export interface VolumeRow {
  volume: number;
  machines: number | null;
  localFull: number | null;
  localMarginal: number | null;
  /** cheaper: null also where the ends of an energy range disagree (dependsOnPower). */
  apis: { model: string; monthly: number; cheaper: 'local' | 'api' | null; dependsOnPower: boolean }[];
}

/** The cost section of a report. */
export interface CostSummary {
  currency: string;
  kwhPrice: number;
  kwhPriceIsDefault: boolean;
  overheadFactor: number;
  volume: number;
  /** The level the cost uses (null: no ok task). */
  level: LevelUsed | null;
  load: { shape: LoadShape; peakToMean: number; described: string };
  perTask: {
    promptTokens: number;
    cachedPromptTokens: number | null;
    outputTokens: number;
    tokensCountedBy: LocalTokens;
    seconds: number | null;
    totalJ: number | null;
    marginalJ: number | null;
  };
  /** Tasks one machine does in a month at a steady load; null without a capacity. */
  capacityPerMachinePerMonth: number | null;
  /** Whether the full view has every input; what it lacks and how to supply it. */
  fullView: { complete: boolean; missing: MissingInput[] };
  local: LocalMonth & {
    fullPerTask: number | null;
    /** Electricity above idle per task; 0 when the measured figure is below zero (see marginalBelowZero). */
    marginalPerTask: number | null;
    /** The measured marginal energy per task is below zero (idle above busy): shown as ~0, no marginal verdict. */
    marginalBelowZero: boolean;
    /** Per correct task: per task / accuracy (a wrong answer still costs). null without scoring or with no correct answer. */
    fullPerCorrectTask: number | null;
    marginalPerCorrectTask: number | null;
    accuracy: number | null;
    /** Each bucket with the inputs it came from. */
    explained: BucketExplanation[];
  };
  cachedShare: CachedShare;
  /** Where the API side's token counts came from. */
  apiTokens: 'local tokenizer' | 'local stream chunks (ESTIMATE)' | 'billed usage (replay)';
  apis: ApiComparison[];
  table: VolumeRow[];
  /** Steady against the configured load shape; null for a steady load. */
  loadComparison: LoadComparison | null;
  /**
   * Local cost at both ends of the CPU estimate's TDP range; null when the energy has no range. The
   * figures above are at the estimate's point (the middle of a class range); the verdicts above are
   * given only where both ends agree.
   */
  range: CostRange | null;
  /** The energy the local cost rests on includes an estimate (CPU TDP x load). */
  energyIsEstimate: boolean;
  notes: string[];
}

/** What a comparison needs beyond the measurements. */
export interface CostOptions {
  cost: Config['cost'];
  volume: number;
  /** Overrides cost.electricityPerKwh. */
  kwhPrice?: number;
  prices: readonly ApiPrice[];
}

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
      chosen === null || !chosen.meetsBound || l === undefined ? null : l.measureMs / 1000 / l.okTasks,
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
  const { level, tasksPerS, meetsBound, why } = chosen;
  return { concurrency: level.concurrency, tasksPerS, p95LatencyMs: level.p95LatencyMs, meetsBound, why };
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
      tokensCountedBy: work.localTokens,
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
    apiTokens:
      work.apiUsage !== null
        ? 'billed usage (replay)'
        : work.localTokens === 'server tokenizer'
          ? 'local tokenizer'
          : 'local stream chunks (ESTIMATE)',
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
