/**
 * The range of an estimated energy. The CPU estimate's power is TDP × a load factor, so its energy,
 * idle power and marginal energy are proportional to the TDP: the figures at the range's low and
 * high TDP are the point's estimate part scaled by lowW / tdpW and highW / tdpW, measured channels
 * unchanged. Pure.
 */
import type { StoredChannel } from '../types/telemetry-rows.js';

/** The TDP a run's CPU estimate assumed: the point its samples used, the range and its basis. */
export interface EstimateTdp {
  channelKey: string;
  tdpW: number;
  lowW: number;
  highW: number;
  /** 'config', 'table' or 'class' (older runs: 'config' or 'table'). */
  from: string;
  basis: string;
  source: string;
}

/** A figure at both ends of the estimate's range. */
export interface Range<T> {
  low: T;
  high: T;
}

/** Scales a channel's energy and idle power: 1 for measured channels. */
export type Scale = (channelKey: string) => number;

export const NO_SCALE: Scale = () => 1;

const num = (d: StoredChannel['detail'], key: string): number | null => {
  const v = d[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};
const str = (d: StoredChannel['detail'], key: string): string | null => {
  const v = d[key];
  return typeof v === 'string' && v !== '' ? v : null;
};

/**
 * The TDP of the counted CPU estimate, or null when no estimate counts. Runs from before ranges
 * were stored have the point only: their range is the point.
 */
export function estimateTdpOf(channels: readonly StoredChannel[]): EstimateTdp | null {
  const c = channels.find((ch) => ch.inTotal && ch.kind === 'estimate');
  const tdpW = c === undefined ? null : num(c.detail, 'tdpW');
  if (c === undefined || tdpW === null || tdpW <= 0) return null;
  const from = str(c.detail, 'tdpFrom') ?? 'table';
  return {
    channelKey: c.key,
    tdpW,
    lowW: num(c.detail, 'tdpLowW') ?? tdpW,
    highW: num(c.detail, 'tdpHighW') ?? tdpW,
    from,
    basis: str(c.detail, 'tdpBasis') ?? `${tdpW} W (${from})`,
    source: str(c.detail, 'tdpSource') ?? 'not recorded',
  };
}

/** Whether the TDP is a range (low below high), not a point. */
export function isRange(tdp: EstimateTdp | null): boolean {
  return tdp !== null && tdp.lowW < tdp.highW;
}

/** The scale of one end of the range: the estimate channel's figures × end / point. */
export function endScale(tdp: EstimateTdp, end: keyof Range<unknown>): Scale {
  const factor = (end === 'low' ? tdp.lowW : tdp.highW) / tdp.tdpW;
  return (key) => (key === tdp.channelKey ? factor : 1);
}

/** A figure computed at both ends of the range, or null when the TDP is a point. */
export function atBothEnds<T>(tdp: EstimateTdp | null, compute: (scale: Scale) => T): Range<T> | null {
  if (tdp === null || !isRange(tdp)) return null;
  return { low: compute(endScale(tdp, 'low')), high: compute(endScale(tdp, 'high')) };
}

/** The TDP in words: "TDP 90–200 W (basis)" or "TDP 170 W (basis)". */
export function describeTdp(tdp: EstimateTdp): string {
  const watts = isRange(tdp) ? `${tdp.lowW}–${tdp.highW} W` : `${tdp.tdpW} W`;
  return `TDP ${watts} assumed (${tdp.basis})`;
}
