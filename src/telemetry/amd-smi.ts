/**
 * AMD GPU power through amd-smi. amd-smi has no streaming mode we can rely on: `--watch`
 * takes whole seconds and, with --json, printed nothing in ROCm 7.1.1 (ROCm/amdsmi#168).
 * So it is run as AmdToolSampler runs tools: `amd-smi metric -p -u -E --json`, one run at a
 * time, at most one per AMD_TOOL_MIN_SPACING_MS. Where a GPU's energy counter passes the checks of
 * amd-counter.ts (ROCm 6.3 or newer where known; within 10x of sampled power at start-up), its
 * channel is a 'counter' channel: energy = counter deltas, power still read beside it.
 */
import {
  AMD_COUNTER_CHECK_MS,
  AmdCounterTrack,
  checkAmdCounter,
  readRocmVersion,
  rocmTooOld,
} from './amd-counter.js';
import { parseAmdSmiMetric, parseAmdSmiStatic, parseJsonOutput } from './amd-parse.js';
import type { AmdSmiMetric, AmdSmiStatic, Parsed } from './amd-parse.js';
import {
  AMD_DRIVER_HINT,
  AMD_TOOL_MIN_SPACING_MS,
  AmdToolSampler,
  type AmdToolSamplerOptions,
} from './amd-tool.js';
import { describeFailure, succeeded } from './line-process.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sample, SamplerError } from './sampler.js';
import { findExecutable } from './which.js';

/** The executable this sampler runs. */
export const AMD_SMI = 'amd-smi';

const METRIC_ARGS = ['metric', '-p', '-u', '-E', '--json'];
/** Older amd-smi without -E (energy): argparse rejects the flag with exit code 2. */
const METRIC_ARGS_NO_ENERGY = ['metric', '-p', '-u', '--json'];
const ARGPARSE_USAGE_EXIT = 2;

/** Options of {@link AmdSmiSampler}: those of every AMD tool sampler, and how the start-up check waits. */
export interface AmdSmiSamplerOptions extends AmdToolSamplerOptions {
  /** Waits between the two readings of the counter's start-up check. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** Whether a GPU's energy counter is used, and what was found. */
interface CounterDecision {
  use: boolean;
  /** What the channel's detail says about the counter. */
  note: string;
  /** Why a counter that is there is not used (it reaches the reports), else null. */
  notUsed: string | null;
}

const NOT_USED = 'amd-smi energy counter not used';

/** Samples every AMD GPU's socket power, gfx utilization and (where trusted) energy counter via amd-smi. */
export class AmdSmiSampler extends AmdToolSampler {
  private readonly sleep: (ms: number) => Promise<void>;
  /** The GPUs whose counter is used, with their running totals. */
  private readonly counters = new Map<number, AmdCounterTrack>();

  constructor(options: AmdSmiSamplerOptions) {
    super(options, AMD_SMI);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * Runs `amd-smi metric` once (and `amd-smi static`, for names and PCI addresses); where GPUs
   * report an energy counter, runs it again AMD_COUNTER_CHECK_MS later to check the counters. Never throws.
   */
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
    const firstMs = this.now();
    if (!succeeded(result))
      return { available: false, reason: describeFailure(AMD_SMI, result), hint: AMD_DRIVER_HINT };
    const metrics = readMetrics(result.stdout);
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
    const decisions = await this.decideCounters(path, args === METRIC_ARGS, metrics.value, firstMs);
    this.counters.clear();
    for (const [gpu, d] of decisions) if (d.use) this.counters.set(gpu, new AmdCounterTrack());
    return {
      available: true,
      channels: metrics.value.map((m) => this.toChannel(m, statics.get(m.gpu), decisions.get(m.gpu))),
    };
  }

  /** Energy restarts at 0 at the first reading after start(). */
  override async start(): Promise<void> {
    for (const track of this.counters.values()) track.reset();
    await super.start();
  }

