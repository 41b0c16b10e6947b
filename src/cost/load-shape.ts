import { z } from 'zod';

/**
 * The shape of the monthly load: how tasks spread over the day, and the latency they must be served
 * within. One type for `costbench init`, the cost model (machines are bought for the peak, not the
 * mean) and load tests. Pure.
 */

/** Hours in the profile of `shape: 'hourly'`. */
export const HOURS_IN_PROFILE = 24;

const p95LatencyBoundMs = z
  .number()
  .positive()
  .nullable()
  .default(null)
  .describe(
    'p95 latency the work must be served within, ms. The cost model uses the concurrency level with the most ' +
      'tasks/s whose measured p95 latency meets it. null: no bound (the level with the most tasks/s).',
  );

const steadySchema = z.strictObject({
  shape: z.literal('steady').describe('The same rate all day (within cost.availabilityHoursPerDay).'),
  p95LatencyBoundMs,
});

const peakToMeanSchema = z.strictObject({
  shape: z
    .literal('peak-to-mean')
    .describe('Bursty: the busiest moment runs at peakToMean times the mean rate.'),
  peakToMean: z
    .number()
    .min(1)
    .max(10_000)
    .describe('Peak rate / mean rate over the available hours (1 = steady).'),
  p95LatencyBoundMs,
});

const hourlySchema = z.strictObject({
  shape: z.literal('hourly').describe('A daily profile: 24 relative weights, hour 0 to hour 23.'),
  hourlyWeights: z
    .array(z.number().min(0))
    .length(HOURS_IN_PROFILE)
    .refine((w) => w.some((x) => x > 0), { message: 'at least one hour must have a weight above 0' })
    .describe('Relative load of each hour of the day (any unit: only the ratios count).'),
  p95LatencyBoundMs,
});

/** The zod schema of a load shape (the config's cost.load). */
export const loadShapeSchema = z
  .discriminatedUnion('shape', [steadySchema, peakToMeanSchema, hourlySchema])
  .describe(
    'How the monthly tasks spread over time, and the latency bound they must meet. Machines are bought for the ' +
      'peak: {"shape":"steady"}, {"shape":"peak-to-mean","peakToMean":4}, or {"shape":"hourly","hourlyWeights":[24 numbers]}.',
  );

/** A load shape: steady, a peak-to-mean ratio, or an hourly profile, with an optional p95 latency bound. */
export type LoadShape = z.output<typeof loadShapeSchema>;

/** The default: steady load, no latency bound. */
export const STEADY_LOAD: LoadShape = { shape: 'steady', p95LatencyBoundMs: null };

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
