/**
 * AMD GPU power through rocm-smi (deprecated in favour of amd-smi, still the only tool on many
 * machines). Like amd-smi it has no streaming mode, so the same bounded pattern: one
 * `rocm-smi --showpower --showuse --showbus --json` run at a time, at most one per
 * AMD_TOOL_MIN_SPACING_MS, started from poll() and never awaited there; readings are stamped
 * when the run finishes. The secondary die of an MI250-style GPU reports
 * "N/A (Secondary die)": its power is in the primary die's reading, so it gets a
 * utilization-only channel (covers 'none') and is never counted twice.
 */
import { performance } from 'node:perf_hooks';
import { parseJsonOutput, parseRocmSmi } from './amd-parse.js';
import type { RocmSmiCard } from './amd-parse.js';
import { AMD_DRIVER_HINT, AMD_TOOL_MIN_SPACING_MS, AMD_TOOL_TIMEOUT_MS } from './amd-smi.js';
import type { AmdToolSamplerOptions } from './amd-smi.js';
import { SpacedRunner, collectRuns, describeFailure, runCommand, succeeded } from './line-process.js';
import type { CommandResult } from './line-process.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sampler, SamplerError } from './sampler.js';
import { findExecutable } from './which.js';

/** The executable this sampler runs. */
export const ROCM_SMI = 'rocm-smi';
const ROCM_ARGS = ['--showpower', '--showuse', '--showbus', '--json'];

/** Samples every AMD GPU's package power and utilization via rocm-smi. */
export class RocmSmiSampler implements Sampler {
  readonly source = 'amd' as const;
  private readonly env: NodeJS.ProcessEnv;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private path: string | null = null;
  private runner: SpacedRunner<CommandResult> | null = null;
  private secondary = new Set<string>();
  private readonly pending: SamplerError[] = [];

  constructor(options: AmdToolSamplerOptions) {
    this.env = options.env ?? process.env;
    this.intervalMs = options.intervalMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Runs rocm-smi once to list the cards. Never throws. */
  async probe(): Promise<ProbeResult> {
    const path = findExecutable(ROCM_SMI, this.env);
    if (path === null) {
      return { available: false, reason: 'rocm-smi not found on PATH', hint: 'install ROCm (rocm-smi; amd-smi is its successor) or use the hwmon sampler' };
    }
    const result = await runCommand(path, ROCM_ARGS, { env: this.env, timeoutMs: AMD_TOOL_TIMEOUT_MS });
    if (!succeeded(result)) return { available: false, reason: describeFailure(ROCM_SMI, result), hint: AMD_DRIVER_HINT };
    const json = parseJsonOutput(result.stdout);
    const cards = json.ok ? parseRocmSmi(json.value) : json;
    if (!cards.ok) {
      return { available: false, reason: `unexpected rocm-smi output: ${cards.message}`, hint: 'run `rocm-smi --showpower --json` yourself to check it works' };
    }
    if (cards.value.length === 0) return { available: false, reason: 'rocm-smi lists no GPUs', hint: AMD_DRIVER_HINT };
    this.path = path;
    this.secondary = new Set(cards.value.filter((c) => c.secondaryDie).map((c) => c.card));
    return { available: true, channels: cards.value.map((c) => this.toChannel(c)) };
  }

  /** Prepares the rate-limited runner; the first run starts at the first poll. */
  async start(): Promise<void> {
    if (this.runner !== null) return;
    if (this.path === null) {
      const probe = await this.probe();
      if (!probe.available || this.path === null) {
        this.pending.push({ tMs: this.now(), channelKey: null, message: `not started: ${probe.available ? 'probe failed' : probe.reason}` });
        return;
      }
    }
    const path = this.path;
    this.runner = new SpacedRunner((signal) => runCommand(path, ROCM_ARGS, { env: this.env, timeoutMs: AMD_TOOL_TIMEOUT_MS, signal }), AMD_TOOL_MIN_SPACING_MS, this.now);
  }

  /** Returns the readings of runs finished since the last poll, then starts the next run if due. Never throws. */
  async poll(nowMs: number): Promise<PollResult> {
    const pending = this.pending.splice(0);
    if (this.runner === null) return { samples: [], errors: pending };
    const result = collectRuns(this.runner, ROCM_SMI, (stdout, tMs) => this.toPollResult(stdout, tMs));
    this.runner.trigger(nowMs);
    return { samples: result.samples, errors: [...pending, ...result.errors] };
  }

  /** Aborts a run in flight and waits for it. Safe twice. */
  async stop(): Promise<void> {
    await this.runner?.stop();
  }

  private toPollResult(stdout: string, tMs: number): PollResult {
    const json = parseJsonOutput(stdout);
    const cards = json.ok ? parseRocmSmi(json.value) : json;
    if (!cards.ok) return { samples: [], errors: [{ tMs, channelKey: null, message: `rocm-smi: ${cards.message}` }] };
    const samples = cards.value.map((c) => ({
      ...emptySample(`rocm-smi:${c.card}`, tMs),
      // A secondary die never carries power, even if a later reading had some: it stays utilization-only.
      powerW: this.secondary.has(c.card) ? null : c.powerW,
      utilizationPct: c.utilizationPct,
    }));
    return { samples, errors: [] };
  }

  private toChannel(card: RocmSmiCard): Channel {
    const common = { card: card.card, index: card.index, pciBusId: card.pciBus, periodMs: Math.max(this.intervalMs, AMD_TOOL_MIN_SPACING_MS) };
    const transport = `one rocm-smi process per reading, at most one per ${AMD_TOOL_MIN_SPACING_MS} ms: rocm-smi has no streaming mode`;
    if (card.secondaryDie) {
      return {
        key: `rocm-smi:${card.card}`,
        source: 'amd',
        device: `AMD GPU ${card.card} (secondary die)`,
        kind: 'sampled',
        covers: 'none',
        detail: { ...common, secondaryDie: true, note: 'secondary die of a dual-die GPU: its power is in the primary die reading; utilization only, never counted twice', transport },
      };
    }
    return {
      key: `rocm-smi:${card.card}`,
      source: 'amd',
      device: `AMD GPU ${card.card}`,
      kind: 'sampled',
      covers: 'gpu-board',
      detail: { ...common, field: card.powerField, powerReadable: card.powerW !== null, transport },
    };
  }
}
