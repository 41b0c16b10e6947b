import type { RequestRow } from '../store/requests.js';
import type { IdleSettle, Phase, StoredChannel, StoredSource } from '../store/telemetry.js';
import { attributeEnergy } from '../telemetry/attribution.js';
import { integratePower, powerStats, type ReadingBounds, type WindowEnergy } from '../telemetry/energy.js';
import {
  idlePowerW, toSeries, windowEnergy, windowsEnergy, type Series, type StoredSample,
} from './energy-series.js';
import { computeTokenCounts, hasEstimatedCounts } from './token-counts.js';

export { GAP_INTERVALS, IDLE_SETTLE_MAX_MS, IDLE_SETTLE_SHARE, medianSpacingMs } from './energy-series.js';

/** Idle power that moved more than this between before and after the run is flagged. */
export const IDLE_DRIFT_LIMIT = 0.05;
/** A counter and a sampled reading of one device that disagree by more than this are flagged. */
export const COUNTER_SAMPLED_LIMIT = 0.1;
/**
 * Below this share of the measured time covered by readings, a per-task figure would be low by the
 * uncovered share: none is given (the energy itself is shown with its coverage).
 */
export const MIN_COVERAGE = 0.95;

/** Energy figures of one channel over the measured phase. Units in names; null = not known. */
export interface ChannelEnergy {
  key: string;
  source: string;
  device: string;
  kind: StoredChannel['kind'];
  covers: StoredChannel['covers'];
  inTotal: boolean;
  samples: number;
  idleBeforeW: number | null;
  idleAfterW: number | null;
  /** (after - before) / before. */
  idleDrift: number | null;
  meanW: number | null;
  peakW: number | null;
  energyJ: number | null;
  /** energyJ - idle power x the time energyJ covers. */
  marginalEnergyJ: number | null;
  /** Share of the measured phase the readings covered (0..1). */
  coverage: number | null;
  method: WindowEnergy['method'] | null;
  /** |counter - trapezoid| / counter, where a channel has both. */
  counterVsSampled: number | null;
  /** Of the covered time, reading gaps a counter bridged with its change, ms. */
  bridgedMs: number;
  /** Intervals where a counter with no known range went down (a wrap of unknown size): left out. */
  counterWrapsUnknown: number;
  /** A reading is an average over this long before its time (nvidia-smi power.draw: 1000); null: instantaneous or not said. */
  readingAverageMs: number | null;
  /** The power supply a wall meter covers (telemetry.meters[].supply); null where not set or not a meter. */
  supply: string | null;
}

/** Machine-total energy over some measured windows (the whole run, or one concurrency level). */
export interface EnergyFigures {
  energyJ: number | null;
  /** Sum over counted channels of energy - idle power x the time that energy covers. */
  marginalEnergyJ: number | null;
  /** Machine mean power over the covered time (sum of the counted channels' means). */
  meanW: number | null;
  /** The smallest share of the measured time any counted channel's readings covered (0..1). */
  coverage: number | null;
  /** Per ok task; null below MIN_COVERAGE. */
  perTaskJ: number | null;
  perTaskMarginalJ: number | null;
  /**
   * The marginal energy came out below zero: idle read above the busy mean (e.g. clocks still up after
   * the warm-up). The figure is kept as computed; reports show it as ~0 with idle W and busy mean W.
   */
  marginalNegative: boolean;
}

export interface EnergySummary {
  channels: ChannelEnergy[];
  /** Sum over channels that count toward the machine (see selectChannels), all levels together. */
  total: EnergyFigures & {
    channelKeys: string[];
    kinds: StoredChannel['kind'][];
    includesEstimate: boolean;
    idleW: number | null;
    measuredMs: number;
    whPer1kOutputTokens: number | null;
    marginalWhPer1kOutputTokens: number | null;
    /** Some output counts are stream-chunk counts: the per-1k-token figures are estimates. */
    outputTokensEstimated: boolean;
  };
  /** Total-channel energy attributed to each ok request (its own window; overlaps shared by tokens). */
  perRequestJ: { concurrency: number; seq: number; energyJ: number }[];
  /** Machine-total energy of each concurrency level's measured phase. */
  levels: (EnergyFigures & { concurrency: number })[];
  /** The warm-up (a cold load when the model was not loaded): its machine-total energy, kept out of every figure above. */
  warmup: { durationMs: number; energyJ: number } | null;
  /** Where power settled before each idle baseline; empty for runs that waited a fixed time. */
  idleSettles: IdleSettle[];
  sources: StoredSource[];
  flags: string[];
}

