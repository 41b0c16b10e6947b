/**
 * A stored channel's readings as the energy summary integrates them: split once into counter and
 * power series, with the channel's gap limit and how its counter may be read across gaps. Pure.
 */
import type { IdleSettle, Phase, StoredChannel } from '../types/telemetry-rows.js';
import {
  counterEnergy,
  integratePower,
  type CounterPoint,
  type PowerPoint,
  type ReadingBounds,
  type WindowEnergy,
} from './energy.js';
import type { StoredSample } from '../types/telemetry-rows.js';

export type { StoredSample } from '../types/telemetry-rows.js';

/** Readings further apart than this many poll intervals are a gap, not integrated across. */
export const GAP_INTERVALS = 5;

/**
 * Runs without a stored settle point (see IdleSettle) leave the start of an idle phase out of the
 * baseline: power takes a moment to settle after load. At most this long...
 */
export const IDLE_SETTLE_MAX_MS = 2_000;
/** ...and at most this share of the phase. */
export const IDLE_SETTLE_SHARE = 0.2;

/** A channel's readings, split once into counter and power series. */
export interface Series {
  channel: StoredChannel;
  samples: number;
  counter: CounterPoint[];
  power: PowerPoint[];
  maxGapMs: number;
  /** Counter intervals up to this long are used across a gap (maxGapMs: no bridging). */
  maxBridgeMs: number;
  /** Why a counter's gaps are not bridged, when some are not; null otherwise. */
  noBridgeWhy: string | null;
  /** Intervals where the counter went down with no known range: a wrap of unknown size, left out. */
  counterWrapsUnknown: number;
}

/** Median time between consecutive readings, or null with fewer than two. */
export function medianSpacingMs(samples: readonly { tMs: number }[]): number | null {
  const gaps = samples.slice(1).map((s, i) => s.tMs - (samples[i] as { tMs: number }).tMs);
  gaps.sort((a, b) => a - b);
  return gaps.length === 0 ? null : (gaps[Math.floor(gaps.length / 2)] as number);
}

const UNKNOWN_RANGE =
  "the counter's range (max_energy_range_uj) is unknown, so reading gaps are not " +
  'bridged: a wrap inside one could not be seen';

/** The highest mean power over the counter's ordinary (not gap, not wrapped) intervals; 0 with none. */
function peakRateW(counter: readonly CounterPoint[], maxGapMs: number): number {
  let peakW = 0;
  for (let i = 1; i < counter.length; i += 1) {
    const p = counter[i - 1] as CounterPoint;
    const q = counter[i] as CounterPoint;
    const dtMs = q.tMs - p.tMs;
    if (dtMs <= 0 || dtMs > maxGapMs || q.energyJ < p.energyJ) continue;
    peakW = Math.max(peakW, ((q.energyJ - p.energyJ) * 1000) / dtMs);
  }
  return peakW;
}

/**
 * How long a gap a counter may bridge with its change. A wall meter's Wh total does not wrap: any
 * gap. RAPL with a known range: the sampler undid one wrap per interval, so a gap is exact while
 * one more wrap cannot fit in it, i.e. while the channel's highest observed power would take longer
 * than the gap to count through the whole range. RAPL with no known range: no bridging.
 */
function counterBridge(
  channel: StoredChannel,
  counter: readonly CounterPoint[],
  maxGapMs: number,
): { maxBridgeMs: number; why: string | null } {
  if (channel.kind !== 'counter') return { maxBridgeMs: maxGapMs, why: null };
  // A wall meter's Wh total, and NVML's 64-bit mJ since the driver loaded, do not wrap.
  if (channel.source === 'meter' || channel.detail['reader'] === 'nvml')
    return { maxBridgeMs: Infinity, why: null };
  if (channel.source !== 'rapl') {
    return { maxBridgeMs: maxGapMs, why: 'a wrap inside a reading gap could not be seen' };
  }
  const rangeUj = channel.detail['maxEnergyRangeUj'];
  if (typeof rangeUj !== 'number' || rangeUj <= 0) return { maxBridgeMs: maxGapMs, why: UNKNOWN_RANGE };
  const peakW = peakRateW(counter, maxGapMs);
  const oneWrapMs = peakW > 0 ? (rangeUj / 1e6 / peakW) * 1000 : Infinity;
  const why = 'a gap is longer than the counter takes to wrap at its highest power';
  return { maxBridgeMs: Math.max(maxGapMs, oneWrapMs), why };
}

