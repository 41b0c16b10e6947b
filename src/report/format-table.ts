import { formatLoopLagLines } from './format-loop-lag.js';
import { formatRemoteLines, REMOTE_NOT_MEASURED } from './format-remote.js';
import { formatCostSection } from './format-cost.js';
import { aboutZeroIfNegative, formatEnergySection } from './format-energy.js';
import { formatNumber } from './format-number.js';
import { formatOpenLoopLines } from './format-open-loop.js';
import { formatContextDepth } from './format-context-depth.js';
import type { Distribution } from '../analysis/stats.js';
import type { RunRooflineResult } from '../analysis/roofline-for-run.js';
import type { SweepSummary } from '../analysis/levels.js';
import type { Quality, RunSummary } from '../analysis/summary.js';
import { formatRooflineAtDepth, formatRooflineBytes, formatRooflineShare } from './roofline-text.js';
import { ESTIMATED_DECODE_LABEL, formatTokensLine, hasEstimatedCounts } from '../analysis/token-counts.js';
import { describeRecord } from './describe-record.js';
import {
  collectNotes,
  describeEngine,
  describeMachine,
  describeModel,
  describeWarmup,
} from './describe-run.js';

function durationS(startedAt: string, finishedAt: string | null): string {
  if (finishedAt === null) return '';
  return ` (${((Date.parse(finishedAt) - Date.parse(startedAt)) / 1000).toFixed(1)} s)`;
}

function distributionRow(label: string, d: Distribution | null, decimals: number): string {
  const cells =
    d === null
      ? ['—', '—', '—', '—', '0']
      : [d.median, d.p95, d.min, d.max].map((v) => formatNumber(v, decimals)).concat(String(d.count));
  return label.padEnd(30) + cells.map((c, i) => (i === 4 ? c.padStart(6) : c.padStart(10))).join('');
}

/** An output tok/s figure; `~` before it when its tokens were counted one per streamed chunk. */
function outputRate(tokensPerS: number, estimated: boolean): string {
  return `${estimated ? '~' : ''}${formatNumber(tokensPerS, 1)}`;
}

function formatSweep(sweep: SweepSummary): string[] {
  const closed = sweep.levels.filter((l) => l.openLoop === undefined);
  const open = formatOpenLoopLines(sweep);
  if (open.length === 0) return formatClosedSweep(sweep);
  return [...(closed.length === 0 ? [] : formatClosedSweep({ ...sweep, levels: closed })), ...open];
}

function formatClosedSweep(w: SweepSummary): string[] {
  const only = w.levels.length === 1 ? w.levels[0] : undefined;
  if (only !== undefined) {
    const mark = only.outputTokensEstimated ? ' ESTIMATE (one token per streamed chunk)' : '';
    const rate = `${outputRate(only.outputTokensPerS, only.outputTokensEstimated)} output tok/s${mark}`;
    return [
      `Throughput: ${formatNumber(only.tasksPerS, 2)} tasks/s, ${rate} (${only.concurrency === 1 ? 'one request at a time' : `${only.concurrency} in flight`})`,
    ];
  }
  const lines = [
    '',
    `Concurrency sweep (best: ${w.best} in flight; capacity and cost use it${w.saturatedAt === null ? '' : `; saturated at ${w.saturatedAt}`})`,
  ];
  lines.push(
    ['level', 'ok', 'tasks/s', 'out tok/s', 'gain', 'p50 ms', 'p95 ms', 'TTFT p50', 'J/task', 'marg. J/task']
      .map((h, i) => (i === 0 ? h.padEnd(6) : h.padStart(i === 9 ? 14 : 11)))
      .join(''),
  );
  for (const l of w.levels) {
    const gain = l.gain === null ? '—' : `${l.gain >= 0 ? '+' : ''}${formatNumber(l.gain * 100, 0)}%`;
    const cells = [
      String(l.ok),
      formatNumber(l.tasksPerS, 2),
      outputRate(l.outputTokensPerS, l.outputTokensEstimated),
      gain,
      formatNumber(l.latencyMs?.median),
      formatNumber(l.latencyMs?.p95),
      formatNumber(l.ttftMs?.median),
      formatNumber(l.energyPerTaskJ),
      aboutZeroIfNegative(l.marginalEnergyPerTaskJ, '~0'),
    ];
    lines.push(
      levelName(l).padEnd(6) +
        cells.map((c, i) => c.padStart(i === 8 ? 14 : 11)).join('') +
        (l.saturated ? '  saturated' : ''),
    );
  }
  if (w.levels.some((l) => l.outputTokensEstimated)) {
    lines.push(
      '~ out tok/s: ESTIMATE, output tokens counted one per streamed chunk (the server sent no usage)',
    );
  }
  return lines;
}

