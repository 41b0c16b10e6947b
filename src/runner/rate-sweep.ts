/**
 * The open-loop part of a run, after its closed-loop levels: one level at a given rate, or a rate
 * sweep that searches the highest rate whose p95 latency stays within a bound
 * (analysis/rate-search.ts), each level measured by open-loop.ts.
 */
import { judgeRateLevel, nextRate, roundRate, type RateVerdict } from './rate-search.js';
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
  /** A rate sweep: the p95 latency bound and the resolution (a share of the rate); null: one level. */
  sweep: { maxP95LatencyMs: number; resolution: number } | null;
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
  const bound = plan.sweep?.maxP95LatencyMs ?? null;
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
      latencyBoundMs: bound,
    });
    total.ok += outcome.ok;
    total.failed += outcome.failed;
    total.error ??= outcome.error;
    if (outcome.status !== 'completed') return { ...total, status: outcome.status, error: outcome.error };
    if (plan.sweep === null || bound === null) break;
    const ok = outcome.rows.filter((r) => r.state === 'ok');
    const verdict = judgeRateLevel(
      rate,
      ok.map((r) => r.latencyMs),
      outcome.failed,
      outcome.overSaturated,
      bound,
    );
    total.verdicts.push(verdict);
    input.onEvent?.({ kind: 'rate-level-done', verdict });
    rate = nextRate(total.verdicts, plan.sweep.resolution);
  }
  return total;
}

/**
 * The open-loop plan a run's settings ask for, or undefined for closed loop only. The sweep's bound
 * is run.maxP95LatencyMs, else cost.load.p95LatencyBoundMs; bursts take the load shape's
 * peak-to-mean. Throws ConfigError for a sweep without a bound, or open loop on a remote API. Pure.
 */
export function openLoopPlanOf(
  run: Config['run'],
  cost: Config['cost'],
  remote: boolean,
): OpenLoopPlan | undefined {
  if (run.rate === null && !run.rateSweep) return undefined;
  if (remote)
    throw new ConfigError(
      'open-loop load (--rate, --rate-sweep) is not supported against a remote API',
      'Measure a remote API closed-loop (--concurrency); its spend cap guards requests one level at a time.',
    );
  const bound = run.maxP95LatencyMs ?? cost.load.p95LatencyBoundMs;
  if (run.rateSweep && bound === null)
    throw new ConfigError(
      '--rate-sweep needs a p95 latency bound',
      'Give --max-p95-latency <ms> (or run.maxP95LatencyMs, or cost.load.p95LatencyBoundMs in the config).',
    );
  return {
    pattern: run.arrival,
    seed: run.arrivalSeed,
    peakToMean: computePeakToMean(cost.load, cost.availabilityHoursPerDay),
    ratePerS: run.rate,
    sweep:
      run.rateSweep && bound !== null ? { maxP95LatencyMs: bound, resolution: run.rateResolution } : null,
  };
}