/** Counter intervals that cannot be used: too long to bridge, or where the counter went down. */
function unusable(counter: readonly CounterPoint[], maxBridgeMs: number): { gaps: number; wraps: number } {
  let gaps = 0;
  let wraps = 0;
  for (let i = 1; i < counter.length; i += 1) {
    const p = counter[i - 1] as CounterPoint;
    const q = counter[i] as CounterPoint;
    if (q.energyJ < p.energyJ) wraps += 1;
    else if (q.tMs - p.tMs > maxBridgeMs) gaps += 1;
  }
  return { gaps, wraps };
}

/** Splits a channel's stored readings into the series the summary integrates. */
export function toSeries(channel: StoredChannel, samples: readonly StoredSample[]): Series {
  // A source may read slower than the poller (amd-smi at most once a second): a gap is judged
  // against the channel's own cadence, taken from its readings.
  const periodMs = Math.max(channel.intervalMs, medianSpacingMs(samples) ?? 0);
  const maxGapMs = periodMs * GAP_INTERVALS;
  const counter = samples.flatMap((s) => (s.energyJ === null ? [] : [{ tMs: s.tMs, energyJ: s.energyJ }]));
  const bridge = counterBridge(channel, counter, maxGapMs);
  const bad = channel.kind === 'counter' ? unusable(counter, bridge.maxBridgeMs) : { gaps: 0, wraps: 0 };
  return {
    channel,
    samples: samples.length,
    counter,
    power: samples.flatMap((s) => (s.powerW === null ? [] : [{ tMs: s.tMs, powerW: s.powerW }])),
    maxGapMs,
    maxBridgeMs: bridge.maxBridgeMs,
    noBridgeWhy: bad.gaps > 0 ? bridge.why : null,
    counterWrapsUnknown: bad.wraps,
  };
}

/** Whether a channel's energy comes from its counter. */
export function usesCounter(series: Series): boolean {
  return series.channel.kind === 'counter' && series.counter.length >= 2;
}

/** A channel's energy over [fromMs, toMs] from the readings within `bounds` (default: the window). */
export function windowEnergy(
  series: Series,
  fromMs: number,
  toMs: number,
  bounds?: ReadingBounds,
): WindowEnergy {
  if (usesCounter(series)) {
    const options = { maxBridgeMs: series.maxBridgeMs, ...(bounds === undefined ? {} : { bounds }) };
    return counterEnergy(series.counter, fromMs, toMs, series.maxGapMs, options);
  }
  return integratePower(series.power, fromMs, toMs, series.maxGapMs, bounds);
}

/** Energy over several windows (the measured phases of a sweep), added up. */
export function windowsEnergy(series: Series, windows: readonly Phase[]): WindowEnergy {
  const method = usesCounter(series) ? 'counter' : 'trapezoid';
  const sum: WindowEnergy = { energyJ: 0, coveredMs: 0, windowMs: 0, bridgedMs: 0, method };
  for (const w of windows) {
    const e = windowEnergy(series, w.startMs, w.endMs);
    sum.energyJ += e.energyJ;
    sum.coveredMs += e.coveredMs;
    sum.windowMs += e.windowMs;
    sum.bridgedMs += e.bridgedMs;
  }
  return sum;
}

/**
 * Where an idle phase's baseline starts: where the run saw power settle (a stored settle point
 * inside the phase), else after the fixed settle time of older runs.
 */
export function idleWindowStartMs(phase: Phase, settles: readonly IdleSettle[]): number {
  const settle = settles.find(
    (s) => s.phase === phase.name && s.settledMs >= phase.startMs && s.settledMs <= phase.endMs,
  );
  if (settle !== undefined) return settle.settledMs;
  return phase.startMs + Math.min(IDLE_SETTLE_MAX_MS, (phase.endMs - phase.startMs) * IDLE_SETTLE_SHARE);
}

/** Mean power over an idle phase's baseline window (its readings only), or null. */
export function idlePowerW(
  series: Series,
  phase: Phase | undefined,
  settles: readonly IdleSettle[],
): number | null {
  if (phase === undefined || phase.endMs <= phase.startMs) return null;
  const e = windowEnergy(series, idleWindowStartMs(phase, settles), phase.endMs);
  return e.coveredMs > 0 ? (e.energyJ * 1000) / e.coveredMs : null;
}
