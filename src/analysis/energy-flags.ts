/**
 * The warnings of an energy summary, in words: drift, disagreement, gaps, wraps, meters left out,
 * negative marginal energy, an idle phase that never settled. Pure.
 */
import type { IdleSettle } from '../types/telemetry-rows.js';
import { usesCounter, type Series } from './energy-series.js';

/** Idle power that moved more than this between before and after the run is flagged. */
export const IDLE_DRIFT_LIMIT = 0.05;
/** A counter and a sampled reading of one device that disagree by more than this are flagged. */
export const COUNTER_SAMPLED_LIMIT = 0.1;
/**
 * Below this share of the measured time covered by readings, a per-task figure would be low by the
 * uncovered share: none is given (the energy itself is shown with its coverage).
 */
export const MIN_COVERAGE = 0.95;

/**
 * A counter moves in steps of one update period, and a reading at a window's edge lags the board by
 * up to one: a window's energy is uncertain by up to one period's worth. Windows shorter than this
 * many periods are flagged with that error (issue 18: "reported with its quantisation error").
 */
export const FEW_COUNTER_PERIODS = 4;

/** What the flags read of a channel's figures. */
export interface FlaggedChannel {
  key: string;
  covers: string;
  inTotal: boolean;
  idleDrift: number | null;
  counterVsSampled: number | null;
  coverage: number | null;
  counterWrapsUnknown: number;
  supply: string | null;
}

const pct = (share: number, decimals: number): string => (share * 100).toFixed(decimals);

/** A channel's warnings. */
export function channelFlags(c: FlaggedChannel, s: Series): string[] {
  const flags: string[] = [];
  if (c.idleDrift !== null && Math.abs(c.idleDrift) > IDLE_DRIFT_LIMIT) {
    flags.push(
      `${c.key}: idle power moved ${pct(c.idleDrift, 1)}% from before the run to after it ` +
        `(limit ${IDLE_DRIFT_LIMIT * 100}%): the baseline is uncertain`,
    );
  }
  if (c.counterVsSampled !== null && c.counterVsSampled > COUNTER_SAMPLED_LIMIT) {
    flags.push(
      `${c.key}: its energy counter and its sampled power disagree by ${pct(c.counterVsSampled, 1)}% ` +
        `(limit ${COUNTER_SAMPLED_LIMIT * 100}%); the counter is used`,
    );
  }
  if (c.covers !== 'none' && c.coverage !== null && c.coverage < MIN_COVERAGE) {
    const perTask = c.inTotal ? `; no per-task figure below ${MIN_COVERAGE * 100}%` : '';
    const share = pct(c.coverage, 0);
    flags.push(`${c.key}: readings covered only ${share}% of the measured time (sensor gaps)${perTask}`);
  }
  if (s.noBridgeWhy !== null) flags.push(`${c.key}: ${s.noBridgeWhy}`);
  if (c.counterWrapsUnknown > 0) {
    const times = c.counterWrapsUnknown === 1 ? '1 time' : `${c.counterWrapsUnknown} times`;
    flags.push(
      `${c.key}: the counter went down ${times} with no known range (a wrap of unknown size): ` +
        'those intervals are left out',
    );
  }
  return flags;
}

/** Wall meters left out of the total as another meter reads the same supply: which, and how to sum them. */
export function meterFlags(channels: readonly FlaggedChannel[]): string[] {
  const counted = channels.filter((c) => c.covers === 'wall' && c.inTotal);
  return channels
    .filter((c) => c.covers === 'wall' && !c.inTotal)
    .map((c) => {
      const same = counted.find((m) => m.supply === c.supply);
      const supply = c.supply === null ? 'no supply set' : `supply ${c.supply}`;
      const why = same === undefined ? '' : `: ${same.key} reads the same supply`;
      return (
        `${c.key} (${supply}) is not in the total${why}; ` +
        'meters on different supplies are summed once each has its telemetry.meters[].supply'
      );
    });
}

/** The flag of a negative marginal energy, with the readings behind it. */
export function negativeFlag(
  label: string,
  f: { marginalNegative: boolean; marginalEnergyJ: number | null; meanW: number | null },
  idleW: number | null,
): string[] {
  if (!f.marginalNegative || f.marginalEnergyJ === null) return [];
  const readings = `idle ${idleW?.toFixed(1) ?? '?'} W is above the busy mean ${f.meanW?.toFixed(1) ?? '?'} W`;
  return [
    `${label}marginal energy came out negative (${f.marginalEnergyJ.toFixed(1)} J): ${readings} ` +
      '(power still up from the warm-up when the baseline was taken?); shown as ~0',
  ];
}

/** Idle phases whose power never settled. */
export function settleFlags(settles: readonly IdleSettle[]): string[] {
  return settles
    .filter((s) => !s.steady)
    .map(
      (s) =>
        `${s.phase}: power was not flat within ${s.tolerance * 100}% over ${s.windowMs / 1000} s ` +
        `after ${s.maxMs / 1000} s of waiting; the idle baseline was measured anyway`,
    );
}

/**
 * A counter channel whose update period is known, and requests that lasted under a few periods:
 * their per-request energy is uncertain by up to one period's energy, period / latency of it.
 */
export function quantisationFlags(s: Series, latenciesMs: readonly number[]): string[] {
  const periodMs = s.channel.detail['counterPeriodMs'];
  if (!usesCounter(s) || typeof periodMs !== 'number' || periodMs <= 0) return [];
  const short = latenciesMs.filter((ms) => ms < FEW_COUNTER_PERIODS * periodMs);
  if (short.length === 0) return [];
  const shortestMs = Math.min(...short);
  const error = shortestMs > 0 ? `±${pct(periodMs / shortestMs, 0)}%` : 'more than all of it';
  return [
    `${s.channel.key}: its counter moves every ${periodMs} ms, and ${short.length} of ${latenciesMs.length} ` +
      `requests lasted under ${FEW_COUNTER_PERIODS} periods (shortest ${shortestMs.toFixed(0)} ms): a request's ` +
      `energy from it is uncertain by up to one period's energy, ${error} for the shortest`,
  ];
}
