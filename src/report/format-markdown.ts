import { formatLoopLagLines } from './format-loop-lag.js';
import { formatRemoteLines, REMOTE_NOT_MEASURED } from './format-remote.js';
import { describeRecord } from './describe-record.js';
import { levelLabel } from '../types/level.js';
import { apiTokenSourceWords } from './source-words.js';
import type { CostEnd } from '../cost/cost-range.js';
import type { CostSummary } from '../cost/cost-summary.js';
import {
  describeCostRange,
  localMoney,
  perCorrect,
  rowFull,
  rowMarginal,
  volumeLegend,
  volumeMark,
} from './cost-range-words.js';
import { atPoint, bucketValue } from './format-cost.js';
import type { RunRooflineResult } from '../analysis/roofline-for-run.js';
import type { EnergySummary } from '../analysis/energy-summary.js';
import {
  describeTokenCounting,
  formatBreakEven,
  formatCount,
  formatFullViewGap,
  formatLevelUsed,
  formatLoadComparison,
  formatMoney,
  formatVerdict,
} from './cost-words.js';
import {
  aboutZeroIfNegative,
  channelMarginalCell,
  describeEnergyTotals,
  energyTitle,
  type EnergyStyle,
} from './format-energy.js';
import { formatNumber } from './format-number.js';
import {
  describeRateCapacity,
  openLoopCells,
  openLoopLevels,
  OPEN_LOOP_HEADERS,
} from './format-open-loop.js';
import type { SweepSummary } from '../analysis/levels.js';
import type { ContextDepthSummary } from '../analysis/context-depth.js';
import { DEPTH_HEADERS, DEPTH_NOTE, depthRows } from './format-context-depth.js';
import type { Distribution } from '../analysis/stats.js';
import type { Quality, RunSummary } from '../analysis/summary.js';
import { formatRooflineAtDepth, formatRooflineBytes, formatRooflineShare } from './roofline-text.js';
import { ESTIMATED_DECODE_LABEL, formatTokensLine, hasEstimatedCounts } from '../analysis/token-counts.js';
import {
  collectNotes,
  describeEngine,
  describeMachine,
  describeModel,
  describeWarmup,
} from './describe-run.js';

/** As in the text report: the first this many wrong answers and failures are listed, the rest counted. */
const LIST_LIMIT = 20;

/** Text safe inside Markdown (and a table cell): Markdown's punctuation escaped, line breaks as spaces. Pure. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n|\r/g, ' ');
}

/** A GitHub-flavoured Markdown table; cells are taken as already escaped. Right-aligns the columns flagged. Pure. */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly boolean[] = [],
): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [
    line(header),
    line(header.map((_, i) => (rightAligned[i] === true ? '---:' : '---'))),
    ...rows.map(line),
  ];
}

/** An estimate is never shown like a measurement: `~` before it (escaped: GFM strikes through between tildes) and the word ESTIMATE after. */
function est(text: string, estimate: boolean): string {
  return estimate && text !== '—' ? `\\~${text} ESTIMATE` : text;
}

function header(s: RunSummary): string[] {
  const r = s.requests;
  const seconds =
    s.run.finishedAt === null
      ? ''
      : ` (${((Date.parse(s.run.finishedAt) - Date.parse(s.run.startedAt)) / 1000).toFixed(1)} s)`;
  const lines = [
    `# Run ${s.run.id} · ${s.run.status}`,
    '',
    `- **Started**: ${s.run.startedAt}${seconds}`,
    `- **Model**: ${escapeMarkdown(describeModel(s))}`,
    `- **Machine**: ${escapeMarkdown(describeMachine(s))}`,
    ...(describeEngine(s) === null ? [] : [`- **Engine**: ${escapeMarkdown(describeEngine(s) ?? '')}`]),
    `- **Suite**: ${escapeMarkdown(`${s.run.suiteId} v${s.run.suiteVersion}`)} × ${s.run.repeatCount} = ${r.planned} requests: ${r.ok} ok, ${r.errored} errored, ${r.aborted} aborted, ${r.notRun} not run`,
    '',
  ];
  const warmup = describeWarmup(s);
  if (warmup !== null) lines.push(`${escapeMarkdown(warmup)}.`, '');
  return lines;
}

