import type { RequestRow } from '../store/requests.js';
import type { Phase, StoredChannel, StoredSource } from '../store/telemetry.js';
import { attributeEnergy } from '../telemetry/attribution.js';
import {
  counterEnergy, integratePower, powerStats, type CounterPoint, type PowerPoint, type ReadingBounds, type WindowEnergy,
} from '../telemetry/energy.js';
import type { Sample } from '../telemetry/sampler.js';

/** Idle power that moved more than this between before and after the run is flagged. */
export const IDLE_DRIFT_LIMIT = 0.05;
/** A counter and a sampled reading of one device that disagree by more than this are flagged. */
export const COUNTER_SAMPLED_LIMIT = 0.1;
/** Readings further apart than this many poll intervals are a gap, not integrated across. */
export const GAP_INTERVALS = 5;

type StoredSample = Omit<Sample, 'channelKey'>;

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
  /** energyJ - idle power x measured time. */
  marginalEnergyJ: number | null;
  /** Share of the measured phase the readings covered (0..1). */
  coverage: number | null;
  method: WindowEnergy['method'] | null;
  /** |counter - trapezoid| / counter, where a channel has both. */
  counterVsSampled: number | null;
}

export interface EnergySummary {
  channels: ChannelEnergy[];
  /** Sum over channels that count toward the machine (see selectChannels). */
  total: {
    channelKeys: string[];
    kinds: StoredChannel['kind'][];
    includesEstimate: boolean;
    idleW: number | null;
    meanW: number | null;
    energyJ: number | null;
    marginalEnergyJ: number | null;
    measuredMs: number;
    /** Per ok request: measured-phase energy / ok requests (the gaps between requests included). */
    perTaskJ: number | null;
    perTaskMarginalJ: number | null;
    whPer1kOutputTokens: number | null;
    marginalWhPer1kOutputTokens: number | null;
  };
  /** Total-channel energy attributed to each ok request (its own window; overlaps shared by tokens). */
  perRequestJ: { concurrency: number; seq: number; energyJ: number }[];
  /** Machine-total energy of each concurrency level's measured phase. */
  levels: { concurrency: number; energyJ: number; marginalEnergyJ: number | null; perTaskJ: number | null; perTaskMarginalJ: number | null }[];
  /** The warm-up (a cold load when the model was not loaded): its machine-total energy, kept out of every figure above. */
  warmup: { durationMs: number; energyJ: number } | null;
  sources: StoredSource[];
  flags: string[];
}

/** A channel's readings, split once into counter and power series. */
interface Series {
  channel: StoredChannel;
  samples: number;
  counter: CounterPoint[];
  power: PowerPoint[];
  maxGapMs: number;
}

/** Median time between consecutive readings, or null with fewer than two. */
export function medianSpacingMs(samples: readonly { tMs: number }[]): number | null {
  const gaps = samples.slice(1).map((s, i) => s.tMs - (samples[i] as { tMs: number }).tMs).sort((a, b) => a - b);
  return gaps.length === 0 ? null : (gaps[Math.floor(gaps.length / 2)] as number);
}

function toSeries(channel: StoredChannel, samples: readonly StoredSample[]): Series {
  // A source may read slower than the poller (amd-smi at most once a second): a gap is judged
  // against the channel's own cadence, taken from its readings.
  const periodMs = Math.max(channel.intervalMs, medianSpacingMs(samples) ?? 0);
  return {
    channel,
    samples: samples.length,
    counter: samples.filter((s) => s.energyJ !== null).map((s) => ({ tMs: s.tMs, energyJ: s.energyJ as number })),
    power: samples.filter((s) => s.powerW !== null).map((s) => ({ tMs: s.tMs, powerW: s.powerW as number })),
    maxGapMs: periodMs * GAP_INTERVALS,
  };
}

/** A channel's energy over [fromMs, toMs] from the readings within `bounds` (default: the window). */
function windowEnergy(series: Series, fromMs: number, toMs: number, bounds?: ReadingBounds): WindowEnergy {
  if (series.channel.kind === 'counter' && series.counter.length >= 2) {
    return counterEnergy(series.counter, fromMs, toMs, series.maxGapMs, bounds === undefined ? {} : { bounds });
  }
  return integratePower(series.power, fromMs, toMs, series.maxGapMs, bounds);
}

/**
 * The start of an idle phase is left out of the baseline: power takes a moment to settle after
 * load (and the first reading may still interpolate from a busy one). At most this long...
 */
export const IDLE_SETTLE_MAX_MS = 2_000;
/** ...and at most this share of the phase. */
export const IDLE_SETTLE_SHARE = 0.2;

