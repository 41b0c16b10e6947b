import { MIN_COVERAGE } from '../../analysis/energy-summary.js';
import { levelLabel } from '../../types/level.js';
import { formatCount, formatMarginal, formatMoney } from '../cost-words.js';
import { formatLoopLagLines } from '../format-loop-lag.js';
import { describeEngine } from '../describe-run.js';
import {
  describeEnergyTotals,
  endsOf,
  energyTitle,
  formatMarginalEnergy,
  formatRangeFigure,
  TEXT_STYLE,
} from '../format-energy.js';
import { describeTdp } from '../../analysis/energy-range.js';
import { describeCostRange, localMoney } from '../cost-range-words.js';
import { formatNumber } from '../format-number.js';
import type { RunSummary } from '../../analysis/summary.js';
import { escapeHtml } from './escape.js';
import type { Figure, Provenance } from './figures.js';
import { formatTokensLine, hasEstimatedCounts } from '../../analysis/token-counts.js';
import { formatRooflineAtDepth, formatRooflineBytes, formatRooflineShare } from '../roofline-text.js';
import { DEPTH_HEADERS, DEPTH_NOTE, depthRows } from '../format-context-depth.js';
import { describeVmShort } from '../../analysis/vm-notes.js';

const PROVENANCE_LABEL: Record<Provenance, string> = {
  measured: 'MEASURED',
  sampled: 'SAMPLED',
  counter: 'COUNTER',
  estimate: 'ESTIMATE',
  computed: 'COMPUTED',
};

function badges(provenance: readonly Provenance[]): string {
  return provenance.map((p) => `<span class="badge b-${p}">${PROVENANCE_LABEL[p]}</span>`).join(' ');
}

function gib(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '—' : `${formatNumber(bytes / 2 ** 30, 1)} GiB`;
}

function row(label: string, value: string): string {
  return `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`;
}

/** The page header: run, model, machine, suite, status. Pure; every value escaped. */
export function renderHeader(s: RunSummary): string {
  const { run, model: m, machine: mc } = s;
  const model =
    m === null
      ? run.model
      : [m.name, m.family, m.parameterSize, m.quantization]
          .filter((x): x is string => x !== null)
          .join(' · ');
  const vm = mc?.virtualization?.isVm === true ? `; ${describeVmShort(mc.virtualization)}` : '';
  const machine =
    mc === null
      ? 'not recorded'
      : `${mc.hostname}: ${mc.cpuModel} (${mc.cpuCores} cores), ${gib(mc.memoryBytes)} RAM, ` +
        `${mc.platform} ${mc.osRelease} ${mc.arch}${vm}`;
  const gpus =
    mc === null || mc.gpus.length === 0
      ? 'none recorded'
      : mc.gpus.map((g) => `${g.vendor} ${g.model} (${gib(g.vramBytes)})`).join(', ');
  return [
    `<header><h1>costbench run ${run.id}: ${escapeHtml(run.model)}</h1>`,
    `<p class="status st-${escapeHtml(run.status)}">${escapeHtml(run.status)}${run.error === null ? '' : `: ${escapeHtml(run.error)}`}</p>`,
    '<table class="facts">',
    row('model', model),
    row(
      'model size',
      m === null
        ? '—'
        : `${gib(m.sizeBytes)} of weights on disk, ${gib(m.loadedSizeBytes)} loaded (with KV cache and buffers), ${gib(m.sizeVramBytes)} in GPU memory${m.digest === null ? '' : `, digest ${m.digest.slice(0, 12)}`}`,
    ),
    row('machine', machine),
    row('GPUs', gpus),
    row(
      'suite',
      `${run.suiteId} v${run.suiteVersion}, repeat ${run.repeatCount}, ${s.requests.planned} requests planned`,
    ),
    row(
      'requests',
      `${s.requests.ok} ok, ${s.requests.errored} errored, ${s.requests.aborted} aborted, ${s.requests.notRun} not run, ${s.requests.truncated} truncated`,
    ),
    row(
      'server',
      `${run.backend} at ${run.host}${m?.serverVersion == null ? '' : ` (version ${m.serverVersion})`}`,
    ),
    ...(describeEngine(s) === null ? [] : [row('engine', describeEngine(s) ?? '')]),
    row('tokens', formatTokensLine(s.tokens).replace(/^Tokens: /, '')),
    row('time', `${run.startedAt} → ${run.finishedAt ?? 'not finished'}`),
    row('costbench', run.costbenchVersion),
    '</table></header>',
  ].join('\n');
}

