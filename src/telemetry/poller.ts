import type { PollResult, Sample, Sampler, SamplerError, SourceName } from './sampler.js';

/** Default time between polls. */
export const DEFAULT_POLL_INTERVAL_MS = 100;
/** Default time between writes of buffered samples to the database. */
export const DEFAULT_FLUSH_EVERY_MS = 1_000;

/**
 * Edges closer than this to the previous read share its readings (a request's end and the next
 * one's start, a phase's end and the next one's start): far under any counter's update period
 * (RAPL's is about 1 ms, NVML's tens of ms), so the reading is the one the counter would give.
 */
export const BOUNDARY_SHARE_MS = 0.5;

/** Readings kept in memory while flushes fail, at most (about 10 minutes of 10 Hz from a dozen channels). */
const MAX_BUFFERED_SAMPLES = 100_000;

export type TaggedError = SamplerError & { source: SourceName };

/** A sampler and how often to poll it: power at the poller's interval, slow things (utilization, meters, tools that start a process) less often. */
export interface ScheduledSampler {
  sampler: Sampler;
  /** At least this long between two polls of this sampler; the poller's interval when smaller. */
  periodMs: number;
}

export interface PollerOptions {
  samplers: readonly ScheduledSampler[];
  /** The shortest time between two ticks (the power interval). */
  intervalMs: number;
  flushEveryMs: number;
  now: () => number;
  /** Receives buffered samples and errors; called at most every flushEveryMs, and once at stop. */
  onFlush: (samples: Sample[], errors: TaggedError[]) => void;
  /** Receives errors thrown by onFlush (e.g. the database is locked): the poller keeps going. */
  onFlushError?: (error: unknown) => void;
  /** Sees each poll's samples as they come (e.g. to tell when power has settled); must not throw. */
  onSamples?: (samples: readonly Sample[]) => void;
}

/**
 * The poller's tick: as often as the most frequent sampler needs, never more often than
 * `intervalMs`, never less often than a flush. Sources that push their readings stamped on arrival
 * (nvidia-smi -lms, powermetrics) are drained once a second, so a machine whose only fast source
 * pushes wakes this process once a second instead of ten times. Pure.
 */
export function computeTickMs(
  samplers: readonly ScheduledSampler[],
  intervalMs: number,
  flushEveryMs: number,
): number {
  const fastest = Math.min(flushEveryMs, ...samplers.map((s) => s.periodMs));
  return Math.max(intervalMs, fastest);
}

/**
 * Polls every sampler on one tick, buffers what comes back and hands it on in batches.
 * A sampler whose previous poll is still in flight is skipped for that tick (never queued), and
 * a poll that throws despite the contract becomes an error: the run always goes on.
 */
export class Poller {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Sampler>();
  private readonly lastPollMs = new Map<Sampler, number>();
  private samples: Sample[] = [];
  private errors: TaggedError[] = [];
  private lastFlushMs: number;
  private readonly latestByChannel = new Map<string, Sample>();
  private readonly errorCounts = new Map<SourceName, number>();
  private pending: Promise<void>[] = [];
  private lastBoundaryMs = -Infinity;
  /** Time between ticks (see computeTickMs). */
  readonly tickMs: number;

  constructor(private readonly options: PollerOptions) {
    this.lastFlushMs = options.now();
    this.tickMs = computeTickMs(options.samplers, options.intervalMs, options.flushEveryMs);
  }

  /** Starts polling (the samplers must already be started). */
  start(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  /** The newest sample of each channel, for live display. */
  latest(): ReadonlyMap<string, Sample> {
    return this.latestByChannel;
  }

  /** Errors met so far, per source. */
  errorCount(): ReadonlyMap<SourceName, number> {
    return this.errorCounts;
  }

  private tick(): void {
    const nowMs = this.options.now();
    for (const { sampler, periodMs } of this.options.samplers) {
      if (this.inFlight.has(sampler)) continue;
      const last = this.lastPollMs.get(sampler);
      // Half a tick of slack, so a timer firing a little early does not skip a whole period.
      if (last !== undefined && nowMs - last < periodMs - this.tickMs / 2) continue;
      this.lastPollMs.set(sampler, nowMs);
      this.inFlight.add(sampler);
      const done = this.pollOne(sampler, nowMs).finally(() => this.inFlight.delete(sampler));
      this.pending.push(done);
      void done.then(() => {
        this.pending = this.pending.filter((p) => p !== done);
      });
    }
    // Half a tick of slack here too: with a 1 s tick and 1 s flushes, a tick a hair early must still flush.
    if (nowMs - this.lastFlushMs >= this.options.flushEveryMs - this.tickMs / 2) this.flush();
  }

  /**
   * Reads every counter source now (request starts and ends, phase edges): their readings join
   * the buffer like polled ones. An edge within BOUNDARY_SHARE_MS of the last read shares it.
   * Synchronous and cheap; a failing read is an error, never a throw.
   */
  boundary(): void {
    const nowMs = this.options.now();
    if (nowMs - this.lastBoundaryMs < BOUNDARY_SHARE_MS) return;
    this.lastBoundaryMs = nowMs;
    for (const { sampler } of this.options.samplers) {
      if (sampler.boundary === undefined) continue;
      let result: PollResult;
      try {
        result = sampler.boundary(nowMs);
      } catch (error) {
        result = {
          samples: [],
          errors: [
            { tMs: nowMs, channelKey: null, message: error instanceof Error ? error.message : String(error) },
          ],
        };
      }
      this.take(sampler, result);
    }
  }

  private async pollOne(sampler: Sampler, nowMs: number): Promise<void> {
    let result: PollResult;
    try {
      result = await sampler.poll(nowMs);
    } catch (error) {
      result = {
        samples: [],
        errors: [
          { tMs: nowMs, channelKey: null, message: error instanceof Error ? error.message : String(error) },
        ],
      };
    }
    this.take(sampler, result);
  }

  private take(sampler: Sampler, result: PollResult): void {
    for (const sample of result.samples) {
      this.samples.push(sample);
      // The live figure is power: an energy-only boundary reading does not replace the last power reading.
      if (sample.powerW !== null || !this.latestByChannel.has(sample.channelKey))
        this.latestByChannel.set(sample.channelKey, sample);
    }
    if (result.samples.length > 0) this.options.onSamples?.(result.samples);
    for (const error of result.errors) this.errors.push({ ...error, source: sampler.source });
    if (result.errors.length > 0)
      this.errorCounts.set(
        sampler.source,
        (this.errorCounts.get(sampler.source) ?? 0) + result.errors.length,
      );
  }

  private flush(): void {
    this.lastFlushMs = this.options.now();
    if (this.samples.length === 0 && this.errors.length === 0) return;
    const samples = this.samples;
    const errors = this.errors;
    this.samples = [];
    this.errors = [];
    try {
      this.options.onFlush(samples, errors);
    } catch (error) {
      // Keep the readings for the next flush (the database may be busy for a moment), within a bound.
      this.samples = [...samples, ...this.samples].slice(-MAX_BUFFERED_SAMPLES);
      this.errors = [...errors, ...this.errors].slice(-MAX_BUFFERED_SAMPLES);
      this.options.onFlushError?.(error);
    }
  }

  /** Stops polling: waits for polls in flight, takes one last poll, flushes, stops every sampler. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.pending);
    const nowMs = this.options.now();
    await Promise.all(this.options.samplers.map((s) => this.pollOne(s.sampler, nowMs)));
    this.flush();
    await Promise.all(this.options.samplers.map((s) => s.sampler.stop().catch(() => undefined)));
  }
}
