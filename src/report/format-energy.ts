import {
  MIN_COVERAGE,
  type ChannelEnergy,
  type EnergyFigures,
  type EnergySummary,
} from '../analysis/energy-summary.js';
import { levelLabel } from '../types/level.js';
import { describeTdp, type Range } from '../analysis/energy-range.js';
import { formatNumber } from './format-number.js';

const COVERS_LABEL: Record<string, string> = {
  'gpu-board': 'GPU board',
  'apu-package': 'APU package',
  'cpu-package': 'CPU package',
  dram: 'DRAM',
  psys: 'platform (psys)',
  soc: 'SoC (CPU+GPU+ANE)',
  cpu: 'CPU',
  gpu: 'GPU',
  ane: 'ANE',
  wall: 'wall (whole machine)',
  none: 'utilization only',
};

/** How one report format marks figures and run text (the text report, Markdown, HTML). */
export interface EnergyStyle {
  /** A figure, marked when it is an estimate (text: "~12.3"; Markdown: "\~12.3 ESTIMATE"). */
  figure(text: string, estimate: boolean): string;
  /** "About zero" (text: "~0"; Markdown escapes the tilde). */
  approxZero: string;
  /** Text from the run (keys, devices, supply labels) made safe for the format. */
  escape(text: string): string;
}

/** The plain-text style. */
export const TEXT_STYLE: EnergyStyle = {
  figure: (text, estimate) => (estimate && text !== '—' ? `~${text}` : text),
  approxZero: '~0',
  escape: (text) => text,
};

/** An estimate is never printed like a measurement: it carries a "~". */
function watts(value: number | null, estimate: boolean, decimals = 1): string {
  return TEXT_STYLE.figure(formatNumber(value, decimals), estimate);
}

/** The readings behind a negative marginal energy. */
export interface MarginalReadings {
  idleW: number | null;
  meanW: number | null;
}

/**
 * A marginal energy: below zero (idle read above busy) it is shown as about zero with the readings
 * that made it so, never as a negative figure.
 */
export function formatMarginalEnergy(
  st: EnergyStyle,
  marginalJ: number | null,
  estimate: boolean,
  readings: MarginalReadings | null,
): string {
  if (marginalJ === null || marginalJ >= 0) return `${st.figure(formatNumber(marginalJ), estimate)} J`;
  if (readings === null) return `${st.approxZero} J`;
  const idle = st.figure(formatNumber(readings.idleW), estimate);
  const busy = st.figure(formatNumber(readings.meanW), estimate);
  const computed = formatNumber(marginalJ);
  return `${st.approxZero} J (idle ${idle} W above the busy mean ${busy} W; computed ${computed} J)`;
}

/**
 * An estimated figure with a range: "~90–200" (the style marks it), both ends known and not below
 * zero; null otherwise (the caller shows the point). Pure.
 */
export function formatRangeFigure(
  st: EnergyStyle,
  ends: Range<number | null> | null,
  decimals = 1,
): string | null {
  if (ends === null || ends.low === null || ends.high === null || ends.low < 0 || ends.high < 0) return null;
  const [low, high] = [ends.low, ends.high].sort((a, b) => a - b) as [number, number];
  return st.figure(`${formatNumber(low, decimals)}–${formatNumber(high, decimals)}`, true);
}

/** One field at both ends of a range, or null without a range. */
export function endsOf<T, K extends keyof T>(range: Range<T> | null, key: K): Range<T[K]> | null {
  return range === null ? null : { low: range.low[key], high: range.high[key] };
}

function percent(share: number): string {
  return `${formatNumber(share * 100, 0)}%`;
}

function coverageNote(coverage: number | null): string {
  if (coverage === null || coverage >= MIN_COVERAGE) return '';
  return ` (readings cover ${percent(coverage)} of the measured time)`;
}

/** "Per task" figures of the whole run or of one level, or why there are none. */
function perTaskText(st: EnergyStyle, f: EnergyFigures, idleW: number | null, estimate: boolean): string {
  if (f.perTaskJ === null && f.energyJ !== null && (f.coverage ?? 0) < MIN_COVERAGE) {
    return (
      `none: readings cover only ${percent(f.coverage ?? 0)} of the measured time ` +
      `(below ${MIN_COVERAGE * 100}%, a per-task figure would miss the rest)`
    );
  }
  const readings = f.marginalNegative ? { idleW, meanW: f.meanW } : null;
  const marginalRange = formatRangeFigure(st, endsOf(f.range, 'perTaskMarginalJ'));
  const marginal =
    marginalRange === null
      ? formatMarginalEnergy(st, f.perTaskMarginalJ, estimate, readings)
      : `${marginalRange} J`;
  const total =
    formatRangeFigure(st, endsOf(f.range, 'perTaskJ')) ?? st.figure(formatNumber(f.perTaskJ), estimate);
  return `${total} J total, ${marginal} marginal (above idle)`;
}