function detailNumber(channel: StoredChannel, key: string): number | null {
  const v = channel.detail[key];
  return typeof v === 'number' ? v : null;
}

function detailString(channel: StoredChannel, key: string): string | null {
  const v = channel.detail[key];
  return typeof v === 'string' && v !== '' ? v : null;
}

function counterVsSampledOf(series: Series, measures: readonly Phase[], e: WindowEnergy): number | null {
  if (e.method !== 'counter' || series.channel.source === 'rapl' || series.power.length < 2 || e.energyJ <= 0) return null;
  const sampled = measures.reduce((acc, m) => acc + integratePower(series.power, m.startMs, m.endMs, series.maxGapMs).energyJ, 0);
  return Math.abs(e.energyJ - sampled) / e.energyJ;
}

function channelEnergy(series: Series, phases: readonly Phase[], measures: readonly Phase[], settles: readonly IdleSettle[]): ChannelEnergy {
  const { channel } = series;
  const idleBeforeW = idlePowerW(series, phases.find((p) => p.name === 'idle-before'), settles);
  const idleAfterW = idlePowerW(series, phases.find((p) => p.name === 'idle-after'), settles);
  const idleW = idleBeforeW ?? idleAfterW;
  const base = {
    key: channel.key, source: channel.source, device: channel.device, kind: channel.kind, covers: channel.covers,
    inTotal: channel.inTotal, samples: series.samples, idleBeforeW, idleAfterW,
    idleDrift: idleBeforeW !== null && idleAfterW !== null && idleBeforeW > 0 ? (idleAfterW - idleBeforeW) / idleBeforeW : null,
    counterWrapsUnknown: series.counterWrapsUnknown,
    readingAverageMs: detailNumber(channel, 'averagingMs'),
    supply: channel.covers === 'wall' ? detailString(channel, 'supply') : null,
  };
  if (measures.length === 0) {
    return { ...base, meanW: null, peakW: null, energyJ: null, marginalEnergyJ: null, coverage: null, method: null, counterVsSampled: null, bridgedMs: 0 };
  }
  const e = windowsEnergy(series, measures);
  const peaks = measures.map((m) => powerStats(series.power, m.startMs, m.endMs, series.maxGapMs).peakW).filter((w): w is number => w !== null);
  const known = e.coveredMs > 0;
  return {
    ...base,
    meanW: known ? (e.energyJ * 1000) / e.coveredMs : null,
    peakW: peaks.length === 0 ? null : Math.max(...peaks),
    energyJ: known ? e.energyJ : null,
    marginalEnergyJ: known && idleW !== null ? e.energyJ - (idleW * e.coveredMs) / 1000 : null,
    coverage: e.windowMs > 0 ? e.coveredMs / e.windowMs : null,
    method: e.method,
    counterVsSampled: counterVsSampledOf(series, measures, e),
    bridgedMs: e.bridgedMs,
  };
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.length === 0 || values.some((v) => v === null) ? null : values.reduce((a: number, v) => a + (v as number), 0);
}

/**
 * Machine-total figures over some measured windows: each counted channel's energy, and its
 * marginal energy against its own idle power over the very time its energy covers. Per-task
 * figures need every counted channel to cover at least MIN_COVERAGE of the time.
 */
function computeFigures(counted: readonly Series[], idleW: ReadonlyMap<string, number | null>, windows: readonly Phase[], tasks: number): EnergyFigures {
  const parts = counted.map((s) => ({ e: windowsEnergy(s, windows), idle: idleW.get(s.channel.key) ?? null }));
  const known = parts.length > 0 && parts.every((p) => p.e.coveredMs > 0);
  const energyJ = known ? parts.reduce((acc, p) => acc + p.e.energyJ, 0) : null;
  const marginals = parts.map((p) => (p.idle === null ? null : p.e.energyJ - (p.idle * p.e.coveredMs) / 1000));
  const marginalEnergyJ = known ? sumOrNull(marginals) : null;
  const coverages = parts.map((p) => (p.e.windowMs > 0 ? p.e.coveredMs / p.e.windowMs : 0));
  const coverage = parts.length === 0 ? null : Math.min(...coverages);
  const perTask = (j: number | null): number | null => (j === null || tasks === 0 || (coverage ?? 0) < MIN_COVERAGE ? null : j / tasks);
  return {
    energyJ,
    marginalEnergyJ,
    meanW: known ? parts.reduce((acc, p) => acc + (p.e.energyJ * 1000) / p.e.coveredMs, 0) : null,
    coverage,
    perTaskJ: perTask(energyJ),
    perTaskMarginalJ: perTask(marginalEnergyJ),
    marginalNegative: marginalEnergyJ !== null && marginalEnergyJ < 0,
  };
}