function distributionRow(label: string, d: Distribution | null): string[] {
  if (d === null) return [label, '—', '—', '—', '—', '—', '0'];
  const ci = d.ci95 === null ? '' : ` [${formatNumber(d.ci95.low)}, ${formatNumber(d.ci95.high)}]`;
  return [
    label,
    ...[d.median, d.p95, d.min, d.max].map((v) => formatNumber(v)),
    `${formatNumber(d.mean)}${ci}`,
    String(d.count),
  ];
}

function timings(s: RunSummary): string[] {
  const lines = ['## Latency and throughput', ''];
  lines.push(
    ...markdownTable(
      ['over ok requests', 'median', 'p95', 'min', 'max', 'mean [95% CI]', 'n'],
      [
        distributionRow('TTFT, ms (client)', s.ttftMs),
        distributionRow('End-to-end latency, ms (client)', s.latencyMs),
        distributionRow('Prompt tok/s (server)', s.promptTokensPerS),
        distributionRow('Generation tok/s (server)', s.generationTokensPerS),
        distributionRow(
          hasEstimatedCounts(s.tokens) ? ESTIMATED_DECODE_LABEL : 'Decode tok/s (client-timed)',
          s.clientDecodeTokensPerS,
        ),
      ],
      [false, true, true, true, true, true, true],
    ),
    '',
    ...(s.generationTokensPerSOverall === null
      ? []
      : [
          `- Generation overall: ${formatNumber(s.generationTokensPerSOverall, 2)} tok/s (all output tokens / all eval time, server counts)`,
        ]),
    `- ${formatTokensLine(s.tokens)}`,
    ...formatLoopLagLines(s.loopLag).map((l) => `- ${escapeMarkdown(l)}`),
  );
  if (s.sweep !== null) lines.push(...sweep(s.sweep, s.energy?.total.includesEstimate ?? false));
  if (s.sweep?.contextDepth !== undefined) lines.push(...contextDepth(s.sweep.contextDepth));
  if (s.roofline !== null) lines.push(...roofline(s.roofline));
  return lines;
}

function sweep(all: SweepSummary, estimate: boolean): string[] {
  const closed = all.levels.filter((l) => l.openLoop === undefined);
  const open = openLoopLevels(all);
  if (open.length === 0) return closedSweep(all, estimate);
  const capacity = describeRateCapacity(all);
  return [
    ...(closed.length === 0 ? [] : closedSweep({ ...all, levels: closed }, estimate)),
    '',
    '### Open loop',
    '',
    ...(capacity === null ? [] : [capacity, '']),
    ...markdownTable(
      [...OPEN_LOOP_HEADERS],
      open.map(openLoopCells),
      OPEN_LOOP_HEADERS.map((_, i) => i < OPEN_LOOP_HEADERS.length - 1),
    ),
  ];
}

function closedSweep(w: SweepSummary, estimate: boolean): string[] {
  const only = w.levels.length === 1 ? w.levels[0] : undefined;
  if (only !== undefined) {
    const mark = only.outputTokensEstimated ? ' (one token per streamed chunk)' : '';
    const rate = `${est(formatNumber(only.outputTokensPerS, 1), only.outputTokensEstimated)} output tok/s${mark}`;
    return [
      `- Throughput: ${formatNumber(only.tasksPerS, 2)} tasks/s, ${rate} (${only.concurrency === 1 ? 'one request at a time' : `${only.concurrency} in flight`})`,
    ];
  }
  const rows = w.levels.map((l) => [
    l.contextDepthTokens === undefined ? String(l.concurrency) : `${l.concurrency}@${l.contextDepthTokens}`,
    String(l.ok),
    formatNumber(l.tasksPerS, 2),
    est(formatNumber(l.outputTokensPerS, 1), l.outputTokensEstimated),
    l.gain === null ? '—' : `${l.gain >= 0 ? '+' : ''}${formatNumber(l.gain * 100, 0)}%`,
    formatNumber(l.latencyMs?.median),
    formatNumber(l.latencyMs?.p95),
    formatNumber(l.ttftMs?.median),
    est(formatNumber(l.energyPerTaskJ), estimate),
    est(aboutZeroIfNegative(l.marginalEnergyPerTaskJ, '\\~0'), estimate),
    l.saturated ? 'saturated' : '',
  ]);
  return [
    '',
    `### Concurrency sweep`,
    '',
    `Best: ${w.best} in flight (capacity and cost use it)${w.saturatedAt === null ? '' : `; saturated at ${w.saturatedAt}`}.`,
    '',
    ...markdownTable(
      [
        'level',
        'ok',
        'tasks/s',
        'out tok/s',
        'gain',
        'p50 ms',
        'p95 ms',
        'TTFT p50 ms',
        'J/task',
        'marginal J/task',
        '',
      ],
      rows,
      [true, true, true, true, true, true, true, true, true, true, false],
    ),
  ];
}

