import type { DownsampledEnergy } from '../types/telemetry-rows.js';
import type { EnergySummary } from './energy-types.js';

/** The note a report of a thinned run carries (in its energy flags, so every format shows it). Pure. */
export function downsampleNote(
  d: Pick<DownsampledEnergy, 'intervalMs' | 'samplesBefore' | 'samplesAfter'>,
): string {
  return (
    `samples downsampled on export to about one per channel per ${d.intervalMs} ms ` +
    `(${d.samplesAfter} of ${d.samplesBefore} kept): every energy figure is the one computed from ` +
    `all ${d.samplesBefore} before; only charts and the samples CSV show the ${d.samplesAfter}`
  );
}

/**
 * A thinned run's energy: the summary computed from every sample before thinning (stored with the
 * run), never one computed from the samples left, with the thinning said in `downsampled` and a
 * flag. Pure.
 */
export function storedEnergySummary(d: DownsampledEnergy): EnergySummary {
  const summary = JSON.parse(d.energyJson) as EnergySummary;
  const { intervalMs, samplesBefore, samplesAfter } = d;
  return {
    ...summary,
    flags: [...summary.flags, downsampleNote(d)],
    downsampled: { intervalMs, samplesBefore, samplesAfter },
  };
}
