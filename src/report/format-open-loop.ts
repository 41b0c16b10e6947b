/**
 * The open-loop levels of a run as a table: offered and achieved rate, latency against offered
 * rate (the knee), TTFT, the client's queue wait, and whether each held its bound(s) (p95 latency,
 * p95 TTFT); then the capacity within them. Pure.
 */
import type { LevelSummary, SweepSummary } from '../analysis/levels.js';
import { describeRateBounds } from '../analysis/open-loop-summary.js';
import { formatNumber } from './format-number.js';

/** The columns of the open-loop table. */
export const OPEN_LOOP_HEADERS = [
  'offered/s',
  'achieved/s',
  'ok',
  'failed',
  'p50 ms',
  'p95 ms',
  'TTFT p95',
  'queue p50',
  'queue p95',
  'bound',
] as const;

/** The open-loop levels, in order of offered rate. */
export function openLoopLevels(w: SweepSummary): LevelSummary[] {
  return w.levels
    .filter((l) => l.openLoop !== undefined)
    .sort((a, b) => (a.openLoop?.offeredRatePerS ?? 0) - (b.openLoop?.offeredRatePerS ?? 0));
}

/** One level's cells, in OPEN_LOOP_HEADERS order. */
export function openLoopCells(l: LevelSummary): string[] {
  const o = l.openLoop;
  const held =
    o === undefined || o.withinBound === null
      ? '—'
      : o.overSaturated
        ? 'over-saturated'
        : o.withinBound
          ? 'held'
          : 'exceeded';
  return [
    String(o?.offeredRatePerS ?? '—'),
    formatNumber(o?.achievedRatePerS ?? null, 2),
    String(l.ok),
    String(l.failed),
    formatNumber(l.latencyMs?.median),
    formatNumber(l.latencyMs?.p95),
    formatNumber(l.ttftMs?.p95),
    formatNumber(o?.clientQueueWaitMs?.median, 1),
    formatNumber(o?.clientQueueWaitMs?.p95, 1),
    held,
  ];
}

/** The sweep's bounds of the open-loop levels (every level of a sweep has the same). */
function boundsOf(w: SweepSummary): { latencyBoundMs: number | null; ttftBoundMs: number | null } {
  const o = openLoopLevels(w).find((l) => l.openLoop?.withinBound != null)?.openLoop;
  return { latencyBoundMs: o?.latencyBoundMs ?? null, ttftBoundMs: o?.ttftBoundMs ?? null };
}

/** The capacity within the sweep's bound(s) in one sentence, or null without one. */
export function describeRateCapacity(w: SweepSummary): string | null {
  if (w.rateCapacity === undefined) return null;
  const c = w.rateCapacity;
  if (c === null) {
    const b = boundsOf(w);
    const them = b.latencyBoundMs !== null && b.ttftBoundMs !== null ? 'them' : 'it';
    return `Capacity within ${describeRateBounds(b.latencyBoundMs, b.ttftBoundMs)}: no offered rate held ${them}.`;
  }
  const above = c.lowestFailingRatePerS === null ? '' : `; ${c.lowestFailingRatePerS}/s did not`;
  const latency = `p95 ${formatNumber(c.p95LatencyMs, 0)} ms${c.latencyBoundMs === null ? '' : ` within ${c.latencyBoundMs} ms`}`;
  const figures =
    c.ttftBoundMs === null
      ? latency
      : `${latency}, p95 TTFT ${formatNumber(c.p95TtftMs, 0)} ms within ${c.ttftBoundMs} ms`;
  const within = describeRateBounds(c.latencyBoundMs, c.ttftBoundMs);
  return `Capacity within ${within}: ${c.ratePerS} tasks/s (${figures}${above}); the cost model uses it.`;
}

/** The plain-text table. */
export function formatOpenLoopLines(w: SweepSummary): string[] {
  const levels = openLoopLevels(w);
  if (levels.length === 0) return [];
  const lines = ['', 'Open loop (arrivals on a schedule; queue = start - due, the client side)'];
  lines.push(OPEN_LOOP_HEADERS.map((h) => h.padStart(11)).join(''));
  for (const l of levels)
    lines.push(
      openLoopCells(l)
        .map((c) => c.padStart(11))
        .join(''),
    );
  const capacity = describeRateCapacity(w);
  if (capacity !== null) lines.push(capacity);
  return lines;
}