function machineTotalLine(st: EnergyStyle, e: EnergySummary): string {
  const t = e.total;
  const x = t.includesEstimate;
  type Key = 'idleW' | 'meanW' | 'energyJ';
  const n = (key: Key): string =>
    formatRangeFigure(st, endsOf(t.range, key)) ?? st.figure(formatNumber(t[key]), x);
  const member = (key: string): string => {
    const supply = e.channels.find((c) => c.key === key)?.supply ?? null;
    return st.escape(supply === null ? key : `${key} (supply ${supply})`);
  };
  const label = x ? `includes an ${st.escape('ESTIMATE')}` : t.kinds.join(' + ');
  const readings = t.marginalNegative ? { idleW: t.idleW, meanW: t.meanW } : null;
  const marginalRange = formatRangeFigure(st, endsOf(t.range, 'marginalEnergyJ'));
  const marginal =
    marginalRange === null ? formatMarginalEnergy(st, t.marginalEnergyJ, x, readings) : `${marginalRange} J`;
  return (
    `Machine total (${t.channelKeys.map(member).join(' + ')}; ${label}): idle ${n('idleW')} W, ` +
    `mean ${n('meanW')} W, energy ${n('energyJ')} J${coverageNote(t.coverage)}, marginal ${marginal}`
  );
}

/** The CPU estimate's TDP: point or range, from what, and how to replace it. */
function estimateLine(st: EnergyStyle, e: EnergySummary): string | null {
  const tdp = e.total.estimate;
  if (tdp === null) return null;
  const range =
    e.total.range === null
      ? ''
      : `; the channel table shows the figures at ${formatNumber(tdp.tdpW)} W, ` +
        'the totals span the range';
  return (
    `CPU power is an ${st.escape('ESTIMATE')}: ${st.escape(describeTdp(tdp))}${range}; ` +
    "set telemetry.cpuTdpW to the CPU's rated power, or measure it (see `costbench doctor`)"
  );
}

function perTokenText(st: EnergyStyle, e: EnergySummary): string {
  const t = e.total;
  const x = t.includesEstimate || t.outputTokensEstimated;
  type Key = 'whPer1kOutputTokens' | 'marginalWhPer1kOutputTokens';
  const n = (key: Key): string =>
    formatRangeFigure(st, endsOf(t.range, key), 3) ?? st.figure(formatNumber(t[key], 3), x);
  const how = t.outputTokensEstimated ? ' (ESTIMATED token counts: one token per stream chunk)' : '';
  const below = t.marginalWhPer1kOutputTokens !== null && t.marginalWhPer1kOutputTokens < 0;
  const marginal = below ? st.approxZero : n('marginalWhPer1kOutputTokens');
  return `per 1k output tokens${how}: ${n('whPer1kOutputTokens')} Wh total, ${marginal} Wh marginal`;
}

function settleLine(e: EnergySummary): string | null {
  const first = e.idleSettles[0];
  if (first === undefined) return null;
  const how = ` (flat within ${first.tolerance * 100}% over ${first.windowMs / 1000} s)`;
  const each = e.idleSettles.map((s) =>
    s.steady
      ? `${s.phase} after ${formatNumber((s.settledMs - s.startMs) / 1000)} s`
      : `${s.phase} NOT flat after ${formatNumber(s.maxMs / 1000, 0)} s, measured anyway`,
  );
  return `Idle baselines measured once power settled${how}: ${each.join('; ')}`;
}

function channelNotes(st: EnergyStyle, channels: readonly ChannelEnergy[]): string[] {
  const notes: string[] = [];
  for (const c of channels) {
    const key = st.escape(c.key);
    if (c.bridgedMs > 0) {
      const seconds = formatNumber(c.bridgedMs / 1000);
      notes.push(`${key}: ${seconds} s of reading gaps bridged by its energy counter's change`);
    }
    if (c.readingAverageMs !== null && c.covers !== 'none') {
      notes.push(
        `${key}: each reading is a ${formatNumber(c.readingAverageMs / 1000, 0)} s average ` +
          '(nvidia-smi power.draw on Ampere and newer), integrated as the power at its timestamp: ' +
          'windows of a few seconds or less are smeared',
      );
    }
  }
  return notes;
}

