/**
 * Which measured level the cost model uses: the one with the most tasks per second
 * among those whose p95 latency meets the load shape's bound. Pure.
 */
import { levelLabel, type Level } from '../types/level.js';

/**
 * Levels within this share of the most tasks per second count as the top: the lowest such level
 * is used (more in flight only adds latency). The sweep's "best" level follows the same rule.
 */
export const TOP_RATE_SHARE = 0.05;

/** One measured level, as the cost model sees it. */
export interface WorkLevel extends Level {
  okTasks: number;
  /** Measured time of the level (requests back to back), ms. */
  measureMs: number;
  /** p95 latency of its ok requests, ms; null when unknown. */
  p95LatencyMs: number | null;
  /** Energy per task at this level, all of it and the part above idle; null when not measured. */
  totalJPerTask: number | null;
  marginalJPerTask: number | null;
  /** Share of the level's time the energy readings covered (0..1); null when nothing was read. */
  energyCoverage: number | null;
  /**
   * An open-loop level (arrivalRatePerS set): whether it held its rate sweep's p95 bound (not
   * over-saturated, no failed request, p95 within it); null: it had no bound. Absent: closed loop.
   */
  heldRateBound?: boolean | null;
  /** An open-loop level of a sweep: the p95 bounds it was judged against, ms (null: not given). */
  rateBoundsMs?: { latencyMs: number | null; ttftMs: number | null };
}

/** The level the cost model uses, and why. */
export interface ChosenLevel {
  level: WorkLevel;
  /** Tasks per second of one machine at this level. */
  tasksPerS: number;
  /** False when no level meets the latency bound: `level` is then the one with the lowest p95, for information. */
  meetsBound: boolean;
  /** Why this level, in words. */
  why: string;
  /**
   * The level is an open-loop rate: tasksPerS is the capacity within the latency bound (the
   * highest offered rate that held it), and this is the closed-loop figure beside it. Absent: closed loop.
   */
  closedLoop?: { tasksPerS: number; label: string } | null;
}

function tasksPerS(l: WorkLevel): number {
  if (l.arrivalRatePerS !== undefined) return l.arrivalRatePerS;
  return l.measureMs > 0 ? (l.okTasks / l.measureMs) * 1000 : 0;
}

function meets(l: WorkLevel, boundMs: number | null): boolean {
  return boundMs === null || (l.p95LatencyMs !== null && l.p95LatencyMs <= boundMs);
}

/**
 * The level with the most tasks/s (the lowest within TOP_RATE_SHARE of the top) among those that
 * meet the p95 bound. When none does: the lowest-p95 level, with meetsBound false. null without levels.
 */
export function chooseLevel(levels: readonly WorkLevel[], boundMs: number | null): ChosenLevel | null {
  const closed = chooseClosedLevel(
    levels.filter((l) => l.arrivalRatePerS === undefined),
    boundMs,
  );
  const rate = chooseRate(levels, boundMs);
  if (rate === null) return closed;
  const closedLoop =
    closed === null ? null : { tasksPerS: closed.tasksPerS, label: levelLabel(closed.level) };
  const beside =
    closedLoop === null
      ? ''
      : `; closed loop: ${closedLoop.tasksPerS.toPrecision(3)} tasks/s at ${closedLoop.label}`;
  const p95 = rate.p95LatencyMs === null ? '' : ` at p95 ${Math.round(rate.p95LatencyMs)} ms`;
  const words = boundWords(rate, boundMs);
  return {
    level: rate,
    tasksPerS: tasksPerS(rate),
    meetsBound: true,
    why: `capacity within ${words}: ${tasksPerS(rate)} tasks/s offered${p95}, the highest rate that held ${words.endsWith('bounds') ? 'them' : 'it'}${beside}`,
    closedLoop,
  };
}

/** The bounds a chosen rate held: the latency bound (the sweep's or the cost's), the TTFT bound, or both. */
function boundWords(l: WorkLevel, costBoundMs: number | null): string {
  if (l.rateBoundsMs?.ttftMs == null) return 'the latency bound';
  const latency = l.rateBoundsMs.latencyMs !== null || costBoundMs !== null;
  return latency ? 'the latency and TTFT bounds' : 'the TTFT bound';
}

/**
 * The open-loop level with the highest offered rate that held its sweep's bound (and the cost's
 * bound, when one is set); a level without a sweep bound counts only against the cost's bound.
 */
function chooseRate(levels: readonly WorkLevel[], boundMs: number | null): WorkLevel | null {
  const held = levels.filter(
    (l) =>
      l.arrivalRatePerS !== undefined &&
      l.okTasks > 0 &&
      l.heldRateBound !== false &&
      (l.heldRateBound === true || boundMs !== null) &&
      meets(l, boundMs),
  );
  return [...held].sort((a, b) => tasksPerS(b) - tasksPerS(a))[0] ?? null;
}

function chooseClosedLevel(levels: readonly WorkLevel[], boundMs: number | null): ChosenLevel | null {
  const measured = levels.filter((l) => l.okTasks > 0);
  if (measured.length === 0) return null;
  const eligible = measured.filter((l) => meets(l, boundMs));
  if (eligible.length === 0) {
    const withP95 = measured.filter((l) => l.p95LatencyMs !== null);
    const lowest =
      [...withP95].sort((a, b) => (a.p95LatencyMs ?? 0) - (b.p95LatencyMs ?? 0))[0] ??
      (measured[0] as WorkLevel);
    const p95 = lowest.p95LatencyMs === null ? 'unknown' : `${Math.round(lowest.p95LatencyMs)} ms`;
    const why = `no level meets the p95 latency bound of ${boundMs} ms (lowest p95: ${p95} at ${levelLabel(lowest)})`;
    return { level: lowest, tasksPerS: tasksPerS(lowest), meetsBound: false, why };
  }
  const top = Math.max(...eligible.map(tasksPerS));
  const sorted = [...eligible].sort((a, b) => a.concurrency - b.concurrency);
  const level = sorted.find((l) => tasksPerS(l) >= (1 - TOP_RATE_SHARE) * top) ?? (sorted[0] as WorkLevel);
  return {
    level,
    tasksPerS: tasksPerS(level),
    meetsBound: true,
    why: describeChoice(level, measured.length, eligible.length, boundMs),
  };
}

function describeChoice(
  level: WorkLevel,
  measured: number,
  eligible: number,
  boundMs: number | null,
): string {
  if (measured === 1)
    return `${levelLabel(level)}, the only level measured${boundMs === null ? '' : ` (its p95 meets ${boundMs} ms)`}`;
  const among =
    boundMs === null
      ? `of the ${measured} levels measured`
      : `of the ${eligible} of ${measured} levels whose p95 latency is within ${boundMs} ms`;
  return `${levelLabel(level)}: the most tasks/s ${among} (the lowest level within ${TOP_RATE_SHARE * 100}% of the top)`;
}
