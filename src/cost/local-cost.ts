/**
 * What local work costs, pure. Two views:
 * - marginal: the electricity the work added above idle;
 * - full: all electricity while working, plus the month's fixed costs (hardware bought for the
 *   workload, its idle power, engineering time), spread over the month's tasks.
 */

/** Days in an average month (365.25 / 12). */
export const DAYS_PER_MONTH = 365.25 / 12;
const J_PER_KWH = 3_600_000;

/** Everything the local cost depends on, measured or configured. Money in the user's currency. */
export interface LocalCostInputs {
  /** Measured: seconds of machine time per task (measured phase / ok tasks). */
  secondsPerTask: number;
  /** Measured: all energy per task, and the part above idle; null when not measured. */
  totalJPerTask: number | null;
  marginalJPerTask: number | null;
  /** Measured: the machine's idle power; null when not measured. */
  idleW: number | null;
  /** Currency per kWh. */
  kwhPrice: number;
  /** PUE / cooling factor applied to the energy (1 for wall-meter readings). */
  overheadFactor: number;
  availabilityHoursPerDay: number;
  purchasePrice: number;
  amortizationMonths: number;
  /** The first machine is already owned and otherwise idle: its purchase and idle power are sunk. */
  alreadyOwnedIdle: boolean;
  workloadShare: number;
  setupHours: number;
  maintenanceHoursPerMonth: number;
  hourlyRate: number;
}

/** Money for energy in joules. */
export function computeEnergyCost(energyJ: number, kwhPrice: number, overheadFactor: number): number {
  return (energyJ / J_PER_KWH) * kwhPrice * overheadFactor;
}

/** Tasks one machine can do in a month at the measured pace, within its available hours. */
export function computeCapacityPerMonth(secondsPerTask: number, availabilityHoursPerDay: number): number {
  return secondsPerTask > 0 ? (availabilityHoursPerDay * DAYS_PER_MONTH * 3600) / secondsPerTask : Infinity;
}

/** Machines a monthly volume needs (at least one). */
export function computeMachinesNeeded(volume: number, capacityPerMonth: number): number {
  return Math.max(1, Math.ceil(volume / capacityPerMonth));
}

/** A month of local cost at a volume, by part. */
export interface LocalMonth {
  volume: number;
  machines: number;
  /** Electricity while working: all of it (full view) and the part above idle (marginal view). null: not measured. */
  workElectricity: number | null;
  marginalElectricity: number | null;
  /** Idle power of machines bought for the workload, in the hours they wait. null: idle power not measured. */
  idleElectricity: number | null;
  hardware: number;
  engineering: number;
  /** Full view: every part above (unknown parts left out, see electricityKnown). */
  full: number;
  /** Marginal view: electricity above idle only. */
  marginal: number | null;
  electricityKnown: boolean;
}

/** The local cost of a month at `volume` tasks. Pure. */
export function computeLocalMonth(i: LocalCostInputs, volume: number): LocalMonth {
  const capacity = computeCapacityPerMonth(i.secondsPerTask, i.availabilityHoursPerDay);
  const machines = computeMachinesNeeded(volume, capacity);
  const bought = i.alreadyOwnedIdle ? machines - 1 : machines;
  const energy = (j: number | null): number | null => (j === null ? null : computeEnergyCost(j * volume, i.kwhPrice, i.overheadFactor));
  const availableHours = i.availabilityHoursPerDay * DAYS_PER_MONTH;
  const busyHoursPerMachine = (volume * i.secondsPerTask) / 3600 / machines;
  const idleHours = bought * Math.max(0, availableHours - busyHoursPerMachine);
  const idleElectricity = i.idleW === null ? null : computeEnergyCost(i.idleW * i.workloadShare * idleHours * 3600, i.kwhPrice, i.overheadFactor);
  const hardware = (bought * i.purchasePrice * i.workloadShare) / i.amortizationMonths;
  const engineering = (i.setupHours * i.hourlyRate) / i.amortizationMonths + i.maintenanceHoursPerMonth * i.hourlyRate;
  const workElectricity = energy(i.totalJPerTask);
  return {
    volume,
    machines,
    workElectricity,
    marginalElectricity: energy(i.marginalJPerTask),
    idleElectricity: bought === 0 ? 0 : idleElectricity,
    hardware,
    engineering,
    full: (workElectricity ?? 0) + (bought === 0 ? 0 : (idleElectricity ?? 0)) + hardware + engineering,
    marginal: energy(i.marginalJPerTask),
    electricityKnown: workElectricity !== null && (bought === 0 || idleElectricity !== null),
  };
}