function formatRoofline(r: RunRooflineResult): string[] {
  if (r.roofline === null) return [`Roofline: not computed (${r.why})`];
  const x = r.roofline;
  const lines = [
    `Roofline: ${formatRooflineShare(x)}`,
    `  ${formatRooflineBytes(x)}`,
    ...formatRooflineAtDepth(x).map((l) => `  ${l}`),
  ];
  return x.impossible ? [...lines, `  IMPOSSIBLE: ${x.warning ?? ''}`] : lines;
}

function formatQuality(q: Quality): string[] {
  const lines = [''];
  if (q.scored > 0) {
    lines.push(
      `Quality: ${q.correct}/${q.scored} correct (${formatNumber(q.accuracy * 100)}%), mean score ${formatNumber(q.meanScore, 3)} (failed requests count as wrong)`,
    );
    for (const w of q.wrong.slice(0, 10))
      lines.push(`  wrong #${w.seq} ${w.taskId} (repeat ${w.repeatIndex + 1}): ${w.detail}`);
    if (q.wrong.length > 10)
      lines.push(`  … and ${q.wrong.length - 10} more (costbench report --format json)`);
  }
  if (q.agreement !== null)
    lines.push(
      `Agreement with the API's answers: ${formatNumber(q.agreement.mean, 3)} mean over ${q.agreement.count} replayed requests`,
    );
  return lines;
}

/** The plain-text report of one run. Pure. */
export function formatRunTable(s: RunSummary): string {
  const r = s.requests;
  // The embedded engine's own clock is its "server" side.
  const side = s.run.backend === 'llama-cpp' ? 'engine' : 'server';
  const lines = [
    `Run ${s.run.id} · ${s.run.status} · started ${s.run.startedAt}${durationS(s.run.startedAt, s.run.finishedAt)}`,
    `Model    ${describeModel(s)}`,
    `Machine  ${describeMachine(s)}`,
    ...(describeEngine(s) === null ? [] : [`Engine   ${describeEngine(s) ?? ''}`]),
    `Suite    ${s.run.suiteId} v${s.run.suiteVersion} × ${s.run.repeatCount} = ${r.planned} requests: ${r.ok} ok, ${r.errored} errored, ${r.aborted} aborted, ${r.notRun} not run`,
    '',
  ];
  const warmup = describeWarmup(s);
  if (warmup !== null) lines.push(warmup, '');
  lines.push(
    'Over ok requests'.padEnd(30) +
      ['median', 'p95', 'min', 'max'].map((h) => h.padStart(10)).join('') +
      'n'.padStart(6),
    distributionRow('TTFT, ms (client)', s.ttftMs, 1),
    distributionRow('End-to-end latency, ms (client)', s.latencyMs, 1),
    distributionRow(`Prompt tok/s (${side})`, s.promptTokensPerS, 1),
    distributionRow(`Generation tok/s (${side})`, s.generationTokensPerS, 1),
    distributionRow(
      hasEstimatedCounts(s.tokens) ? ESTIMATED_DECODE_LABEL : 'Decode tok/s (client-timed)',
      s.clientDecodeTokensPerS,
      1,
    ),
    '',
    ...(s.generationTokensPerSOverall === null
      ? []
      : [
          `Generation overall: ${formatNumber(s.generationTokensPerSOverall, 2)} tok/s (all decoded tokens / all decode time, ${side} counts)`,
        ]),
    formatTokensLine(s.tokens),
    ...formatLoopLagLines(s.loopLag),
  );
  if (s.sweep !== null) lines.push(...formatSweep(s.sweep));
  if (s.sweep?.contextDepth !== undefined) lines.push(...formatContextDepth(s.sweep.contextDepth));
  if (s.roofline !== null) lines.push(...formatRoofline(s.roofline));
  if (s.quality !== null) lines.push(...formatQuality(s.quality));
  if (s.energy !== null) lines.push(...formatEnergySection(s.energy));
  if (s.cost !== null) lines.push(...formatCostSection(s.cost));
  if (s.remote !== undefined)
    lines.push(
      '',
      'Billed by the API',
      ...formatRemoteLines(s.remote).map((l) => `  ${l}`),
      REMOTE_NOT_MEASURED,
    );
  lines.push('', ...describeRecord(s.recordView, s.run.id, s.run.remote != null));
  const notes = collectNotes(s);
  if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((n) => `  - ${n}`));
  if (s.failures.length > 0) {
    lines.push('', `Failures (${s.failures.length}):`);
    for (const f of s.failures.slice(0, 20))
      lines.push(`  #${f.seq} ${f.taskId} (repeat ${f.repeatIndex + 1}): ${f.state}: ${f.error}`);
    if (s.failures.length > 20)
      lines.push(`  … and ${s.failures.length - 20} more (costbench report --format json)`);
  }
  return lines.join('\n') + '\n';
}

/** A sweep row's level: its concurrency, "@depth" where the run has context depths. */
function levelName(l: { concurrency: number; contextDepthTokens?: number }): string {
  return l.contextDepthTokens === undefined
    ? String(l.concurrency)
    : `${l.concurrency}@${l.contextDepthTokens}`;
}
