/**
 * Apple silicon CPU / GPU / ANE power from `powermetrics`, which needs root: it runs as ONE
 * long-lived `sudo -n powermetrics --samplers cpu_power,gpu_power -i <intervalMs>` process
 * whose text blocks are parsed as they arrive (apple-parse.ts) and stamped with now() on arrival.
 * `sudo -n` never prompts: without a NOPASSWD sudoers rule the probe fails with the line to add.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { userInfo } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import {
  classifyPowermetricsFailure,
  isPowermetricsHeader,
  parsePowermetricsBlock,
  parsePowermetricsLine,
  POWERMETRICS_PROBE_ARGS,
  powermetricsRunArgs,
  sudoersLine,
} from './apple-parse.js';
import type { AppleRail } from './apple-parse.js';
import { emptySample } from './sampler.js';
import type { Channel, Coverage, PollResult, ProbeResult, Sample, Sampler, SamplerError } from './sampler.js';

/** Options for {@link AppleSampler}. */
export interface AppleSamplerOptions {
  /** powermetrics' sampling interval (-i), in ms. */
  intervalMs: number;
  /** Environment for sudo (PATH finds sudo; tests put fakes first). Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Monotonic clock in ms, stamps blocks on arrival. Default performance.now. */
  now?: () => number;
  /** Tests override the platform check. Default process.platform. */
  platform?: NodeJS.Platform;
  /** Longest wait for the probe's single sample. Default {@link APPLE_PROBE_TIMEOUT_MS}. */
  probeTimeoutMs?: number;
}

/** Longest wait for the probe's one-sample powermetrics run. */
export const APPLE_PROBE_TIMEOUT_MS = 10_000;
/** A block whose lines stopped arriving this long ago (or half an interval, if shorter) is complete. */
const BLOCK_QUIET_MS = 50;
/** Longest wait for powermetrics to exit at stop() before it is killed. */
const STOP_GRACE_MS = 2_000;

const RAILS: Readonly<Record<AppleRail, { covers: Coverage; what: string }>> = {
  cpu: { covers: 'cpu', what: 'CPU Power' },
  gpu: { covers: 'gpu', what: 'GPU Power' },
  ane: { covers: 'ane', what: 'ANE Power' },
  combined: { covers: 'soc', what: 'Combined Power (CPU + GPU + ANE), or Package Power on older macOS' },
};
const RAIL_ORDER: readonly AppleRail[] = ['cpu', 'gpu', 'ane', 'combined'];

/** Channel key of a rail, e.g. "apple:cpu". */
function appleChannelKey(rail: AppleRail): string {
  return `apple:${rail}`;
}

function currentUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env['USER'] ?? '<your-user>';
  }
}

/** The hint for a sudo that wants a password: the sudoers line for the exact command lines costbench runs. */
function appleSudoHint(user: string, intervalMs: number): string {
  const line = sudoersLine(user, intervalMs);
  return (
    'allow powermetrics without a password: run `sudo visudo -f /etc/sudoers.d/costbench` ' +
    `and add the line "${line}"`
  );
}

interface PendingBlock {
  readings: Map<AppleRail, number>;
  emitted: Set<AppleRail>;
  lastArrivalMs: number;
}

interface RunOutput {
  code: number | string | null;
  stdout: string;
  stderr: string;
}

/**
 * Samples Apple silicon power rails ('sampled' channels apple:cpu, apple:gpu, apple:ane,
 * apple:combined). Readings reach poll() once their block is complete: at the next block's
 * header, or when its lines have stopped arriving for a short while.
 */
export class AppleSampler implements Sampler {
  readonly source = 'apple' as const;
  private readonly intervalMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly now: () => number;
  private readonly platform: NodeJS.Platform;
  private readonly probeTimeoutMs: number;
  private child: ChildProcessByStdio<null, Readable, Readable> | null = null;
  private stopping = false;
  private spawnFailed = false;
  private partial = '';
  private stderrTail = '';
  private block: PendingBlock | null = null;
  private samples: Sample[] = [];
  private errors: SamplerError[] = [];
  private refusedBySudo = false;

  constructor(options: AppleSamplerOptions) {
    this.intervalMs = options.intervalMs;
    this.env = options.env ?? process.env;
    this.now = options.now ?? (() => performance.now());
    this.platform = options.platform ?? process.platform;
    this.probeTimeoutMs = options.probeTimeoutMs ?? APPLE_PROBE_TIMEOUT_MS;
  }

  /**
   * After a probe: powermetrics is there, but sudo refused it (a password is wanted, or the run
   * was not root). doctor then prints the sudoers line that grants it.
   */
  get sudoRefused(): boolean {
    return this.refusedBySudo;
  }

  /** The interval powermetrics samples at (-i), ms: the sudoers line names it. */
  get sampleIntervalMs(): number {
    return this.intervalMs;
  }

  /** Runs `sudo -n powermetrics --samplers cpu_power -i 100 -n 1` once. Never throws. */
  async probe(): Promise<ProbeResult> {
    if (this.platform !== 'darwin') {
      return {
        available: false,
        reason: `powermetrics is macOS-only (this is ${this.platform})`,
        hint: 'Apple power readings need macOS on Apple silicon; use RAPL, a GPU sampler or a wall meter here',
      };
    }
    const run = await this.runOnce(['-n', 'powermetrics', ...POWERMETRICS_PROBE_ARGS]);
    const refused = this.refusal(run);
    if (refused !== null) return refused;
    const rails = parsePowermetricsBlock(run.stdout);
    if (rails.size === 0) {
      return {
        available: false,
        reason: 'powermetrics printed no CPU/GPU/ANE power lines (an Intel Mac?)',
        hint: 'Apple power readings need Apple silicon; use a wall meter instead',
      };
    }
    rails.set('gpu', rails.get('gpu') ?? 0); // the gpu_power sampler of the long run always reports it
    return {
      available: true,
      channels: RAIL_ORDER.filter((rail) => rails.has(rail)).map((rail) => this.channel(rail)),
    };
  }

