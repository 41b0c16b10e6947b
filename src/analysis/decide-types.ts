import type { BreakEven } from '../cost/cost-types.js';

/** Money figures of one side, in the user's currency; null: unknown (an input not measured or not set). */
export interface DecideMoney {
  /** Full view: every cost of the work (local: electricity, idle power, hardware, engineering). */
  full: number | null;
  /** Marginal view: local electricity above idle; an API has no fixed costs, so it equals the full view. */
  marginal: number | null;
}

/** One side of a decision: a local run, or the API (a remote run's bill, or a replay's billed usage). */
export interface DecideSide {
  runId: number;
  model: string;
  kind: 'local' | 'remote' | 'replay';
  /** Where the side's money comes from, in words. */
  costBasis: string;
  okTasks: number;
  /** Correct / scored; null: not measured (the suite has no expected answers, or a replay's API side). */
  accuracy: number | null;
  scoredTasks: number;
  correctTasks: number;
  /** Replays: the local answers' agreement with the API's own (mean, 0..1); null otherwise. */
  agreement: number | null;
  /** p95 end-to-end latency: local at the level the cost uses; null: not measured (a batch replay). */
  p95LatencyMs: number | null;
  perTask: DecideMoney;
  /** Per task / accuracy: a wrong answer still costs. */
  perCorrectTask: DecideMoney;
  /** A month at the chosen volume. */
  monthly: DecideMoney;
}

/** Whether a side clears a bar: unknown when the figure was not measured (never a pass); none: no bar set. */
export type BarResult = 'pass' | 'fail' | 'unknown' | 'none';

export interface DecideBars {
  minAccuracy: number | null;
  maxP95LatencyMs: number | null;
  local: { accuracy: BarResult; latency: BarResult };
  api: { accuracy: BarResult; latency: BarResult };
}

/** Which side costs less, per view; null: a figure is unknown. Ties go to local (no switch for nothing). */
export interface Cheaper {
  full: 'local' | 'api' | null;
  marginal: 'local' | 'api' | null;
}

/** `costbench decide`: a local run against an API, both measured, at a monthly volume. */
export interface Decision {
  currency: string;
  volume: number;
  suite: { local: string; api: string; same: boolean };
  local: DecideSide;
  api: DecideSide;
  /** The API price used (USD per 1M tokens) and where it came from. */
  apiPrice: {
    model: string;
    inputUsdPerMTok: number;
    outputUsdPerMTok: number;
    cachedInputUsdPerMTok: number | null;
    source: string;
    asOf: string | null;
  } | null;
  /**
   * The local energy is a CPU estimate with a TDP range: the local full view at both ends. The verdicts
   * (cheaper, flip) then hold only where both ends agree; the figures above are at the estimate's point.
   */
  localRange: {
    tdpLowW: number;
    tdpHighW: number;
    fullPerTask: { low: number | null; high: number | null };
    fullPerCorrectTask: { low: number | null; high: number | null };
  } | null;
  cheaperPerTask: Cheaper;
  cheaperPerCorrectTask: Cheaper;
  /**
   * Full view: the volumes (tasks a month) at which local costs no more than the API, per task and
   * per correct task (local full(V) / accL <= V x apiPerTask / accA, i.e. an API price x accL / accA).
   */
  flip: { perTask: BreakEven; perCorrectTask: BreakEven };
  bars: DecideBars;
  /** The verdict: per correct task, full view, at the volume; null when a figure it needs is unknown. */
  verdict: string | null;
  /** The figures the verdict would need that are unknown (empty when there is a verdict). */
  unknown: string[];
  /** What was not measured, or only estimated, on either side. */
  notMeasured: string[];
}
