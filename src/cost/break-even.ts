import { computeCapacityPerMonth, computeEnergyCost, DAYS_PER_MONTH, type LocalCostInputs } from './local-cost.js';

/** Volumes above this many tasks a month are not searched. */
export const MAX_VOLUME = 1e9;

/** Where the cheaper option flips, in tasks per month. */
export type BreakEven =
  | { kind: 'local-always'; reason: string }
  | { kind: 'never'; reason: string }
  | {
      kind: 'volume';
      /** From this many tasks a month, local costs no more than the API... */
      localCheaperFrom: number;
      /** ...until this many (more machines needed), or null when it stays cheaper up to MAX_VOLUME. */
      localCheaperUntil: number | null;
    };

/**
 * Within a machine count k, the full local monthly cost is linear in the volume V:
 * A + b x V, where A holds the fixed costs and b the per-task electricity (less the idle time
 * each task takes away from machines bought for the workload).
 */
function piece(i: LocalCostInputs, k: number, workPerTask: number): { a: number; b: number } {
  const bought = i.alreadyOwnedIdle ? k - 1 : k;
  const idlePerHour = i.idleW === null ? 0 : computeEnergyCost(i.idleW * i.workloadShare * 3600, i.kwhPrice, i.overheadFactor);
  const hours = i.availabilityHoursPerDay * DAYS_PER_MONTH;
  const hardware = (bought * i.purchasePrice * i.workloadShare) / i.amortizationMonths;
  const engineering = (i.setupHours * i.hourlyRate) / i.amortizationMonths + i.maintenanceHoursPerMonth * i.hourlyRate;
  return {
    a: bought * hours * idlePerHour + hardware + engineering,
    b: workPerTask - (bought * (i.secondsPerTask / 3600 / k)) * idlePerHour,
  };
}

/**
 * The volume from which the full local cost is at most the API's, found exactly piece by piece
 * over machine counts (each machine adds fixed costs once the volume passes its capacity).
 * Pure; unknown electricity counts as 0 (the caller says so).
 */
export function computeBreakEven(i: LocalCostInputs, apiPerTask: number): BreakEven {
  const workPerTask = i.totalJPerTask === null ? 0 : computeEnergyCost(i.totalJPerTask, i.kwhPrice, i.overheadFactor);
  const capacity = computeCapacityPerMonth(i.secondsPerTask, i.availabilityHoursPerDay);
  const intervals: [number, number][] = [];
  for (let k = 1; (k - 1) * capacity < MAX_VOLUME && k <= 1_000_000; k += 1) {
    const lo = k === 1 ? 0 : Math.floor((k - 1) * capacity) + 1;
    const hi = Math.min(Math.floor(k * capacity), MAX_VOLUME);
    if (hi < lo) continue;
    const { a, b } = piece(i, k, workPerTask);
    const slope = apiPerTask - b; // local <= api  <=>  V x slope >= a
    let start: number | null = null;
    if (slope > 0) start = Math.max(lo, Math.ceil(a / slope - 1e-9));
    else if (a <= 0) start = lo;
    if (start !== null && start <= hi) intervals.push([start, slope > 0 || a <= 0 ? hi : start]);
    if (!Number.isFinite(capacity)) break;
  }
  const first = intervals[0];
  if (first === undefined) {
    return apiPerTask <= workPerTask
      ? { kind: 'never', reason: `the API costs no more per task than the local electricity alone (${apiPerTask.toPrecision(3)} vs ${workPerTask.toPrecision(3)})` }
      : { kind: 'never', reason: 'even fully used, the local machines cost more per task than the API' };
  }
  let end = first[1];
  for (const [start, stop] of intervals.slice(1)) {
    if (start > end + 1) break;
    end = stop;
  }
  if (first[0] === 0 && end >= MAX_VOLUME) return { kind: 'local-always', reason: 'no fixed costs to recover: local is cheaper from the first task' };
  return { kind: 'volume', localCheaperFrom: Math.max(1, first[0]), localCheaperUntil: end >= MAX_VOLUME || !Number.isFinite(capacity) ? null : end };
}
