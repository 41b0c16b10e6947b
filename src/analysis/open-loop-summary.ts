/**
 * Figures of open-loop levels: offered against achieved rate, the client's queue wait, whether the
 * level was over-saturated and held its bounds (p95 latency, p95 TTFT, or both); and the capacity
 * within them (the highest offered rate that held them). Pure.
 */
import type { RequestRow } from '../types/run-rows.js';
import type { Phase } from '../types/telemetry-rows.js';
import { computeDistribution, type Distribution } from './stats.js';

/** An open-loop level's own figures. */
export interface OpenLoopFigures {
  /** Tasks/s the schedule offered. */
  offeredRatePerS: number;
  /** Requests started per second: (started - 1) / (last start - first start); null under 2 requests. */
  achievedRatePerS: number | null;
  /** Start minus when due, ms: the client's own lag (the server's queue is inside the TTFT). */
  clientQueueWaitMs: Distribution | null;
  /** Stopped early: requests in flight grew without bound. */
  overSaturated: boolean;
  /** The p95 latency bound the sweep judged it against, ms; null: none. */
  latencyBoundMs: number | null;
  /** The p95 TTFT bound the sweep judged it against, ms; null: none. */
  ttftBoundMs: number | null;
  /**
   * Whether it held its bounds: not over-saturated, no failed request, and each given bound held by
   * the p95 of its ok requests (latency; TTFT); null without a bound.
   */
  withinBound: boolean | null;
}

/** The highest offered rate that held the sweep's bounds: the capacity the cost model uses. */
export interface RateCapacity {
  ratePerS: number;
  p95LatencyMs: number;
  /** The p95 TTFT of its ok requests, ms; null: none had one. */
  p95TtftMs: number | null;
  /** The bounds it held, ms (at least one is set); null: not given. */
  latencyBoundMs: number | null;
  ttftBoundMs: number | null;
  /** The lowest offered rate that did not hold it, if one was measured. */
  lowestFailingRatePerS: number | null;
}

/**
 * A request's client queue wait, ms: its start minus when it was due (the client's own lag); null for
 * a closed-loop request. A timer may fire a fraction of a ms before its due time: that is no wait,
 * not a negative one. Pure.
 */
export function clientQueueWaitMsOf(
  r: Pick<RequestRow, 'startOffsetMs' | 'scheduledOffsetMs'>,
): number | null {
  return r.scheduledOffsetMs === undefined ? null : Math.max(0, r.startOffsetMs - r.scheduledOffsetMs);
}

/** Which bounds a sweep judged its levels against: "the latency bound", "the TTFT bound" or both. Pure. */
export function describeRateBounds(latencyBoundMs: number | null, ttftBoundMs: number | null): string {
  if (ttftBoundMs === null) return 'the latency bound';
  return latencyBoundMs === null ? 'the TTFT bound' : 'the latency and TTFT bounds';
}

/** An open-loop level's figures from its rows and measure phases. Pure. */
export function computeOpenLoopFigures(
  rows: readonly RequestRow[],
  phases: readonly Phase[],
  offeredRatePerS: number,
): OpenLoopFigures {
  const starts = rows.map((r) => r.startOffsetMs).sort((a, b) => a - b);
  const spanMs = starts.length < 2 ? 0 : (starts.at(-1) ?? 0) - (starts[0] ?? 0);
  const ok = rows.filter((r) => r.state === 'ok');
  const overSaturated = phases.some((p) => p.overSaturated === true);
  const latencyBoundMs = phases.find((p) => p.latencyBoundMs !== undefined)?.latencyBoundMs ?? null;
  const ttftBoundMs = phases.find((p) => p.ttftBoundMs !== undefined)?.ttftBoundMs ?? null;
  const p95 = computeDistribution(ok.map((r) => r.latencyMs))?.p95 ?? null;
  const p95Ttft = computeDistribution(ok.map((r) => r.ttftMs))?.p95 ?? null;
  const holds = (value: number | null, boundMs: number | null): boolean =>
    boundMs === null || (value !== null && value <= boundMs);
  return {
    offeredRatePerS,
    achievedRatePerS: spanMs > 0 ? ((starts.length - 1) / spanMs) * 1000 : null,
    clientQueueWaitMs: computeDistribution(rows.map(clientQueueWaitMsOf)),
    overSaturated,
    latencyBoundMs,
    ttftBoundMs,
    withinBound:
      latencyBoundMs === null && ttftBoundMs === null
        ? null
        : !overSaturated &&
          ok.length === rows.length &&
          p95 !== null &&
          holds(p95, latencyBoundMs) &&
          holds(p95Ttft, ttftBoundMs),
  };
}

/** The capacity within the sweep's bounds, from the levels' figures; null when no bounded level held them. Pure. */
export function computeRateCapacity(
  levels: readonly {
    openLoop?: OpenLoopFigures;
    latencyMs: Distribution | null;
    ttftMs?: Distribution | null;
  }[],
): RateCapacity | null {
  const open = levels.flatMap((l) =>
    l.openLoop === undefined
      ? []
      : [{ ...l.openLoop, p95: l.latencyMs?.p95 ?? null, p95Ttft: l.ttftMs?.p95 ?? null }],
  );
  const held = open.filter((l) => l.withinBound === true && l.p95 !== null);
  const failing = open.filter((l) => l.withinBound === false).map((l) => l.offeredRatePerS);
  const top = [...held].sort((a, b) => b.offeredRatePerS - a.offeredRatePerS)[0];
  if (top === undefined || top.p95 === null) return null;
  const above = failing.filter((r) => r > top.offeredRatePerS);
  return {
    ratePerS: top.offeredRatePerS,
    p95LatencyMs: top.p95,
    p95TtftMs: top.p95Ttft,
    latencyBoundMs: top.latencyBoundMs,
    ttftBoundMs: top.ttftBoundMs,
    lowestFailingRatePerS: above.length === 0 ? null : Math.min(...above),
  };
}
