import type { Channel, Sample, SamplerError, SourceName } from './readings.js';

export type PhaseName = 'unload' | 'warmup' | 'idle-before' | 'measure' | 'cooldown' | 'idle-after';

export interface Phase {
  name: PhaseName;
  /** The concurrency level of a measure or cooldown phase; 0 for the others. */
  concurrency: number;
  /** The context depth of a measure or cooldown phase's level (run --context-depth); absent: no filler. */
  contextDepthTokens?: number;
  startMs: number;
  endMs: number;
  /** An open-loop measure phase: its offered rate, tasks/s (absent: closed loop). */
  arrivalRatePerS?: number;
  /** An open-loop level stopped early because requests in flight grew without bound. */
  overSaturated?: boolean;
  /** The p95 latency bound a rate sweep judged the level against, ms. */
  latencyBoundMs?: number;
  /** The p95 TTFT bound a rate sweep judged the level against, ms. */
  ttftBoundMs?: number;
}

/** A channel as stored for a run. */
export interface StoredChannel extends Channel {
  id: number;
  inTotal: boolean;
  intervalMs: number;
}

/** A probe outcome as stored: why a source was or was not measured. */
export interface StoredSource {
  /** The tool or source probed, e.g. "nvidia-smi", "rapl", "meter:shelly". */
  source: string;
  available: boolean;
  reason: string | null;
  hint: string | null;
}

/** Where power settled at the start of an idle phase, before its baseline was measured (issue 13 item 6). */
export interface IdleSettle {
  phase: 'idle-before' | 'idle-after';
  /** When the wait began, on the run's clock. */
  startMs: number;
  /** When power was flat (or the wait gave up): the baseline is measured from here. */
  settledMs: number;
  /** false: power was not flat by maxMs, and the baseline was measured anyway. */
  steady: boolean;
  maxMs: number;
  /** Flat means: within `tolerance` (a share of the mean) over the last `windowMs`. */
  windowMs: number;
  tolerance: number;
}

/** A reading as stored: its channel is the row it belongs to. */
export type StoredSample = Omit<Sample, 'channelKey'>;

/** The sampler errors of a run, counted per source and channel, with the first message. */
export interface TelemetryErrorCount {
  source: string;
  channelKey: string | null;
  count: number;
  firstMessage: string;
}

/**
 * Where a telemetry session hands what it finds and reads: the probes' outcomes, the channels it
 * starts, and batches of readings. store/telemetry.ts's `telemetrySink` writes them to a run.
 */
export interface TelemetrySink {
  addSource(source: StoredSource): void;
  /** Adds a channel and returns its id (for a resumed run, the one it already has). */
  addChannel(channel: Channel, inTotal: boolean, intervalMs: number): number;
  /**
   * A batch of readings and errors, kept together. `channelIds`: from addChannel, by key;
   * `originMs`: the run's time zero, subtracted so stored times are offsets on the run's clock.
   */
  addBatch(
    channelIds: ReadonlyMap<string, number>,
    originMs: number,
    samples: readonly Sample[],
    errors: readonly (SamplerError & { source: SourceName })[],
  ): void;
}

/**
 * A run whose samples were thinned when it was exported (`export --downsample-ms`): the interval,
 * the sample counts before and after, and its energy summary computed from every sample before
 * (JSON, as the exporting costbench's analysis wrote it). The analysis reports that summary.
 */
export interface DownsampledEnergy {
  intervalMs: number;
  samplesBefore: number;
  samplesAfter: number;
  energyJson: string;
}
