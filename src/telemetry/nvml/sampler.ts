/**
 * NVIDIA GPUs read in-process through NVML: the board's total-energy counter (Volta and newer,
 * a 'counter' channel: energy = counter delta) and, where the GPU has none, sampled power.
 * Channel keys are those of the nvidia-smi sampler (`nvidia:<index>`): the same device either way.
 * NVML is initialised for the probe and again from start() to stop(), never left initialised.
 */
import { performance } from 'node:perf_hooks';
import { emptySample } from '../sampler.js';
import type { Channel, PollResult, ProbeResult, Sample, Sampler, SamplerError } from '../sampler.js';
import { describeNvmlCode, NVML_ERROR_GPU_IS_LOST, NVML_SUCCESS } from './bindings.js';
import type { NvmlApi, NvmlDevice } from './bindings.js';
import { measureCounterPeriodsMs } from './counter-period.js';
import { initHint, listGpus, readOptional } from './gpus.js';
import type { GpuFacts } from './gpus.js';
import { openNvml } from './library.js';
import type { OpenNvml } from './library.js';

/** Options of {@link NvmlSampler}; all I/O is injected so tests never touch the real driver. */
export interface NvmlSamplerOptions {
  /** COSTBENCH_NVML_LIB is read from here. Default process.env. */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** The power interval: the poll period, and the one reported in each channel's detail. */
  intervalMs: number;
  /**
   * A longer poll period for when every GPU has a counter and the counters are read at request and
   * phase boundaries ({@link NvmlSampler.readNow}); default: the power interval (nothing slowed).
   */
  slowIntervalMs?: number;
  /** Driver directories to search (tests: a temp tree). Default LINUX_DRIVER_DIRS. */
  dirs?: readonly string[];
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Opens the library. Default: koffi and the discovery in library.ts. */
  open?: () => Promise<OpenNvml>;
  /** Longest time spent finding each counter's update period at probe. */
  counterProbeBudgetMs?: number;
}

/** One GPU's energy counter read now (see {@link NvmlSampler.readNow}). */
export interface NvmlCounterReading {
  channelKey: string;
  tMs: number;
  /** Joules since start(), null when the read failed (then `error` says why) or the GPU has no counter. */
  energyJ: number | null;
  error: string | null;
}

interface GpuState {
  facts: GpuFacts;
  device: NvmlDevice;
  startMj: bigint | null;
  lost: boolean;
}

const COUNTER_NOTE =
  "nvmlDeviceGetTotalEnergyConsumption: the board's energy counter (mJ since driver load); " +
  'energy = counter delta; powerW is nvmlDeviceGetPowerUsage (a 1 s average on Ampere and newer)';
const SAMPLED_NOTE =
  'no energy counter on this GPU (before Volta): energy from sampled power ' +
  '(nvmlDeviceGetPowerUsage, instantaneous on these GPUs), trapezoid over time';

/** Reads every NVIDIA GPU through NVML. */
export class NvmlSampler implements Sampler {
  readonly source = 'nvidia' as const;
  private readonly intervalMs: number;
  private readonly slowIntervalMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly open: () => Promise<OpenNvml>;
  private readonly budgetMs: number | undefined;
  private probing: Promise<ProbeResult> | null = null;
  private api: NvmlApi | null = null;
  private libraryPath = '';
  private facts: GpuFacts[] = [];
  private gpus: GpuState[] = [];
  private initialised = false;
  private readonly pending: { samples: Sample[]; errors: SamplerError[] } = { samples: [], errors: [] };
  private readonly onExit = (): void => this.shutdown();

  constructor(options: NvmlSamplerOptions) {
    const env = options.env ?? process.env;
    const platform = options.platform ?? process.platform;
    this.intervalMs = options.intervalMs;
    this.slowIntervalMs = Math.max(options.slowIntervalMs ?? options.intervalMs, options.intervalMs);
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const dirs = options.dirs === undefined ? {} : { dirs: options.dirs };
    this.open = options.open ?? (() => openNvml({ env, platform, ...dirs }));
    this.budgetMs = options.counterProbeBudgetMs;
  }

  /** Loads NVML, lists the GPUs and finds each counter's update period. Once per sampler; never throws. */
  probe(): Promise<ProbeResult> {
    this.probing ??= this.probeOnce().catch((error: unknown) => {
      this.shutdown();
      const reason = `NVML probe failed: ${error instanceof Error ? error.message : String(error)}`;
      return { available: false as const, reason, hint: null };
    });
    return this.probing;
  }

