import { z } from 'zod';

/**
 * The shape of the monthly load: how tasks spread over the day, and the latency they must be served
 * within. The zod schema lives with the config; the computations on it
 * are in cost/load-shape.ts.
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