function contextDepth(d: ContextDepthSummary): string[] {
  return [
    '',
    '### Rates at context depth',
    '',
    ...markdownTable(
      [...DEPTH_HEADERS],
      depthRows(d),
      DEPTH_HEADERS.map(() => true),
    ),
    '',
    escapeMarkdown(DEPTH_NOTE),
  ];
}

function roofline(r: RunRooflineResult): string[] {
  if (r.roofline === null) return ['', `Roofline: not computed (${escapeMarkdown(r.why)}).`];
  const x = r.roofline;
  const line = `Roofline: ${escapeMarkdown(formatRooflineShare(x))}; ${escapeMarkdown(formatRooflineBytes(x))}.`;
  const depths = formatRooflineAtDepth(x).map((l) => `- ${escapeMarkdown(l)}`);
  const lines = ['', line, ...(depths.length === 0 ? [] : ['', ...depths])];
  return x.impossible ? [...lines, '', `**IMPOSSIBLE**: ${escapeMarkdown(x.warning ?? '')}`] : lines;
}

function quality(q: Quality): string[] {
  const lines = ['', '## Quality', ''];
  if (q.scored > 0) {
    lines.push(
      `${q.correct}/${q.scored} correct (${formatNumber(q.accuracy * 100)}%), mean score ${formatNumber(q.meanScore, 3)} (failed requests count as wrong).`,
    );
    if (q.wrong.length > 0) lines.push('');
    for (const w of q.wrong.slice(0, LIST_LIMIT))
      lines.push(
        `- wrong #${w.seq} ${escapeMarkdown(w.taskId)} (repeat ${w.repeatIndex + 1}): ${escapeMarkdown(w.detail)}`,
      );
    if (q.wrong.length > LIST_LIMIT)
      lines.push(`- … and ${q.wrong.length - LIST_LIMIT} more (costbench report --format json)`);
  }
  if (q.agreement !== null)
    lines.push(
      '',
      `Agreement with the API's answers: ${formatNumber(q.agreement.mean, 3)} mean over ${q.agreement.count} replayed requests.`,
    );
  return lines;
}

/** How the Markdown report marks energy figures: estimates as in `est`, a tilde escaped, run text escaped. */
const MARKDOWN_ENERGY: EnergyStyle = { figure: est, approxZero: '\\~0', escape: escapeMarkdown };

function energy(e: EnergySummary): string[] {
  const lines = ['', `## ${energyTitle(e)}`, ''];
  const powered = e.channels.filter((c) => c.covers !== 'none');
  const rows = powered.map((c) => {
    const x = c.kind === 'estimate';
    const w = (v: number | null): string => est(formatNumber(v), x);
    return [
      escapeMarkdown(c.device === c.key ? c.key : `${c.key} ${c.device}`),
      x ? '**ESTIMATE**' : c.kind,
      c.covers,
      w(c.idleBeforeW ?? c.idleAfterW),
      w(c.meanW),
      w(c.peakW),
      w(c.energyJ),
      channelMarginalCell(MARKDOWN_ENERGY, c),
      c.inTotal ? 'yes' : 'no',
    ];
  });
  if (rows.length > 0)
    lines.push(
      ...markdownTable(
        ['channel', 'kind', 'covers', 'idle W', 'mean W', 'peak W', 'energy J', 'marginal J', 'in total'],
        rows,
        [false, false, false, true, true, true, true, true, false],
      ),
      '',
    );
  const totals = describeEnergyTotals(e, MARKDOWN_ENERGY);
  lines.push(...(e.total.channelKeys.length > 0 ? totals.map((l) => `- ${l}`) : totals));
  const read = e.channels.filter((c) => c.covers !== 'none');
  if (read.length > 0)
    lines.push(
      '',
      'How each was read:',
      '',
      ...read.map((c) => `- ${escapeMarkdown(`${c.key}: ${c.readout}`)}`),
    );
  const missing = e.sources.filter((s) => !s.available);
  if (missing.length > 0)
    lines.push(
      '',
      'Not measured:',
      '',
      ...missing.map(
        (s) =>
          `- ${escapeMarkdown(`${s.source}: ${s.reason ?? 'unavailable'}${s.hint === null ? '' : ` (to enable: ${s.hint})`}`)}`,
      ),
    );
  return lines;
}

