import type { ComparedFigure, ComparedRun, ComparedValue, Comparison } from '../analysis/compare.js';
import { formatCount, formatMoney } from './format-cost.js';
import { escapeMarkdown, markdownTable } from './format-markdown.js';
import { formatNumber } from './format-number.js';
import type { Interval } from '../analysis/stats.js';

/** What a verdict on two 95% intervals reads as. */
export const OVERLAP_TEXT = { overlap: 'overlap: not distinguishable', none: 'no overlap' } as const;

const MONEY_UNITS_EXCLUDED = new Set(['ms', 'tok/s', 'tasks/s', 'J', 'fraction']);
const DECIMALS: Record<string, number> = { ms: 1, 'tok/s': 1, 'tasks/s': 2, J: 1 };

function isMoney(unit: string): boolean {
  return !MONEY_UNITS_EXCLUDED.has(unit);
}

function formatValue(unit: string, value: number | null): string {
  if (value === null) return '—';
  if (unit === 'fraction') return `${formatNumber(value * 100)}%`;
  return isMoney(unit) ? formatMoney(value) : formatNumber(value, DECIMALS[unit] ?? 1);
}

function signed(text: string, value: number): string {
  return value > 0 && text !== '0' && !/^0\.0*$/.test(text) ? `+${text}` : text;
}

function formatDelta(unit: string, v: ComparedValue): string {
  if (v.delta === null) return '';
  const { absolute, relative } = v.delta;
  const abs =
    unit === 'fraction'
      ? `${signed(formatNumber(absolute * 100), absolute)} pp`
      : signed(formatValue(unit, absolute), absolute);
  return relative === null ? abs : `${abs} (${signed(formatNumber(relative * 100), relative)}%)`;
}

function formatInterval(unit: string, ci: Interval | null): string {
  return ci === null ? '—' : `[${formatValue(unit, ci.low)}, ${formatValue(unit, ci.high)}]`;
}

/** A value cell: the value, an estimate marked `~ … ESTIMATE`, and the change against the first run. */
function valueCell(unit: string, v: ComparedValue): string {
  const text = formatValue(unit, v.value);
  const shown = v.estimate ? `~${text} ESTIMATE` : text;
  const delta = formatDelta(unit, v);
  return delta === '' ? shown : `${shown}  ${delta}`;
}

function ciCell(unit: string, v: ComparedValue): string {
  const verdict = v.ciOverlap === null ? '' : `  ${v.ciOverlap ? OVERLAP_TEXT.overlap : OVERLAP_TEXT.none}`;
  return formatInterval(unit, v.ci95) + verdict;
}

function figureLabel(f: ComparedFigure, volume: number | null): string {
  if (f.unit === 'fraction') return f.label;
  // A bill per task does not depend on the volume; a local cost per task does.
  if (isMoney(f.unit) && !f.key.startsWith('billed'))
    return `${f.label}, ${f.unit}${volume === null ? '' : ` at ${formatCount(volume)}/month`}`;
  return `${f.label}, ${f.unit}`;
}

/** The comparison as rows of plain cells (label first): what each run was, then the figures. Pure. */
export function compareRows(c: Comparison): { runs: string[][]; figures: string[][] } {
  const row = (label: string, cell: (r: ComparedRun) => string): string[] => [label, ...c.runs.map(cell)];
  const runs = [
    row('model', (r) => r.model + (r.parameterSize === null ? '' : ` (${r.parameterSize})`)),
    row('quantization', (r) => r.quantization ?? '—'),
    row('server', (r) => r.server),
    row('token counts', (r) => r.tokenSources),
    row('machine', (r) => r.hostname ?? 'not recorded'),
    row('CPU', (r) => r.cpu ?? 'not recorded'),
    row('GPU', (r) => (r.gpus.length === 0 ? 'none found' : r.gpus.join(', '))),
    row('suite', (r) => `${r.suite} v${r.suiteVersion}`),
    row('concurrency', (r) =>
      r.concurrency.length === 0
        ? '—'
        : r.concurrency.join(', ') +
          (r.concurrency.length > 1 && r.bestConcurrency !== null ? ` (best ${r.bestConcurrency})` : ''),
    ),
    row('ok requests', (r) => `${r.okRequests}${r.status === 'completed' ? '' : ` (${r.status})`}`),
    ...c.settingsDiffer.map((d) => [
      `${d.movesResults ? 'setting' : 'also'} ${d.key}`,
      ...d.values.map((v) => v ?? '(not set)'),
    ]),
  ];
  const figures: string[][] = [];
  for (const f of c.figures) {
    figures.push([figureLabel(f, c.volume), ...f.values.map((v) => valueCell(f.unit, v))]);
    if (f.values.some((v) => v.ci95 !== null))
      figures.push(['  95% CI of the mean', ...f.values.map((v) => ciCell(f.unit, v))]);
  }
  return { runs, figures };
}

function title(c: Comparison): string {
  const ids = c.runs.map((r) => r.id);
  return `Runs ${ids.slice(0, -1).join(', ')} and ${ids[ids.length - 1] ?? ''} side by side (changes against run ${ids[0] ?? ''})`;
}

function align(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd(),
  );
}

/** The comparison as plain text, columns aligned. Pure. */
export function formatCompareTable(c: Comparison): string {
  const { runs, figures } = compareRows(c);
  const head = ['', ...c.runs.map((r) => `run ${r.id}`)];
  const lines = [
    title(c),
    '',
    ...align([head, ...runs, ['', ...c.runs.map(() => '')], ['figure', ...head.slice(1)], ...figures]),
  ];
  if (c.warnings.length > 0) lines.push('', 'Warnings:', ...c.warnings.map((w) => `  - ${w}`));
  lines.push(
    '',
    'Medians are compared; the 95% CI is of the mean. Separate intervals mean the runs differ; overlapping ones cannot tell them apart.',
  );
  return lines.join('\n') + '\n';
}

/** The comparison as Markdown tables. Pure. */
export function formatCompareMarkdown(c: Comparison): string {
  const { runs, figures } = compareRows(c);
  const head = ['', ...c.runs.map((r) => `run ${r.id}`)];
  const esc = (rows: string[][]): string[][] => rows.map((r) => r.map((cell) => escapeMarkdown(cell.trim())));
  const lines = [`# ${escapeMarkdown(title(c))}`, ''];
  if (c.warnings.length > 0) lines.push(...c.warnings.map((w) => `> **Warning**: ${escapeMarkdown(w)}`), '');
  lines.push('## Runs', '', ...markdownTable(head, esc(runs)), '');
  lines.push(
    '## Figures',
    '',
    ...markdownTable(
      ['figure', ...head.slice(1)],
      esc(figures),
      head.map((_, i) => i > 0),
    ),
    '',
  );
  lines.push(
    'Medians are compared; the 95% CI is of the mean. Separate intervals mean the runs differ; overlapping ones cannot tell them apart.',
  );
  return lines.join('\n') + '\n';
}
