/**
 * AMD GPU power through amd-smi. amd-smi has no streaming mode we can rely on: `--watch`
 * takes whole seconds and, with --json, printed nothing in ROCm 7.1.1 (ROCm/amdsmi#168).
 * So this is a pull source with a bounded cost: one `amd-smi metric -p -u -E --json` run at a
 * time, at most one per AMD_TOOL_MIN_SPACING_MS, started from poll() and never awaited there
 * (a poll while a run is in flight starts nothing). A run's readings are stamped when it
 * finishes and come back from the next poll.
 */
import { performance } from 'node:perf_hooks';
import { parseAmdSmiMetric, parseAmdSmiStatic, parseJsonOutput } from './amd-parse.js';
import type { AmdSmiMetric, AmdSmiStatic } from './amd-parse.js';
import { SpacedRunner, collectRuns, describeFailure, runCommand, succeeded } from './line-process.js';
import type { CommandResult } from './line-process.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sampler, SamplerError } from './sampler.js';
import { findExecutable } from './which.js';

/** Options of an AMD tool sampler; all I/O is injected so tests never touch the real system. */
export interface AmdToolSamplerOptions {
  /** PATH is read from here, and the tool runs with it. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Unused by the tool samplers; accepted so every GPU sampler takes the same options. */
  sysRoot?: string;
  /** The poller's interval; runs are spaced at least AMD_TOOL_MIN_SPACING_MS apart regardless. */
  intervalMs: number;
  /** Monotonic clock, ms. Default performance.now(). */
  now?: () => number;
}

/** The executable this sampler runs. */
export const AMD_SMI = 'amd-smi';
/** Least time between the starts of two runs of amd-smi or rocm-smi (each is a Python process). */
export const AMD_TOOL_MIN_SPACING_MS = 1000;
/** Limit on one run of amd-smi or rocm-smi. */
export const AMD_TOOL_TIMEOUT_MS = 10_000;
/** Where a tool runs but cannot reach the GPU. */
export const AMD_DRIVER_HINT =
  'check that the amdgpu driver is loaded and that your user may open /dev/kfd and /dev/dri (groups render and video)';

const METRIC_ARGS = ['metric', '-p', '-u', '-E', '--json'];
/** Older amd-smi without -E (energy): argparse rejects the flag with exit code 2. */
const METRIC_ARGS_NO_ENERGY = ['metric', '-p', '-u', '--json'];
const ARGPARSE_USAGE_EXIT = 2;

/** Samples every AMD GPU's socket power, gfx utilization and (where reported) energy counter via amd-smi. */
export class AmdSmiSampler implements Sampler {
  readonly source = 'amd' as const;
  private readonly env: NodeJS.ProcessEnv;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private command: { path: string; args: string[] } | null = null;
  private runner: SpacedRunner<CommandResult> | null = null;
  private readonly pending: SamplerError[] = [];