const NO_SOURCE = 'No power source could be read here: energy is unknown (see `costbench doctor`).';
const NO_IDLE = 'No idle baseline was measured: marginal energy is unknown (run with --idle 30).';

/**
 * The sentences under the channel table, shared by every report format: the machine total, the
 * per-task figures (labelled as all levels together when there are several, then each level),
 * where idle was measured, notes on channels, the warm-up. Pure.
 */
export function describeEnergyTotals(e: EnergySummary, st: EnergyStyle): string[] {
  const t = e.total;
  if (t.channelKeys.length === 0) return [NO_SOURCE];
  const x = t.includesEstimate;
  const several = e.levels.length > 1;
  const label = several ? `Per task, all ${e.levels.length} concurrency levels together` : 'Per task';
  const perTask = `${label}: ${perTaskText(st, t, t.idleW, x)} · ${perTokenText(st, e)}`;
  const lines = [machineTotalLine(st, e), perTask];
  const estimate = estimateLine(st, e);
  if (estimate !== null) lines.push(estimate);
  for (const l of several ? e.levels : []) {
    lines.push(`Per task at ${levelLabel(l)}: ${perTaskText(st, l, t.idleW, x)}`);
  }
  const settled = settleLine(e);
  if (settled !== null) lines.push(settled);
  lines.push(...channelNotes(st, e.channels));
  if (t.idleW === null) lines.push(NO_IDLE);
  if (e.warmup !== null) {
    const energy = st.figure(formatNumber(e.warmup.energyJ), x);
    const seconds = formatNumber(e.warmup.durationMs / 1000, 2);
    lines.push(`Warm-up (model load, not in the figures above): ${energy} J over ${seconds} s`);
  }
  return lines;
}

/** The title of the energy section: the measured time, and whether it spans several levels. */
export function energyTitle(e: EnergySummary): string {
  const levels = e.levels.length > 1 ? `, all ${e.levels.length} concurrency levels` : '';
  return `Power and energy over the measured phase (${formatNumber(e.total.measuredMs / 1000)} s${levels})`;
}

/** A marginal figure for a table cell: below zero (idle read above busy) it is about zero. */
export function aboutZeroIfNegative(marginalJ: number | null, approxZero: string): string {
  return marginalJ !== null && marginalJ < 0 ? approxZero : formatNumber(marginalJ);
}

/** A channel's marginal energy in a table cell: below zero it is about zero (the totals give the readings). */
export function channelMarginalCell(st: EnergyStyle, c: ChannelEnergy): string {
  if (c.marginalEnergyJ !== null && c.marginalEnergyJ < 0) return st.approxZero;
  return st.figure(formatNumber(c.marginalEnergyJ), c.kind === 'estimate');
}

/** The power and energy section of the text report. Pure. */
export function formatEnergySection(e: EnergySummary): string[] {
  const lines: string[] = ['', energyTitle(e)];
  const header = [
    'channel'.padEnd(26),
    'kind'.padEnd(9),
    'covers'.padEnd(16),
    'idle W'.padStart(8),
    'mean W'.padStart(8),
    'peak W'.padStart(8),
    'energy J'.padStart(10),
    'marginal J'.padStart(11),
    '  total',
  ];
  const powered = e.channels.filter((c) => c.covers !== 'none');
  if (powered.length > 0) lines.push(header.join(' '));
  for (const c of powered) {
    const est = c.kind === 'estimate';
    lines.push(
      [
        `${c.key} ${c.device === c.key ? '' : c.device}`.slice(0, 26).padEnd(26),
        (est ? 'ESTIMATE' : c.kind).padEnd(9),
        (COVERS_LABEL[c.covers] ?? c.covers).slice(0, 16).padEnd(16),
        watts(c.idleBeforeW ?? c.idleAfterW, est).padStart(8),
        watts(c.meanW, est).padStart(8),
        watts(c.peakW, est).padStart(8),
        watts(c.energyJ, est).padStart(10),
        channelMarginalCell(TEXT_STYLE, c).padStart(11),
        c.inTotal ? '  yes' : '  no',
      ].join(' '),
    );
  }
  lines.push(...describeEnergyTotals(e, TEXT_STYLE));
  if (powered.length > 0)
    lines.push('How each was read:', ...powered.map((c) => `  - ${c.key}: ${c.readout}`));
  const missing = e.sources.filter((s) => !s.available);
  if (missing.length > 0) {
    lines.push('Not measured:');
    for (const s of missing)
      lines.push(
        `  - ${s.source}: ${s.reason ?? 'unavailable'}${s.hint === null ? '' : ` (to enable: ${s.hint})`}`,
      );
  }
  return lines;
}
