/**
 * The TDP the CPU power estimate assumes, with its range and where it comes from: the configured
 * telemetry.cpuTdpW, else the model's row in the table (cpu-tdp-table.ts), else a range from what
 * is known of the CPU (cpu-tdp-class.ts). Rated power is a thermal design figure, not a
 * measurement. Pure.
 */
import { estimateTdpByClass, type CpuFacts } from './cpu-tdp-class.js';
import { CPU_TDP_TABLE, type CpuTdpRow } from './cpu-tdp-table.js';
import type { TdpAssumption } from './cpu-tdp-class.js';
export type { TdpFrom, TdpAssumption } from './cpu-tdp-class.js';

export { CPU_TDP_TABLE, type CpuTdpRow } from './cpu-tdp-table.js';
export type { CpuFacts } from './cpu-tdp-class.js';

/**
 * Normalizes a CPU model string for matching: drops (R), (TM), "CPU" and "PRO" marks, lowercases and
 * collapses whitespace, so "Intel(R) Core(TM) i9-13900K CPU @ 3.00GHz" contains "core i9-13900k".
 */
function normalizeCpuModel(model: string): string {
  return model
    .replace(/\((?:r|tm)\)/gi, ' ')
    .replace(/\b(?:pro)\b/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/**
 * Whether `fragment` occurs in `normalized` as whole words: not inside a longer model number.
 * One trailing "f" (Intel: no graphics, same power) or "p" (AMD EPYC single-socket, same power) is allowed,
 * so "i9-14900KF" is the i9-14900K, but "7950X3D" is not the 7950X and "14900T" is not the 14900.
 */
function occursAsWord(normalized: string, fragment: string): boolean {
  let at = normalized.indexOf(fragment);
  while (at !== -1) {
    const before = normalized[at - 1];
    let end = at + fragment.length;
    if (normalized[end] === 'f' || normalized[end] === 'p') end += 1;
    const after = normalized[end];
    const wordChar = (c: string | undefined): boolean => c !== undefined && /[a-z0-9]/.test(c);
    if (!wordChar(before) && !wordChar(after)) return true;
    at = normalized.indexOf(fragment, at + 1);
  }
  return false;
}

/** Finds the table row whose fragment occurs in `model` as whole words (longest fragment wins), or null. */
export function findCpuTdp(model: string, table: readonly CpuTdpRow[] = CPU_TDP_TABLE): CpuTdpRow | null {
  const normalized = normalizeCpuModel(model);
  let best: CpuTdpRow | null = null;
  for (const row of table) {
    if (!occursAsWord(normalized, normalizeCpuModel(row.match))) continue;
    if (best === null || row.match.length > best.match.length) best = row;
  }
  return best;
}

function fromRow(row: CpuTdpRow): TdpAssumption {
  const high = row.maxW ?? row.tdpW;
  const basis =
    row.maxW === null
      ? `${row.match}: rated ${row.tdpW} W`
      : `${row.match}: rated ${row.tdpW} W (Processor Base Power), up to ${row.maxW} W (Maximum Turbo Power)`;
  return { tdpW: row.tdpW, lowW: row.tdpW, highW: high, from: 'table', basis, source: row.source };
}

/**
 * The TDP to assume for a CPU: telemetry.cpuTdpW when set (a point), else its table row (the rated
 * figure; Intel's Maximum Turbo Power as the high end), else a range by class and core count; or why
 * none can be assumed (Apple silicon, nothing known).
 */
export function assumeCpuTdp(
  cpu: CpuFacts,
  configuredW: number | null,
  table: readonly CpuTdpRow[] = CPU_TDP_TABLE,
): TdpAssumption | { none: string } {
  if (configuredW !== null && Number.isFinite(configuredW) && configuredW > 0) {
    return {
      tdpW: configuredW,
      lowW: configuredW,
      highW: configuredW,
      from: 'config',
      basis: `configured: ${configuredW} W`,
      source: 'telemetry.cpuTdpW',
    };
  }
  const row = findCpuTdp(cpu.model, table);
  return row === null ? estimateTdpByClass(cpu, table) : fromRow(row);
}
