import type { CostEnd } from '../cost/cost-range.js';
import { levelLabel } from '../types/level.js';
import { apiTokenSourceWords } from './source-words.js';
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
import {
  describeCostRange,
  formatMoneyRange,
  localMoney,
  perCorrect,
  rowFull,
  rowMarginal,
  volumeLegend,
  volumeMark,
} from './cost-range-words.js';

export { formatCount, formatMoney } from './cost-words.js';

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

/** A local figure resting on an estimated energy, marked "~" (never shown like a measurement). */
function estimated(c: CostSummary, text: string): string {
  return c.energyIsEstimate && text !== '—' && !text.startsWith('~') ? `~${text}` : text;
}

/** Energy per task, all and above idle: "~300.0–450.0 J (~245.0–380.0 J above idle)" with a range. */
function energyPerTask(c: CostSummary): string {
  const p = c.perTask;
  const r = c.range;
  const j = (low: number | null, high: number | null, point: number | null): string =>
    r === null || low === null || high === null
      ? estimated(c, formatNumber(point))
      : `~${formatNumber(Math.min(low, high))}–${formatNumber(Math.max(low, high))}`;
  const total = j(r?.low.perTask.totalJ ?? null, r?.high.perTask.totalJ ?? null, p.totalJ);
  const marginal = j(r?.low.perTask.marginalJ ?? null, r?.high.perTask.marginalJ ?? null, p.marginalJ);
  return `${total} J (${marginal} J above idle)`;
}

function perTaskLine(c: CostSummary): string {
  const p = c.perTask;
  const cached =
    p.cachedPromptTokens === null
      ? ''
      : ` (${formatNumber(p.cachedPromptTokens, 0)} from the server's prompt cache)`;
  return (
    `Per task (measured at ${c.level === null ? 'concurrency —' : levelLabel(c.level)}): ${formatNumber(p.promptTokens, 0)} prompt${cached} + ` +
    `${formatNumber(p.outputTokens, 0)} output tokens (${describeTokenCounting(c)}), ${formatNumber(p.seconds, 2)} s of machine time, ` +
    energyPerTask(c)
  );
}

function localLines(c: CostSummary): string[] {
  const cur = c.currency;
  const l = c.local;
  const gap = formatFullViewGap(c);
  const below = l.marginalBelowZero ? ' (measured below zero: see the cost notes)' : '';
  const marginal = (pick: (e: CostEnd) => number | null, v: number | null): string =>
    localMoney(c, pick, estimated(c, formatMarginal(c, v)));
  const full = (pick: (e: CostEnd) => number | null, v: number | null): string =>
    localMoney(c, pick, estimated(c, formatMoney(v)));
  const range = describeCostRange(c);
  const lines = [
    `Local at ${formatCount(c.volume)} tasks/month (${machinesWords(c)}):`,
    ...(range === null ? [] : [`  ${range}`]),
    `  marginal view (electricity above idle): ${marginal((e) => e.local.marginal, l.marginal)} ${cur}/month, ` +
      `${marginal((e) => e.local.marginalPerTask, l.marginalPerTask)} per task${below}`,
    gap === null
      ? `  full view: ${full((e) => e.local.full, l.full)} ${cur}/month, ` +
        `${full((e) => e.local.fullPerTask, l.fullPerTask)} per task, of which:`
      : `  ${gap}`,
    ...l.explained.map(
      (e) => `    ${e.bucket} ${bucketValue(c, e.bucket, e.value)} = ${atPoint(c, e.bucket)}${e.formula}`,
    ),
  ];
  if (l.accuracy !== null) {
    lines.push(
      `  per correct task (accuracy ${formatNumber(l.accuracy * 100)}%): ` +
        `full ${full(
          perCorrect(l.accuracy, (e) => e.local.fullPerTask),
          l.fullPerCorrectTask,
        )}, ` +
        `marginal ${marginal(
          perCorrect(l.accuracy, (e) => e.local.marginalPerTask),
          l.marginalPerCorrectTask,
        )}`,
    );
  }
  return lines;
}

/** A bucket's value: a range for the electricity buckets of an estimate range. */
export function bucketValue(c: CostSummary, bucket: string, value: number | null): string {
  const point = formatMoney(value);
  if (bucket === 'electricity while working') return localMoney(c, (e) => e.local.workElectricity, point);
  if (bucket === 'idle electricity') return localMoney(c, (e) => e.local.idleElectricity, point);
  return formatMoney(value);
}

/** Before an electricity bucket's formula with an estimate range: its inputs are the point TDP's. */
export function atPoint(c: CostSummary, bucket: string): string {
  const pick =
    bucket === 'electricity while working'
      ? (e: CostEnd) => e.local.workElectricity
      : bucket === 'idle electricity'
        ? (e: CostEnd) => e.local.idleElectricity
        : null;
  return pick !== null && formatMoneyRange(c, pick) !== null ? 'at the point TDP: ' : '';
}

function apiLines(c: CostSummary): string[] {
  const lines = [
    `API side counted with: ${apiTokenSourceWords(c.apiTokens)}; cached-input share ${c.cachedShare.described}`,
  ];
  lines.push(
    `${'API'.padEnd(34)}${'per task'.padStart(11)}${'per month'.padStart(12)}   at ${formatCount(c.volume)}/month       full-view break-even`,
  );
  for (const a of c.apis) {
    lines.push(
      `${a.model.slice(0, 33).padEnd(34)}${formatMoney(a.task.perTask).padStart(11)}${formatMoney(a.monthly).padStart(12)}   ${`${formatVerdict(a)} `.padEnd(22)}${formatBreakEven(a.breakEvenFull)}`,
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
  const locals = c.table.map(
    (row, i) =>
      `${localMoney(c, rowFull(i), estimated(c, formatMoney(row.localFull)))} ` +
      `(${localMoney(c, rowMarginal(i), estimated(c, formatMarginal(c, row.localMarginal)))})`,
  );
  const width = Math.max(22, ...locals.map((l) => l.length + 1));
  const lines = ['', 'Monthly cost by volume, full view (local marginal in brackets):'];
  lines.push(
    [
      'tasks/month'.padStart(12),
      'machines'.padStart(9),
      'local'.padStart(width),
      ...c.apis.map((a) => a.model.slice(0, 16).padStart(17)),
    ].join(''),
  );
  c.table.forEach((row, i) => {
    const local = locals[i] ?? '';
    lines.push(
      [
        formatCount(row.volume).padStart(12),
        (row.machines === null ? '?' : String(row.machines)).padStart(9),
        local.padStart(width),
        ...row.apis.map((a) => `${formatMoney(a.monthly)}${volumeMark(a) || ' '}`.padStart(17)),
      ].join(''),
    );
  });
  lines.push(`  ${volumeLegend(c)}`);
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
