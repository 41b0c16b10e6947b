import type { SourceName, Channel, Sample, SamplerError } from '../types/readings.js';
export type { SourceName, Coverage, Channel, Sample, SamplerError } from '../types/readings.js';
/**
 * The sampler interface: one implementation per power source (NVIDIA, AMD, RAPL, Apple, wall
 * meter, estimate). The poller calls poll() on one interval for every sampler; pure energy
 * code downstream never cares which source a sample came from, only its kind and coverage.
 */

/** What probing a source found. */
export type ProbeResult =
  | { available: true; channels: Channel[] }
  | {
      available: false;
      /** One line: what is missing or refused, e.g. "nvidia-smi not found on PATH". */
      reason: string;
      /** How to enable it, e.g. "sudo chmod a+r /sys/class/powercap/intel-rapl:0/energy_uj". */
      hint: string | null;
    };

/** The result of one poll: readings, and any problems met. */
export interface PollResult {
  samples: Sample[];
  errors: SamplerError[];
}

export interface Sampler {
  readonly source: SourceName;
  /** Checks whether the source can be read here, and which channels it offers. Never throws. */
  probe(): Promise<ProbeResult>;
  /** Starts any long-lived reader (e.g. one `nvidia-smi -lms` process). Called once, after a successful probe. */
  start(): Promise<void>;
  /**
   * Returns what arrived since the last poll (push sources: buffered lines stamped on arrival)
   * or reads now (pull sources: files, HTTP). `nowMs` is the poller's monotonic time. Never throws:
   * failures come back in `errors` and leave a gap.
   */
  poll(nowMs: number): Promise<PollResult>;
  /**
   * Counter sources (NVML's energy counter, RAPL): read the counters now, synchronously, so a
   * request's or a phase's edges fall on readings and its energy is a counter delta, not a share
   * of the polling interval around it. Absent for sources that only sample power.
   */
  boundary?(nowMs: number): PollResult;
  /** Stops the reader and frees resources. Safe to call twice. */
  stop(): Promise<void>;
}

/** A sampler with the name its probe is reported under (one source may have several tools), and its period. */
export interface NamedSampler {
  name: string;
  sampler: Sampler;
  /**
   * Least time between two polls: the power interval for sources read at the poll (files), longer
   * for slow ones, and a second for tools that push readings stamped on arrival (polling only drains them).
   */
  periodMs: number;
}

/** A sample with every optional field unknown, for samplers to fill in. */
export function emptySample(channelKey: string, tMs: number): Sample {
  return {
    channelKey,
    tMs,
    powerW: null,
    energyJ: null,
    utilizationPct: null,
    memoryUsedBytes: null,
    clockMhz: null,
    temperatureC: null,
  };
}
