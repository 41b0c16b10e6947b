/**
 * What the AMD tool samplers (amd-smi, rocm-smi) share: neither has a streaming mode we can rely
 * on, so each is a pull source with a bounded cost. One run of the tool at a time, at most one
 * per AMD_TOOL_MIN_SPACING_MS, started from poll() and never awaited there (a poll while a run
 * is in flight starts nothing); a run's readings are stamped when it finishes and come back
 * from the next poll. Subclasses probe (setting `command`) and parse a run's output.
 */
import { performance } from 'node:perf_hooks';
import { SpacedRunner, collectRuns, runCommand } from './line-process.js';
import type { CommandResult } from './line-process.js';
import type { PollResult, ProbeResult, Sampler, SamplerError } from './sampler.js';

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

/** Least time between the starts of two runs of amd-smi or rocm-smi (each is a Python process). */
export const AMD_TOOL_MIN_SPACING_MS = 1000;
/** Limit on one run of amd-smi or rocm-smi. */
export const AMD_TOOL_TIMEOUT_MS = 10_000;
/** Where a tool runs but cannot reach the GPU. */
export const AMD_DRIVER_HINT =
  'check that the amdgpu driver is loaded and that your user may open /dev/kfd and /dev/dri (groups render and video)';

export abstract class AmdToolSampler implements Sampler {
  readonly source = 'amd' as const;
  protected readonly env: NodeJS.ProcessEnv;
  protected readonly intervalMs: number;
  protected readonly now: () => number;
  /** The run to repeat, set by a successful probe. */
  protected command: { path: string; args: readonly string[] } | null = null;
  private runner: SpacedRunner<CommandResult> | null = null;
  private readonly pending: SamplerError[] = [];

  constructor(
    options: AmdToolSamplerOptions,
    private readonly tool: string,
  ) {
    this.env = options.env ?? process.env;
    this.intervalMs = options.intervalMs;
    this.now = options.now ?? (() => performance.now());
  }

  /** Runs the tool once to list the GPUs and sets `command`. Never throws. */
  abstract probe(): Promise<ProbeResult>;

  /** The readings of one run's output, stamped tMs. */
  protected abstract toPollResult(stdout: string, tMs: number): PollResult;

  /** The period a channel of this tool is read at, for its detail. */
  protected get periodMs(): number {
    return Math.max(this.intervalMs, AMD_TOOL_MIN_SPACING_MS);
  }

  /** One run of the tool, awaited (probes). */
  protected run(path: string, args: readonly string[]): Promise<CommandResult> {
    return runCommand(path, [...args], { env: this.env, timeoutMs: AMD_TOOL_TIMEOUT_MS });
  }

  /** Prepares the rate-limited runner; the first run starts at the first poll. */
  async start(): Promise<void> {
    if (this.runner !== null) return;
    if (this.command === null) {
      const probe = await this.probe();
      if (!probe.available || this.command === null) {
        this.pending.push({
          tMs: this.now(),
          channelKey: null,
          message: `not started: ${probe.available ? 'probe failed' : probe.reason}`,
        });
        return;
      }
    }
    const { path, args } = this.command;
    this.runner = new SpacedRunner(
      (signal) => runCommand(path, [...args], { env: this.env, timeoutMs: AMD_TOOL_TIMEOUT_MS, signal }),
      AMD_TOOL_MIN_SPACING_MS,
      this.now,
    );
  }

  /** Returns the readings of runs finished since the last poll, then starts the next run if due. Never throws. */
  async poll(nowMs: number): Promise<PollResult> {
    const pending = this.pending.splice(0);
    if (this.runner === null) return { samples: [], errors: pending };
    const result = collectRuns(this.runner, this.tool, (stdout, tMs) => this.toPollResult(stdout, tMs));
    this.runner.trigger(nowMs);
    return { samples: result.samples, errors: [...pending, ...result.errors] };
  }

  /** Aborts a run in flight and waits for it. Safe twice. */
  async stop(): Promise<void> {
    await this.runner?.stop();
  }
}
