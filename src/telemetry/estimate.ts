/**
 * An ESTIMATE of CPU power, for machines where nothing measures it (the caller decides: it is
 * used only when no measured source covers the CPU). It is a model, not a measurement:
 *
 *   powerW = TDP × (IDLE_FRACTION + (1 − IDLE_FRACTION) × utilization)
 *
 * Assumptions: power is linear in /proc/stat utilization between IDLE_FRACTION × TDP (idle) and
 * TDP (all cores busy). Real CPUs idle lower, turbo above TDP and are not linear, so the channel
 * is kind 'estimate' and says so in its detail: never report it as a measurement.
 */
import { cpus } from 'node:os';
import { ProcStatReader } from './cpu-load.js';
import type { CpuLoadOptions } from './cpu-load.js';
import { findCpuTdp } from './cpu-tdp.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sampler } from './sampler.js';

/** Assumed idle power as a fraction of TDP (the same floor CodeCarbon uses). An assumption, not a measurement. */
export const DEFAULT_IDLE_FRACTION = 0.1;

/** Channel key of the estimate. */
export const ESTIMATE_CHANNEL_KEY = 'estimate:cpu';

/** Where the TDP came from. */
export type TdpFrom = 'config' | 'table';

/** Options for {@link EstimateSampler}. */
export interface EstimateSamplerOptions extends CpuLoadOptions {
  /** Configured TDP in watts (telemetry.cpuTdpW); wins over the table. */
  tdpW?: number;
  /** The CPU model string to look up in the table. Default os.cpus()[0].model. */
  cpuModel?: string;
  /** Idle power as a fraction of TDP. Default {@link DEFAULT_IDLE_FRACTION}. */
  idleFraction?: number;
}

/** The note of an estimate made inside a VM. */
export const GUEST_SIDE_NOTE = "guest-side ESTIMATE from rated power and this VM's /proc/stat utilization, "
  + "not a measurement: the host's real draw (other guests, its own load) is not in it";

/** An estimate channel labelled as made inside a VM: detail.guestSide true and the guest-side note. Pure. */
export function labelGuestSide(channel: Channel): Channel {
  return { ...channel, detail: { ...channel.detail, guestSide: true, note: GUEST_SIDE_NOTE } };
}

/** An estimate's probe with its channels labelled guest-side (a VM); an unavailable probe as it is. Pure. */
export function labelGuestSideProbe(probe: ProbeResult): ProbeResult {
  return probe.available ? { available: true, channels: probe.channels.map(labelGuestSide) } : probe;
}

/**
 * The linear model: TDP × (idleFraction + (1 − idleFraction) × utilization), utilization a
 * fraction in [0, 1]. Written as two products so round values stay exact (170 W at 0.5 is 93.5).
 */
export function computeEstimatedPowerW(tdpW: number, utilization: number, idleFraction = DEFAULT_IDLE_FRACTION): number {
  const u = Math.min(1, Math.max(0, utilization));
  return tdpW * idleFraction + tdpW * (1 - idleFraction) * u;
}

interface ResolvedTdp {
  tdpW: number;
  from: TdpFrom;
  source: string;
}

/**
 * Estimates CPU power from utilization and a TDP (configured, or from the cpu-tdp table).
 * Channel "estimate:cpu", kind 'estimate', covers 'cpu'.
 */
export class EstimateSampler implements Sampler {
  readonly source = 'estimate' as const;
  private readonly reader: ProcStatReader;
  private readonly idleFraction: number;
  private readonly cpuModel: string;
  private tdp: ResolvedTdp | null = null;

  constructor(private readonly options: EstimateSamplerOptions = {}) {
    this.reader = new ProcStatReader(options);
    this.idleFraction = options.idleFraction ?? DEFAULT_IDLE_FRACTION;
    this.cpuModel = options.cpuModel ?? cpus()[0]?.model ?? 'unknown CPU';
  }

  /** Available when a TDP is known and /proc/stat reads. Never throws. */
  async probe(): Promise<ProbeResult> {
    const tdp = this.resolveTdp();
    if (tdp === null) {
      return { available: false, reason: `no TDP known for CPU "${this.cpuModel}": cannot estimate its power`, hint: 'set telemetry.cpuTdpW in the config' };
    }
    const times = this.reader.read();
    if (typeof times === 'string') {
      return { available: false, reason: `${times} (the CPU estimate needs utilization from Linux /proc/stat)`, hint: 'the CPU power estimate works on Linux only; use a wall meter elsewhere' };
    }
    this.tdp = tdp;
    return { available: true, channels: [this.channel(tdp)] };
  }

  /** Takes the utilization baseline (probes first if needed). */
  async start(): Promise<void> {
    if (this.tdp === null) await this.probe();
    this.reader.prime();
  }

  /** Estimates power from utilization since the previous poll (the first poll without start() only sets the baseline). */
  async poll(nowMs: number): Promise<PollResult> {
    const tdp = this.tdp;
    if (tdp === null) return { samples: [], errors: [] };
    const utilization = this.reader.next();
    if (typeof utilization === 'string') return { samples: [], errors: [{ tMs: nowMs, channelKey: ESTIMATE_CHANNEL_KEY, message: utilization }] };
    if (utilization === null) return { samples: [], errors: [] };
    const sample = emptySample(ESTIMATE_CHANNEL_KEY, nowMs);
    sample.powerW = computeEstimatedPowerW(tdp.tdpW, utilization, this.idleFraction);
    sample.utilizationPct = utilization * 100;
    return { samples: [sample], errors: [] };
  }

  /** Nothing to release. */
  async stop(): Promise<void> {}

  private resolveTdp(): ResolvedTdp | null {
    const configured = this.options.tdpW;
    if (configured !== undefined && Number.isFinite(configured) && configured > 0) {
      return { tdpW: configured, from: 'config', source: 'telemetry.cpuTdpW' };
    }
    const row = findCpuTdp(this.cpuModel);
    return row === null ? null : { tdpW: row.tdpW, from: 'table', source: `${row.match}: ${row.source}` };
  }

  private channel(tdp: ResolvedTdp): Channel {
    return {
      key: ESTIMATE_CHANNEL_KEY,
      source: 'estimate',
      device: this.cpuModel,
      kind: 'estimate',
      covers: 'cpu',
      detail: {
        estimate: true,
        tdpW: tdp.tdpW,
        tdpFrom: tdp.from,
        tdpSource: tdp.source,
        model: 'linear',
        idleFraction: this.idleFraction,
        formula: 'TDP x (idleFraction + (1 - idleFraction) x utilization)',
        note: 'ESTIMATE from rated power and /proc/stat utilization, not a measurement',
      },
    };
  }
}
