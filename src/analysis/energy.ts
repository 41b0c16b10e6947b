import type { PowerPoint } from '../types/readings.js';
export type { PowerPoint } from '../types/readings.js';
/**
 * Energy from readings, pure. Counters beat sampled power: where a channel has a cumulative
 * energy counter, energy is the counter's change between readings; elsewhere it is the trapezoid
 * of power over monotonic timestamps.
 *
 * A window's figure uses what happened inside it: only the readings within its bounds (by default
 * the window itself) count. Between two of them power is interpolated; before the first and after
 * the last, that reading (or, for a counter, the rate of its first or last interval) is held, for
 * at most `maxGapMs` and never past the bounds. So an idle window never leans toward the first busy
 * reading after it, and a request shorter than the reading period takes its energy from its phase's
 * readings (pass the phase as bounds), never from a reading outside the phase.
 *
 * Sampled power is not integrated across a gap longer than `maxGapMs` (a sensor that stopped):
 * that time is reported as not covered. A counter knows the energy across a gap exactly, and
 * bridges gaps up to `maxBridgeMs` (see counterEnergy).
 */

export interface CounterPoint {
  tMs: number;
  energyJ: number;
}

/** The span whose readings a window may use (the window itself unless said otherwise). */
export interface ReadingBounds {
  fromMs: number;
  toMs: number;
}

export interface WindowEnergy {
  energyJ: number;
  /** Milliseconds of the window the readings covered. */
  coveredMs: number;
  windowMs: number;
  method: 'counter' | 'trapezoid';
  /** Of coveredMs, the time across reading gaps a counter bridged with its change (0 for sampled power). */
  bridgedMs: number;
}

