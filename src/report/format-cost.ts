import type { CostSummary } from '../cost/cost-summary.js';
import {
  describeTokenCounting,
  formatBreakEven,
  formatCount,
  formatFullViewGap,
  formatLevelUsed,
  formatLoadComparison,
  formatMarginal,
  formatMoney,
  formatVerdict,
} from './cost-words.js';
import { formatNumber } from './format-number.js';

export { describeTokenCounting, formatBreakEven, formatCount, formatMoney } from './cost-words.js';

function machinesWords(c: CostSummary): string {
  const l = c.local;
  const count =
    l.machines === null ? 'machines unknown' : `${l.machines} machine${l.machines === 1 ? '' : 's'}`;
  const capacity =
    c.capacityPerMachinePerMonth === null
      ? 'no capacity known'
      : `one does ${formatCount(c.capacityPerMachinePerMonth)} a month at this pace`;
  return `${count} for a ${c.load.described} load; ${capacity}`;
}

function perTaskLine(c: CostSummary): string {
  const p = c.perTask;
  const cached =
    p.cachedPromptTokens === null
      ? ''
      : ` (${formatNumber(p.cachedPromptTokens, 0)} from the server's prompt cache)`;
  return (
    `Per task (measured at concurrency ${c.level?.concurrency ?? '—'}): ${formatNumber(p.promptTokens, 0)} prompt${cached} + ` +
    `${formatNumber(p.outputTokens, 0)} output tokens (${describeTokenCounting(c)}), ${formatNumber(p.seconds, 2)} s of machine time, ` +
    `${formatNumber(p.totalJ)} J (${formatNumber(p.marginalJ)} J above idle)`
  );
}

function localLines(c: CostSummary): string[] {
  const cur = c.currency;
  const l = c.local;
  const gap = formatFullViewGap(c);
  const below = l.marginalBelowZero ? ' (measured below zero: see the cost notes)' : '';
  const lines = [
    `Local at ${formatCount(c.volume)} tasks/month (${machinesWords(c)}):`,
    `  marginal view (electricity above idle): ${formatMarginal(c, l.marginal)} ${cur}/month, ${formatMarginal(c, l.marginalPerTask)} per task${below}`,
    gap === null
      ? `  full view: ${formatMoney(l.full)} ${cur}/month, ${formatMoney(l.fullPerTask)} per task, of which:`
      : `  ${gap}`,
    ...l.explained.map((e) => `    ${e.bucket} ${formatMoney(e.value)} = ${e.formula}`),
  ];
  if (l.accuracy !== null) {
    lines.push(
      `  per correct task (accuracy ${formatNumber(l.accuracy * 100)}%): full ${formatMoney(l.fullPerCorrectTask)}, marginal ${formatMarginal(c, l.marginalPerCorrectTask)}`,
    );
  }
  return lines;
}

function apiLines(c: CostSummary): string[] {
  const lines = [`API side counted with: ${c.apiTokens}; cached-input share ${c.cachedShare.described}`];
  lines.push(
    `${'API'.padEnd(34)}${'per task'.padStart(11)}${'per month'.padStart(12)}   at ${formatCount(c.volume)}/month       full-view break-even`,
  );
  for (const a of c.apis) {
    lines.push(
      `${a.model.slice(0, 33).padEnd(34)}${formatMoney(a.task.perTask).padStart(11)}${formatMoney(a.monthly).padStart(12)}   ${formatVerdict(a).padEnd(22)}${formatBreakEven(a.breakEvenFull)}`,
    );
  }
  const asOf = [
    ...new Set(c.apis.map((a) => `${a.priceSource}${a.priceAsOf === null ? '' : ` ${a.priceAsOf}`}`)),
  ].join(', ');
  const judged = c.apis.filter((a) => a.marginalCheaper !== null);
  const marginal =
    judged.length === 0
      ? 'marginal view: no verdict'
      : `marginal view: local is cheaper per task than ${judged.filter((a) => a.marginalCheaper === 'local').length} of ${judged.length}`;
  lines.push(`  (API prices: ${asOf}; ${marginal})`);
  return lines;
}

function tableLines(c: CostSummary): string[] {
  const lines = ['', 'Monthly cost by volume, full view (local marginal in brackets):'];
  lines.push(
    [
      'tasks/month'.padStart(12),
      'machines'.padStart(9),
      'local'.padStart(22),
      ...c.apis.map((a) => a.model.slice(0, 16).padStart(17)),
    ].join(''),
  );
  for (const row of c.table) {
    lines.push(
      [
        formatCount(row.volume).padStart(12),
        (row.machines === null ? '?' : String(row.machines)).padStart(9),
        `${formatMoney(row.localFull)} (${formatMarginal(c, row.localMarginal)})`.padStart(22),
        ...row.apis.map((a) => `${formatMoney(a.monthly)}${a.cheaper === 'api' ? '*' : ' '}`.padStart(17)),
      ].join(''),
    );
  }
  lines.push(
    c.fullView.complete
      ? '  * the API is cheaper than local (full view) at that volume'
      : '  local full view unknown (—): no full-view verdict',
  );
  return lines;
}

/** The cost section of a report. Pure. */
export function formatCostSection(c: CostSummary): string[] {
  const cur = c.currency;
  const lines = [
    '',
    `Cost in ${cur} (electricity ${c.kwhPrice} ${cur}/kWh${c.kwhPriceIsDefault ? ', a DEFAULT, not your price' : ''}; overhead x${c.overheadFactor})`,
    formatLevelUsed(c),
    perTaskLine(c),
    ...localLines(c),
  ];
  if (c.apis.length > 0) lines.push(...apiLines(c), ...formatLoadComparison(c), ...tableLines(c));
  if (c.notes.length > 0) lines.push('Cost notes:', ...c.notes.map((n) => `  - ${n}`));
  return lines;
}
