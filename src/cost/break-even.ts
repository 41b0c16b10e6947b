import type { LocalCostInputs } from './cost-types.js';
import { computeMachinesForPeak } from './load-shape.js';
import {
  computeCapacityPerMonth,
  computeEnergyCost,
  computeEngineering,
  computeIdleCostPerHour,
  computeLocalMonth,
  DAYS_PER_MONTH,
} from './local-cost.js';
import { listMissingInputs } from './missing-inputs.js';
import type { BreakEven } from './cost-types.js';
import type { VolumeRange, SearchLimit } from './cost-types.js';
export type { VolumeRange } from './cost-types.js';
export type { BreakEven } from './cost-types.js';

/** Volumes above this many tasks a month are not searched. */
export const MAX_VOLUME = 1e9;
/** Machine counts beyond this are not searched (a tiny capacity would otherwise mean millions of pieces). */
export const MAX_MACHINES = 100_000;

/**
 * Within a machine count k, the full local monthly cost is linear in the volume V: a + b x V,
 * where a holds the fixed costs and b the per-task electricity less the idle time each task
 * takes away from machines bought for the work. Needs complete inputs.
 */
function piece(i: LocalCostInputs, k: number, workPerTask: number): { a: number; b: number } {
  const bought = i.alreadyOwnedIdle === true ? k - 1 : k;
  const idlePerHour = bought === 0 ? 0 : (computeIdleCostPerHour(i) ?? 0);
  const hours = i.availabilityHoursPerDay * DAYS_PER_MONTH;
  const hardware = (bought * (i.purchasePrice ?? 0) * i.workloadShare) / i.amortizationMonths;
  return {
    a: bought * hours * idlePerHour + hardware + (computeEngineering(i) ?? 0),
    b: workPerTask - bought * ((i.secondsPerTask ?? 0) / 3600 / k) * idlePerHour,
  };
}

/** Search context: the exact test (the definition) and the machine count rule. */
interface Search {
  cheaper: (v: number) => boolean;
  machines: (v: number) => number;
  capacity: number;
}

/** The largest volume that k machines serve (by the same rule as computeLocalMonth), at most MAX_VOLUME. */
function lastVolumeFor(s: Search, i: LocalCostInputs, k: number): number {
  if (!Number.isFinite(s.capacity)) return MAX_VOLUME;
  let v = Math.min(MAX_VOLUME, Math.floor((k * s.capacity) / i.peakToMean));
  while (v > 0 && s.machines(v) > k) v -= 1;
  while (v < MAX_VOLUME && s.machines(v + 1) <= k) v += 1;
  return v;
}

/** Moves an algebraic boundary onto the definition's: a few steps at most (float rounding). */
function settle(start: number, lo: number, hi: number, s: Search): number {
  let v = start;
  for (let n = 0; n < 4 && v > lo && s.cheaper(v - 1); n += 1) v -= 1;
  for (let n = 0; n < 4 && v <= hi && !s.cheaper(v); n += 1) v += 1;
  return v;
}

/** The volumes of [lo, hi] (one machine count) at which local is cheaper: one stretch or none (linear cost). */
function cheaperIn(
  lo: number,
  hi: number,
  a: number,
  b: number,
  api: number,
  s: Search,
): [number, number] | null {
  const slope = api - b; // local <= api  <=>  a <= V x slope
  if (slope > 0) {
    const start = settle(Math.max(lo, Math.ceil(a / slope)), lo, hi, s);
    return start <= hi ? [start, hi] : null;
  }
  if (a > 0) return null; // slope <= 0 and fixed costs to pay: never within this count
  const end = slope < 0 ? Math.min(hi, Math.floor(a / slope)) : hi;
  return end >= lo && s.cheaper(lo) ? [lo, end] : null;
}

function mergeRanges(stretches: readonly [number, number][], searchedUpTo: number): VolumeRange[] {
  const ranges: VolumeRange[] = [];
  for (const [from, until] of stretches) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last.until !== null && from === last.until + 1) last.until = until;
    else ranges.push({ from, until });
  }
  const last = ranges[ranges.length - 1];
  if (last !== undefined && last.until === searchedUpTo) last.until = null;
  return ranges;
}

