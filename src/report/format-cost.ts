import type { BreakEven } from '../cost/break-even.js';
import type { CostSummary } from '../cost/cost-summary.js';
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

/** A break-even in words. */
export function formatBreakEven(b: BreakEven): string {
  switch (b.kind) {
    case 'local-always':
      return 'local is cheaper at any volume';
    case 'never':
      return `never: ${b.reason}`;
    case 'volume':
      return `local is cheaper from ${formatCount(b.localCheaperFrom)} tasks/month${b.localCheaperUntil === null ? '' : ` up to ${formatCount(b.localCheaperUntil)} (then more machines are needed)`}`;
  }
}

/** How the per-task token counts were made, for the "Per task" line. Pure. */
export function describeTokenCounting(c: CostSummary): string {
  return c.perTask.tokensCountedBy === 'server tokenizer' ? 'local tokenizer' : 'counted by stream chunks: ESTIMATE';
}

/** The cost section of a report. Pure. */
export function formatCostSection(c: CostSummary): string[] {
  const cur = c.currency;
  const l = c.local;
  const lines = [
    '',
    `Cost in ${cur} (electricity ${c.kwhPrice} ${cur}/kWh${c.kwhPriceIsDefault ? ', a DEFAULT, not your price' : ''}; overhead x${c.overheadFactor})`,
    `Per task (measured): ${formatNumber(c.perTask.promptTokens, 0)} prompt + ${formatNumber(c.perTask.outputTokens, 0)} output tokens (${describeTokenCounting(c)}), ` +
      `${formatNumber(c.perTask.seconds, 2)} s of machine time, ${formatNumber(c.perTask.totalJ)} J (${formatNumber(c.perTask.marginalJ)} J above idle)`,
    `Local at ${formatCount(c.volume)} tasks/month (${l.machines} machine${l.machines === 1 ? '' : 's'}; one does ${formatCount(c.capacityPerMachinePerMonth)} a month at this pace):`,
    `  marginal view (electricity above idle): ${formatMoney(l.marginal)} ${cur}/month, ${formatMoney(l.marginalPerTask)} per task`,
    `  full view: ${formatMoney(l.full)} ${cur}/month, ${formatMoney(l.fullPerTask)} per task ` +
      `(electricity while working ${formatMoney(l.workElectricity)}, idle ${formatMoney(l.idleElectricity)}, hardware ${formatMoney(l.hardware)}, engineering ${formatMoney(l.engineering)})` +
      (l.electricityKnown ? '' : ' — electricity NOT included (not measured)'),
  ];
  if (l.accuracy !== null) {
    lines.push(`  per correct task (accuracy ${formatNumber(l.accuracy * 100)}%): full ${formatMoney(l.fullPerCorrectTask)}, marginal ${formatMoney(l.marginalPerCorrectTask)}`);
  }
  if (c.apis.length > 0) {
    lines.push(`API side counted with: ${c.apiTokens}`);
    lines.push(`${'API'.padEnd(34)}${'per task'.padStart(11)}${'per month'.padStart(12)}   at ${formatCount(c.volume)}/month       full-view break-even`);
    for (const a of c.apis) {
      const verdict = `${a.cheaper === 'local' ? 'local' : 'API'} cheaper${a.ratio === null ? '' : ` ${formatNumber(a.ratio, a.ratio < 10 ? 1 : 0)}x`}`;
      lines.push(`${a.model.slice(0, 33).padEnd(34)}${formatMoney(a.task.perTask).padStart(11)}${formatMoney(a.monthly).padStart(12)}   ${verdict.padEnd(22)}${formatBreakEven(a.breakEvenFull)}`);
    }
    const asOf = [...new Set(c.apis.map((a) => `${a.priceSource}${a.priceAsOf === null ? '' : ` ${a.priceAsOf}`}`))].join(', ');
    lines.push(`  (API prices: ${asOf}; marginal view: local is cheaper per task than ${c.apis.filter((a) => a.marginalCheaper === 'local').length} of ${c.apis.length})`);
    lines.push('', 'Monthly cost by volume, full view (local marginal in brackets):');
    lines.push(['tasks/month'.padStart(12), 'machines'.padStart(9), 'local'.padStart(22), ...c.apis.map((a) => a.model.slice(0, 16).padStart(17))].join(''));
    for (const row of c.table) {
      lines.push(
        [
          formatCount(row.volume).padStart(12),
          String(row.machines).padStart(9),
          `${formatMoney(row.localFull)} (${formatMoney(row.localMarginal)})`.padStart(22),
          ...row.apis.map((a) => `${formatMoney(a.monthly)}${a.cheaper === 'api' ? '*' : ' '}`.padStart(17)),
        ].join(''),
      );
    }
    lines.push('  * the API is cheaper than local (full view) at that volume');
  }
  if (c.notes.length > 0) lines.push('Cost notes:', ...c.notes.map((n) => `  - ${n}`));
  return lines;
}
