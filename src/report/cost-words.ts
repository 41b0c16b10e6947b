import type { BreakEven, VolumeRange } from '../cost/break-even.js';
import { levelLabel } from '../types/level.js';
import type { ApiComparison, CostSummary } from '../cost/cost-summary.js';
import { formatNumber } from './format-number.js';

/** Money with sensible precision: 2 decimals from 1 up, 3 significant digits below. */
export function formatMoney(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (Math.abs(value) < 1e-12) return '0'; // float noise of a difference, e.g. energy - idle x time
  return Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}

/** A count of tasks: 1,234,567. */
export function formatCount(value: number): string {
  // A plain separator: Intl's set-up costs tens of ms in a fresh process.
  return Number.isFinite(value) ? String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : '∞';
}

function formatRange(r: VolumeRange, searchedUpTo: number): string {
  if (r.until === null) return `from ${formatCount(r.from)}${searchedUpTo >= 1e9 ? '' : ` on`}`;
  return r.from === r.until
    ? `at ${formatCount(r.from)}`
    : `from ${formatCount(r.from)} to ${formatCount(r.until)}`;
}

function searchWords(b: Extract<BreakEven, { kind: 'volume' }>): string {
  if (b.searchLimit === null) return '';
  const why =
    b.searchLimit === 'idle power unknown'
      ? 'beyond it a machine must be bought, and idle power was not measured'
      : 'the machine limit';
  return ` (searched up to ${formatCount(b.searchedUpTo)} tasks/month: ${why})`;
}

/** Where local starts being cheaper for good: from the first task, or one open-ended stretch; else null. */
function cheaperFrom(b: BreakEven): number | null {
  if (b.kind === 'local-always') return 1;
  const only = b.kind === 'volume' && b.ranges.length === 1 ? b.ranges[0] : undefined;
  return only !== undefined && only.until === null && b.kind === 'volume' && b.searchLimit === null
    ? only.from
    : null;
}

/** A break-even that depends on where in the estimate's range the CPU's real power lies. */
function formatDepends(b: Extract<BreakEven, { kind: 'depends' }>): string {
  const low = cheaperFrom(b.atLowPower);
  const high = cheaperFrom(b.atHighPower);
  const why = "depending on the CPU's real power (ESTIMATE range)";
  if (low !== null && high !== null)
    return `local is cheaper from ${formatCount(low)}–${formatCount(high)} tasks/month, ${why}`;
  if (low !== null && b.atHighPower.kind === 'never') {
    return (
      `local is cheaper from ${formatCount(low)} tasks/month at the low end of the CPU power range, ` +
      `never at the high end: no verdict, ${why}`
    );
  }
  return (
    `no verdict, ${why}: at the low end ${formatBreakEven(b.atLowPower)}; ` +
    `at the high end ${formatBreakEven(b.atHighPower)}`
  );
}

/** A full-view break-even in words; several stretches when buying a machine flips the verdict back. Pure. */
export function formatBreakEven(b: BreakEven): string {
  switch (b.kind) {
    case 'depends':
      return formatDepends(b);
    case 'unknown':
      return `none: ${b.reason}`;
    case 'local-always':
      return 'local is cheaper at any volume';
    case 'never':
      return `never: ${b.reason}`;
    case 'volume': {
      const stretches = b.ranges.map((r) => formatRange(r, b.searchedUpTo));
      const last = b.ranges[b.ranges.length - 1];
      const then = last?.until === null ? '' : '; above that the API (more machines are needed)';
      return `local is cheaper ${stretches.join(', and again ')} tasks/month${then}${searchWords(b)}`;
    }
  }
}