  /**
   * Which GPUs' counters to use: none without -E or on ROCm older than 6.3; else each GPU whose
   * counter passes the start-up check against its sampled power (a second run of amd-smi).
   */
  private async decideCounters(
    path: string,
    energyArgs: boolean,
    first: readonly AmdSmiMetric[],
    firstMs: number,
  ): Promise<Map<number, CounterDecision>> {
    const all = (d: CounterDecision): Map<number, CounterDecision> => new Map(first.map((m) => [m.gpu, d]));
    if (!energyArgs) return all({ use: false, note: 'this amd-smi has no -E (energy)', notUsed: null });
    const old = rocmTooOld(readRocmVersion(this.env));
    if (old !== null) return all({ use: false, note: `${old}: not used`, notUsed: `${NOT_USED}: ${old}` });
    const decisions = new Map<number, CounterDecision>();
    const none: CounterDecision = { use: false, note: 'no energy counter reported (N/A)', notUsed: null };
    const candidates = first.filter((m) => m.energyJ !== null);
    for (const m of first) if (m.energyJ === null) decisions.set(m.gpu, none);
    if (candidates.length === 0) return decisions;
    await this.sleep(Math.max(0, firstMs + AMD_COUNTER_CHECK_MS - this.now()));
    const result = await this.run(path, METRIC_ARGS);
    const secondMs = this.now();
    const second = succeeded(result) ? readMetrics(result.stdout) : null;
    for (const m of candidates) {
      const again = second?.ok === true ? second.value.find((x) => x.gpu === m.gpu) : undefined;
      const check =
        again === undefined
          ? { use: false as const, why: 'the second amd-smi run of the start-up check gave no reading' }
          : checkAmdCounter(
              { tMs: firstMs, powerW: m.powerW, energyJ: m.energyJ },
              { tMs: secondMs, powerW: again.powerW, energyJ: again.energyJ },
            );
      decisions.set(
        m.gpu,
        check.use
          ? { use: true, note: check.note, notUsed: null }
          : { use: false, note: `not used: ${check.why}`, notUsed: `${NOT_USED}: ${check.why}` },
      );
    }
    return decisions;
  }

  /** Best effort: names and PCI addresses help match the same GPU across tools; failure only loses them. */
  private async readStatic(path: string): Promise<Map<number, AmdSmiStatic>> {
    const result = await this.run(path, ['static', '--asic', '--bus', '--json']);
    const json = succeeded(result) ? parseJsonOutput(result.stdout) : null;
    const parsed = json?.ok === true ? parseAmdSmiStatic(json.value) : null;
    return new Map(parsed?.ok === true ? parsed.value.map((s) => [s.gpu, s]) : []);
  }

  private toChannel(
    metric: AmdSmiMetric,
    info: AmdSmiStatic | undefined,
    decision: CounterDecision | undefined,
  ): Channel {
    const counter = decision?.use === true;
    return {
      key: `amd-smi:${metric.gpu}`,
      source: 'amd',
      device: info?.name ?? `AMD GPU ${metric.gpu}`,
      kind: counter ? 'counter' : 'sampled',
      covers: 'gpu-board',
      detail: {
        gpu: metric.gpu,
        pciBusId: info?.bdf ?? null,
        reader: 'amd-smi',
        field: metric.powerField,
        powerReadable: metric.powerW !== null,
        energyCounter: counter,
        energyNote: `energy.total_energy_consumption: ${decision?.note ?? 'not read'}`,
        ...(decision?.notUsed == null ? {} : { fallback: decision.notUsed }),
        periodMs: this.periodMs,
        transport: `one amd-smi process per reading, at most one per ${AMD_TOOL_MIN_SPACING_MS} ms: amd-smi has no streaming mode we can rely on`,
      },
    };
  }

  protected toPollResult(stdout: string, tMs: number): PollResult {
    const metrics = readMetrics(stdout);
    if (!metrics.ok)
      return { samples: [], errors: [{ tMs, channelKey: null, message: `amd-smi: ${metrics.message}` }] };
    const samples: Sample[] = [];
    const errors: SamplerError[] = [];
    for (const m of metrics.value) {
      const channelKey = `amd-smi:${m.gpu}`;
      const counter = this.counters.get(m.gpu)?.next(m.energyJ) ?? { energyJ: null, error: null };
      if (counter.error !== null)
        errors.push({ tMs, channelKey, message: `amd-smi GPU ${m.gpu}: ${counter.error}` });
      samples.push({
        ...emptySample(channelKey, tMs),
        powerW: m.powerW,
        energyJ: counter.energyJ,
        utilizationPct: m.utilizationPct,
      });
    }
    return { samples, errors };
  }
}

function readMetrics(stdout: string): Parsed<AmdSmiMetric[]> {
  const json = parseJsonOutput(stdout);
  return json.ok ? parseAmdSmiMetric(json.value) : json;
}