  /** Least time between polls: the slow period when every GPU has a counter, else the power interval. */
  get pollPeriodMs(): number {
    return this.facts.length > 0 && this.facts.every((f) => f.noCounter === null)
      ? this.slowIntervalMs
      : this.intervalMs;
  }

  /** The library in use (empty before a successful probe). */
  get library(): string {
    return this.libraryPath;
  }

  /** Initialises NVML again, takes each GPU's handle and the counters' start values. */
  async start(): Promise<void> {
    if (this.initialised) return;
    const probe = await this.probe();
    if (!probe.available || this.api === null) {
      const reason = probe.available ? 'NVML probe failed' : probe.reason;
      this.pending.errors.push({ tMs: this.now(), channelKey: null, message: `not started: ${reason}` });
      return;
    }
    const init = this.init(this.api);
    if (init !== null) {
      this.pending.errors.push({ tMs: this.now(), channelKey: null, message: `not started: ${init}` });
      return;
    }
    process.on('exit', this.onExit);
    this.gpus = [];
    for (const facts of this.facts) {
      const handle = this.api.handleByIndex(facts.index);
      if (!handle.ok) {
        const message = `nvmlDeviceGetHandleByIndex_v2: ${describeNvmlCode(this.api, handle.code)}`;
        this.pending.errors.push({ tMs: this.now(), channelKey: facts.key, message });
        continue;
      }
      const energy = facts.noCounter === null ? this.api.totalEnergyMj(handle.value) : null;
      this.gpus.push({
        facts,
        device: handle.value,
        startMj: energy?.ok === true ? energy.value : null,
        lost: false,
      });
    }
  }

  /** Reads every GPU now: counter, power, utilization, memory, SM clock, temperature. Never throws. */
  async poll(nowMs: number): Promise<PollResult> {
    const samples = this.pending.samples.splice(0);
    const errors = this.pending.errors.splice(0);
    const api = this.api;
    if (api === null || !this.initialised) return { samples, errors };
    for (const gpu of this.gpus) {
      if (gpu.lost) continue;
      const fail = (message: string): void =>
        void errors.push({ tMs: nowMs, channelKey: gpu.facts.key, message });
      const sample = emptySample(gpu.facts.key, nowMs);
      if (gpu.facts.noCounter === null) {
        const counter = this.readCounter(api, gpu);
        if (counter.error !== null) fail(counter.error);
        if (gpu.lost) continue;
        sample.energyJ = counter.energyJ;
      }
      const power = api.powerMw(gpu.device);
      if (!power.ok && power.code === NVML_ERROR_GPU_IS_LOST) {
        fail(this.lose(api, gpu, 'nvmlDeviceGetPowerUsage', power.code));
        continue;
      }
      if (!power.ok) fail(`nvmlDeviceGetPowerUsage: ${describeNvmlCode(api, power.code)}`);
      sample.powerW = power.ok ? power.value / 1000 : null;
      readOptional(api, gpu.device, sample);
      samples.push(sample);
    }
    return { samples, errors };
  }

  /**
   * Reads each GPU's energy counter now, for request and phase boundaries: joules since start()
   * on the same scale as the polled samples. The readings are also handed to the next poll as
   * samples (energy only), so they are stored with the rest. Cheap (one FFI call per GPU); never throws.
   */
  readNow(options: { record?: boolean } = {}): NvmlCounterReading[] {
    const api = this.api;
    if (api === null || !this.initialised) return [];
    const readings: NvmlCounterReading[] = [];
    for (const gpu of this.gpus) {
      if (gpu.lost || gpu.facts.noCounter !== null) continue;
      const tMs = this.now();
      const { energyJ, error } = this.readCounter(api, gpu);
      readings.push({ channelKey: gpu.facts.key, tMs, energyJ, error });
      if (options.record === false) continue;
      if (error !== null) this.pending.errors.push({ tMs, channelKey: gpu.facts.key, message: error });
      if (energyJ !== null) this.pending.samples.push({ ...emptySample(gpu.facts.key, tMs), energyJ });
    }
    return readings;
  }

