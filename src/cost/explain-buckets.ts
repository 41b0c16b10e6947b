import type { LocalCostInputs, LocalMonth } from './cost-types.js';

import { DAYS_PER_MONTH } from './local-cost.js';
import type { BucketExplanation } from './cost-types.js';

function n(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

function missingFor(month: LocalMonth, bucket: string): string {
  // Idle electricity depends on whether a machine is bought: the hardware question decides that.
  const decides = (key: string): boolean =>
    bucket === 'idle electricity' && key === 'cost.hardware.alreadyOwnedIdle';
  const keys = month.missing
    .filter((m) => m.bucket === bucket || m.bucket === 'capacity' || decides(m.key))
    .map((m) => m.key);
  return `unknown: ${keys.length > 0 ? keys.join(', ') : 'an input'} not set or not measured (set it in the config, or run \`costbench init\`)`;
}

function work(i: LocalCostInputs, month: LocalMonth, cur: string): string {
  if (i.totalJPerTask === null) return 'unknown: energy per task was not measured (see `costbench doctor`)';
  return `${month.volume} tasks x ${n(i.totalJPerTask)} J / 3.6e6 x ${i.kwhPrice} ${cur}/kWh x ${i.overheadFactor} overhead`;
}

function idle(i: LocalCostInputs, month: LocalMonth, cur: string): string {
  if (month.bought === 0)
    return i.alreadyOwnedIdle === true
      ? 'none: the one machine needed is already owned and otherwise idle'
      : 'none';
  if (
    month.idleElectricity === null ||
    month.bought === null ||
    month.machines === null ||
    i.idleW === null ||
    i.secondsPerTask === null
  ) {
    return missingFor(month, 'idle electricity');
  }
  const busy = (month.volume * i.secondsPerTask) / 3600 / month.machines;
  const idleHours = Math.max(0, i.availabilityHoursPerDay * DAYS_PER_MONTH - busy);
  return `${month.bought} bought x ${n(idleHours)} h idle x ${n(i.idleW)} W x ${i.workloadShare} share / 1000 x ${i.kwhPrice} ${cur}/kWh x ${i.overheadFactor} overhead`;
}

function hardware(i: LocalCostInputs, month: LocalMonth, cur: string): string {
  if (month.hardware === null || month.bought === null || i.purchasePrice === null)
    return missingFor(month, 'hardware');
  return `${month.bought} bought x ${n(i.purchasePrice)} ${cur} x ${i.workloadShare} share / ${i.amortizationMonths} months`;
}

function engineering(i: LocalCostInputs, month: LocalMonth, cur: string): string {
  if (month.engineering === null || i.setupHours === null || i.maintenanceHoursPerMonth === null)
    return missingFor(month, 'engineering');
  const rate = i.hourlyRate === null ? 'no rate needed' : `${n(i.hourlyRate)} ${cur}`;
  return `${n(i.setupHours)} h setup x ${rate} / ${i.amortizationMonths} months + ${n(i.maintenanceHoursPerMonth)} h/month x ${rate}`;
}

/** Each bucket of the full view at the month's volume, explained with its inputs. Pure. */
export function explainBuckets(i: LocalCostInputs, month: LocalMonth, currency: string): BucketExplanation[] {
  return [
    { bucket: 'electricity while working', value: month.workElectricity, formula: work(i, month, currency) },
    { bucket: 'idle electricity', value: month.idleElectricity, formula: idle(i, month, currency) },
    { bucket: 'hardware', value: month.hardware, formula: hardware(i, month, currency) },
    { bucket: 'engineering', value: month.engineering, formula: engineering(i, month, currency) },
  ];
}
