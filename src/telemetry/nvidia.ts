/**
 * NVIDIA GPU board power through nvidia-smi: one long-lived `--query-gpu ... -lms N` process,
 * its lines drained by poll() and placed on the run clock at nvidia-smi's own timestamp (arrival
 * time where that is implausible). nvidia-smi has no energy counter field, so every channel is
 * 'sampled' (energy = trapezoid over the power samples, downstream).
 */
import { performance } from 'node:perf_hooks';
import { LineProcess, describeFailure, runCommand, succeeded } from './line-process.js';
import type { CommandResult } from './line-process.js';
import {
  gpuListFields,
  parseNvidiaGpuList,
  parseNvidiaLine,
  parseQueryGpuHelp,
  powerFieldsToQuery,
  readingTimeMs,
  streamFields,
  TIMESTAMP_MAX_DELAY_MS,
} from './nvidia-parse.js';
import type { NvidiaGpu, NvidiaPowerField, NvidiaReading } from './nvidia-parse.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sample, Sampler, SamplerError } from './sampler.js';
import { findExecutable } from './which.js';

/** Options of a GPU sampler; all I/O is injected so tests never touch the real system. */
export interface NvidiaSamplerOptions {
  /** PATH is read from here, and nvidia-smi runs with it. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Unused by this sampler; accepted so every GPU sampler takes the same options. */
  sysRoot?: string;
  /** Sampling period passed to `-lms`. */
  intervalMs: number;
  /** Monotonic clock, ms. Default performance.now(). */
  now?: () => number;
  /** Wall clock, epoch ms, to map nvidia-smi's timestamps onto the monotonic clock. Default Date.now(). */
  wallClock?: () => number;
}

/** The executable this sampler runs. */
export const NVIDIA_SMI = 'nvidia-smi';
/** Limit on each probe-time run of nvidia-smi. */
export const NVIDIA_PROBE_TIMEOUT_MS = 15_000;
const CSV_FORMAT = '--format=csv,noheader,nounits';
const DRIVER_FAILURE = "couldn't communicate with the NVIDIA driver";

const FIELD_NOTES: Record<NvidiaPowerField, string> = {
  'power.draw.instant': 'instantaneous board power',
  'power.draw':
    'power.draw: a 1 s average on Ampere and newer (instantaneous on older GPUs); this driver has no power.draw.instant',
};
const INSTANT_NA_NOTE =
  'power.draw.instant reads N/A on this GPU: power.draw instead, ' +
  'a 1 s average on Ampere and newer (instantaneous on older GPUs)';
const TIME_BASE =
  `nvidia-smi's timestamp, mapped onto the run clock ` +
  `(arrival time when over ${TIMESTAMP_MAX_DELAY_MS / 1000} s off)`;
/** nvidia-smi documents power.draw as an average over 1 s on Ampere and newer. */
const POWER_DRAW_AVERAGE_MS = 1000;

interface ProbeState {
  path: string;
  powerFields: NvidiaPowerField[];
  /** Each GPU's power field, by index. */
  fieldByGpu: Map<number, NvidiaPowerField>;
}

/** Samples every NVIDIA GPU's board power, utilization, memory, SM clock and temperature. */
export class NvidiaSampler implements Sampler {
  readonly source = 'nvidia' as const;
  private readonly env: NodeJS.ProcessEnv;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly wallClock: () => number;
  private probed: ProbeState | null = null;
  private proc: LineProcess | null = null;
  private fields: string[] = [];
  private exitReported = false;
  private stopping = false;
  private readonly pending: SamplerError[] = [];

  constructor(options: NvidiaSamplerOptions) {
    this.env = options.env ?? process.env;
    this.intervalMs = options.intervalMs;
    this.now = options.now ?? (() => performance.now());
    this.wallClock = options.wallClock ?? (() => Date.now());
  }

  /** Runs `nvidia-smi --help-query-gpu` and a one-off `--query-gpu` listing. Never throws. */
  async probe(): Promise<ProbeResult> {
    const path = findExecutable(NVIDIA_SMI, this.env);
    if (path === null) {
      return {
        available: false,
        reason: 'nvidia-smi not found on PATH',
        hint: 'install the NVIDIA driver utilities (nvidia-smi ships with the driver) or add their directory to PATH',
      };
    }
    const help = await this.run(path, ['--help-query-gpu']);
    if (!succeeded(help)) return failureResult(help);
    const powerFields = powerFieldsToQuery(parseQueryGpuHelp(help.stdout));
    const list = await this.run(path, [`--query-gpu=${gpuListFields(powerFields).join(',')}`, CSV_FORMAT]);
    if (!succeeded(list)) return failureResult(list);
    const gpus = parseNvidiaGpuList(list.stdout, powerFields);
    if (!gpus.ok) {
      return {
        available: false,
        reason: `unexpected nvidia-smi output: ${gpus.message}`,
        hint: 'run nvidia-smi yourself to check it works',
      };
    }
    if (gpus.value.length === 0) {
      return {
        available: false,
        reason: 'nvidia-smi lists no GPUs',
        hint: 'check `nvidia-smi -L`; in a container, pass the GPUs through',
      };
    }
    this.probed = { path, powerFields, fieldByGpu: new Map(gpus.value.map((g) => [g.index, g.powerField])) };
    return { available: true, channels: gpus.value.map((gpu) => this.toChannel(gpu, powerFields)) };
  }

