/**
 * Whether an open-loop level is over-saturated: requests in flight grow without bound because they
 * arrive faster than the server finishes them. Pure.
 *
 * The samples are the requests in flight just before each arrival was sent, counted from the first
 * completion on (before it, in flight rises to its steady level rate x latency, which is no sign of
 * overload). Over-saturated when, over the second half of the samples, in flight grew by at least
 * OVERSAT_GROWTH_SHARE of the arrivals of that half and by at least OVERSAT_MIN_GROWTH requests.
 * Arriving at rate r to a server that finishes c tasks/s, the backlog grows by (1 - c/r) per
 * arrival, so a share of 0.2 detects offered rates above 1.25x what the server holds; a level
 * nearer its capacity runs to its end and fails the latency bound on its own.
 */

/** Samples (arrivals after the first completion) needed before a level can be called over-saturated. */
export const OVERSAT_MIN_SAMPLES = 20;
/** In-flight growth per arrival over the second half of the samples that counts as unbounded. */
export const OVERSAT_GROWTH_SHARE = 0.2;
/** ...and at least this many requests of growth, so a few slow answers are not a trend. */
export const OVERSAT_MIN_GROWTH = 5;

/** Whether the in-flight samples so far show unbounded growth (see the module's comment). Pure. */
export function isOverSaturated(inFlight: readonly number[]): boolean {
  const n = inFlight.length;
  if (n < OVERSAT_MIN_SAMPLES) return false;
  const half = Math.floor(n / 2);
  const growth = (inFlight[n - 1] ?? 0) - (inFlight[half - 1] ?? 0);
  return growth >= Math.max(OVERSAT_MIN_GROWTH, OVERSAT_GROWTH_SHARE * (n - half));
}