  constructor(options: AmdToolSamplerOptions) {
    this.env = options.env ?? process.env;
    this.intervalMs = options.intervalMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Runs `amd-smi metric` once (and `amd-smi static`, for names and PCI addresses). Never throws. */
  async probe(): Promise<ProbeResult> {
    const path = findExecutable(AMD_SMI, this.env);
    if (path === null) {
      return { available: false, reason: 'amd-smi not found on PATH', hint: 'install ROCm (amd-smi, package amd-smi-lib) or use the hwmon sampler' };
    }
    let args = METRIC_ARGS;
    let result = await this.run(path, args);
    if (result.code === ARGPARSE_USAGE_EXIT) {
      args = METRIC_ARGS_NO_ENERGY;
      result = await this.run(path, args);
    }
    if (!succeeded(result)) return { available: false, reason: describeFailure(AMD_SMI, result), hint: AMD_DRIVER_HINT };
    const json = parseJsonOutput(result.stdout);
    const metrics = json.ok ? parseAmdSmiMetric(json.value) : json;
    if (!metrics.ok) {
      return { available: false, reason: `unexpected amd-smi output: ${metrics.message}`, hint: 'run `amd-smi metric -p --json` yourself to check it works' };
    }
    if (metrics.value.length === 0) return { available: false, reason: 'amd-smi lists no GPUs', hint: AMD_DRIVER_HINT };
    const statics = await this.readStatic(path);
    this.command = { path, args };
    const energy = args === METRIC_ARGS;
    return { available: true, channels: metrics.value.map((m) => this.toChannel(m, statics.get(m.gpu), energy)) };
  }

  /** Prepares the rate-limited runner; the first run starts at the first poll. */
  async start(): Promise<void> {
    if (this.runner !== null) return;
    if (this.command === null) {
      const probe = await this.probe();
      if (!probe.available || this.command === null) {
        this.pending.push({ tMs: this.now(), channelKey: null, message: `not started: ${probe.available ? 'probe failed' : probe.reason}` });
        return;
      }
    }
    const { path, args } = this.command;
    this.runner = new SpacedRunner((signal) => runCommand(path, args, { env: this.env, timeoutMs: AMD_TOOL_TIMEOUT_MS, signal }), AMD_TOOL_MIN_SPACING_MS, this.now);
  }

  /** Returns the readings of runs finished since the last poll, then starts the next run if due. Never throws. */
  async poll(nowMs: number): Promise<PollResult> {
    const pending = this.pending.splice(0);
    if (this.runner === null) return { samples: [], errors: pending };
    const result = collectRuns(this.runner, AMD_SMI, toPollResult);
    this.runner.trigger(nowMs);
    return { samples: result.samples, errors: [...pending, ...result.errors] };
  }

  /** Aborts a run in flight and waits for it. Safe twice. */
  async stop(): Promise<void> {
    await this.runner?.stop();
  }

  private run(path: string, args: string[]): Promise<CommandResult> {
    return runCommand(path, args, { env: this.env, timeoutMs: AMD_TOOL_TIMEOUT_MS });
  }

  /** Best effort: names and PCI addresses help match the same GPU across tools; failure only loses them. */
  private async readStatic(path: string): Promise<Map<number, AmdSmiStatic>> {
    const result = await this.run(path, ['static', '--asic', '--bus', '--json']);
    const json = succeeded(result) ? parseJsonOutput(result.stdout) : null;
    const parsed = json?.ok === true ? parseAmdSmiStatic(json.value) : null;
    return new Map(parsed?.ok === true ? parsed.value.map((s) => [s.gpu, s]) : []);
  }

  private toChannel(metric: AmdSmiMetric, info: AmdSmiStatic | undefined, energy: boolean): Channel {
    return {
      key: `amd-smi:${metric.gpu}`,
      source: 'amd',
      device: info?.name ?? `AMD GPU ${metric.gpu}`,
      kind: 'sampled',
      covers: 'gpu-board',
      detail: {
        gpu: metric.gpu,
        pciBusId: info?.bdf ?? null,
        field: metric.powerField,
        powerReadable: metric.powerW !== null,
        energyCounter: energy && metric.energyJ !== null,
        energyNote: energy ? 'energy.total_energy_consumption also read; unreliable before ROCm 6.3' : 'this amd-smi has no -E (energy)',
        periodMs: Math.max(this.intervalMs, AMD_TOOL_MIN_SPACING_MS),
        transport: `one amd-smi process per reading, at most one per ${AMD_TOOL_MIN_SPACING_MS} ms: amd-smi has no streaming mode we can rely on`,
      },
    };
  }
}

function toPollResult(stdout: string, tMs: number): PollResult {
  const json = parseJsonOutput(stdout);
  const metrics = json.ok ? parseAmdSmiMetric(json.value) : json;
  if (!metrics.ok) return { samples: [], errors: [{ tMs, channelKey: null, message: `amd-smi: ${metrics.message}` }] };
  const samples = metrics.value.map((m) => ({
    ...emptySample(`amd-smi:${m.gpu}`, tMs),
    powerW: m.powerW,
    energyJ: m.energyJ,
    utilizationPct: m.utilizationPct,
  }));
  return { samples, errors: [] };
}