function meanPower(series: Series, phase: Phase | undefined): number | null {
  if (phase === undefined || phase.endMs <= phase.startMs) return null;
  const settleMs = Math.min(IDLE_SETTLE_MAX_MS, (phase.endMs - phase.startMs) * IDLE_SETTLE_SHARE);
  const e = windowEnergy(series, phase.startMs + settleMs, phase.endMs);
  return e.coveredMs > 0 ? (e.energyJ * 1000) / e.coveredMs : null;
}

/** Energy over several windows (the measured phases of a sweep), added up. */
function windowsEnergy(series: Series, windows: readonly Phase[]): WindowEnergy {
  const sum: WindowEnergy = {
    energyJ: 0, coveredMs: 0, windowMs: 0, bridgedMs: 0,
    method: series.channel.kind === 'counter' && series.counter.length >= 2 ? 'counter' : 'trapezoid',
  };
  for (const w of windows) {
    const e = windowEnergy(series, w.startMs, w.endMs);
    sum.energyJ += e.energyJ;
    sum.coveredMs += e.coveredMs;
    sum.windowMs += e.windowMs;
    sum.bridgedMs += e.bridgedMs;
    sum.method = e.method;
  }
  return sum;
}

function channelEnergy(series: Series, phases: readonly Phase[], measures: readonly Phase[]): ChannelEnergy {
  const { channel, power } = series;
  const idleBeforeW = meanPower(series, phases.find((p) => p.name === 'idle-before'));
  const idleAfterW = meanPower(series, phases.find((p) => p.name === 'idle-after'));
  const idleW = idleBeforeW ?? idleAfterW;
  const base = { key: channel.key, source: channel.source, device: channel.device, kind: channel.kind, covers: channel.covers, inTotal: channel.inTotal, samples: series.samples };
  const idle = { idleBeforeW, idleAfterW, idleDrift: idleBeforeW !== null && idleAfterW !== null && idleBeforeW > 0 ? (idleAfterW - idleBeforeW) / idleBeforeW : null };
  if (measures.length === 0) return { ...base, ...idle, meanW: null, peakW: null, energyJ: null, marginalEnergyJ: null, coverage: null, method: null, counterVsSampled: null };
  const e = windowsEnergy(series, measures);
  const peaks = measures.map((m) => powerStats(power, m.startMs, m.endMs, series.maxGapMs).peakW).filter((w): w is number => w !== null);
  const stats = { peakW: peaks.length === 0 ? null : Math.max(...peaks) };
  const known = e.coveredMs > 0;
  let counterVsSampled: number | null = null;
  if (e.method === 'counter' && channel.source !== 'rapl' && power.length >= 2) {
    const sampled = measures.reduce((acc, m) => acc + integratePower(power, m.startMs, m.endMs, series.maxGapMs).energyJ, 0);
    counterVsSampled = e.energyJ > 0 ? Math.abs(e.energyJ - sampled) / e.energyJ : null;
  }
  return {
    ...base,
    ...idle,
    meanW: known ? (e.energyJ * 1000) / e.coveredMs : null,
    peakW: stats.peakW,
    energyJ: known ? e.energyJ : null,
    marginalEnergyJ: known && idleW !== null ? e.energyJ - (idleW * e.coveredMs) / 1000 : null,
    coverage: e.windowMs > 0 ? e.coveredMs / e.windowMs : null,
    method: e.method,
    counterVsSampled,
  };
}

function sumOrNull(values: readonly (number | null)[]): number | null {
  return values.length === 0 || values.some((v) => v === null) ? null : values.reduce((a: number, v) => a + (v as number), 0);
}

/**
 * Computes a run's energy from its stored channels, samples, phases and request rows. Pure.
 */