  /** Starts the one `nvidia-smi ... -lms N` process (probing first if needed). */
  async start(): Promise<void> {
    if (this.proc !== null || this.stopping) return;
    if (this.probed === null) {
      const probe = await this.probe();
      if (!probe.available || this.probed === null) {
        const reason = probe.available ? 'nvidia-smi probe failed' : probe.reason;
        this.pending.push({ tMs: this.now(), channelKey: null, message: `not started: ${reason}` });
        return;
      }
    }
    const { path, powerFields } = this.probed;
    this.fields = streamFields(powerFields);
    const args = [
      `--query-gpu=${this.fields.join(',')}`,
      CSV_FORMAT,
      '-lms',
      String(Math.max(1, Math.round(this.intervalMs))),
    ];
    this.proc = new LineProcess(path, args, { env: this.env, now: this.now });
  }

  /** Drains the lines that arrived since the last poll. Never throws. */
  async poll(nowMs: number): Promise<PollResult> {
    const errors = this.pending.splice(0);
    const samples: Sample[] = [];
    if (this.proc === null) return { samples, errors };
    const wallMinusMonoMs = this.wallClock() - this.now();
    for (const { tMs, line } of this.proc.drain()) {
      if (line.trim() === '') continue;
      const parsed = parseNvidiaLine(line, this.fields);
      if (!parsed.ok) {
        errors.push({ tMs, channelKey: null, message: `nvidia-smi: ${parsed.message}` });
        continue;
      }
      const field = this.probed?.fieldByGpu.get(parsed.value.index) ?? 'power.draw';
      const at = readingTimeMs(parsed.value.timestamp, tMs, wallMinusMonoMs);
      samples.push(toSample(parsed.value, field, at.tMs));
    }
    const exit = this.proc.exit;
    if (exit !== null && !this.exitReported && !this.stopping) {
      // Reported once; later polls return nothing: a gap, not a crash.
      this.exitReported = true;
      errors.push({
        tMs: nowMs,
        channelKey: null,
        message: describeFailure(NVIDIA_SMI, { ...exit, stderr: this.proc.stderrTail() }),
      });
    }
    return { samples, errors };
  }

  /** Stops nvidia-smi (SIGTERM, then SIGKILL) and waits for it to exit. Safe twice. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.proc?.stop();
  }

  /** The pid of the streaming nvidia-smi, for diagnostics and tests; undefined before start(). */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  private run(path: string, args: string[]): Promise<CommandResult> {
    return runCommand(path, args, { env: this.env, timeoutMs: NVIDIA_PROBE_TIMEOUT_MS });
  }

  private toChannel(gpu: NvidiaGpu, queried: readonly NvidiaPowerField[]): Channel {
    const field = gpu.powerField;
    const fellBack = field === 'power.draw' && queried.includes('power.draw.instant');
    return {
      key: `nvidia:${gpu.index}`,
      source: 'nvidia',
      device: gpu.name,
      kind: 'sampled',
      covers: 'gpu-board',
      detail: {
        index: gpu.index,
        uuid: gpu.uuid,
        pciBusId: gpu.pciBusId,
        field,
        fieldNote: fellBack ? INSTANT_NA_NOTE : FIELD_NOTES[field],
        averagingMs: field === 'power.draw' ? POWER_DRAW_AVERAGE_MS : null,
        timeBase: TIME_BASE,
        powerLimitW: gpu.powerLimitW,
        periodMs: this.intervalMs,
        powerReadable: gpu.powerReadable,
        ...(gpu.powerReadable
          ? {}
          : { note: `${field} reads N/A here (e.g. a MIG instance): samples carry no power` }),
      },
    };
  }
}

function toSample(reading: NvidiaReading, field: NvidiaPowerField, tMs: number): Sample {
  return {
    ...emptySample(`nvidia:${reading.index}`, tMs),
    powerW: reading.power[field] ?? null,
    utilizationPct: reading.utilizationPct,
    memoryUsedBytes: reading.memoryUsedBytes,
    clockMhz: reading.clockMhz,
    temperatureC: reading.temperatureC,
  };
}

function failureResult(result: CommandResult): ProbeResult {
  const reason = describeFailure(NVIDIA_SMI, result);
  const hint = reason.includes(DRIVER_FAILURE)
    ? 'the NVIDIA kernel driver is not loaded: reboot after a driver install or update, or check `lsmod | grep nvidia` and dmesg'
    : 'run nvidia-smi yourself to see the full error';
  return { available: false, reason, hint };
}
