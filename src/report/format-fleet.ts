import type { Fleet, FleetEntry } from '../analysis/fleet.js';
import { formatBreakEven, formatCount, formatMoney } from './cost-words.js';
import { formatNumber } from './format-number.js';

/** The fleet as a text table and as Markdown. Formatting only: every figure comes from computeFleet. */

/**
 * "gpu-1 (NVIDIA L4 22 GiB)" or "laptop (AMD Ryzen 7)": the host and what tells it apart, then its
 * short identity where recorded: "gpu-1 (NVIDIA L4 22 GiB) [3f2a9c01 GPU-5f3b2c1a]".
 */
export function describeMachine(e: FleetEntry): string {
  const what = e.machine.gpus.length > 0 ? e.machine.gpus.join(', ') : e.machine.cpu;
  const host = what === null ? e.machine.hostname : `${e.machine.hostname} (${what})`;
  return e.machine.shortId === undefined ? host : `${host} [${e.machine.shortId}]`;
}

const est = (e: FleetEntry, text: string): string => (e.energyIsEstimate && text !== '—' ? `${text}*` : text);

interface Column {
  head: string;
  cell: (e: FleetEntry) => string;
}

function columns(f: Fleet): Column[] {
  const money = f.currency === null ? '' : ` ${f.currency}`;
  return [
    { head: 'machine', cell: describeMachine },
    { head: 'model', cell: (e) => e.model },
    { head: 'run', cell: (e) => String(e.runId) },
    { head: 'decode tok/s', cell: (e) => formatNumber(e.decodeTokensPerS) },
    { head: 'prefill tok/s', cell: (e) => formatNumber(e.prefillTokensPerS) },
    { head: 'tasks/s', cell: (e) => formatNumber(e.tasksPerS, 2) },
    { head: 'J/task', cell: (e) => est(e, formatNumber(e.totalJPerTask)) },
    { head: 'marginal J/task', cell: (e) => est(e, formatNumber(e.marginalJPerTask)) },
    { head: `full${money}/task`, cell: (e) => est(e, formatMoney(e.fullPerTask)) },
    { head: `marginal${money}/task`, cell: (e) => est(e, formatMoney(e.marginalPerTask)) },
    { head: 'accuracy', cell: (e) => (e.accuracy === null ? '—' : `${formatNumber(e.accuracy * 100, 0)}%`) },
    { head: `full${money}/correct`, cell: (e) => est(e, formatMoney(e.fullPerCorrectTask)) },
    {
      head: 'capacity/month',
      cell: (e) => (e.capacityPerMonth === null ? '—' : formatCount(e.capacityPerMonth)),
    },
  ];
}

function headline(f: Fleet): string {
  const volume = f.volume === null ? 'mixed volumes' : `${formatCount(f.volume)} tasks/month`;
  return `Fleet · suite ${f.suite} · ${f.entries.length} machine × model pairs · cost at ${volume}`;
}

function cheapestLine(f: Fleet): string {
  if (f.cheapest === null)
    return 'Cheapest: none can be named (no full cost: set the cost inputs, see `costbench cost`).';
  const e = f.entries[f.cheapest.index] as FleetEntry;
  const money = `${formatMoney(f.cheapest.value)}${f.currency === null ? '' : ` ${f.currency}`}`;
  const estimate = e.energyIsEstimate ? ' (on an ESTIMATE of its energy)' : '';
  return `Cheapest at this volume: ${describeMachine(e)} × ${e.model}, ${money} ${f.cheapest.basis} (full view)${estimate}.`;
}

/** Each pair against each API; one line for a pair whose break-evens all read the same (e.g. no full view). */
function breakEvenLines(f: Fleet): string[] {
  return f.entries.flatMap((e) => {
    const pair = `${describeMachine(e)} × ${e.model}`;
    const words = e.breakEven.map((b) => formatBreakEven(b.breakEven));
    if (words.length > 1 && words.every((w) => w === words[0]))
      return [`${pair} vs every compared API: ${words[0]}`];
    return e.breakEven.map((b, i) => `${pair} vs ${b.api}: ${words[i] ?? ''}`);
  });
}

function notes(f: Fleet): string[] {
  return [
    ...(f.entries.some((e) => e.energyIsEstimate)
      ? ['* includes an ESTIMATE (CPU TDP x load), not a measurement']
      : []),
    ...f.warnings.map((w) => `warning: ${w}`),
  ];
}

export function formatFleetTable(f: Fleet): string {
  const cols = columns(f);
  const rows = [cols.map((c) => c.head), ...f.entries.map((e) => cols.map((c) => c.cell(e)))];
  const widths = cols.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  const line = (r: string[]): string =>
    r
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const out = [headline(f), '', ...rows.map(line), '', cheapestLine(f)];
  const be = breakEvenLines(f);
  if (be.length > 0)
    out.push('', 'Break-even against the compared APIs (full view):', ...be.map((l) => `  ${l}`));
  const n = notes(f);
  if (n.length > 0) out.push('', ...n);
  return out.join('\n') + '\n';
}

const mdCell = (text: string): string => text.replace(/\|/g, '\\|');

export function formatFleetMarkdown(f: Fleet): string {
  const cols = columns(f);
  const out = [
    `## ${headline(f)}`,
    '',
    `| ${cols.map((c) => mdCell(c.head)).join(' | ')} |`,
    `|${cols.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`,
    ...f.entries.map((e) => `| ${cols.map((c) => mdCell(c.cell(e))).join(' | ')} |`),
    '',
    cheapestLine(f),
  ];
  const be = breakEvenLines(f);
  if (be.length > 0)
    out.push('', '**Break-even against the compared APIs (full view):**', '', ...be.map((l) => `- ${l}`));
  const n = notes(f);
  if (n.length > 0) out.push('', ...n.map((l) => `- ${l}`));
  return out.join('\n') + '\n';
}
