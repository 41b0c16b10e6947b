/**
 * A small table of common CPUs' rated power (TDP / Processor Base Power), for the estimate
 * sampler when no CPU power sensor exists. Deliberately short: a CPU not listed here is
 * configured by hand (telemetry.cpuTdpW). Rated power is a thermal design figure, not a
 * measurement; Intel parts since 12th gen may draw far more under turbo (Maximum Turbo Power).
 */

/** One table row: a model-name fragment and its rated power. */
export interface CpuTdpRow {
  /** Matched case-insensitively as a substring of the normalized model name. */
  match: string;
  tdpW: number;
  /** Where the figure comes from. */
  source: string;
}

const AMD = 'vendor spec sheet (AMD product page, Default TDP)';
const INTEL_BASE = 'vendor spec sheet (Intel ARK, Processor Base Power)';
const INTEL_TDP = 'vendor spec sheet (Intel ARK, TDP)';

/** The table. The longest matching fragment wins, so "7950X3D" beats "7950X". */
export const CPU_TDP_TABLE: readonly CpuTdpRow[] = [
  { match: 'Ryzen 9 9950X', tdpW: 170, source: AMD },
  { match: 'Ryzen 9 7950X', tdpW: 170, source: AMD },
  { match: 'Ryzen 9 7950X3D', tdpW: 120, source: AMD },
  { match: 'Ryzen 7 7800X3D', tdpW: 120, source: AMD },
  { match: 'Ryzen 9 5950X', tdpW: 105, source: AMD },
  { match: 'Ryzen 7 5800X', tdpW: 105, source: AMD },
  { match: 'Ryzen 5 5600X', tdpW: 65, source: AMD },
  { match: 'Ryzen 7 5800U', tdpW: 15, source: AMD },
  { match: 'Ryzen 7 7840U', tdpW: 28, source: AMD },
  { match: 'EPYC 9654', tdpW: 360, source: AMD },
  { match: 'EPYC 7763', tdpW: 280, source: AMD },
  { match: 'EPYC 7742', tdpW: 225, source: AMD },
  { match: 'Core i9-14900K', tdpW: 125, source: INTEL_BASE },
  { match: 'Core i9-13900K', tdpW: 125, source: INTEL_BASE },
  { match: 'Core i9-13900KS', tdpW: 150, source: INTEL_BASE },
  { match: 'Core i9-12900K', tdpW: 125, source: INTEL_BASE },
  { match: 'Core i7-13700K', tdpW: 125, source: INTEL_BASE },
  { match: 'Core i7-12700K', tdpW: 125, source: INTEL_BASE },
  { match: 'Core i5-13600K', tdpW: 125, source: INTEL_BASE },
  { match: 'Core i5-12400', tdpW: 65, source: INTEL_BASE },
  { match: 'Core i7-1260P', tdpW: 28, source: INTEL_BASE },
  { match: 'Xeon Gold 6338', tdpW: 205, source: INTEL_TDP },
  { match: 'Xeon Gold 6248R', tdpW: 205, source: INTEL_TDP },
  { match: 'Xeon Platinum 8380', tdpW: 270, source: INTEL_TDP },
  { match: 'Xeon Platinum 8480+', tdpW: 350, source: INTEL_TDP },
];

/**
 * Normalizes a CPU model string for matching: drops (R), (TM) and (tm) marks, lowercases and
 * collapses whitespace, so "Intel(R) Core(TM) i9-13900K CPU @ 3.00GHz" contains "core i9-13900k".
 */
export function normalizeCpuModel(model: string): string {
  return model.replace(/\((?:r|tm)\)/gi, ' ').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Finds the table row whose fragment occurs in `model` (longest fragment wins), or null. */
export function findCpuTdp(model: string, table: readonly CpuTdpRow[] = CPU_TDP_TABLE): CpuTdpRow | null {
  const normalized = normalizeCpuModel(model);
  let best: CpuTdpRow | null = null;
  for (const row of table) {
    if (!normalized.includes(normalizeCpuModel(row.match))) continue;
    if (best === null || row.match.length > best.match.length) best = row;
  }
  return best;
}
