/** Where a reading comes from. */
export type SourceName = 'nvidia' | 'amd' | 'rapl' | 'apple' | 'meter' | 'estimate' | 'cpu-load';

/**
 * How a reading was obtained:
 * - counter: a cumulative energy counter (J) read at the sample time; energy = counter delta;
 * - sampled: a power reading (W) at the sample time; energy = trapezoid over time;
 * - estimate: a modelled power (W), never a measurement: always labelled as an estimate.
 */
export type ReadingKind = 'counter' | 'sampled' | 'estimate';

/** What a channel's power covers. Channels with different coverage may overlap: never sum blindly. */
export type Coverage =
  | 'gpu-board' // a discrete GPU's board power
  | 'apu-package' // an APU: CPU and GPU on one package (do not add RAPL on top)
  | 'cpu-package' // RAPL package (cores, uncore, on-die graphics)
  | 'dram' // RAPL dram
  | 'psys' // RAPL platform (SoC + more): includes package and dram
  | 'soc' // Apple: CPU + GPU + ANE
  | 'cpu' // a CPU-only reading or estimate
  | 'gpu' // an integrated GPU reading (Apple)
  | 'ane' // Apple Neural Engine
  | 'wall' // the whole machine at the plug
  | 'none'; // utilization only, no power

/** One measured (or estimated) stream of readings, e.g. GPU 0's board power. */
export interface Channel {
  /** Stable within a run, e.g. "nvidia:0", "rapl:package-0", "meter:shelly". */
  key: string;
  source: SourceName;
  /** The device, as the source names it, e.g. "NVIDIA GeForce RTX 4090" or "package-0". */
  device: string;
  kind: ReadingKind;
  covers: Coverage;
  /** Free-form facts worth keeping: which field was read (power.draw.instant vs power.draw), averaging window, TDP used. */
  detail: Record<string, string | number | boolean | null>;
}

/** One reading of one channel. null fields were not reported (N/A), not zero. */
export interface Sample {
  channelKey: string;
  /** Monotonic time of the reading, ms (performance.now() scale of the process). */
  tMs: number;
  powerW: number | null;
  /**
   * Cumulative energy in joules (counter channels only), unwrapped where the counter's range is
   * known. Where it is not, a wrap shows as a drop: the energy of that interval is unknown.
   */
  energyJ: number | null;
  utilizationPct: number | null;
  memoryUsedBytes: number | null;
  clockMhz: number | null;
  temperatureC: number | null;
}

/** A problem a sampler met while running: recorded as data, counted, never fatal. */
export interface SamplerError {
  tMs: number;
  channelKey: string | null;
  message: string;
}

export interface PowerPoint {
  tMs: number;
  powerW: number;
}
