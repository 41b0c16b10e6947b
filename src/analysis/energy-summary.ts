import { describeReadout } from './channel-readout.js';
import type { RequestRow } from '../types/run-rows.js';
import type { IdleSettle, Phase, StoredChannel, StoredSource } from '../types/telemetry-rows.js';
import { levelLabel } from '../types/level.js';
import { attributeEnergy } from './attribution.js';
import { integratePower, powerStats, type ReadingBounds, type WindowEnergy } from './energy.js';
import {
  idlePowerW,
  toSeries,
  windowEnergy,
  windowsEnergy,
  type Series,
  type StoredSample,
} from './energy-series.js';
import { channelFlags, meterFlags, negativeFlag, quantisationFlags, settleFlags } from './energy-flags.js';
import { estimateTdpOf } from './energy-range.js';
import { idleMap, levelFigures, totalFigures } from './energy-totals.js';
import type { ChannelEnergy, EnergySummary } from './energy-types.js';
export type { ChannelEnergy, EnergyFigures, EnergySummary } from './energy-types.js';

export { GAP_INTERVALS, IDLE_SETTLE_MAX_MS, IDLE_SETTLE_SHARE, medianSpacingMs } from './energy-series.js';
export { MIN_COVERAGE } from './energy-flags.js';

function detailNumber(channel: StoredChannel, key: string): number | null {
  const v = channel.detail[key];
  return typeof v === 'number' ? v : null;
}

function detailString(channel: StoredChannel, key: string): string | null {
  const v = channel.detail[key];
  return typeof v === 'string' && v !== '' ? v : null;
}

function counterVsSampledOf(series: Series, measures: readonly Phase[], e: WindowEnergy): number | null {
  const { channel, power, maxGapMs } = series;
  if (e.method !== 'counter' || channel.source === 'rapl' || power.length < 2 || e.energyJ <= 0) return null;
  const sampledJ = (m: Phase): number => integratePower(power, m.startMs, m.endMs, maxGapMs).energyJ;
  const sampled = measures.reduce((acc, m) => acc + sampledJ(m), 0);
  return Math.abs(e.energyJ - sampled) / e.energyJ;
}

function peakOf(series: Series, measures: readonly Phase[]): number | null {
  const peaks = measures
    .map((m) => powerStats(series.power, m.startMs, m.endMs, series.maxGapMs).peakW)
    .filter((w): w is number => w !== null);
  return peaks.length === 0 ? null : Math.max(...peaks);
}

/** What a channel is, and its idle power, apart from the measured phase. */
function channelBase(series: Series, phases: readonly Phase[], settles: readonly IdleSettle[]) {
  const { channel } = series;
  const idleBeforeW = idlePowerW(
    series,
    phases.find((p) => p.name === 'idle-before'),
    settles,
  );
  const idleAfterW = idlePowerW(
    series,
    phases.find((p) => p.name === 'idle-after'),
    settles,
  );
  const drift = idleBeforeW !== null && idleAfterW !== null && idleBeforeW > 0;
  return {
    key: channel.key,
    source: channel.source,
    device: channel.device,
    kind: channel.kind,
    covers: channel.covers,
    inTotal: channel.inTotal,
    samples: series.samples,
    idleBeforeW,
    idleAfterW,
    idleDrift: drift ? (idleAfterW - idleBeforeW) / idleBeforeW : null,
    counterWrapsUnknown: series.counterWrapsUnknown,
    readingAverageMs: detailNumber(channel, 'averagingMs'),
    readout: describeReadout(channel),
    supply: channel.covers === 'wall' ? detailString(channel, 'supply') : null,
  };
}

function channelEnergy(
  series: Series,
  phases: readonly Phase[],
  measures: readonly Phase[],
  settles: readonly IdleSettle[],
): ChannelEnergy {
  const base = channelBase(series, phases, settles);
  if (measures.length === 0) {
    const none = { meanW: null, peakW: null, energyJ: null, marginalEnergyJ: null, coverage: null };
    return { ...base, ...none, method: null, counterVsSampled: null, bridgedMs: 0 };
  }
  const e = windowsEnergy(series, measures);
  const known = e.coveredMs > 0;
  const idleW = base.idleBeforeW ?? base.idleAfterW;
  return {
    ...base,
    meanW: known ? (e.energyJ * 1000) / e.coveredMs : null,
    peakW: peakOf(series, measures),
    energyJ: known ? e.energyJ : null,
    marginalEnergyJ: known && idleW !== null ? e.energyJ - (idleW * e.coveredMs) / 1000 : null,
    coverage: e.windowMs > 0 ? e.coveredMs / e.windowMs : null,
    method: e.method,
    counterVsSampled: counterVsSampledOf(series, measures, e),
    bridgedMs: e.bridgedMs,
  };
}

/** Each ok request's share of the counted channels' energy, from the readings of the phase it ran in. */
function perRequestEnergy(
  counted: readonly Series[],
  measures: readonly Phase[],
  ok: readonly RequestRow[],
): EnergySummary['perRequestJ'] {
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
  const windows = ok.map((r, i) => ({
    seq: i,
    startMs: r.startOffsetMs,
    endMs: r.startOffsetMs + r.latencyMs,
    weight: r.outputTokens ?? 0,
  }));
  return [...attributeEnergy(windows, between)].map(([i, j]) => ({
    concurrency: ok[i]?.concurrency ?? 1,
    seq: ok[i]?.seq ?? i,
    energyJ: j,
  }));
}

function warmupEnergy(counted: readonly Series[], phases: readonly Phase[]): EnergySummary['warmup'] {
  const warmup = phases.find((p) => p.name === 'warmup');
  if (warmup === undefined || counted.length === 0) return null;
  const energyJ = counted.reduce((acc, s) => acc + windowEnergy(s, warmup.startMs, warmup.endMs).energyJ, 0);
  return { durationMs: warmup.endMs - warmup.startMs, energyJ };
}

const NO_TOTAL = 'no channel counts toward a machine total';

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
  const counted = series.filter((s) => s.channel.inTotal);
  const ok = requests.filter((r) => r.state === 'ok');
  const tdp = estimateTdpOf(channels);
  const total = totalFigures(counted, perChannel, measures, ok, tdp);
  const levels = levelFigures(counted, idleMap(perChannel), measures, ok, tdp);
  const { idleW } = total;
  const several = levels.length > 1;
  const flags = [
    ...perChannel.flatMap((c, i) => channelFlags(c, series[i] as Series)),
    ...counted.flatMap((s) =>
      quantisationFlags(
        s,
        ok.map((r) => r.latencyMs),
      ),
    ),
    ...(total.channelKeys.length === 0 && channels.length > 0 ? [NO_TOTAL] : []),
    ...meterFlags(perChannel),
    ...negativeFlag('', total, idleW),
    ...levels.flatMap((l) => (several ? negativeFlag(`${levelLabel(l)}: `, l, idleW) : [])),
    ...settleFlags(settles),
  ];
  return {
    channels: perChannel,
    total,
    perRequestJ: perRequestEnergy(counted, measures, ok),
    levels,
    warmup: warmupEnergy(counted, phases),
    idleSettles: [...settles],
    sources: [...sources],
    flags,
  };
}
