/**
 * Waiting for steady power before an idle baseline (issue 13 item 6). After the warm-up or the
 * last request, clocks and fans stay up for a while; a baseline taken then reads idle above the
 * busy mean. Instead of leaving a fixed 2 s out, the runner waits until the machine's power is
 * flat within a tolerance over a window, for at most a limit, and measures the baseline from there.
 */
import type { PowerPoint } from '../types/readings.js';
import type { Sample } from './sampler.js';

/** Flat means: the window's bucket means within this share of their mean... */
export const STEADY_TOLERANCE = 0.02;
/** ...over this long... */
export const STEADY_WINDOW_MS = 2_000;
/** ...split into this many buckets (a bucket mean smooths the noise of single readings). */
export const STEADY_BUCKETS = 4;
/** The longest wait before an idle baseline; after it the baseline is measured anyway, and flagged. */
export const SETTLE_MAX_MS = 30_000;
/** How often a wait looks at the readings again. */
export const STEADY_CHECK_EVERY_MS = 250;

/** What "flat" means. */
export interface SteadyCriterion {
  windowMs: number;
  tolerance: number;
  buckets: number;
}

/** The default criterion: within 2% over 2 s. */
export const DEFAULT_STEADY: SteadyCriterion = {
  windowMs: STEADY_WINDOW_MS,
  tolerance: STEADY_TOLERANCE,
  buckets: STEADY_BUCKETS,
};

/** How a wait for steady power ended. */
export interface SteadyResult {
  /** false: not flat by the limit (or stopped by the signal); the baseline is measured anyway. */
  steady: boolean;
  waitedMs: number;
  windowMs: number;
  tolerance: number;
}

/** Waits until power is flat, at most `maxMs`; returns early when the signal fires. */
export type WaitForSteadyPower = (maxMs: number, signal?: AbortSignal) => Promise<SteadyResult>;

/** Mean of the readings in [fromMs, toMs), or null when there is none. */
function bucketMean(points: readonly PowerPoint[], fromMs: number, toMs: number): number | null {
  let sum = 0;
  let n = 0;
  for (const p of points) {
    if (p.tMs >= fromMs && p.tMs < toMs) {
      sum += p.powerW;
      n += 1;
    }
  }
  return n === 0 ? null : sum / n;
}

/**
 * A channel read less often than once a bucket (amd-smi, rocm-smi: once a second) has no reading
 * in some buckets: there its last reading since `sinceMs` holds. null for a channel read more often
 * (a missing reading there is a gap) or with no reading since `sinceMs` before `toMs`.
 */
function heldReading(
  points: readonly PowerPoint[],
  bucketMs: number,
  sinceMs: number,
  toMs: number,
): number | null {
  const gaps = points.slice(1).map((p, i) => p.tMs - (points[i] as PowerPoint).tMs);
  gaps.sort((a, b) => a - b);
  const medianGapMs = gaps[Math.floor(gaps.length / 2)];
  if (medianGapMs === undefined || medianGapMs <= bucketMs) return null;
  let held: number | null = null;
  for (const p of points) if (p.tMs >= sinceMs && p.tMs < toMs) held = p.powerW;
  return held;
}

/**
 * Whether the machine's power (the sum of the channels) is flat over the last `windowMs` of
 * readings after `sinceMs`. The window ends at the newest time every channel has reached (pushed
 * readings arrive late); it is cut into buckets, every channel needs a reading in each (a channel
 * read less often than once a bucket: its last reading holds), and the
 * summed bucket means must lie within `tolerance` of their mean. Pure.
 */
export function isPowerSteady(
  channels: ReadonlyMap<string, readonly PowerPoint[]>,
  sinceMs: number,
  c: SteadyCriterion,
): boolean {
  // A channel that has given no power reading at all (e.g. a GPU whose power reads N/A) is no part of the sum.
  const lists = [...channels.values()].filter((l) => l.length > 0);
  if (lists.length === 0) return false;
  const endMs = Math.min(...lists.map((l) => l[l.length - 1]?.tMs ?? -Infinity));
  const startMs = endMs - c.windowMs;
  if (startMs < sinceMs) return false;
  const bucketMs = c.windowMs / c.buckets;
  const totals: number[] = [];
  for (let b = 0; b < c.buckets; b += 1) {
    // The last bucket takes in the reading at endMs.
    const to = b === c.buckets - 1 ? endMs + 1e-9 : startMs + (b + 1) * bucketMs;
    const means = lists.map(
      (l) => bucketMean(l, startMs + b * bucketMs, to) ?? heldReading(l, bucketMs, sinceMs, to),
    );
    if (means.some((m) => m === null)) return false;
    totals.push(means.reduce((acc: number, m) => acc + (m as number), 0));
  }
  const mean = totals.reduce((a, t) => a + t, 0) / totals.length;
  return Math.max(...totals) - Math.min(...totals) <= c.tolerance * Math.abs(mean);
}

/** The recent power readings of the channels that make the machine total, fed from the poller. */
export class RecentPower {
  private readonly byChannel = new Map<string, PowerPoint[]>();

  /** `keys`: the channels to follow; `keepMs`: how much history to keep. */
  constructor(
    private readonly keys: ReadonlySet<string>,
    private readonly keepMs: number,
  ) {
    for (const key of keys) this.byChannel.set(key, []);
  }

  /** Takes the readings of followed channels that carry power. */
  add(samples: readonly Sample[]): void {
    for (const s of samples) {
      if (s.powerW === null || !this.keys.has(s.channelKey)) continue;
      const list = this.byChannel.get(s.channelKey) as PowerPoint[];
      list.push({ tMs: s.tMs, powerW: s.powerW });
      const cutMs = s.tMs - this.keepMs;
      while (list.length > 0 && (list[0] as PowerPoint).tMs < cutMs) list.shift();
    }
  }

  /** The readings kept, per channel. */
  readings(): ReadonlyMap<string, readonly PowerPoint[]> {
    return this.byChannel;
  }
}

/** What a wait needs: the readings, the clock and a sleep that returns early on the signal. */
export interface SteadyWaitIo {
  recent: RecentPower;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  criterion?: SteadyCriterion;
  checkEveryMs?: number;
}

/** A wait for steady power over live readings; only readings from the wait's start count. */
export function makeWaitForSteadyPower(io: SteadyWaitIo): WaitForSteadyPower {
  const criterion = io.criterion ?? DEFAULT_STEADY;
  const checkEveryMs = io.checkEveryMs ?? STEADY_CHECK_EVERY_MS;
  return async (maxMs, signal) => {
    const startMs = io.now();
    const done = (steady: boolean): SteadyResult => ({
      steady,
      waitedMs: io.now() - startMs,
      windowMs: criterion.windowMs,
      tolerance: criterion.tolerance,
    });
    for (;;) {
      if (isPowerSteady(io.recent.readings(), startMs, criterion)) return done(true);
      const elapsedMs = io.now() - startMs;
      if (elapsedMs >= maxMs || signal?.aborted === true) return done(false);
      await io.sleep(Math.min(checkEveryMs, maxMs - elapsedMs), signal);
    }
  };
}
