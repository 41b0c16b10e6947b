import type { Config } from '../config/schema.js';
import { DEFAULT_ELECTRICITY_PER_KWH } from '../config/schema.js';
import { computeApiTaskCost, type ApiTaskCost } from './api-cost.js';
import { computeBreakEven, type BreakEven } from './break-even.js';
import { computeCapacityPerMonth, computeEnergyCost, computeLocalMonth, type LocalCostInputs, type LocalMonth } from './local-cost.js';
import type { ApiPrice } from './price-types.js';

/** The volumes of the comparison table, in tasks a month. */
export const TABLE_VOLUMES = [100, 1_000, 10_000, 100_000, 1_000_000] as const;

/** How a run's local token counts were made. */
export type LocalTokens = 'server tokenizer' | 'stream chunks (ESTIMATE)';

/** What a run measured that the cost depends on. */
export interface MeasuredWork {
  okTasks: number;
  /** Duration of the measured phase (requests back to back), ms. */
  measureMs: number;
  promptTokens: number;
  outputTokens: number;
  /** How the local counts were made: the server's tokenizer, or one token per streamed chunk (an estimate). */
  localTokens: LocalTokens;
  /** The server reported no prompt counts (LM Studio streams no usage): promptTokens is 0, not measured. */
  promptTokensUnknown: boolean;
  totalJPerTask: number | null;
  marginalJPerTask: number | null;
  idleW: number | null;
  /** The energy includes an estimate / comes from a wall meter (then no overhead factor). */
  energyIncludesEstimate: boolean;
  energyFromWall: boolean;
  /** Share of scored tasks answered correctly; null when the suite has no expected answers. */
  accuracy: number | null;
  /** Replays: the API's billed usage per task (means), used for the API side instead of local counts. */
  apiUsage: { promptTokens: number; outputTokens: number; cachedShare: number; model: string | null } | null;
}

export interface ApiComparison {
  model: string;
  provider: string;
  priceSource: ApiPrice['source'];
  priceAsOf: string | null;
  tokenRatio: number;
  task: ApiTaskCost;
  monthly: number;
  /** Which option costs less at the chosen volume (full view), and the ratio of the dearer to the cheaper. */
  cheaper: 'local' | 'api';
  ratio: number | null;
  breakEvenFull: BreakEven;
  /** Marginal view: only electricity above idle against the API. */
  marginalCheaper: 'local' | 'api' | null;
}

export interface CostSummary {
  currency: string;
  kwhPrice: number;
  kwhPriceIsDefault: boolean;
  overheadFactor: number;
  volume: number;
  perTask: { promptTokens: number; outputTokens: number; tokensCountedBy: LocalTokens; seconds: number; totalJ: number | null; marginalJ: number | null };
  capacityPerMachinePerMonth: number;
  local: LocalMonth & {
    fullPerTask: number | null;
    marginalPerTask: number | null;
    /** Per correct task: per task / accuracy (a wrong answer still costs). null without scoring or with no correct answer. */
    fullPerCorrectTask: number | null;
    marginalPerCorrectTask: number | null;
    accuracy: number | null;
  };
  /** Where the API side's token counts came from. */
  apiTokens: 'local tokenizer' | 'local stream chunks (ESTIMATE)' | 'billed usage (replay)';
  apis: ApiComparison[];
  table: { volume: number; machines: number; localFull: number; localMarginal: number | null; apis: { model: string; monthly: number; cheaper: 'local' | 'api' }[] }[];
  notes: string[];
}

export interface CostOptions {
  cost: Config['cost'];
  volume: number;
  /** Overrides cost.electricityPerKwh. */
  kwhPrice?: number;
  prices: readonly ApiPrice[];
}

/** The local inputs of the cost model from a run's measurements and the settings. Pure. */
export function toLocalInputs(work: MeasuredWork, cost: Config['cost'], kwhPrice: number): LocalCostInputs {
  return {
    secondsPerTask: work.okTasks > 0 ? work.measureMs / 1000 / work.okTasks : 0,
    totalJPerTask: work.totalJPerTask,
    marginalJPerTask: work.marginalJPerTask,
    idleW: work.idleW,
    kwhPrice,
    overheadFactor: work.energyFromWall ? 1 : cost.overheadFactor,
    availabilityHoursPerDay: cost.availabilityHoursPerDay,
    purchasePrice: cost.hardware.purchasePrice,
    amortizationMonths: cost.hardware.amortizationMonths,
    alreadyOwnedIdle: cost.hardware.alreadyOwnedIdle,
    workloadShare: cost.hardware.workloadShare,
    setupHours: cost.engineering.setupHours,
    maintenanceHoursPerMonth: cost.engineering.maintenanceHoursPerMonth,
    hourlyRate: cost.engineering.hourlyRate,
  };
}