export function computeEnergySummary(
  channels: readonly StoredChannel[],
  samplesByChannel: ReadonlyMap<number, readonly StoredSample[]>,
  phases: readonly Phase[],
  requests: readonly RequestRow[],
  sources: readonly StoredSource[],
): EnergySummary {
  const measures = phases.filter((p) => p.name === 'measure');
  const series = channels.map((c) => toSeries(c, samplesByChannel.get(c.id) ?? []));
  const perChannel = series.map((s) => channelEnergy(s, phases, measures));
  const counted = perChannel.filter((c) => c.inTotal);
  const ok = requests.filter((r) => r.state === 'ok');
  const outputTokens = ok.reduce((acc, r) => acc + (r.outputTokens ?? 0), 0);
  const energyJ = sumOrNull(counted.map((c) => c.energyJ));
  const marginalEnergyJ = sumOrNull(counted.map((c) => c.marginalEnergyJ));
  const measuredMs = measures.reduce((acc, m) => acc + (m.endMs - m.startMs), 0);
  const perTask = (j: number | null): number | null => (j === null || ok.length === 0 ? null : j / ok.length);
  const whPer1k = (j: number | null): number | null => (j === null || outputTokens === 0 ? null : j / 3600 / (outputTokens / 1000));

  const totalSeries = series.filter((s) => s.channel.inTotal);
  const energyBetween = (a: number, b: number, bounds?: ReadingBounds): number =>
    totalSeries.reduce((acc, s) => acc + windowEnergy(s, a, b, bounds).energyJ, 0);
  // A piece of a request window uses the readings of the measured phase it lies in: a request shorter
  // than the reading period has no reading of its own, and one outside the phase is another phase's.
  const phaseOf = (a: number, b: number): ReadingBounds | undefined => {
    const m = measures.find((p) => p.startMs <= a && b <= p.endMs);
    return m === undefined ? undefined : { fromMs: m.startMs, toMs: m.endMs };
  };
  // Ids are positions in `ok`: seq repeats across the levels of a sweep.
  const perRequest = attributeEnergy(
    ok.map((r, i) => ({ seq: i, startMs: r.startOffsetMs, endMs: r.startOffsetMs + r.latencyMs, weight: r.outputTokens ?? 0 })),
    (a, b) => energyBetween(a, b, phaseOf(a, b)),
  );
  const idleW = sumOrNull(counted.map((c) => c.idleBeforeW ?? c.idleAfterW));
  const concurrencies = [...new Set(measures.map((m) => m.concurrency))];
  const levels = totalSeries.length === 0 ? [] : concurrencies.map((concurrency) => {
    const windows = measures.filter((m) => m.concurrency === concurrency);
    const tasks = ok.filter((r) => r.concurrency === concurrency).length;
    const energy = windows.reduce((acc, m) => acc + energyBetween(m.startMs, m.endMs), 0);
    const ms = windows.reduce((acc, m) => acc + (m.endMs - m.startMs), 0);
    const marginal = idleW === null ? null : energy - (idleW * ms) / 1000;
    return { concurrency, energyJ: energy, marginalEnergyJ: marginal, perTaskJ: tasks === 0 ? null : energy / tasks, perTaskMarginalJ: tasks === 0 || marginal === null ? null : marginal / tasks };
  });
  const warmup = phases.find((p) => p.name === 'warmup');

  const flags: string[] = [];
  for (const c of perChannel) {
    if (c.idleDrift !== null && Math.abs(c.idleDrift) > IDLE_DRIFT_LIMIT) {
      flags.push(`${c.key}: idle power moved ${(c.idleDrift * 100).toFixed(1)}% from before the run to after it (limit ${IDLE_DRIFT_LIMIT * 100}%): the baseline is uncertain`);
    }
    if (c.counterVsSampled !== null && c.counterVsSampled > COUNTER_SAMPLED_LIMIT) {
      flags.push(`${c.key}: its energy counter and its sampled power disagree by ${(c.counterVsSampled * 100).toFixed(1)}% (limit ${COUNTER_SAMPLED_LIMIT * 100}%); the counter is used`);
    }
    if (c.covers !== 'none' && c.coverage !== null && c.coverage < 0.95) flags.push(`${c.key}: readings covered only ${(c.coverage * 100).toFixed(0)}% of the measured time (sensor gaps)`);
  }
  if (counted.length === 0 && channels.length > 0) flags.push('no channel counts toward a machine total');

  return {
    channels: perChannel,
    total: {
      channelKeys: counted.map((c) => c.key),
      kinds: [...new Set(counted.map((c) => c.kind))],
      includesEstimate: counted.some((c) => c.kind === 'estimate'),
      idleW,
      meanW: sumOrNull(counted.map((c) => c.meanW)),
      energyJ,
      marginalEnergyJ,
      measuredMs,
      perTaskJ: perTask(energyJ),
      perTaskMarginalJ: perTask(marginalEnergyJ),
      whPer1kOutputTokens: whPer1k(energyJ),
      marginalWhPer1kOutputTokens: whPer1k(marginalEnergyJ),
    },
    perRequestJ: [...perRequest].map(([i, j]) => ({ concurrency: ok[i]?.concurrency ?? 1, seq: ok[i]?.seq ?? i, energyJ: j })),
    levels,
    warmup: warmup === undefined || totalSeries.length === 0 ? null : { durationMs: warmup.endMs - warmup.startMs, energyJ: energyBetween(warmup.startMs, warmup.endMs) },
    sources: [...sources],
    flags,
  };
}
