/**
 * The open-loop part of a run, after its closed-loop levels: one level at a given rate, or a rate
 * sweep that searches the highest rate whose p95 latency and/or p95 TTFT stay within their bounds
 * (analysis/rate-search.ts), each level measured by open-loop.ts.
 */
import { judgeRateLevel, nextRate, roundRate, type RateBounds, type RateVerdict } from './rate-search.js';
import type { Config } from '../config/schema.js';
import { computePeakToMean } from '../cost/load-shape.js';
import { ConfigError } from '../errors.js';
import type { ArrivalPattern } from './arrivals.js';
import type { ExecuteRunInput, Outcome } from './execute.js';
import { measureOpenLevel } from './open-loop.js';
import { OPEN_LOOP_MAX_IN_FLIGHT } from '../types/level.js';

/** What the open-loop part of a run measures. */
export interface OpenLoopPlan {
  pattern: ArrivalPattern;
  /** Poisson: the PRNG's seed (each sweep level uses it too, so a level's schedule is reproducible). */
  seed: number;
  /** Burst: peak rate / mean rate. */
  peakToMean: number;
  /** The one rate to measure, or the sweep's first one; null: start from the closed-loop throughput. */
  ratePerS: number | null;
  /** A rate sweep: its p95 bounds (one or both) and the resolution (a share of the rate); null: one level. */
  sweep: { bounds: RateBounds; resolution: number } | null;
}

/**
 * Runs the open-loop levels: `plan.ratePerS` once, or a sweep starting there (else at the
 * closed-loop throughput `closedTasksPerS`, else 1 task/s). Returns the levels' combined outcome
 * and the sweep's verdicts.
 */
export async function runOpenLoop(
  input: ExecuteRunInput,
  origin: number,
  plan: OpenLoopPlan,
  closedTasksPerS: number | null,
  rest: () => Promise<void>,
): Promise<Outcome & { verdicts: RateVerdict[] }> {
  const total: Outcome & { verdicts: RateVerdict[] } = {
    status: 'completed',
    ok: 0,
    failed: 0,
    error: null,
    verdicts: [],
  };
  const bounds: RateBounds = plan.sweep?.bounds ?? { latencyMs: null, ttftMs: null };
  let rate: number | null = roundRate(
    plan.ratePerS ?? (closedTasksPerS !== null && closedTasksPerS > 0 ? closedTasksPerS : 1),
  );
  while (rate !== null) {
    await rest();
    input.onEvent?.({ kind: 'level-start', concurrency: OPEN_LOOP_MAX_IN_FLIGHT, arrivalRatePerS: rate });
    const outcome = await measureOpenLevel(input, origin, {
      pattern: plan.pattern,
      ratePerS: rate,
      seed: plan.seed,
      peakToMean: plan.peakToMean,
      latencyBoundMs: bounds.latencyMs,
      ttftBoundMs: bounds.ttftMs,
    });
    total.ok += outcome.ok;
    total.failed += outcome.failed;
    total.error ??= outcome.error;
    if (outcome.status !== 'completed') return { ...total, status: outcome.status, error: outcome.error };
    if (plan.sweep === null) break;
    const ok = outcome.rows.filter((r) => r.state === 'ok');
    const timings = { latenciesMs: ok.map((r) => r.latencyMs), ttftsMs: ok.map((r) => r.ttftMs) };
    const verdict = judgeRateLevel(rate, timings, outcome.failed, outcome.overSaturated, bounds);
    total.verdicts.push(verdict);
    input.onEvent?.({ kind: 'rate-level-done', verdict });
    rate = nextRate(total.verdicts, plan.sweep.resolution);
  }
  return total;
}

/**
 * The open-loop plan a run's settings ask for, or undefined for closed loop only. The sweep's latency
 * bound is run.maxP95LatencyMs, else cost.load.p95LatencyBoundMs; its TTFT bound run.maxP95TtftMs;
 * it needs one of them. Bursts take the load shape's peak-to-mean. Throws ConfigError for a sweep
 * without a bound, a bound without a sweep, or open loop on a remote API. Pure.
 */
export function openLoopPlanOf(
  run: Config['run'],
  cost: Config['cost'],
  remote: boolean,
): OpenLoopPlan | undefined {
  refuseBoundWithoutSweep(run);
  if (run.rate === null && !run.rateSweep) return undefined;
  if (remote)
    throw new ConfigError(
      'open-loop load (--rate, --rate-sweep) is not supported against a remote API',
      'Measure a remote API closed-loop (--concurrency); its spend cap guards requests one level at a time.',
    );
  const bounds: RateBounds = {
    latencyMs: run.maxP95LatencyMs ?? cost.load.p95LatencyBoundMs,
    // A resumed run's recorded settings from before a key existed lack it: undefined, not null.
    ttftMs: run.maxP95TtftMs ?? null,
  };
  if (run.rateSweep && bounds.latencyMs === null && bounds.ttftMs === null)
    throw new ConfigError(
      '--rate-sweep needs a p95 latency or TTFT bound',
      'Give --max-p95-latency <ms> or --max-p95-ttft <ms> (or run.maxP95LatencyMs, run.maxP95TtftMs, or cost.load.p95LatencyBoundMs in the config).',
    );
  return {
    pattern: run.arrival,
    seed: run.arrivalSeed,
    peakToMean: computePeakToMean(cost.load, cost.availabilityHoursPerDay),
    ratePerS: run.rate,
    sweep: run.rateSweep ? { bounds, resolution: run.rateResolution } : null,
  };
}

/** A sweep's bound given without --rate-sweep would be ignored: refused, naming the flag. */
function refuseBoundWithoutSweep(run: Config['run']): void {
  if (run.rateSweep) return;
  // != null: a resumed run's recorded settings from before these keys existed lack them.
  const flag =
    run.maxP95TtftMs != null ? 'max-p95-ttft' : run.maxP95LatencyMs != null ? 'max-p95-latency' : null;
  if (flag === null) return;
  throw new ConfigError(
    `--${flag} is the rate sweep's bound, and this run has no --rate-sweep`,
    `Add --rate-sweep (it searches the highest rate within the bound), or drop --${flag}.`,
  );
}