/**
 * Every volume (tasks a month, from 1) at which the full local cost is at most the API's, found piece
 * by piece over machine counts: within one count the cost is linear in the volume, so each count adds
 * at most one stretch, and its ends are checked against computeLocalMonth itself. Pure.
 * Unknown inputs give `unknown` (an incomplete full view has no break-even).
 */
export function computeBreakEven(i: LocalCostInputs, apiPerTask: number): BreakEven {
  const missing = listMissingInputs(i);
  if (missing.length > 0)
    return { kind: 'unknown', reason: 'the full view is incomplete', missing: missing.map((m) => m.key) };
  const capacity = computeCapacityPerMonth(i.secondsPerTask ?? 0, i.availabilityHoursPerDay);
  const s: Search = {
    capacity,
    machines: (v) => computeMachinesForPeak(v, capacity, i.peakToMean),
    cheaper: (v) => {
      const full = computeLocalMonth(i, v).full;
      return full !== null && full <= apiPerTask * v;
    },
  };
  const workPerTask = computeEnergyCost(i.totalJPerTask ?? 0, i.kwhPrice, i.overheadFactor);
  // Unknown idle power leaves only the volumes the owned machine serves alone.
  const maxMachines = i.idleW === null ? 1 : MAX_MACHINES;
  const stretches: [number, number][] = [];
  let lo = 1;
  let k = 1;
  for (; k <= maxMachines && lo <= MAX_VOLUME; k += 1) {
    const hi = lastVolumeFor(s, i, k);
    if (hi < lo) continue;
    const { a, b } = piece(i, k, workPerTask);
    const stretch = cheaperIn(lo, hi, a, b, apiPerTask, s);
    if (stretch !== null) stretches.push(stretch);
    lo = hi + 1;
  }
  const searchedUpTo = lo - 1;
  const limit = searchLimit(i, searchedUpTo);
  return verdict(mergeRanges(stretches, searchedUpTo), searchedUpTo, limit, i, apiPerTask, workPerTask);
}

function searchLimit(i: LocalCostInputs, searchedUpTo: number): SearchLimit | null {
  if (searchedUpTo >= MAX_VOLUME) return null;
  return i.idleW === null ? 'idle power unknown' : 'machine limit';
}

function verdict(
  ranges: VolumeRange[],
  searchedUpTo: number,
  limit: SearchLimit | null,
  i: LocalCostInputs,
  api: number,
  work: number,
): BreakEven {
  const first = ranges[0];
  if (first === undefined) {
    const where =
      limit === null ? 'at every volume' : `at every volume up to ${searchedUpTo} tasks/month (${limit})`;
    const reason =
      api <= work
        ? `the API costs no more per task than the local electricity alone (${api.toPrecision(3)} vs ${work.toPrecision(3)})`
        : `${where}, the local machines cost more than the API`;
    return { kind: 'never', reason, searchedUpTo };
  }
  if (ranges.length === 1 && first.from === 1 && first.until === null && limit === null) {
    const fixed = computeLocalMonth(i, 0).full ?? 0;
    return {
      kind: 'local-always',
      reason: `local costs no more than the API from the first task (fixed costs ${fixed.toPrecision(3)} a month)`,
    };
  }
  return { kind: 'volume', ranges, searchedUpTo, searchLimit: limit };
}

/** Whether two break-evens give the same verdict at every volume (their reasons' figures aside). */
export function sameBreakEven(a: BreakEven, b: BreakEven): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'volume' && b.kind === 'volume') {
    return (
      a.searchedUpTo === b.searchedUpTo &&
      a.searchLimit === b.searchLimit &&
      JSON.stringify(a.ranges) === JSON.stringify(b.ranges)
    );
  }
  if (a.kind === 'never' && b.kind === 'never') return a.searchedUpTo === b.searchedUpTo;
  if (a.kind === 'depends' || b.kind === 'depends') return false;
  return true;
}

/**
 * The break-even of an energy range from its two ends (the local cost rises with the power, so the
 * high end's cheaper volumes lie within the low end's): one verdict where both ends agree, stated
 * with the end that makes it hardest (never: the low end; local-always: the high end), else `depends`.
 * Pure.
 */
export function combineBreakEvens(atLowPower: BreakEven, atHighPower: BreakEven): BreakEven {
  if (!sameBreakEven(atLowPower, atHighPower)) return { kind: 'depends', atLowPower, atHighPower };
  return atLowPower.kind === 'local-always' ? atHighPower : atLowPower;
}
