import type { Config } from '../config/schema.js';
import type { LoadShape } from '../config/load-shape-schema.js';
import type { ApiTaskCost } from './api-cost.js';
import type { WorkLevel } from './level-choice.js';
import type { ApiPrice } from './price-types.js';
import type { Level } from '../types/level.js';
import type { ApiTokenSource, CachedShareSource, TokenSource } from '../types/token-source.js';

/** The shapes of a cost computation, shared by cost-summary, cost-range, local-cost and the rest. */

/** What a run measured that the cost depends on. */
export interface MeasuredWork {
  /** Every measured level (one for a run without a sweep); the cost model picks one. */
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
  tokenSource: TokenSource;
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
  levels: (Level & Pick<WorkLevel, 'totalJPerTask' | 'marginalJPerTask'>)[];
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
export interface LevelUsed extends Level {
  tasksPerS: number;
  p95LatencyMs: number | null;
  meetsBound: boolean;
  why: string;
  /** An open-loop level: tasksPerS is the capacity within the latency bound; this is the closed-loop figure beside it. */
  closedLoop?: { tasksPerS: number; label: string } | null;
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
    /** The JSON reports write it in words (report/source-words.ts). */
    tokensCountedBy: TokenSource;
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
  /** Where the API side's token counts came from; the reports write it in words (report/source-words.ts). */
  apiTokens: ApiTokenSource;
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

/** One end of the range: local cost, and each API's verdict and break-even at that end. */
export interface CostEnd {
  perTask: { totalJ: number | null; marginalJ: number | null };
  local: {
    full: number | null;
    marginal: number | null;
    fullPerTask: number | null;
    marginalPerTask: number | null;
    workElectricity: number | null;
    idleElectricity: number | null;
  };
  apis: Pick<ApiComparison, 'model' | 'cheaper' | 'ratio' | 'breakEvenFull' | 'marginalCheaper'>[];
  table: Pick<VolumeRow, 'volume' | 'localFull' | 'localMarginal'>[];
}

/** Local cost at both ends of the CPU estimate's TDP range. */
export interface CostRange {
  tdp: { lowW: number; highW: number; basis: string };
  low: CostEnd;
  high: CostEnd;
}

/** The share of API input tokens billed at the cached-input price, and where it came from. */
export interface CachedShare {
  /** 0-1. */
  value: number;
  /** The JSON reports write it in words (report/source-words.ts). */
  source: CachedShareSource;
  /** In words, for the report. */
  described: string;
}

/** Everything the local cost depends on, measured or configured. Money in the user's currency; null: unknown or unset. */
export interface LocalCostInputs {
  /** Measured: seconds of machine time per task at the level used; null: no level meets the latency bound. */
  secondsPerTask: number | null;
  /** Measured: all energy per task, and the part above idle; null when not measured. */
  totalJPerTask: number | null;
  marginalJPerTask: number | null;
  /** Measured: the machine's idle power; null when not measured. */
  idleW: number | null;
  /** Currency per kWh. */
  kwhPrice: number;
  /** PUE / cooling factor applied to the energy (1 for wall-meter readings). */
  overheadFactor: number;
  availabilityHoursPerDay: number;
  /** Peak rate / mean rate of the load (1 = steady): machines are bought for the peak. */
  peakToMean: number;
  purchasePrice: number | null;
  amortizationMonths: number;
  /** The first machine is already owned and otherwise idle: its purchase and idle power are sunk. */
  alreadyOwnedIdle: boolean | null;
  workloadShare: number;
  setupHours: number | null;
  maintenanceHoursPerMonth: number | null;
  hourlyRate: number | null;
}

/** A month of local cost at a volume, by bucket. null: unknown (a missing input). */
export interface LocalMonth {
  volume: number;
  /** Machines the volume needs at its peak; null without a capacity. */
  machines: number | null;
  /** Machines bought for the work (machines - 1 when the first is owned and idle); null when unknown. */
  bought: number | null;
  /** Electricity while working: all of it (full view) and the part above idle (marginal view). */
  workElectricity: number | null;
  marginalElectricity: number | null;
  /** Idle power of machines bought for the workload, in the hours they wait. */
  idleElectricity: number | null;
  hardware: number | null;
  engineering: number | null;
  /** Full view: every bucket above; null when any is unknown (never a sum that leaves one out). */
  full: number | null;
  /** Marginal view: electricity above idle only. */
  marginal: number | null;
  electricityKnown: boolean;
  /** What the full view lacks at this volume (empty when complete). */
  missing: MissingInput[];
}

/** One bucket of the full view with the inputs it came from, e.g. hardware 41.67 = 1500 x 1 share / 36 months. */
export interface BucketExplanation {
  bucket: 'electricity while working' | 'idle electricity' | 'hardware' | 'engineering';
  /** null: unknown (a missing input). */
  value: number | null;
  /** The computation with its inputs, or what is missing. */
  formula: string;
}

/** Where the cheaper option flips, in tasks per month (full view). */
export type BreakEven =
  | { kind: 'unknown'; reason: string; missing: string[] }
  | { kind: 'local-always'; reason: string }
  | { kind: 'never'; reason: string; searchedUpTo: number }
  | {
      kind: 'volume';
      /** Every stretch of volumes where local is cheaper, in order; several when buying a machine flips it back. */
      ranges: VolumeRange[];
      /** The largest volume searched. */
      searchedUpTo: number;
      /**
       * Why the search stopped before MAX_VOLUME: MAX_MACHINES reached, or idle power unknown (so no
       * machine beyond the owned one can be costed); null when it did not.
       */
      searchLimit: SearchLimit | null;
    }
  | {
      /**
       * The energy is an estimate with a range, and its two ends give different break-evens: no
       * verdict, each end's own break-even instead (local is cheaper at the low end wherever at the high end).
       */
      kind: 'depends';
      atLowPower: BreakEven;
      atHighPower: BreakEven;
    };

/** One input the full view lacks, and how to supply it. */
export interface MissingInput {
  /** The config key, or the measurement, e.g. "cost.hardware.purchasePrice" or "energy per task". */
  key: string;
  /** The bucket it feeds. */
  bucket: 'hardware' | 'idle electricity' | 'engineering' | 'electricity' | 'capacity';
  /** How to supply it. */
  fix: string;
}

/** Volumes (tasks a month) at which local costs no more than the API: from..until, both included. */
export interface VolumeRange {
  from: number;
  /** null: on to the end of the search (searchedUpTo). */
  until: number | null;
}

/** Why a search stopped short of MAX_VOLUME. */
export type SearchLimit = 'machine limit' | 'idle power unknown';