interface KeyFigure {
  label: string;
  value: string;
  note: string;
  provenance: Provenance[];
}

function energyFigure(s: RunSummary): KeyFigure {
  const t = s.energy?.total;
  const est = t?.includesEstimate ?? false;
  const levels = s.energy?.levels.length ?? 0;
  const provenance: Provenance[] = est ? ['estimate'] : (t?.kinds ?? []).filter((k) => k !== 'estimate');
  const label = levels > 1 ? `energy per task, all ${levels} levels together` : 'energy per task';
  if (t === undefined || t.perTaskJ === null) {
    const low = t !== undefined && t.energyJ !== null && t.coverage !== null && t.coverage < MIN_COVERAGE;
    const share = formatNumber((t?.coverage ?? 0) * 100, 0);
    const why = low ? `readings cover only ${share}% of the measured time` : 'not measured';
    return { label, value: '—', note: why, provenance };
  }
  const readings = t.marginalNegative ? { idleW: t.idleW, meanW: t.meanW } : null;
  const aboveRange = formatRangeFigure(TEXT_STYLE, endsOf(t.range, 'perTaskMarginalJ'));
  const above =
    aboveRange === null
      ? formatMarginalEnergy(TEXT_STYLE, t.perTaskMarginalJ, est, readings)
      : `${aboveRange} J`;
  const each = levels > 1 ? '; each level in the sweep figure and the energy notes' : '';
  const tilde = est ? '~' : '';
  const tdp = t.estimate === null ? '' : `; ${describeTdp(t.estimate)}`;
  return {
    label,
    value: `${formatRangeFigure(TEXT_STYLE, endsOf(t.range, 'perTaskJ')) ?? `${tilde}${formatNumber(t.perTaskJ)}`} J`,
    note: `${above} above idle; ${t.channelKeys.join(' + ')}${est ? ', includes an ESTIMATE' : ''}${tdp}${each}`,
    provenance,
  };
}

/** The energy section's sentences (machine total, per task, idle, notes), under the power figure. Pure. */
export function renderEnergyNotes(s: RunSummary): string {
  if (s.energy === null || s.energy.total.channelKeys.length === 0) return '';
  const read = s.energy.channels
    .filter((c) => c.covers !== 'none')
    .map((c) => `${c.key} was read as ${c.readout}`);
  const lines = [...describeEnergyTotals(s.energy, TEXT_STYLE), ...read];
  const items = lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('');
  return `<div class="energy-notes"><h3>${escapeHtml(energyTitle(s.energy))}</h3><ul>${items}</ul></div>`;
}

/** A run against a remote API: its bill per task, not a local cost (it has no machine of its own). */
function billedFigure(b: NonNullable<RunSummary['remote']>): KeyFigure {
  const money = (usd: number | null): string =>
    usd === null
      ? '—'
      : b.currency === null
        ? `${formatMoney(usd)} USD`
        : `${formatMoney(usd * b.currency.perUsd)} ${b.currency.name}`;
  const correct = b.perCorrectTaskUsd === null ? '' : `; ${money(b.perCorrectTaskUsd)} per correct task`;
  return {
    label: 'billed cost per task',
    value: money(b.perTaskUsd),
    note: `total spend / answered tasks (${b.okTasks})${correct}; the API's bill, no local cost`,
    provenance: ['computed'],
  };
}

function costFigure(s: RunSummary): KeyFigure {
  if (s.remote !== undefined) return billedFigure(s.remote);
  const c = s.cost;
  const est = s.energy?.total.includesEstimate ?? false;
  return {
    label: 'local cost per task',
    value: c === null ? '—' : costValue(c, est),
    note: c === null ? 'no cost computed' : costNote(c, est),
    provenance: ['computed', ...(est ? (['estimate'] as const) : [])],
  };
}