/** Index of the first point at or after tMs (points sorted by time); points.length when none. */
export function lowerBound(points: readonly { tMs: number }[], tMs: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as { tMs: number }).tMs < tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first point after tMs; points.length when none. */
export function upperBound(points: readonly { tMs: number }[], tMs: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((points[mid] as { tMs: number }).tMs <= tMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Which points matter for [fromMs, toMs]: `lo`..`hi` (exclusive) are the readings within the
 * bounds; `a`..`b` (exclusive) those of them that can touch the window (one on each side of it,
 * found by binary search, so a short window costs log n, not n).
 */
function span(
  points: readonly { tMs: number }[],
  fromMs: number,
  toMs: number,
  bounds: ReadingBounds,
): { lo: number; hi: number; a: number; b: number } {
  const lo = lowerBound(points, bounds.fromMs);
  const hi = upperBound(points, bounds.toMs);
  const a = Math.max(lo, lowerBound(points, fromMs) - 1);
  const b = Math.min(hi, lowerBound(points, toMs) + 1);
  return { lo, hi, a, b };
}

/** Adds power that runs linearly from wA at aMs to wB at bMs, clipped to the window, to a sum. */
class Accumulator {
  energyJ = 0;
  coveredMs = 0;
  bridgedMs = 0;
  constructor(
    private readonly fromMs: number,
    private readonly toMs: number,
  ) {}

  add(aMs: number, bMs: number, wA: number, wB: number, bridged = false): void {
    const start = Math.max(aMs, this.fromMs);
    const end = Math.min(bMs, this.toMs);
    if (end <= start) return;
    const at = (t: number): number => (bMs === aMs ? wA : wA + ((wB - wA) * (t - aMs)) / (bMs - aMs));
    this.energyJ += ((at(start) + at(end)) / 2) * ((end - start) / 1000);
    this.coveredMs += end - start;
    if (bridged) this.bridgedMs += end - start;
  }

  result(method: WindowEnergy['method']): WindowEnergy {
    const windowMs = Math.max(0, this.toMs - this.fromMs);
    return { energyJ: this.energyJ, coveredMs: this.coveredMs, windowMs, method, bridgedMs: this.bridgedMs };
  }
}

/**
 * Integrates power (W) over [fromMs, toMs] by the trapezoid rule over the readings within
 * `bounds` (default: the window): linear between them, each end reading held for at most
 * `maxGapMs` (never past the bounds). Points must be sorted by time.
 */
export function integratePower(
  all: readonly PowerPoint[],
  fromMs: number,
  toMs: number,
  maxGapMs: number,
  bounds: ReadingBounds = { fromMs, toMs },
): WindowEnergy {
  const acc = new Accumulator(fromMs, toMs);
  const { lo, hi, a, b } = span(all, fromMs, toMs, bounds);
  if (hi <= lo || toMs <= fromMs) return acc.result('trapezoid');
  const first = all[lo] as PowerPoint;
  const last = all[hi - 1] as PowerPoint;
  if (a === lo) {
    acc.add(Math.max(bounds.fromMs, first.tMs - maxGapMs), first.tMs, first.powerW, first.powerW);
  }
  for (let i = a + 1; i < b; i += 1) {
    const p = all[i - 1] as PowerPoint;
    const q = all[i] as PowerPoint;
    if (q.tMs - p.tMs <= maxGapMs) acc.add(p.tMs, q.tMs, p.powerW, q.powerW);
  }
  if (b === hi) acc.add(last.tMs, Math.min(bounds.toMs, last.tMs + maxGapMs), last.powerW, last.powerW);
  return acc.result('trapezoid');
}

/** How a counter is read across gaps. */
export interface CounterOptions {
  /** The readings that may be used (default: the window). */
  bounds?: ReadingBounds;
  /**
   * Intervals up to this long are used even when longer than maxGapMs: the counter's change across
   * a gap is its energy, as long as no wrap can hide in it. Default maxGapMs (no bridging).
   */
  maxBridgeMs?: number;
}

/** The mean power of a counter interval; null when it cannot be used (too long, or the counter went down). */
function counterRate(p: CounterPoint, q: CounterPoint, maxBridgeMs: number): number | null {
  const dtMs = q.tMs - p.tMs;
  if (dtMs <= 0 || dtMs > maxBridgeMs || q.energyJ < p.energyJ) return null;
  return ((q.energyJ - p.energyJ) * 1000) / dtMs;
}

/**
 * Energy from a cumulative counter over [fromMs, toMs]. Each interval between two readings within
 * the bounds holds its exact energy, spread evenly over it (so whole intervals sum to the counter's
 * change, and an edge takes a linear share); before the first and after the last reading the rate
 * of the first and last interval is held for at most `maxGapMs`. An interval longer than `maxGapMs`
 * is a gap: bridged up to `maxBridgeMs`, else not covered. An interval where the counter went down
 * (a wrap of unknown size, or a reset) is never used.
 */
export function counterEnergy(
  all: readonly CounterPoint[],
  fromMs: number,
  toMs: number,
  maxGapMs: number,
  options: CounterOptions = {},
): WindowEnergy {
  const bounds = options.bounds ?? { fromMs, toMs };
  const maxBridgeMs = Math.max(maxGapMs, options.maxBridgeMs ?? maxGapMs);
  const acc = new Accumulator(fromMs, toMs);
  const { lo, hi, a, b } = span(all, fromMs, toMs, bounds);
  if (hi - lo < 2 || toMs <= fromMs) return acc.result('counter');
  for (let i = a + 1; i < b; i += 1) {
    const p = all[i - 1] as CounterPoint;
    const q = all[i] as CounterPoint;
    const rateW = counterRate(p, q, maxBridgeMs);
    if (rateW !== null) acc.add(p.tMs, q.tMs, rateW, rateW, q.tMs - p.tMs > maxGapMs);
  }
  const first = all[lo] as CounterPoint;
  const firstRate = a === lo ? counterRate(first, all[lo + 1] as CounterPoint, maxBridgeMs) : null;
  if (firstRate !== null) {
    acc.add(Math.max(bounds.fromMs, first.tMs - maxGapMs), first.tMs, firstRate, firstRate);
  }
  const last = all[hi - 1] as CounterPoint;
  const lastRate = b === hi ? counterRate(all[hi - 2] as CounterPoint, last, maxBridgeMs) : null;
  if (lastRate !== null) {
    acc.add(last.tMs, Math.min(bounds.toMs, last.tMs + maxGapMs), lastRate, lastRate);
  }
  return acc.result('counter');
}

/** Peak and mean of sampled power over a window (mean = energy / covered time; readings inside it only). */
export function powerStats(
  points: readonly PowerPoint[],
  fromMs: number,
  toMs: number,
  maxGapMs: number,
): { meanW: number | null; peakW: number | null } {
  const energy = integratePower(points, fromMs, toMs, maxGapMs);
  let peakW: number | null = null;
  for (let i = lowerBound(points, fromMs); i < upperBound(points, toMs); i += 1) {
    const w = (points[i] as PowerPoint).powerW;
    if (peakW === null || w > peakW) peakW = w;
  }
  return { meanW: energy.coveredMs > 0 ? (energy.energyJ * 1000) / energy.coveredMs : null, peakW };
}
