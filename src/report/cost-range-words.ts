/**
 * Local cost of an estimated energy with a range, in words for every format: money as "~low–high",
 * the marks of the volume table, the line saying where the range comes from. Pure.
 */
import type { CostEnd } from '../cost/cost-range.js';
import type { CostSummary } from '../cost/cost-summary.js';
import { formatMoney } from './cost-words.js';

/** Money at both ends of the energy range, "low–high" (unmarked); null without a range or with an end unknown. */
export function formatMoneyRange(c: CostSummary, pick: (end: CostEnd) => number | null): string | null {
  if (c.range === null) return null;
  const low = pick(c.range.low);
  const high = pick(c.range.high);
  if (low === null || high === null) return null;
  if (low === high) return null;
  const [a, b] = [low, high].sort((x, y) => x - y).map(formatMoney) as [string, string];
  return a === b ? a : `${a}–${b}`;
}

/**
 * A local money figure: its range, marked as an estimate by `mark` ("~" in text), where the energy
 * has one; else `pointText` (the point, formatted as the format does). Pure.
 */
export function localMoney(
  c: CostSummary,
  pick: (end: CostEnd) => number | null,
  pointText: string,
  mark: (text: string) => string = (text) => `~${text}`,
): string {
  const range = formatMoneyRange(c, pick);
  return range === null ? pointText : mark(range);
}

/** A per-task pick divided by the accuracy (cost per correct task); null without one. */
export function perCorrect(accuracy: number, pick: (end: CostEnd) => number | null) {
  return (e: CostEnd): number | null => {
    const v = pick(e);
    return v === null || accuracy === 0 ? null : v / accuracy;
  };
}

/** The local full and marginal cost of the volume table's row `i`, at one end. */
export const rowFull =
  (i: number) =>
  (e: CostEnd): number | null =>
    e.table[i]?.localFull ?? null;
export const rowMarginal =
  (i: number) =>
  (e: CostEnd): number | null =>
    e.table[i]?.localMarginal ?? null;

/** An API cell's mark in the volume table: "*" the API is cheaper (at both ends), "?" it depends on the CPU power. */
export function volumeMark(a: { cheaper: 'local' | 'api' | null; dependsOnPower: boolean }): string {
  if (a.dependsOnPower) return '?';
  return a.cheaper === 'api' ? '*' : '';
}

/** What the volume table's marks mean, or why it has none. */
export function volumeLegend(c: CostSummary): string {
  if (!c.fullView.complete) return 'local full view unknown (—): no full-view verdict';
  const depends =
    c.range === null
      ? ''
      : "; ? it depends on the CPU's real power (the two ends of the ESTIMATE range disagree): no verdict";
  return `* the API is cheaper than local (full view) at that volume${depends}`;
}

/** One line: local cost is an estimate range, from which TDP range, and how verdicts follow; null without a range. */
export function describeCostRange(c: CostSummary): string | null {
  const r = c.range;
  if (r === null) return null;
  return (
    `Local cost is an ESTIMATE range, low–high at CPU TDP ${r.tdp.lowW}–${r.tdp.highW} W (${r.tdp.basis}); ` +
    'a verdict or break-even is given only where both ends agree'
  );
}
