/**
 * CPU utilization from Linux `/proc/stat` (the aggregate `cpu` line). Not a power source: it
 * feeds the estimate sampler and gives context next to measured power.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sampler } from './sampler.js';

/** Cumulative CPU time from one `/proc/stat` snapshot, in clock ticks (USER_HZ). */
export interface CpuTimes {
  /** user + nice + system + idle + iowait + irq + softirq + steal. */
  total: number;
  /** idle + iowait: time the CPUs did no work. */
  idle: number;
}

/** Channel key of the utilization channel. */
export const CPU_LOAD_CHANNEL_KEY = 'cpu-load';
const DEFAULT_PROC_ROOT = '/proc';

/**
 * Parses the aggregate `cpu` line of `/proc/stat`. guest and guest_nice are left out of the
 * total: the kernel already counts them inside user and nice. Returns null if there is no
 * well-formed `cpu` line (at least user, nice, system, idle).
 */
export function parseProcStat(text: string): CpuTimes | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (line === undefined) return null;
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 4 || fields.some((n) => !Number.isFinite(n) || n < 0)) return null;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  return { total: user + nice + system + idle + iowait + irq + softirq + steal, idle: idle + iowait };
}

/**
 * Utilization between two snapshots as a fraction in [0, 1]: busy delta / total delta, where
 * busy = total - idle - iowait. null when no time passed (or the counters went backwards).
 */
export function computeUtilization(prev: CpuTimes, next: CpuTimes): number | null {
  const totalDelta = next.total - prev.total;
  const busyDelta = next.total - next.idle - (prev.total - prev.idle);
  if (totalDelta <= 0 || busyDelta < 0) return null;
  return Math.min(1, busyDelta / totalDelta);
}

/** Options for {@link CpuLoadSampler} and the estimate sampler's utilization reader. */
export interface CpuLoadOptions {
  /** Root of procfs; tests point it at a fixture directory. Default "/proc". */
  procRoot?: string;
  /** How the file is read. Default fs.readFileSync. */
  readFile?: (path: string) => string;
}

/**
 * Reads `/proc/stat` and turns successive snapshots into utilization. Shared by the cpu-load
 * and estimate samplers; does I/O only in read().
 */
export class ProcStatReader {
  private readonly path: string;
  private readonly readFile: (path: string) => string;
  private prev: CpuTimes | null = null;

  constructor(options: CpuLoadOptions = {}) {
    this.path = join(options.procRoot ?? DEFAULT_PROC_ROOT, 'stat');
    this.readFile = options.readFile ?? ((path) => readFileSync(path, 'utf8'));
  }

  /** Reads one snapshot, or returns why it could not. */
  read(): CpuTimes | string {
    let text: string;
    try {
      text = this.readFile(this.path);
    } catch (error) {
      return `cannot read ${this.path}: ${describeError(error)}`;
    }
    return parseProcStat(text) ?? `${this.path} has no aggregate "cpu" line`;
  }

  /** Takes a baseline snapshot (errors are left for the next poll to report). */
  prime(): void {
    const times = this.read();
    if (typeof times !== 'string') this.prev = times;
  }

  /**
   * Utilization (fraction) since the previous snapshot; null on the first read or when no time
   * passed; a string when the file could not be read.
   */
  next(): number | null | string {
    const times = this.read();
    if (typeof times === 'string') return times;
    const prev = this.prev;
    this.prev = times;
    return prev === null ? null : computeUtilization(prev, times);
  }
}

/**
 * Samples CPU utilization (channel "cpu-load", covers 'none': no power). Each sample is the mean
 * utilization since the previous poll (or since start()), stamped with the poll time.
 */
export class CpuLoadSampler implements Sampler {
  readonly source = 'cpu-load' as const;
  private readonly reader: ProcStatReader;

  constructor(options: CpuLoadOptions = {}) {
    this.reader = new ProcStatReader(options);
  }

  /** Available where `/proc/stat` reads and parses (Linux). Never throws. */
  async probe(): Promise<ProbeResult> {
    const times = this.reader.read();
    if (typeof times === 'string') {
      return {
        available: false,
        reason: times,
        hint: 'CPU utilization is read from Linux /proc/stat; it is not available on this system',
      };
    }
    const channel: Channel = {
      key: CPU_LOAD_CHANNEL_KEY,
      source: 'cpu-load',
      device: 'all CPUs',
      kind: 'sampled',
      covers: 'none',
      detail: { file: 'stat', line: 'cpu', busy: 'total - idle - iowait' },
    };
    return { available: true, channels: [channel] };
  }

  /** Takes the baseline snapshot. */
  async start(): Promise<void> {
    this.reader.prime();
  }

  /** Reads /proc/stat now; the first read without start() only sets the baseline. */
  async poll(nowMs: number): Promise<PollResult> {
    const utilization = this.reader.next();
    if (typeof utilization === 'string')
      return {
        samples: [],
        errors: [{ tMs: nowMs, channelKey: CPU_LOAD_CHANNEL_KEY, message: utilization }],
      };
    if (utilization === null) return { samples: [], errors: [] };
    const sample = emptySample(CPU_LOAD_CHANNEL_KEY, nowMs);
    sample.utilizationPct = utilization * 100;
    return { samples: [sample], errors: [] };
  }

  /** Nothing to release. */
  async stop(): Promise<void> {}
}
