/**
 * What local work costs, pure. Two views:
 * - marginal: the electricity the work added above idle;
 * - full: all electricity while working, plus the month's fixed costs (hardware bought for the
 *   workload, its idle power, engineering time), spread over the month's tasks.
 * The full view is never silently partial: an unknown bucket makes it unknown (see missing-inputs.ts).
 */
import { computeMachinesForPeak } from './load-shape.js';
import { IDLE_KEY, IDLE_MISSING, listMissingInputs } from './missing-inputs.js';
import type { LocalCostInputs } from './cost-types.js';
import type { LocalMonth } from './cost-types.js';
export type { LocalCostInputs } from './cost-types.js';

/** Days in an average month (365.25 / 12). */
export const DAYS_PER_MONTH = 365.25 / 12;
const J_PER_KWH = 3_600_000;

/** Money for energy in joules. */
export function computeEnergyCost(energyJ: number, kwhPrice: number, overheadFactor: number): number {
  return (energyJ / J_PER_KWH) * kwhPrice * overheadFactor;
}

/** Tasks one machine can do in a month at the measured pace, within its available hours (steady load). */
export function computeCapacityPerMonth(secondsPerTask: number, availabilityHoursPerDay: number): number {
  return secondsPerTask > 0 ? (availabilityHoursPerDay * DAYS_PER_MONTH * 3600) / secondsPerTask : Infinity;
}

/** Machines a monthly volume needs at a steady load (at least one); see computeMachinesForPeak. */
export function computeMachinesNeeded(volume: number, capacityPerMonth: number): number {
  return computeMachinesForPeak(volume, capacityPerMonth, 1);
}

/** Engineering per month: setup spread over the amortization, plus upkeep; null when unset. */
export function computeEngineering(i: LocalCostInputs): number | null {
  const { setupHours: setup, maintenanceHoursPerMonth: upkeep, hourlyRate: rate } = i;
  if (setup === null || upkeep === null) return null;
  if (setup === 0 && upkeep === 0) return 0;
  return rate === null ? null : (setup * rate) / i.amortizationMonths + upkeep * rate;
}

/** Idle electricity of one bought machine for one available hour. null: idle power unknown. */
export function computeIdleCostPerHour(i: LocalCostInputs): number | null {
  return i.idleW === null
    ? null
    : computeEnergyCost(i.idleW * i.workloadShare * 3600, i.kwhPrice, i.overheadFactor);
}

/** The local cost of a month at `volume` tasks. Pure. */
export function computeLocalMonth(i: LocalCostInputs, volume: number): LocalMonth {
  const energy = (j: number | null): number | null =>
    j === null ? null : computeEnergyCost(j * volume, i.kwhPrice, i.overheadFactor);
  const workElectricity = energy(i.totalJPerTask);
  const marginal = energy(i.marginalJPerTask);
  const missing = listMissingInputs(i);
  const spt = i.secondsPerTask;
  const machines =
    spt === null
      ? null
      : computeMachinesForPeak(volume, computeCapacityPerMonth(spt, i.availabilityHoursPerDay), i.peakToMean);
  const bought =
    machines === null || i.alreadyOwnedIdle === null ? null : i.alreadyOwnedIdle ? machines - 1 : machines;
  const hardware =
    bought === null || i.purchasePrice === null
      ? null
      : (bought * i.purchasePrice * i.workloadShare) / i.amortizationMonths;
  let idleElectricity: number | null = null;
  if (bought === 0) idleElectricity = 0;
  else if (bought !== null && machines !== null && spt !== null) {
    const idlePerHour = computeIdleCostPerHour(i);
    const busyHoursPerMachine = (volume * spt) / 3600 / machines;
    const idleHours = bought * Math.max(0, i.availabilityHoursPerDay * DAYS_PER_MONTH - busyHoursPerMachine);
    idleElectricity = idlePerHour === null ? null : idleHours * idlePerHour;
  }
  if (bought !== null && bought > 0 && i.idleW === null && !missing.some((m) => m.key === IDLE_KEY))
    missing.push(IDLE_MISSING);
  const engineering = computeEngineering(i);
  const buckets = [workElectricity, idleElectricity, hardware, engineering];
  const full =
    missing.length > 0 || buckets.some((b) => b === null)
      ? null
      : buckets.reduce<number>((a, b) => a + (b ?? 0), 0);
  return {
    volume,
    machines,
    bought,
    workElectricity,
    marginalElectricity: marginal,
    idleElectricity,
    hardware,
    engineering,
    full,
    marginal,
    electricityKnown: workElectricity !== null && idleElectricity !== null,
    missing,
  };
}
