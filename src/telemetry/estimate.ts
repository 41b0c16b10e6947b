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
import { assumeCpuTdp, type CpuFacts, type TdpAssumption } from './cpu-tdp.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sampler } from './sampler.js';

/** Assumed idle power as a fraction of TDP (the same floor CodeCarbon uses). An assumption, not a measurement. */
export const DEFAULT_IDLE_FRACTION = 0.1;

/** Channel key of the estimate. */
export const ESTIMATE_CHANNEL_KEY = 'estimate:cpu';

/** Options for {@link EstimateSampler}. */
export interface EstimateSamplerOptions extends CpuLoadOptions {
  /** Configured TDP in watts (telemetry.cpuTdpW); wins over the table. */
  tdpW?: number;
  /** What is known of the CPU (model, vendor, cores, class). Default: from `cpuModel` and node:os. */
  cpu?: CpuFacts;
  /** The CPU model string to look up in the table, when `cpu` is not given. Default os.cpus()[0].model. */
  cpuModel?: string;
  /** Idle power as a fraction of TDP. Default {@link DEFAULT_IDLE_FRACTION}. */
  idleFraction?: number;
}

/** The note of an estimate made inside a VM. */
export const GUEST_SIDE_NOTE =
  "guest-side ESTIMATE from rated power and this VM's /proc/stat utilization, " +
  "not a measurement: the host's real draw (other guests, its own load) is not in it";

/** An estimate channel labelled as made inside a VM: detail.guestSide true and the guest-side note. Pure. */
function labelGuestSide(channel: Channel): Channel {
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
export function computeEstimatedPowerW(
  tdpW: number,
  utilization: number,
  idleFraction = DEFAULT_IDLE_FRACTION,
): number {
  const u = Math.min(1, Math.max(0, utilization));
  return tdpW * idleFraction + tdpW * (1 - idleFraction) * u;
}

/** What node:os tells of the CPU: its model and logical CPUs, nothing of its class. */
export function cpuFactsFromModel(model: string, logicalCpus: number | null): CpuFacts {
  return {
    model,
    vendor: null,
    cores: logicalCpus,
    physicalCores: null,
    sockets: null,
    speedMaxGhz: null,
    chassis: null,
    hasBattery: null,
  };
}

/**
 * Estimates CPU power from utilization and a TDP (configured, the cpu-tdp table, or a range by class
 * and core count). The samples use the TDP's point; the channel's detail carries the range
 * (tdpLowW..tdpHighW) and its basis, which the report turns into energy and cost ranges.
 * Channel "estimate:cpu", kind 'estimate', covers 'cpu'.
 */
export class EstimateSampler implements Sampler {
  readonly source = 'estimate' as const;
  private readonly reader: ProcStatReader;
  private readonly idleFraction: number;
  private readonly cpu: CpuFacts;
  private tdp: TdpAssumption | null = null;

  constructor(private readonly options: EstimateSamplerOptions = {}) {
    this.reader = new ProcStatReader(options);
    this.idleFraction = options.idleFraction ?? DEFAULT_IDLE_FRACTION;
    const here = cpus();
    const model = options.cpuModel ?? here[0]?.model ?? 'unknown CPU';
    this.cpu = options.cpu ?? cpuFactsFromModel(model, here.length > 0 ? here.length : null);
  }

  /** Available when a TDP is known and /proc/stat reads. Never throws. */
  async probe(): Promise<ProbeResult> {
    const tdp = assumeCpuTdp(this.cpu, this.options.tdpW ?? null);
    if ('none' in tdp) {
      return {
        available: false,
        reason: `no TDP can be assumed for CPU "${this.cpu.model}": ${tdp.none}`,
        hint: "set telemetry.cpuTdpW in the config to the CPU's rated power in watts",
      };
    }
    const times = this.reader.read();
    if (typeof times === 'string') {
      return {
        available: false,
        reason: `${times} (the CPU estimate needs utilization from Linux /proc/stat)`,
        hint: 'the CPU power estimate works on Linux only; use a wall meter elsewhere',
      };
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
    if (typeof utilization === 'string')
      return {
        samples: [],
        errors: [{ tMs: nowMs, channelKey: ESTIMATE_CHANNEL_KEY, message: utilization }],
      };
    if (utilization === null) return { samples: [], errors: [] };
    const sample = emptySample(ESTIMATE_CHANNEL_KEY, nowMs);
    sample.powerW = computeEstimatedPowerW(tdp.tdpW, utilization, this.idleFraction);
    sample.utilizationPct = utilization * 100;
    return { samples: [sample], errors: [] };
  }

  /** Nothing to release. */
  async stop(): Promise<void> {}

  private channel(tdp: TdpAssumption): Channel {
    return {
      key: ESTIMATE_CHANNEL_KEY,
      source: 'estimate',
      device: this.cpu.model,
      kind: 'estimate',
      covers: 'cpu',
      detail: {
        estimate: true,
        tdpW: tdp.tdpW,
        tdpLowW: tdp.lowW,
        tdpHighW: tdp.highW,
        tdpFrom: tdp.from,
        tdpBasis: tdp.basis,
        tdpSource: tdp.source,
        model: 'linear',
        idleFraction: this.idleFraction,
        formula: 'TDP x (idleFraction + (1 - idleFraction) x utilization)',
        note: 'ESTIMATE from rated power and /proc/stat utilization, not a measurement',
      },
    };
  }
}
