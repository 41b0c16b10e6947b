/**
 * AMD GPU power through rocm-smi (deprecated in favour of amd-smi, still the only tool on many
 * machines). Like amd-smi it has no streaming mode, so it is run as AmdToolSampler runs tools:
 * `rocm-smi --showpower --showuse --showbus --json`, one run at a time, at most one per
 * AMD_TOOL_MIN_SPACING_MS. The secondary die of an MI250-style GPU reports
 * "N/A (Secondary die)": its power is in the primary die's reading, so it gets a
 * utilization-only channel (covers 'none') and is never counted twice.
 */
import { parseJsonOutput, parseRocmSmi } from './amd-parse.js';
import type { RocmSmiCard } from './amd-parse.js';
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
export const ROCM_SMI = 'rocm-smi';
const ROCM_ARGS = ['--showpower', '--showuse', '--showbus', '--json'];

/** Samples every AMD GPU's package power and utilization via rocm-smi. */
export class RocmSmiSampler extends AmdToolSampler {
  private secondary = new Set<string>();

  constructor(options: AmdToolSamplerOptions) {
    super(options, ROCM_SMI);
  }

  /** Runs rocm-smi once to list the cards. Never throws. */
  async probe(): Promise<ProbeResult> {
    const path = findExecutable(ROCM_SMI, this.env);
    if (path === null) {
      return {
        available: false,
        reason: 'rocm-smi not found on PATH',
        hint: 'install ROCm (rocm-smi; amd-smi is its successor) or use the hwmon sampler',
      };
    }
    const result = await this.run(path, ROCM_ARGS);
    if (!succeeded(result))
      return { available: false, reason: describeFailure(ROCM_SMI, result), hint: AMD_DRIVER_HINT };
    const json = parseJsonOutput(result.stdout);
    const cards = json.ok ? parseRocmSmi(json.value) : json;
    if (!cards.ok) {
      return {
        available: false,
        reason: `unexpected rocm-smi output: ${cards.message}`,
        hint: 'run `rocm-smi --showpower --json` yourself to check it works',
      };
    }
    if (cards.value.length === 0)
      return { available: false, reason: 'rocm-smi lists no GPUs', hint: AMD_DRIVER_HINT };
    this.command = { path, args: ROCM_ARGS };
    this.secondary = new Set(cards.value.filter((c) => c.secondaryDie).map((c) => c.card));
    return { available: true, channels: cards.value.map((c) => this.toChannel(c)) };
  }

  protected toPollResult(stdout: string, tMs: number): PollResult {
    const json = parseJsonOutput(stdout);
    const cards = json.ok ? parseRocmSmi(json.value) : json;
    if (!cards.ok)
      return { samples: [], errors: [{ tMs, channelKey: null, message: `rocm-smi: ${cards.message}` }] };
    const samples = cards.value.map((c) => ({
      ...emptySample(`rocm-smi:${c.card}`, tMs),
      // A secondary die never carries power, even if a later reading had some: it stays utilization-only.
      powerW: this.secondary.has(c.card) ? null : c.powerW,
      utilizationPct: c.utilizationPct,
    }));
    return { samples, errors: [] };
  }

  private toChannel(card: RocmSmiCard): Channel {
    const common = { card: card.card, index: card.index, pciBusId: card.pciBus, periodMs: this.periodMs };
    const transport = `one rocm-smi process per reading, at most one per ${AMD_TOOL_MIN_SPACING_MS} ms: rocm-smi has no streaming mode`;
    if (card.secondaryDie) {
      return {
        key: `rocm-smi:${card.card}`,
        source: 'amd',
        device: `AMD GPU ${card.card} (secondary die)`,
        kind: 'sampled',
        covers: 'none',
        detail: {
          ...common,
          secondaryDie: true,
          note: 'secondary die of a dual-die GPU: its power is in the primary die reading; utilization only, never counted twice',
          transport,
        },
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
