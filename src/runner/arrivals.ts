/**
 * When each request of an open-loop level is due: constant (every 1/rate s), Poisson (exponential
 * gaps from a seeded PRNG, reproducible) or bursts (on/off at the load shape's peak-to-mean). Pure.
 */

/** How arrivals spread in time. */
export type ArrivalPattern = 'constant' | 'poisson' | 'burst';

/** Seconds of one on/off cycle of the burst pattern: on for 1/peakToMean of it at the peak rate, then off. */
export const BURST_PERIOD_S = 10;

/**
 * mulberry32: a tiny 32-bit PRNG, the same sequence for the same seed on every machine
 * (https://gist.github.com/tommyettinger/46a874533244883189143505d203312c). Returns [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What an arrival schedule needs. */
export interface ArrivalSpec {
  pattern: ArrivalPattern;
  /** Mean offered rate, tasks/s (> 0). */
  ratePerS: number;
  /** Poisson: the PRNG's seed. */
  seed: number;
  /** Burst: peak rate / mean rate (>= 1). */
  peakToMean: number;
}

/**
 * The first `count` arrival offsets from the level's start, ms, non-decreasing; the first is 0
 * for constant and burst, the first exponential gap for Poisson.
 */
export function arrivalOffsetsMs(spec: ArrivalSpec, count: number): number[] {
  const gapMs = 1000 / spec.ratePerS;
  const offsets: number[] = [];
  if (spec.pattern === 'poisson') {
    const random = mulberry32(spec.seed);
    let t = 0;
    for (let i = 0; i < count; i += 1) {
      // 1 - u is in (0, 1]: the logarithm is finite.
      t += -Math.log(1 - random()) * gapMs;
      offsets.push(t);
    }
    return offsets;
  }
  if (spec.pattern === 'constant' || spec.peakToMean <= 1) {
    for (let i = 0; i < count; i += 1) offsets.push(i * gapMs);
    return offsets;
  }
  // Bursts: the i-th arrival at the peak rate in "busy time", folded into the on-windows of each cycle.
  const periodMs = BURST_PERIOD_S * 1000;
  const onMs = periodMs / spec.peakToMean;
  const peakGapMs = gapMs / spec.peakToMean;
  for (let i = 0; i < count; i += 1) {
    const busy = i * peakGapMs;
    const cycle = Math.floor(busy / onMs + 1e-9);
    offsets.push(cycle * periodMs + (busy - cycle * onMs));
  }
  return offsets;
}