/** Local cost in both views against each API, at a volume, with break-even volumes and a table. Pure. */
export function computeCostSummary(work: MeasuredWork, options: CostOptions): CostSummary {
  const { cost } = options;
  const kwhPriceIsDefault = options.kwhPrice === undefined && cost.electricityPerKwh === null;
  const kwhPrice = options.kwhPrice ?? cost.electricityPerKwh ?? DEFAULT_ELECTRICITY_PER_KWH * cost.currencyPerUsd;
  const inputs = toLocalInputs(work, cost, kwhPrice);
  const n = Math.max(1, work.okTasks);
  const promptPerTask = work.promptTokens / n;
  const outputPerTask = work.outputTokens / n;
  const usage = work.apiUsage;
  const apiPrompt = usage?.promptTokens ?? promptPerTask;
  const apiOutput = usage?.outputTokens ?? outputPerTask;
  const local = computeLocalMonth(inputs, options.volume);
  const perTask = (monthly: number | null): number | null => (monthly === null || options.volume === 0 ? null : monthly / options.volume);
  const marginalPerTaskCost = work.marginalJPerTask === null ? null : computeEnergyCost(work.marginalJPerTask, kwhPrice, inputs.overheadFactor);

  const apis = options.prices.map((price): ApiComparison => {
    // Billed usage is already in the API's tokens: no ratio, and its own cached share.
    const tokenRatio = usage === null ? (cost.tokenRatio[price.provider] ?? 1) : 1;
    const cachedInputShare = usage === null ? cost.cachedInputShare : usage.cachedShare;
    const task = computeApiTaskCost(price, apiPrompt, apiOutput, { cachedInputShare, batch: cost.batch, tokenRatio, currencyPerUsd: cost.currencyPerUsd });
    const monthly = task.perTask * options.volume;
    const cheaper = local.full <= monthly ? 'local' : 'api';
    const [low, high] = cheaper === 'local' ? [local.full, monthly] : [monthly, local.full];
    return {
      model: price.model, provider: price.provider, priceSource: price.source, priceAsOf: price.asOf, tokenRatio, task, monthly, cheaper,
      ratio: low > 0 ? high / low : null,
      breakEvenFull: computeBreakEven(inputs, task.perTask),
      marginalCheaper: marginalPerTaskCost === null ? null : marginalPerTaskCost <= task.perTask ? 'local' : 'api',
    };
  });

  const table = TABLE_VOLUMES.map((volume) => {
    const month = computeLocalMonth(inputs, volume);
    return {
      volume, machines: month.machines, localFull: month.full, localMarginal: month.marginal,
      apis: apis.map((a) => ({ model: a.model, monthly: a.task.perTask * volume, cheaper: (month.full <= a.task.perTask * volume ? 'local' : 'api') as 'local' | 'api' })),
    };
  });

  return {
    currency: cost.currency,
    kwhPrice,
    kwhPriceIsDefault,
    overheadFactor: inputs.overheadFactor,
    volume: options.volume,
    perTask: { promptTokens: promptPerTask, outputTokens: outputPerTask, tokensCountedBy: work.localTokens, seconds: inputs.secondsPerTask, totalJ: work.totalJPerTask, marginalJ: work.marginalJPerTask },
    capacityPerMachinePerMonth: computeCapacityPerMonth(inputs.secondsPerTask, cost.availabilityHoursPerDay),
    local: {
      ...local,
      fullPerTask: perTask(local.full),
      marginalPerTask: marginalPerTaskCost,
      fullPerCorrectTask: perCorrect(perTask(local.full), work.accuracy),
      marginalPerCorrectTask: perCorrect(marginalPerTaskCost, work.accuracy),
      accuracy: work.accuracy,
    },
    apiTokens: usage !== null ? 'billed usage (replay)' : work.localTokens === 'server tokenizer' ? 'local tokenizer' : 'local stream chunks (ESTIMATE)',
    apis,
    table,
    notes: costNotes(work, cost, kwhPriceIsDefault, kwhPrice, local, apis),
  };
}

function perCorrect(perTask: number | null, accuracy: number | null): number | null {
  return perTask === null || accuracy === null || accuracy === 0 ? null : perTask / accuracy;
}

function costNotes(work: MeasuredWork, cost: Config['cost'], kwhPriceIsDefault: boolean, kwhPrice: number, local: LocalMonth, apis: readonly ApiComparison[]): string[] {
  const notes: string[] = [];
  if (kwhPriceIsDefault) notes.push(`electricity at ${kwhPrice} ${cost.currency}/kWh is a default (a US average), not your price: set cost.electricityPerKwh or --kwh-price`);
  if (work.totalJPerTask === null) notes.push('no energy was measured: local cost leaves electricity out (run where a power source can be read; see `costbench doctor`)');
  else if (work.idleW === null) notes.push('no idle baseline: the marginal view (electricity above idle) is unknown');
  if (work.energyIncludesEstimate) notes.push('the energy includes an ESTIMATE (CPU TDP x load), not a measurement');
  if (work.energyFromWall && cost.overheadFactor !== 1) notes.push('the energy comes from a wall meter: the overhead factor is not applied to it');
  if (work.apiUsage === null && work.localTokens !== 'server tokenizer') {
    notes.push('output tokens were counted one per streamed chunk, an ESTIMATE: the server sent no usage (LM Studio); the API side is priced from that estimate');
  }
  if (work.apiUsage === null && work.promptTokensUnknown) {
    notes.push('the server reported no prompt token counts: the API side prices output tokens only, so every API cost here is UNDERSTATED (replay an OpenAI batch file, or benchmark a server that reports usage)');
  }
  if (work.apiUsage === null) notes.push('API token counts are the local model\'s tokenizer counts; an API tokenizer counts differently (set cost.tokenRatio per provider)');
  else notes.push('the API side uses the billed usage of the replayed requests (their own token counts and cached share)');
  if (work.accuracy !== null) notes.push('cost per correct task divides by the local accuracy; the API\'s own accuracy on these tasks was not measured');
  if (apis.some((a) => a.task.batchUnavailable)) notes.push(`no batch price for ${apis.filter((a) => a.task.batchUnavailable).map((a) => a.model).join(', ')}: normal prices used`);
  if (local.machines > 1) notes.push(`the volume needs ${local.machines} machines at the measured pace`);
  if (local.machines > 1 && cost.hardware.purchasePrice === 0) notes.push('more machines are counted as free: set cost.hardware.purchasePrice');
  return notes;
}
