import type { ChannelEnergy, EnergyFigures, EnergySummary, FigureEnd, TotalEnd } from './energy-types.js';
/**
 * Machine-total energy figures over measured windows: the whole run and each concurrency level,
 * at the readings' own figures and, for a CPU estimate with a TDP range, at both ends of it. Pure.
 */
import type { RequestRow } from '../types/run-rows.js';
import type { Phase } from '../types/telemetry-rows.js';
import { levelKey, levelOf, sameLevel } from '../types/level.js';
import { isBelowZeroBeyondNoise } from '../cost/marginal-noise.js';
import { atBothEnds, NO_SCALE, type EstimateTdp, type Scale } from './energy-range.js';
import { windowsEnergy, type Series } from './energy-series.js';
import { MIN_COVERAGE } from './energy-flags.js';

import { computeTokenCounts, hasEstimatedCounts } from './token-counts.js';

function sumOrNull(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((v) => v === null)) return null;
  return values.reduce((a: number, v) => a + (v as number), 0);
}

/**
 * Machine-total figures over some measured windows: each counted channel's energy, and its
 * marginal energy against its own idle power over the very time its energy covers. Per-task
 * figures need every counted channel to cover at least MIN_COVERAGE of the time.
 */
export function computeFigures(
  counted: readonly Series[],
  idleW: IdleByKey,
  windows: readonly Phase[],
  tasks: number,
  scale: Scale = NO_SCALE,
): Omit<EnergyFigures, 'range'> {
  const parts = counted.map((s) => {
    const f = scale(s.channel.key);
    const e = windowsEnergy(s, windows);
    const idle = idleW.get(s.channel.key) ?? null;
    return { e: { ...e, energyJ: e.energyJ * f }, idle: idle === null ? null : idle * f };
  });
  const known = parts.length > 0 && parts.every((p) => p.e.coveredMs > 0);
  const energyJ = known ? parts.reduce((acc, p) => acc + p.e.energyJ, 0) : null;
  const marginals = parts.map((p) =>
    p.idle === null ? null : p.e.energyJ - (p.idle * p.e.coveredMs) / 1000,
  );
  const marginalEnergyJ = known ? sumOrNull(marginals) : null;
  const coverages = parts.map((p) => (p.e.windowMs > 0 ? p.e.coveredMs / p.e.windowMs : 0));
  const coverage = parts.length === 0 ? null : Math.min(...coverages);
  const enough = tasks > 0 && (coverage ?? 0) >= MIN_COVERAGE;
  const perTask = (j: number | null): number | null => (j === null || !enough ? null : j / tasks);
  return {
    energyJ,
    marginalEnergyJ,
    meanW: known ? parts.reduce((acc, p) => acc + (p.e.energyJ * 1000) / p.e.coveredMs, 0) : null,
    coverage,
    perTaskJ: perTask(energyJ),
    perTaskMarginalJ: perTask(marginalEnergyJ),
    marginalNegative: isBelowZeroBeyondNoise(marginalEnergyJ, energyJ),
  };
}

function figureEnd(f: Omit<EnergyFigures, 'range'>): FigureEnd {
  const { energyJ, marginalEnergyJ, meanW, perTaskJ, perTaskMarginalJ } = f;
  return { energyJ, marginalEnergyJ, meanW, perTaskJ, perTaskMarginalJ };
}

/** Each level's machine-total figures, with their range when the estimate's TDP has one. */
export function levelFigures(
  counted: readonly Series[],
  idleW: IdleByKey,
  measures: readonly Phase[],
  ok: readonly RequestRow[],
  tdp: EstimateTdp | null,
): EnergySummary['levels'] {
  if (counted.length === 0) return [];
  const levels = new Map(measures.map((m) => [levelKey(levelOf(m)), levelOf(m)]));
  return [...levels.values()].map((level) => {
    const windows = measures.filter((m) => sameLevel(levelOf(m), level));
    const tasks = ok.filter((r) => sameLevel(levelOf(r), level)).length;
    const at = (scale: Scale): Omit<EnergyFigures, 'range'> =>
      computeFigures(counted, idleW, windows, tasks, scale);
    return { ...level, ...at(NO_SCALE), range: atBothEnds(tdp, (scale) => figureEnd(at(scale))) };
  });
}

/** The run's figures over all levels together, with what depends on the token counts. */
export function totalFigures(
  counted: readonly Series[],
  perChannel: readonly ChannelEnergy[],
  measures: readonly Phase[],
  ok: readonly RequestRow[],
  tdp: EstimateTdp | null,
): EnergySummary['total'] {
  const chosen = perChannel.filter((c) => c.inTotal);
  const outputTokens = ok.reduce((acc, r) => acc + (r.outputTokens ?? 0), 0);
  const at = (scale: Scale): TotalEnd & Omit<EnergyFigures, 'range'> => {
    const figures = computeFigures(counted, idleMap(perChannel), measures, ok.length, scale);
    const enough = outputTokens > 0 && (figures.coverage ?? 0) >= MIN_COVERAGE;
    const whPer1k = (j: number | null): number | null =>
      j === null || !enough ? null : j / 3600 / (outputTokens / 1000);
    return {
      ...figures,
      idleW: sumOrNull(
        chosen.map((c) => {
          const idle = c.idleBeforeW ?? c.idleAfterW;
          return idle === null ? null : idle * scale(c.key);
        }),
      ),
      whPer1kOutputTokens: whPer1k(figures.energyJ),
      marginalWhPer1kOutputTokens: whPer1k(figures.marginalEnergyJ),
    };
  };
  const endOf = (scale: Scale): TotalEnd => {
    const e = at(scale);
    const { idleW, whPer1kOutputTokens, marginalWhPer1kOutputTokens } = e;
    return { ...figureEnd(e), idleW, whPer1kOutputTokens, marginalWhPer1kOutputTokens };
  };
  return {
    ...at(NO_SCALE),
    range: atBothEnds(tdp, endOf),
    estimate: tdp,
    channelKeys: chosen.map((c) => c.key),
    kinds: [...new Set(chosen.map((c) => c.kind))],
    includesEstimate: chosen.some((c) => c.kind === 'estimate'),
    measuredMs: measures.reduce((acc, m) => acc + (m.endMs - m.startMs), 0),
    outputTokensEstimated: hasEstimatedCounts(computeTokenCounts(ok)),
  };
}

/** Each counted channel's idle power (before the run, else after it). */
export type IdleByKey = ReadonlyMap<string, number | null>;

export function idleMap(perChannel: readonly ChannelEnergy[]): IdleByKey {
  return new Map(perChannel.filter((c) => c.inTotal).map((c) => [c.key, c.idleBeforeW ?? c.idleAfterW]));
}