/** Energy per task with its range where the estimate has one: "\\~300.0–450.0 ESTIMATE". */
function costJ(
  c: CostSummary,
  point: number | null,
  pick: (e: CostEnd) => number | null,
  estimate: boolean,
): string {
  const low = c.range === null ? null : pick(c.range.low);
  const high = c.range === null ? null : pick(c.range.high);
  if (low === null || high === null) return est(formatNumber(point), estimate);
  return est(`${formatNumber(Math.min(low, high))}–${formatNumber(Math.max(low, high))}`, true);
}

function costLocal(c: CostSummary, m: (v: number | null) => string, estimate: boolean): string[] {
  const j = (v: number | null, pick: (e: CostEnd) => number | null): string => costJ(c, v, pick, estimate);
  const cur = escapeMarkdown(c.currency);
  const l = c.local;
  const gap = formatFullViewGap(c);
  const r = (pick: (e: CostEnd) => number | null, text: string): string =>
    localMoney(c, pick, text, (t) => est(t, true));
  const marginal = (v: number | null, pick: (e: CostEnd) => number | null): string =>
    r(pick, l.marginalBelowZero && v !== null ? '~0' : m(v));
  const full = (v: number | null, pick: (e: CostEnd) => number | null): string => r(pick, m(v));
  const range = describeCostRange(c);
  const lines = [
    `- ${escapeMarkdown(formatLevelUsed(c))}`,
    `- Per task (measured at ${c.level === null ? 'concurrency —' : levelLabel(c.level)}): ${formatNumber(c.perTask.promptTokens, 0)} prompt + ${formatNumber(c.perTask.outputTokens, 0)} output tokens (${describeTokenCounting(c)}), ${formatNumber(c.perTask.seconds, 2)} s of machine time, ${j(c.perTask.totalJ, (e) => e.perTask.totalJ)} J (${j(c.perTask.marginalJ, (e) => e.perTask.marginalJ)} J above idle)`,
    `- Local at ${formatCount(c.volume)} tasks/month (${c.local.machines ?? '?'} machine(s) for a ${escapeMarkdown(c.load.described)} load):`,
    ...(range === null ? [] : [`  - **${escapeMarkdown(range)}**`]),
    `  - marginal view (electricity above idle): ${marginal(l.marginal, (e) => e.local.marginal)} ${cur}/month, ${marginal(l.marginalPerTask, (e) => e.local.marginalPerTask)} per task${l.marginalBelowZero ? ' (measured below zero: see the cost notes)' : ''}`,
    gap === null
      ? `  - full view: ${full(l.full, (e) => e.local.full)} ${cur}/month, ${full(l.fullPerTask, (e) => e.local.fullPerTask)} per task, of which:`
      : `  - **${escapeMarkdown(gap)}**`,
    ...l.explained.map(
      (e) =>
        `    - ${e.bucket} ${escapeMarkdown(bucketValue(c, e.bucket, e.value))} = ${escapeMarkdown(atPoint(c, e.bucket) + e.formula)}`,
    ),
  ];
  if (l.accuracy !== null) {
    const a = l.accuracy;
    lines.push(
      `  - per correct task (accuracy ${formatNumber(a * 100)}%): full ${full(
        l.fullPerCorrectTask,
        perCorrect(a, (e) => e.local.fullPerTask),
      )}, marginal ${marginal(
        l.marginalPerCorrectTask,
        perCorrect(a, (e) => e.local.marginalPerTask),
      )}`,
    );
  }
  return lines;
}

