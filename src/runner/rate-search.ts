/**
 * The rate sweep's search: the highest offered rate (tasks/s) whose p95 latency, p95 TTFT or both
 * stay within their bounds. Exponential steps from a start rate until one level passes and one fails, then bisection
 * between them until the failing rate is within `resolution` (a share) of the passing one. Pure.
 */

/** Each step up before a level fails doubles the rate; each step down halves it. */
export const RATE_STEP = 2;
/** Levels a sweep runs at most (a start at a rate 1000x off still converges within it). */
export const MAX_RATE_LEVELS = 16;
/** Default resolution: the answer is within 5% of the highest rate that would pass. */
export const DEFAULT_RATE_RESOLUTION = 0.05;

/** One measured rate level, judged. */
export interface RateVerdict {
  ratePerS: number;
  passes: boolean;
  /** p95 latency of its ok requests, ms; null with none. */
  p95LatencyMs: number | null;
  /** p95 TTFT of its ok requests that have one, ms; null with none. */
  p95TtftMs: number | null;
  overSaturated: boolean;
}

/** The p95 bounds a sweep judges each level against, ms; null: that bound is not given (at least one is). */
export interface RateBounds {
  latencyMs: number | null;
  ttftMs: number | null;
}

/** The ok requests' timings of a level, ms (a TTFT may be unknown: null). */
export interface LevelTimings {
  latenciesMs: readonly number[];
  ttftsMs: readonly (number | null)[];
}

/** Whether a p95 holds a bound: no bound always holds; a bound needs a p95 within it. */
function holds(p95: number | null, boundMs: number | null): boolean {
  return boundMs === null || (p95 !== null && p95 <= boundMs);
}

/**
 * Whether a level holds its bounds: not over-saturated, no failed request (a server that refuses
 * work, e.g. a full queue's 503, does not hold the rate), some ok request, and every given bound
 * held by the p95 of its ok requests (latency, TTFT). Pure.
 */
export function judgeRateLevel(
  ratePerS: number,
  ok: LevelTimings,
  failed: number,
  overSaturated: boolean,
  bounds: RateBounds,
): RateVerdict {
  const p95LatencyMs = p95Of(ok.latenciesMs);
  const p95TtftMs = p95Of(ok.ttftsMs.filter((t): t is number => t !== null));
  const passes =
    !overSaturated &&
    failed === 0 &&
    p95LatencyMs !== null &&
    holds(p95LatencyMs, bounds.latencyMs) &&
    holds(p95TtftMs, bounds.ttftMs);
  return { ratePerS, passes, p95LatencyMs, p95TtftMs, overSaturated };
}

/**
 * The p95 by linear interpolation between closest ranks (Hyndman & Fan type 7): the same as
 * analysis/stats.ts's quantileSorted, which the report uses (runner/ may not import analysis/;
 * test/rate-search.test.ts checks that both agree). null for no value.
 */
export function p95Of(values: readonly number[]): number | null {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * 0.95;
  const low = sorted[Math.floor(position)] as number;
  const high = sorted[Math.ceil(position)] as number;
  return low + (high - low) * (position - Math.floor(position));
}

/** Rounds a rate to 4 significant digits, so levels have readable keys ("1.875/s", not 1.87499999). */
export function roundRate(ratePerS: number): number {
  return Number(ratePerS.toPrecision(4));
}

/** The highest passing and the lowest failing rate so far. */
export function bracket(verdicts: readonly RateVerdict[]): { pass: number | null; fail: number | null } {
  const passes = verdicts.filter((v) => v.passes).map((v) => v.ratePerS);
  const fails = verdicts.filter((v) => !v.passes).map((v) => v.ratePerS);
  return {
    pass: passes.length === 0 ? null : Math.max(...passes),
    fail: fails.length === 0 ? null : Math.min(...fails),
  };
}

/**
 * The next rate to measure, or null when the search is done: the bracket is within the resolution,
 * MAX_RATE_LEVELS were run, or nothing passed down to 1/2^10 of the start. Pure.
 */
export function nextRate(verdicts: readonly RateVerdict[], resolution: number): number | null {
  if (verdicts.length === 0 || verdicts.length >= MAX_RATE_LEVELS) return null;
  const { pass, fail } = bracket(verdicts);
  const start = (verdicts[0] as RateVerdict).ratePerS;
  if (pass === null) {
    const lower = roundRate((fail ?? start) / RATE_STEP);
    return lower < start / 2 ** 10 ? null : lower;
  }
  if (fail === null) return roundRate(pass * RATE_STEP);
  if (fail - pass <= resolution * pass) return null;
  const middle = roundRate((pass + fail) / 2);
  return middle <= pass || middle >= fail ? null : middle;
}