/** Marginal / full per task: "~0.0000681–0.000106 / ~0.00108–0.00113 USD" with an estimate range. */
function costValue(c: NonNullable<RunSummary['cost']>, est: boolean): string {
  const tilde = est && c.range === null ? '~' : '';
  const marginal = localMoney(
    c,
    (e) => e.local.marginalPerTask,
    `${tilde}${formatMarginal(c, c.local.marginalPerTask)}`,
  );
  const full = localMoney(c, (e) => e.local.fullPerTask, formatMoney(c.local.fullPerTask));
  return `${marginal} / ${full} ${c.currency}`;
}

/** What would complete an incomplete full view: the config keys (init), and, for energy, a source or a TDP. */
function completeWith(c: NonNullable<RunSummary['cost']>): string {
  const keys = c.fullView.missing.map((m) => m.key);
  const configured = keys.some((k) => k.startsWith('cost.')) ? ['run `costbench init`'] : [];
  const measured = c.fullView.missing
    .filter((m) => !m.key.startsWith('cost.'))
    .map((m) => `${m.key}: ${m.fix}`);
  return [...configured, ...measured].join('; ');
}

function costNote(c: NonNullable<RunSummary['cost']>, est: boolean): string {
  const full = c.fullView.complete
    ? ''
    : `; full view INCOMPLETE (${c.fullView.missing.map((m) => m.key).join(', ')} unknown: ${completeWith(c)})`;
  const level = c.level === null ? '' : `; ${levelLabel(c.level)}`;
  const range = describeCostRange(c);
  return `marginal / full at ${formatCount(c.volume)} tasks a month${level}${c.kwhPriceIsDefault ? '; DEFAULT electricity price' : ''}${est ? '; energy includes an ESTIMATE' : ''}${range === null ? '' : `; ${range}`}${full}`;
}

/** Median decode speed, and its share of the roofline; `~` and ESTIMATE when tokens were counted by chunks. */
function speedFigure(s: RunSummary): KeyFigure {
  const est = hasEstimatedCounts(s.tokens);
  const clientTimed = s.generationTokensPerS === null && s.clientDecodeTokensPerS !== null;
  const roof = s.roofline?.roofline;
  const percent = formatNumber((roof?.shareOfCeiling ?? 0) * 100, 0);
  const share = roof ? `; ${percent}% of the ${roof.device} bandwidth ceiling` : '';
  const median = s.generationTokensPerS?.median ?? s.clientDecodeTokensPerS?.median ?? null;
  const timing = clientTimed
    ? 'client-timed (the server reports no decode duration)'
    : 'server decode counts and durations';
  return {
    label: 'generation speed',
    value: `${est ? '~' : ''}${formatNumber(median)} tok/s`,
    note: `median per request; ${timing}${est ? '; ESTIMATE: output tokens counted one per streamed chunk' : ''}${share}`,
    provenance: est ? ['estimate'] : ['measured'],
  };
}

/** The key figures: median TTFT, decode speed, energy and local cost per task, accuracy. Pure. */
export function renderKeyFigures(s: RunSummary): string {
  const figures: KeyFigure[] = [
    {
      label: 'median TTFT',
      value: `${formatNumber(s.ttftMs?.median ?? null, 0)} ms`,
      note: `p95 ${formatNumber(s.ttftMs?.p95 ?? null, 0)} ms; client clock, ok requests`,
      provenance: ['measured'],
    },
    speedFigure(s),
    energyFigure(s),
    costFigure(s),
    {
      label: 'accuracy',
      value: s.quality === null ? '—' : `${formatNumber(s.quality.accuracy * 100)}%`,
      note:
        s.quality === null
          ? 'no expected answers'
          : `${s.quality.correct} of ${s.quality.scored} correct${s.cost?.local.fullPerCorrectTask == null ? '' : `; full cost per correct task ${formatMoney(s.cost.local.fullPerCorrectTask)} ${s.cost.currency}`}`,
      provenance: ['measured'],
    },
  ];
  const cards = figures.map(
    (f) =>
      `<div class="kf"><div class="kf-label">${escapeHtml(f.label)}</div><div class="kf-value">${escapeHtml(f.value)}</div><div class="kf-note">${badges(f.provenance)} ${escapeHtml(f.note)}</div></div>`,
  );
  return `<section class="key-figures">\n${cards.join('\n')}\n</section>`;
}