/** The full-view verdict at the chosen volume, e.g. "local cheaper 2.0x", or why there is none. Pure. */
export function formatVerdict(
  a: Pick<ApiComparison, 'cheaper' | 'ratio'> & Partial<Pick<ApiComparison, 'ratioRange' | 'dependsOnPower'>>,
): string {
  if (a.dependsOnPower === true) return 'no verdict: depends on CPU power';
  if (a.cheaper === null) return 'no verdict';
  const x = (r: number): string => formatNumber(r, r < 10 ? 1 : 0);
  const range = a.ratioRange ?? null;
  const ratio =
    range !== null ? ` ${x(range.low)}–${x(range.high)}x` : a.ratio === null ? '' : ` ${x(a.ratio)}x`;
  return `${a.cheaper === 'local' ? 'local' : 'API'} cheaper${ratio}`;
}

/** Marginal money, "~0" where the measured marginal energy was below zero. Pure. */
export function formatMarginal(c: CostSummary, value: number | null): string {
  return c.local.marginalBelowZero && value !== null ? '~0' : formatMoney(value);
}

/** Why the full view gives no verdict, in one line; null when it is complete. Pure. */
export function formatFullViewGap(c: CostSummary): string | null {
  if (c.fullView.complete) return null;
  const keys = c.fullView.missing.map((m) => m.key).join(', ');
  const measured = c.fullView.missing.some((m) => !m.key.startsWith('cost.'));
  const configured = c.fullView.missing.some((m) => m.key.startsWith('cost.'));
  const fixes = c.fullView.missing.filter((m) => !m.key.startsWith('cost.')).map((m) => `${m.key}: ${m.fix}`);
  const how = [
    configured ? 'set the config keys in the config file, or run `costbench init`' : '',
    measured ? fixes.join('; ') : '',
  ].filter((x) => x !== '');
  return `full view INCOMPLETE: ${keys} unknown; no full-view verdict or break-even. To complete it: ${how.join('; ')}.`;
}

/** The level the cost uses and why, in one line. Pure. */
export function formatLevelUsed(c: CostSummary): string {
  if (c.level === null) return 'Level used: none (no ok task)';
  const p95 =
    c.level.p95LatencyMs === null ? 'p95 unknown' : `p95 ${formatNumber(c.level.p95LatencyMs, 0)} ms`;
  return `Level used for J and seconds per task: ${levelLabel(c.level)} (${formatNumber(c.level.tasksPerS, 2)} tasks/s, ${p95}): ${c.level.why}`;
}

/** How the per-task token counts were made, for the "Per task" line. Pure. */
export function describeTokenCounting(c: CostSummary): string {
  return c.perTask.tokensCountedBy === 'server' ? 'local tokenizer' : 'counted by stream chunks: ESTIMATE';
}

/** Steady load against the configured shape at the same volume, as lines. Empty for a steady load. Pure. */
export function formatLoadComparison(c: CostSummary): string[] {
  const lc = c.loadComparison;
  if (lc === null) return [];
  const machines = (m: number | null): string => (m === null ? '?' : `${m} machine${m === 1 ? '' : 's'}`);
  const verdict = (v: 'local' | 'api' | null): string =>
    v === null ? 'no verdict' : v === 'local' ? 'local cheaper' : 'API cheaper';
  const at =
    c.range === null
      ? ''
      : " (local at the ESTIMATE's point TDP; verdicts where both ends of its range agree)";
  const lines = [
    `Steady against ${c.load.described} at ${formatCount(lc.volume)} tasks/month: ` +
      `steady ${machines(lc.steady.machines)}, local ${formatMoney(lc.steady.localFull)} ${c.currency}/month; ` +
      `${c.load.shape.shape} ${machines(lc.shaped.machines)}, local ${formatMoney(lc.shaped.localFull)} ${c.currency}/month${at}`,
  ];
  for (const a of lc.apis) {
    const changed = a.steadyCheaper !== a.shapedCheaper ? ' (the verdict flips)' : '';
    lines.push(
      `  ${a.model}: steady ${verdict(a.steadyCheaper)}, ${c.load.shape.shape} ${verdict(a.shapedCheaper)}${changed}; ` +
        `break-even steady ${formatBreakEven(a.steadyBreakEven)}; ${c.load.shape.shape} ${formatBreakEven(a.shapedBreakEven)}`,
    );
  }
  return lines;
}
