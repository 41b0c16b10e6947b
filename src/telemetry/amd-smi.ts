/**
 * AMD GPU power through amd-smi. amd-smi has no streaming mode we can rely on: `--watch`
 * takes whole seconds and, with --json, printed nothing in ROCm 7.1.1 (ROCm/amdsmi#168).
 * So it is run as AmdToolSampler runs tools: `amd-smi metric -p -u -E --json`, one run at a
 * time, at most one per AMD_TOOL_MIN_SPACING_MS.
 */
import { parseAmdSmiMetric, parseAmdSmiStatic, parseJsonOutput } from './amd-parse.js';
import type { AmdSmiMetric, AmdSmiStatic } from './amd-parse.js';
import {
  AMD_DRIVER_HINT,
  AMD_TOOL_MIN_SPACING_MS,
  AmdToolSampler,
  type AmdToolSamplerOptions,
} from './amd-tool.js';
import { describeFailure, succeeded } from './line-process.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult } from './sampler.js';
import { findExecutable } from './which.js';

/** The executable this sampler runs. */
export const AMD_SMI = 'amd-smi';

const METRIC_ARGS = ['metric', '-p', '-u', '-E', '--json'];
/** Older amd-smi without -E (energy): argparse rejects the flag with exit code 2. */
const METRIC_ARGS_NO_ENERGY = ['metric', '-p', '-u', '--json'];
const ARGPARSE_USAGE_EXIT = 2;

/** Samples every AMD GPU's socket power, gfx utilization and (where reported) energy counter via amd-smi. */
export class AmdSmiSampler extends AmdToolSampler {
  constructor(options: AmdToolSamplerOptions) {
    super(options, AMD_SMI);
  }

  /** Runs `amd-smi metric` once (and `amd-smi static`, for names and PCI addresses). Never throws. */
  async probe(): Promise<ProbeResult> {
    const path = findExecutable(AMD_SMI, this.env);
    if (path === null) {
      return {
        available: false,
        reason: 'amd-smi not found on PATH',
        hint: 'install ROCm (amd-smi, package amd-smi-lib) or use the hwmon sampler',
      };
    }
    let args = METRIC_ARGS;
    let result = await this.run(path, args);
    if (result.code === ARGPARSE_USAGE_EXIT) {
      args = METRIC_ARGS_NO_ENERGY;
      result = await this.run(path, args);
    }
    if (!succeeded(result))
      return { available: false, reason: describeFailure(AMD_SMI, result), hint: AMD_DRIVER_HINT };
    const json = parseJsonOutput(result.stdout);
    const metrics = json.ok ? parseAmdSmiMetric(json.value) : json;
    if (!metrics.ok) {
      return {
        available: false,
        reason: `unexpected amd-smi output: ${metrics.message}`,
        hint: 'run `amd-smi metric -p --json` yourself to check it works',
      };
    }
    if (metrics.value.length === 0)
      return { available: false, reason: 'amd-smi lists no GPUs', hint: AMD_DRIVER_HINT };
    const statics = await this.readStatic(path);
    this.command = { path, args };
    const energy = args === METRIC_ARGS;
    return {
      available: true,
      channels: metrics.value.map((m) => this.toChannel(m, statics.get(m.gpu), energy)),
    };
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
        energyNote: energy
          ? 'energy.total_energy_consumption also read; unreliable before ROCm 6.3'
          : 'this amd-smi has no -E (energy)',
        periodMs: this.periodMs,
        transport: `one amd-smi process per reading, at most one per ${AMD_TOOL_MIN_SPACING_MS} ms: amd-smi has no streaming mode we can rely on`,
      },
    };
  }

  protected toPollResult(stdout: string, tMs: number): PollResult {
    const json = parseJsonOutput(stdout);
    const metrics = json.ok ? parseAmdSmiMetric(json.value) : json;
    if (!metrics.ok)
      return { samples: [], errors: [{ tMs, channelKey: null, message: `amd-smi: ${metrics.message}` }] };
    const samples = metrics.value.map((m) => ({
      ...emptySample(`amd-smi:${m.gpu}`, tMs),
      powerW: m.powerW,
      energyJ: m.energyJ,
      utilizationPct: m.utilizationPct,
    }));
    return { samples, errors: [] };
  }
}