function costApis(c: CostSummary, m: (v: number | null) => string): string[] {
  const apiRows = c.apis.map((a) => [
    escapeMarkdown(a.model),
    formatMoney(a.task.perTask),
    formatMoney(a.monthly),
    formatVerdict(a),
    escapeMarkdown(formatBreakEven(a.breakEvenFull)),
  ]);
  const lines = [
    '',
    `API side counted with: ${apiTokenSourceWords(c.apiTokens)}; cached-input share ${escapeMarkdown(c.cachedShare.described)}.`,
    '',
  ];
  lines.push(
    ...markdownTable(
      ['API', 'per task', 'per month', `at ${formatCount(c.volume)}/month`, 'full-view break-even'],
      apiRows,
      [false, true, true, false, false],
    ),
  );
  const comparison = formatLoadComparison(c);
  if (comparison.length > 0) lines.push('', ...comparison.map((x) => `- ${escapeMarkdown(x.trim())}`));
  const r = (pick: (e: CostEnd) => number | null, text: string): string =>
    localMoney(c, pick, text, (t) => est(t, true));
  const volumeRows = c.table.map((row, i) => [
    formatCount(row.volume),
    row.machines === null ? '?' : String(row.machines),
    `${r(rowFull(i), m(row.localFull))} (${r(rowMarginal(i), c.local.marginalBelowZero ? '~0' : m(row.localMarginal))})`,
    ...row.apis.map(
      (a) => `${formatMoney(a.monthly)}${volumeMark(a) === '' ? '' : ` ${escapeMarkdown(volumeMark(a))}`}`,
    ),
  ]);
  lines.push(
    '',
    `Monthly cost by volume, full view (local marginal in brackets); ${escapeMarkdown(volumeLegend(c))}:`,
    '',
  );
  lines.push(
    ...markdownTable(
      ['tasks/month', 'machines', 'local', ...c.apis.map((a) => escapeMarkdown(a.model))],
      volumeRows,
      [true, true, true, ...c.apis.map(() => true)],
    ),
  );
  return lines;
}

function cost(c: CostSummary, estimate: boolean): string[] {
  const cur = escapeMarkdown(c.currency);
  const m = (v: number | null): string => est(formatMoney(v), estimate && c.local.electricityKnown);
  const lines = [
    '',
    `## Cost in ${cur}`,
    '',
    `Electricity ${c.kwhPrice} ${cur}/kWh${c.kwhPriceIsDefault ? ' (a **DEFAULT**, not your price)' : ''}; overhead x${c.overheadFactor}.`,
    '',
    ...costLocal(c, m, estimate),
  ];
  if (c.apis.length > 0) lines.push(...costApis(c, m));
  if (c.notes.length > 0) lines.push('', 'Cost notes:', '', ...c.notes.map((n) => `- ${escapeMarkdown(n)}`));
  return lines;
}

function notesAndFailures(s: RunSummary): string[] {
  const notes = collectNotes(s);
  const lines: string[] = [];
  if (notes.length > 0) lines.push('', '## Notes', '', ...notes.map((n) => `- ${escapeMarkdown(n)}`));
  if (s.failures.length > 0) {
    lines.push('', `## Failures (${s.failures.length})`, '');
    for (const f of s.failures.slice(0, LIST_LIMIT))
      lines.push(
        `- #${f.seq} ${escapeMarkdown(f.taskId)} (repeat ${f.repeatIndex + 1}): ${f.state}: ${escapeMarkdown(f.error)}`,
      );
    if (s.failures.length > LIST_LIMIT)
      lines.push(`- … and ${s.failures.length - LIST_LIMIT} more (costbench report --format json)`);
  }
  return lines;
}

/**
 * The report of one run as Markdown: the text report's content with headings and tables, for a
 * pull request or a wiki page. Estimates carry `~` and ESTIMATE wherever they appear. Pure.
 */
export function formatRunMarkdown(s: RunSummary): string {
  const estimate = s.energy?.total.includesEstimate ?? false;
  const lines = [...header(s), ...timings(s)];
  if (s.quality !== null) lines.push(...quality(s.quality));
  if (s.energy !== null) lines.push(...energy(s.energy));
  if (s.cost !== null) lines.push(...cost(s.cost, estimate));
  if (s.remote !== undefined)
    lines.push(
      '',
      '## Billed by the API',
      '',
      ...formatRemoteLines(s.remote).map((l) => `- ${escapeMarkdown(l)}`),
      '',
      escapeMarkdown(REMOTE_NOT_MEASURED),
    );
  lines.push(
    '',
    '## How it was measured',
    '',
    ...describeRecord(s.recordView, s.run.id, s.run.remote != null).map(
      (l) => `- ${escapeMarkdown(l.trim().replace(/^How it was measured: /, ''))}`,
    ),
  );
  lines.push(...notesAndFailures(s));
  return lines.join('\n') + '\n';
}