  /** The counters read now as samples (energy only), for the poller at a request's or phase's edge. */
  boundary(_nowMs: number): PollResult {
    const samples: Sample[] = [];
    const errors: SamplerError[] = [];
    for (const r of this.readNow({ record: false })) {
      if (r.error !== null) errors.push({ tMs: r.tMs, channelKey: r.channelKey, message: r.error });
      if (r.energyJ !== null) samples.push({ ...emptySample(r.channelKey, r.tMs), energyJ: r.energyJ });
    }
    return { samples, errors };
  }

  /** Shuts NVML down. Safe to call twice. */
  async stop(): Promise<void> {
    this.shutdown();
  }

  private readCounter(api: NvmlApi, gpu: GpuState): { energyJ: number | null; error: string | null } {
    const energy = api.totalEnergyMj(gpu.device);
    if (!energy.ok) {
      const error =
        energy.code === NVML_ERROR_GPU_IS_LOST
          ? this.lose(api, gpu, 'nvmlDeviceGetTotalEnergyConsumption', energy.code)
          : `nvmlDeviceGetTotalEnergyConsumption: ${describeNvmlCode(api, energy.code)}`;
      return { energyJ: null, error };
    }
    gpu.startMj ??= energy.value;
    return { energyJ: Number(energy.value - gpu.startMj) / 1000, error: null };
  }

  private lose(api: NvmlApi, gpu: GpuState, call: string, code: number): string {
    gpu.lost = true;
    return `${call}: ${describeNvmlCode(api, code)}: no more readings from GPU ${gpu.facts.index} in this run`;
  }

  private async probeOnce(): Promise<ProbeResult> {
    const opened = await this.open();
    if (!opened.ok) return { available: false, reason: opened.reason, hint: opened.hint };
    const init = this.init(opened.api);
    if (init !== null) return { available: false, reason: `${opened.path}: ${init}`, hint: initHint(init) };
    this.api = opened.api;
    this.libraryPath = opened.path;
    try {
      const listed = listGpus(opened.api);
      if (typeof listed === 'string')
        return { available: false, reason: `${opened.path}: ${listed}`, hint: null };
      if (listed.length === 0)
        return {
          available: false,
          reason: 'NVML lists no GPUs',
          hint: 'check `nvidia-smi -L`; in a container, pass the GPUs through',
        };
      const withCounter = listed.filter((g) => g.facts.noCounter === null);
      const periods = await measureCounterPeriodsMs({
        readers: withCounter.map((g) => () => {
          const e = opened.api.totalEnergyMj(g.device);
          return e.ok ? e.value : null;
        }),
        now: this.now,
        sleep: this.sleep,
        ...(this.budgetMs === undefined ? {} : { budgetMs: this.budgetMs }),
      });
      withCounter.forEach((g, i) => (g.facts.counterPeriodMs = periods[i] ?? null));
      this.facts = listed.map((g) => g.facts);
      return { available: true, channels: this.facts.map((f) => this.toChannel(f)) };
    } finally {
      this.shutdown();
    }
  }

  /** null when NVML is initialised, else why not. */
  private init(api: NvmlApi): string | null {
    const code = api.init();
    if (code !== NVML_SUCCESS) return `nvmlInit_v2: ${describeNvmlCode(api, code)}`;
    this.initialised = true;
    return null;
  }

  private shutdown(): void {
    process.off('exit', this.onExit);
    if (!this.initialised || this.api === null) return;
    this.initialised = false;
    this.api.shutdown();
  }

  private toChannel(f: GpuFacts): Channel {
    const counter = f.noCounter === null;
    return {
      key: f.key,
      source: 'nvidia',
      device: f.name,
      kind: counter ? 'counter' : 'sampled',
      covers: 'gpu-board',
      detail: {
        index: f.index,
        uuid: f.uuid,
        pciBusId: f.pciBusId,
        reader: 'nvml',
        library: this.libraryPath,
        field: counter ? 'nvmlDeviceGetTotalEnergyConsumption' : 'nvmlDeviceGetPowerUsage',
        fieldNote: counter
          ? COUNTER_NOTE
          : `${SAMPLED_NOTE}; nvmlDeviceGetTotalEnergyConsumption: ${f.noCounter}`,
        counterPeriodMs: f.counterPeriodMs,
        ...(counter && f.counterPeriodMs === null
          ? { counterPeriodNote: 'the counter did not change often enough at probe to time it' }
          : {}),
        powerLimitW: f.powerLimitW,
        periodMs: this.pollPeriodMs,
        powerReadable: true,
      },
    };
  }
}
