import type {
  ApiComparison,
  CostOptions,
  CostSummary,
  LoadComparison,
  MeasuredWork,
  VolumeRow,
  WorkEnergyEnd,
} from './cost-types.js';
/**
 * The cost of an estimated energy with a range (the CPU estimate's TDP low..high). Local cost rises
 * with the energy at every volume (electricity while working and idle both scale with it; machine
 * counts do not depend on it), so every CPU power inside the range gives a cost between the two
 * ends': a verdict holds for the whole range exactly when both ends give it. Pure.
 */
import { combineBreakEvens, type BreakEven } from './break-even.js';

import type { CostEnd, CostRange } from './cost-types.js';
import { sameLevel } from '../types/level.js';
export type { CostEnd } from './cost-types.js';

type Verdict = 'local' | 'api' | null;

/** The work with one end's energy figures in place of the point's (decide computes its break-evens at each end). */
export function atEnd(work: MeasuredWork, end: WorkEnergyEnd): MeasuredWork {
  const levels = work.levels.map((l) => {
    const e = end.levels.find((x) => sameLevel(x, l));
    return { ...l, totalJPerTask: e?.totalJPerTask ?? null, marginalJPerTask: e?.marginalJPerTask ?? null };
  });
  return { ...work, levels, idleW: end.idleW, energyRange: null, energyEstimate: null };
}

function toEnd(c: CostSummary): CostEnd {
  const l = c.local;
  return {
    perTask: { totalJ: c.perTask.totalJ, marginalJ: c.perTask.marginalJ },
    local: {
      full: l.full,
      marginal: l.marginal,
      fullPerTask: l.fullPerTask,
      marginalPerTask: l.marginalPerTask,
      workElectricity: l.workElectricity,
      idleElectricity: l.idleElectricity,
    },
    apis: c.apis.map(({ model, cheaper, ratio, breakEvenFull, marginalCheaper }) => ({
      model,
      cheaper,
      ratio,
      breakEvenFull,
      marginalCheaper,
    })),
    table: c.table.map(({ volume, localFull, localMarginal }) => ({ volume, localFull, localMarginal })),
  };
}

/** One verdict where both ends give it; null where they differ. */
export function agree(low: Verdict, high: Verdict): Verdict {
  return low === high ? low : null;
}

function disagree(low: Verdict, high: Verdict): boolean {
  return low !== null && high !== null && low !== high;
}

function mergeApi(a: ApiComparison, low: ApiComparison, high: ApiComparison): ApiComparison {
  const cheaper = agree(low.cheaper, high.cheaper);
  const ratios = [low.ratio, high.ratio];
  const known = cheaper !== null && ratios.every((r) => r !== null);
  const sorted = (ratios as number[]).slice().sort((x, y) => x - y);
  return {
    ...a,
    cheaper,
    ratio: null,
    ratioRange: known ? { low: sorted[0] as number, high: sorted[1] as number } : null,
    dependsOnPower: disagree(low.cheaper, high.cheaper),
    breakEvenFull: combineBreakEvens(low.breakEvenFull, high.breakEvenFull),
    marginalCheaper: agree(low.marginalCheaper, high.marginalCheaper),
  };
}

function mergeRow(row: VolumeRow, low: VolumeRow | undefined, high: VolumeRow | undefined): VolumeRow {
  return {
    ...row,
    apis: row.apis.map((a, i) => {
      const l = low?.apis[i]?.cheaper ?? null;
      const h = high?.apis[i]?.cheaper ?? null;
      return { ...a, cheaper: agree(l, h), dependsOnPower: disagree(l, h) };
    }),
  };
}

function mergeLoad(lc: LoadComparison | null, low: CostSummary, high: CostSummary): LoadComparison | null {
  if (lc === null) return null;
  const be = (b: BreakEven | undefined): BreakEven =>
    b ?? { kind: 'unknown', reason: 'no break-even at this end', missing: [] };
  return {
    ...lc,
    apis: lc.apis.map((a, i) => {
      const l = low.loadComparison?.apis[i];
      const h = high.loadComparison?.apis[i];
      return {
        ...a,
        steadyCheaper: agree(l?.steadyCheaper ?? null, h?.steadyCheaper ?? null),
        shapedCheaper: agree(l?.shapedCheaper ?? null, h?.shapedCheaper ?? null),
        steadyBreakEven: combineBreakEvens(be(l?.steadyBreakEven), be(h?.steadyBreakEven)),
        shapedBreakEven: combineBreakEvens(be(l?.shapedBreakEven), be(h?.shapedBreakEven)),
      };
    }),
  };
}

function rangeNote(tdp: CostRange['tdp']): string {
  return (
    `the energy is an ESTIMATE with a range (CPU TDP ${tdp.lowW}–${tdp.highW} W: ${tdp.basis}): ` +
    'local cost is given at both ends, and a verdict or break-even only where both ends agree; set telemetry.cpuTdpW ' +
    "to the CPU's rated power, or measure it (see `costbench doctor`), to narrow it"
  );
}

/**
 * The cost summary of `work`: at its point, and, with an energy range, at both ends too, the
 * verdicts kept only where the ends agree. `computeAtPoint` is the summary of one set of figures.
 */
export function withEnergyRange(
  work: MeasuredWork,
  options: CostOptions,
  computeAtPoint: (work: MeasuredWork, options: CostOptions) => CostSummary,
): CostSummary {
  const point = computeAtPoint(work, options);
  if (work.energyRange === null || work.energyEstimate === null) return point;
  const low = computeAtPoint(atEnd(work, work.energyRange.low), options);
  const high = computeAtPoint(atEnd(work, work.energyRange.high), options);
  const tdp = work.energyEstimate;
  return {
    ...point,
    apis: point.apis.map((a, i) => mergeApi(a, low.apis[i] ?? a, high.apis[i] ?? a)),
    table: point.table.map((row, i) => mergeRow(row, low.table[i], high.table[i])),
    loadComparison: mergeLoad(point.loadComparison, low, high),
    range: { tdp, low: toEnd(low), high: toEnd(high) },
    notes: [...point.notes, rangeNote(tdp)],
  };
}
