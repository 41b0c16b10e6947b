/** Computations on a load shape (its schema is in config/load-shape-schema.ts). Pure. */
import type { LoadShape } from '../config/load-shape-schema.js';

export { HOURS_IN_PROFILE, type LoadShape } from '../config/load-shape-schema.js';

/**
 * Peak rate / mean rate over the machine's available hours. An hourly profile gives its own:
 * (largest weight / sum of weights) x available hours a day, i.e. max / mean for a 24-hour day.
 * Never below 1: the work cannot be spread thinner than over the available hours. Pure.
 */
export function computePeakToMean(shape: LoadShape, availabilityHoursPerDay: number): number {
  if (shape.shape === 'steady') return 1;
  if (shape.shape === 'peak-to-mean') return shape.peakToMean;
  const sum = shape.hourlyWeights.reduce((a, w) => a + w, 0);
  return Math.max(1, (Math.max(...shape.hourlyWeights) / sum) * availabilityHoursPerDay);
}

/**
 * Machines a monthly volume needs: ceil(peak rate / one machine's rate), where peak rate =
 * volume / available seconds in the month x peak-to-mean, and one machine's rate = its
 * capacity per month / available seconds. At least one. Pure.
 */
export function computeMachinesForPeak(volume: number, capacityPerMonth: number, peakToMean: number): number {
  return Math.max(1, Math.ceil((volume * peakToMean) / capacityPerMonth));
}

/** The load shape in words, e.g. "bursty (peak 4x the mean)". Pure. */
export function formatLoadShape(shape: LoadShape, availabilityHoursPerDay: number): string {
  const bound = shape.p95LatencyBoundMs === null ? '' : `, p95 latency within ${shape.p95LatencyBoundMs} ms`;
  if (shape.shape === 'steady') return `steady${bound}`;
  const peak = computePeakToMean(shape, availabilityHoursPerDay);
  const ratio = Number.isInteger(peak) ? String(peak) : peak.toFixed(2);
  if (shape.shape === 'peak-to-mean') return `bursty (peak ${ratio}x the mean)${bound}`;
  const hour = shape.hourlyWeights.indexOf(Math.max(...shape.hourlyWeights));
  return `hourly profile (peak ${ratio}x the mean, at ${String(hour).padStart(2, '0')}:00)${bound}`;
}