function channelFlags(c: ChannelEnergy, s: Series): string[] {
  const flags: string[] = [];
  if (c.idleDrift !== null && Math.abs(c.idleDrift) > IDLE_DRIFT_LIMIT) {
    flags.push(`${c.key}: idle power moved ${(c.idleDrift * 100).toFixed(1)}% from before the run to after it (limit ${IDLE_DRIFT_LIMIT * 100}%): the baseline is uncertain`);
  }
  if (c.counterVsSampled !== null && c.counterVsSampled > COUNTER_SAMPLED_LIMIT) {
    flags.push(`${c.key}: its energy counter and its sampled power disagree by ${(c.counterVsSampled * 100).toFixed(1)}% (limit ${COUNTER_SAMPLED_LIMIT * 100}%); the counter is used`);
  }
  if (c.covers !== 'none' && c.coverage !== null && c.coverage < MIN_COVERAGE) {
    const perTask = c.inTotal ? `; no per-task figure below ${MIN_COVERAGE * 100}%` : '';
    flags.push(`${c.key}: readings covered only ${(c.coverage * 100).toFixed(0)}% of the measured time (sensor gaps)${perTask}`);
  }
  if (s.noBridgeWhy !== null) flags.push(`${c.key}: ${s.noBridgeWhy}`);
  if (c.counterWrapsUnknown > 0) {
    const times = c.counterWrapsUnknown === 1 ? '1 time' : `${c.counterWrapsUnknown} times`;
    flags.push(`${c.key}: the counter went down ${times} with no known range (a wrap of unknown size): those intervals are left out`);
  }
  return flags;
}

/** Wall meters left out of the total because another meter reads the same supply: say which, and how to sum them. */
function meterFlags(channels: readonly ChannelEnergy[]): string[] {
  const counted = channels.filter((c) => c.covers === 'wall' && c.inTotal);
  return channels.filter((c) => c.covers === 'wall' && !c.inTotal).map((c) => {
    const same = counted.find((m) => m.supply === c.supply);
    const supply = c.supply === null ? 'no supply set' : `supply ${c.supply}`;
    return `${c.key} (${supply}) is not in the total${same === undefined ? '' : `: ${same.key} reads the same supply`}; `
      + 'meters on different supplies are summed once each has its telemetry.meters[].supply';
  });
}

/** The flag of a negative marginal energy, with the readings behind it. */
function negativeFlag(label: string, f: EnergyFigures, idleW: number | null): string[] {
  if (!f.marginalNegative || f.marginalEnergyJ === null) return [];
  const readings = `idle ${idleW?.toFixed(1) ?? '?'} W is above the busy mean ${f.meanW?.toFixed(1) ?? '?'} W`;
  return [`${label}marginal energy came out negative (${f.marginalEnergyJ.toFixed(1)} J): ${readings} `
    + '(power still up from the warm-up when the baseline was taken?); shown as ~0'];
}

function settleFlags(settles: readonly IdleSettle[]): string[] {
  return settles.filter((s) => !s.steady).map((s) => `${s.phase}: power was not flat within ${s.tolerance * 100}% over `
    + `${s.windowMs / 1000} s after ${s.maxMs / 1000} s of waiting; the idle baseline was measured anyway`);
}