  /** Starts the one long-lived powermetrics process. */
  async start(): Promise<void> {
    if (this.child !== null) return;
    this.stopping = false;
    this.spawnFailed = false;
    const args = ['-n', 'powermetrics', ...powermetricsRunArgs(this.intervalMs)];
    const child = spawn('sudo', args, { env: this.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => this.onStdout(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-500);
    });
    child.on('error', (error) => {
      this.spawnFailed = true;
      this.addError(`cannot run sudo powermetrics: ${error.message}`);
    });
    child.on('close', (code, signal) => this.onClose(code, signal));
  }

  /** Returns the samples of every block completed since the last poll. */
  async poll(_nowMs: number): Promise<PollResult> {
    const block = this.block;
    if (block !== null && this.now() - block.lastArrivalMs >= Math.min(BLOCK_QUIET_MS, this.intervalMs / 2))
      this.emit(block);
    const result = { samples: this.samples, errors: this.errors };
    this.samples = [];
    this.errors = [];
    return result;
  }

  /** Stops powermetrics (SIGTERM through sudo, SIGKILL after a grace period); safe to call twice. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === null) return;
    this.stopping = true;
    if (child.exitCode === null && child.signalCode === null) {
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await closed;
      clearTimeout(timer);
    }
    this.child = null;
  }

  private onStdout(chunk: string): void {
    const arrivedMs = this.now();
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.onLine(line.replace(/\r$/, ''), arrivedMs);
  }

  private onLine(line: string, arrivedMs: number): void {
    if (isPowermetricsHeader(line)) {
      if (this.block !== null) this.emit(this.block);
      this.block = { readings: new Map(), emitted: new Set(), lastArrivalMs: arrivedMs };
      return;
    }
    const reading = parsePowermetricsLine(line);
    if (this.block === null) {
      if (reading === null) return;
      this.block = { readings: new Map(), emitted: new Set(), lastArrivalMs: arrivedMs };
    }
    this.block.lastArrivalMs = arrivedMs;
    if (reading !== null && !this.block.readings.has(reading.rail))
      this.block.readings.set(reading.rail, reading.powerW);
  }

  /** Turns a block's not-yet-emitted readings into samples stamped at its last arrival. */
  private emit(block: PendingBlock): void {
    for (const [rail, powerW] of block.readings) {
      if (block.emitted.has(rail)) continue;
      block.emitted.add(rail);
      const sample = emptySample(appleChannelKey(rail), block.lastArrivalMs);
      sample.powerW = powerW;
      this.samples.push(sample);
    }
  }

  private onClose(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.partial !== '') this.onLine(this.partial, this.now());
    this.partial = '';
    if (this.block !== null) this.emit(this.block);
    this.block = null;
    if (this.stopping) return;
    this.child = null;
    if (this.spawnFailed) return;
    const said = this.stderrTail.trim().split('\n').pop() ?? '';
    this.addError(
      `powermetrics exited (${signal ?? `exit ${String(code)}`})${said === '' ? '' : `: ${said}`}`,
    );
  }

  private addError(message: string): void {
    this.errors.push({ tMs: this.now(), channelKey: null, message });
  }

  /** Runs sudo once and collects its output; never rejects. */
  private runOnce(args: string[]): Promise<RunOutput> {
    return new Promise((resolve) => {
      execFile(
        'sudo',
        args,
        { env: this.env, timeout: this.probeTimeoutMs, maxBuffer: 1024 * 1024 },
        (error, stdout, stderr) => {
          resolve({
            code: error === null ? 0 : (error.code ?? (error.killed ? 'timeout' : null)),
            stdout,
            stderr,
          });
        },
      );
    });
  }

  /** The probe's verdict on a failed run, or null if it succeeded. */
  private refusal(run: RunOutput): ProbeResult | null {
    const user = currentUser(this.env);
    const failure = classifyPowermetricsFailure(`${run.stderr}\n${run.stdout}`);
    this.refusedBySudo = failure === 'sudo-password' || failure === 'not-superuser';
    const hint = appleSudoHint(user, this.intervalMs);
    const refused =
      failure === 'sudo-password'
        ? 'sudo needs a password to run powermetrics (sudo -n refused)'
        : failure === 'not-superuser'
          ? 'powermetrics must be invoked as the superuser'
          : null;
    if (refused !== null) return { available: false, reason: refused, hint };
    if (failure === 'not-found')
      return {
        available: false,
        reason: 'powermetrics not found',
        hint: 'powermetrics ships with macOS at /usr/bin/powermetrics; check that it is there',
      };
    if (run.code === 'ENOENT')
      return {
        available: false,
        reason: 'sudo not found on PATH',
        hint: 'powermetrics needs root: make sudo available on PATH',
      };
    if (run.code === 0) return null;
    const said = run.stderr.trim().split('\n')[0] ?? '';
    const reason = `sudo -n powermetrics failed (${String(run.code)})${said === '' ? '' : `: ${said}`}`;
    return { available: false, reason, hint };
  }

  private channel(rail: AppleRail): Channel {
    return {
      key: appleChannelKey(rail),
      source: 'apple',
      device: rail === 'combined' ? 'SoC' : rail.toUpperCase(),
      kind: 'sampled',
      covers: RAILS[rail].covers,
      detail: {
        tool: 'powermetrics',
        field: RAILS[rail].what,
        samplers: 'cpu_power,gpu_power',
        intervalMs: this.intervalMs,
        average: 'mean over each powermetrics interval',
      },
    };
  }
}
