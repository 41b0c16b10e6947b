/**
 * Energy from readings, pure. Counters beat sampled power: where a channel has a cumulative
 * energy counter, energy is the counter's change over the window (interpolated at the edges);
 * elsewhere it is the trapezoid of power over monotonic timestamps. Neither integrates across
 * a gap longer than `maxGapMs` (a sensor that stopped): that time is reported as not covered.
 */

export interface PowerPoint {
  tMs: number;
  powerW: number;
}

export interface CounterPoint {
  tMs: number;
  energyJ: number;
}

export interface WindowEnergy {
  energyJ: number;
  /** Milliseconds of the window the readings covered. */
  coveredMs: number;
  windowMs: number;
  method: 'counter' | 'trapezoid';
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

/**
 * The points that can matter for [fromMs, toMs]: one before and one after the window (edges are
 * interpolated or held), found by binary search so a short window costs log n, not n.
 */
function around<T extends { tMs: number }>(points: readonly T[], fromMs: number, toMs: number): readonly T[] {
  const start = Math.max(0, lowerBound(points, fromMs) - 1);
  const end = Math.min(points.length, lowerBound(points, toMs) + 1);
  return start === 0 && end === points.length ? points : points.slice(start, end);
}

/** Value of a piecewise-linear series at t (a and b bracket t). */
function lerp(a: { tMs: number }, va: number, b: { tMs: number }, vb: number, tMs: number): number {
  return b.tMs === a.tMs ? va : va + ((vb - va) * (tMs - a.tMs)) / (b.tMs - a.tMs);
}

/**
 * Integrates power (W) over [fromMs, toMs] by the trapezoid rule, interpolating linearly at the
 * window edges. Before the first and after the last reading the nearest reading is held for at
 * most `maxGapMs`. Points must be sorted by time.
 */
export function integratePower(all: readonly PowerPoint[], fromMs: number, toMs: number, maxGapMs: number): WindowEnergy {
  const points = around(all, fromMs, toMs);
  const windowMs = Math.max(0, toMs - fromMs);
  let energyJ = 0;
  let coveredMs = 0;
  const first = points[0];
  const last = points[points.length - 1];
  if (first === undefined || last === undefined || windowMs === 0) return { energyJ: 0, coveredMs: 0, windowMs, method: 'trapezoid' };
  const hold = (p: PowerPoint, a: number, b: number): void => {
    const span = Math.max(0, Math.min(b, toMs) - Math.max(a, fromMs));
    energyJ += (p.powerW * span) / 1000;
    coveredMs += span;
  };
  hold(first, Math.max(fromMs, first.tMs - maxGapMs), first.tMs);
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1] as PowerPoint;
    const b = points[i] as PowerPoint;
    if (b.tMs - a.tMs > maxGapMs || b.tMs <= fromMs || a.tMs >= toMs) continue;
    const start = Math.max(a.tMs, fromMs);
    const end = Math.min(b.tMs, toMs);
    if (end <= start) continue;
    const pStart = lerp(a, a.powerW, b, b.powerW, start);
    const pEnd = lerp(a, a.powerW, b, b.powerW, end);
    energyJ += ((pStart + pEnd) / 2) * ((end - start) / 1000);
    coveredMs += end - start;
  }
  hold(last, last.tMs, Math.min(toMs, last.tMs + maxGapMs));
  return { energyJ, coveredMs, windowMs, method: 'trapezoid' };
}

/**
 * Energy from a cumulative counter over [fromMs, toMs]: the counter interpolated at both edges.
 * Beyond the first or last reading (up to `maxGapMs`) the rate of the nearest pair is extended.
 * Gaps longer than `maxGapMs` inside the window are counted as not covered and their energy
 * left out, as for sampled power.
 */
export function counterEnergy(all: readonly CounterPoint[], fromMs: number, toMs: number, maxGapMs: number): WindowEnergy {
  const points = around(all, fromMs, toMs);
  const asPower: PowerPoint[] = [];
  for (let i = 1; i < points.length; i += 1) {
    const a = points[i - 1] as CounterPoint;
    const b = points[i] as CounterPoint;
    if (b.tMs <= a.tMs) continue;
    const powerW = ((b.energyJ - a.energyJ) * 1000) / (b.tMs - a.tMs);
    asPower.push({ tMs: a.tMs, powerW }, { tMs: b.tMs, powerW });
  }
  // A counter's energy between two readings is exact; spreading it as constant power per
  // interval and integrating gives the same total over whole intervals, and linear shares at the edges.
  const stepwise = integrateStepwise(asPower, fromMs, toMs, maxGapMs);
  return { ...stepwise, method: 'counter' };
}

/** Integrates pairs of equal-power points (constant power per interval), holding the end rates up to maxGapMs. */
function integrateStepwise(pairs: readonly PowerPoint[], fromMs: number, toMs: number, maxGapMs: number): Omit<WindowEnergy, 'method'> {
  const windowMs = Math.max(0, toMs - fromMs);
  let energyJ = 0;
  let coveredMs = 0;
  const add = (a: number, b: number, powerW: number): void => {
    const span = Math.max(0, Math.min(b, toMs) - Math.max(a, fromMs));
    energyJ += (powerW * span) / 1000;
    coveredMs += span;
  };
  for (let i = 0; i + 1 < pairs.length; i += 2) {
    const a = pairs[i] as PowerPoint;
    const b = pairs[i + 1] as PowerPoint;
    if (b.tMs - a.tMs <= maxGapMs) add(a.tMs, b.tMs, a.powerW);
  }
  const first = pairs[0];
  const last = pairs[pairs.length - 1];
  if (first !== undefined) add(first.tMs - maxGapMs, first.tMs, first.powerW);
  if (last !== undefined) add(last.tMs, last.tMs + maxGapMs, last.powerW);
  return { energyJ, coveredMs, windowMs };
}

/** Peak and mean of sampled power over a window (mean = energy / covered time). */
export function powerStats(points: readonly PowerPoint[], fromMs: number, toMs: number, maxGapMs: number): { meanW: number | null; peakW: number | null } {
  const energy = integratePower(points, fromMs, toMs, maxGapMs);
  const inside = points.filter((p) => p.tMs >= fromMs && p.tMs <= toMs).map((p) => p.powerW);
  return {
    meanW: energy.coveredMs > 0 ? (energy.energyJ * 1000) / energy.coveredMs : null,
    peakW: inside.length > 0 ? inside.reduce((max, w) => (w > max ? w : max), -Infinity) : null,
  };
}