/** Each ok request's share of the counted channels' energy, from the readings of the measured phase it ran in. */
function perRequestEnergy(counted: readonly Series[], measures: readonly Phase[], ok: readonly RequestRow[]): EnergySummary['perRequestJ'] {
  // A request shorter than the reading period has no reading of its own, and one outside its
  // phase is another phase's: each piece of a request window uses its phase's readings.
  const phaseOf = (a: number, b: number): ReadingBounds | undefined => {
    const m = measures.find((p) => p.startMs <= a && b <= p.endMs);
    return m === undefined ? undefined : { fromMs: m.startMs, toMs: m.endMs };
  };
  const between = (a: number, b: number): number => {
    const bounds = phaseOf(a, b);
    return counted.reduce((acc, s) => acc + windowEnergy(s, a, b, bounds).energyJ, 0);
  };
  // Ids are positions in `ok`: seq repeats across the levels of a sweep.
  const windows = ok.map((r, i) => ({ seq: i, startMs: r.startOffsetMs, endMs: r.startOffsetMs + r.latencyMs, weight: r.outputTokens ?? 0 }));
  return [...attributeEnergy(windows, between)].map(([i, j]) => ({ concurrency: ok[i]?.concurrency ?? 1, seq: ok[i]?.seq ?? i, energyJ: j }));
}

/**
 * Computes a run's energy from its stored channels, samples, phases, request rows and the points
 * where power settled before each idle baseline. Pure.
 */
export function computeEnergySummary(
  channels: readonly StoredChannel[],
  samplesByChannel: ReadonlyMap<number, readonly StoredSample[]>,
  phases: readonly Phase[],
  requests: readonly RequestRow[],
  sources: readonly StoredSource[],
  settles: readonly IdleSettle[] = [],
): EnergySummary {
  const measures = phases.filter((p) => p.name === 'measure');
  const series = channels.map((c) => toSeries(c, samplesByChannel.get(c.id) ?? []));
  const perChannel = series.map((s) => channelEnergy(s, phases, measures, settles));
  const counted = perChannel.filter((c) => c.inTotal);
  const totalSeries = series.filter((s) => s.channel.inTotal);
  const ok = requests.filter((r) => r.state === 'ok');
  const outputTokens = ok.reduce((acc, r) => acc + (r.outputTokens ?? 0), 0);
  const idleByKey = new Map(counted.map((c) => [c.key, c.idleBeforeW ?? c.idleAfterW]));
  const idleW = sumOrNull([...idleByKey.values()]);
  const figures = computeFigures(totalSeries, idleByKey, measures, ok.length);
  const whPer1k = (j: number | null): number | null =>
    j === null || outputTokens === 0 || (figures.coverage ?? 0) < MIN_COVERAGE ? null : j / 3600 / (outputTokens / 1000);
  const concurrencies = [...new Set(measures.map((m) => m.concurrency))];
  const levels = totalSeries.length === 0 ? [] : concurrencies.map((concurrency) => ({
    concurrency,
    ...computeFigures(totalSeries, idleByKey, measures.filter((m) => m.concurrency === concurrency), ok.filter((r) => r.concurrency === concurrency).length),
  }));
  const warmup = phases.find((p) => p.name === 'warmup');
  const flags = [
    ...perChannel.flatMap((c, i) => channelFlags(c, series[i] as Series)),
    ...(counted.length === 0 && channels.length > 0 ? ['no channel counts toward a machine total'] : []),
    ...meterFlags(perChannel),
    ...negativeFlag('', figures, idleW),
    ...(levels.length > 1 ? levels.flatMap((l) => negativeFlag(`concurrency ${l.concurrency}: `, l, idleW)) : []),
    ...settleFlags(settles),
  ];
  return {
    channels: perChannel,
    total: {
      ...figures,
      channelKeys: counted.map((c) => c.key),
      kinds: [...new Set(counted.map((c) => c.kind))],
      includesEstimate: counted.some((c) => c.kind === 'estimate'),
      idleW,
      measuredMs: measures.reduce((acc, m) => acc + (m.endMs - m.startMs), 0),
      whPer1kOutputTokens: whPer1k(figures.energyJ),
      marginalWhPer1kOutputTokens: whPer1k(figures.marginalEnergyJ),
      outputTokensEstimated: hasEstimatedCounts(computeTokenCounts(ok)),
    },
    perRequestJ: perRequestEnergy(totalSeries, measures, ok),
    levels,
    warmup: warmup === undefined || totalSeries.length === 0 ? null : {
      durationMs: warmup.endMs - warmup.startMs,
      energyJ: totalSeries.reduce((acc, s) => acc + windowEnergy(s, warmup.startMs, warmup.endMs).energyJ, 0),
    },
    idleSettles: [...settles],
    sources: [...sources],
    flags,
  };
}