/** One figure: title and provenance, the chart's container (or why there is none), what it covers and how it was made. Pure. */
export function renderFigure(f: Figure<unknown>, letter: string, extraHtml = ''): string {
  const body =
    f.data === null
      ? `<p class="na">Not available: ${escapeHtml(f.unavailable ?? 'no data')}.</p>`
      : `<div class="chart" id="chart-${escapeHtml(f.id)}" role="img" aria-label="${escapeHtml(f.title)}"></div>`;
  return [
    `<figure id="fig-${escapeHtml(f.id)}">`,
    `<h2>(${letter}) ${escapeHtml(f.title)} ${badges(f.provenance)}</h2>`,
    body,
    extraHtml,
    `<figcaption><p><b>Covers:</b> ${escapeHtml(f.covers)}</p>${f.caption === '' ? '' : `<p>${escapeHtml(f.caption)}</p>`}</figcaption>`,
    '</figure>',
  ]
    .filter((x) => x !== '')
    .join('\n');
}

function list(title: string, items: readonly string[]): string {
  return items.length === 0
    ? ''
    : `<h3>${escapeHtml(title)}</h3><ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

/** The roofline's share, both terms of its bytes per token, and its warning; or why there is none. */
function roofLines(s: RunSummary): string[] {
  const roof = s.roofline;
  if (roof === null) return [];
  if (roof.roofline === null) return [`not computed: ${roof.why}`];
  const x = roof.roofline;
  return [
    formatRooflineShare(x),
    formatRooflineBytes(x),
    ...formatRooflineAtDepth(x),
    ...(x.warning === null ? [] : [x.warning]),
  ];
}

/** One line per level of the rates-at-depth table (run --context-depth). */
function depthLines(s: RunSummary): string[] {
  const d = s.sweep?.contextDepth;
  if (d === undefined) return [];
  return [
    ...depthRows(d).map((cells) => DEPTH_HEADERS.map((h, i) => `${h} ${cells[i] ?? ''}`).join(', ')),
    DEPTH_NOTE,
  ];
}

/** Warnings, flags, notes, failures and unreadable sources, each escaped. Pure. */
export function renderNotes(s: RunSummary): string {
  const missing = (s.energy?.sources ?? [])
    .filter((x) => !x.available)
    .map(
      (x) => `${x.source}: ${x.reason ?? 'unavailable'}${x.hint === null ? '' : ` (to enable: ${x.hint})`}`,
    );
  const parts = [
    '<section class="notes"><h2>Notes, flags and warnings</h2>',
    list('Virtual machine', s.vmNotes),
    list('Machine state', s.recordView?.warnings ?? []),
    list('Run warnings', s.run.warnings),
    list('Energy flags', s.energy?.flags ?? []),
    list('Sweep flags', s.sweep?.flags ?? []),
    list("The client's event-loop lag", formatLoopLagLines(s.loopLag)),
    list('Cost notes', s.cost?.notes ?? []),
    list(
      'Cost: the full view by bucket',
      (s.cost?.local.explained ?? []).map((e) => `${e.bucket} ${formatMoney(e.value)} = ${e.formula}`),
    ),
    list('Rates at context depth', depthLines(s)),
    list('Roofline', roofLines(s)),
    list('Not measured', missing),
    list(
      'Sampler errors',
      s.telemetryErrors.map(
        (e) =>
          `${e.source}${e.channelKey === null ? '' : ` ${e.channelKey}`}: ${e.count} × ${e.firstMessage}`,
      ),
    ),
    list(
      'Failed requests',
      s.failures.map((f) => `#${f.seq} task ${f.taskId} (repeat ${f.repeatIndex}) ${f.state}: ${f.error}`),
    ),
    list(
      'Wrong answers',
      (s.quality?.wrong ?? []).map(
        (w) => `#${w.seq} task ${w.taskId} (repeat ${w.repeatIndex}): ${w.detail}`,
      ),
    ),
  ].filter((x) => x !== '');
  return [...parts, parts.length === 1 ? '<p>Nothing flagged.</p>' : '', '</section>']
    .filter((x) => x !== '')
    .join('\n');
}
