/**
 * Child processes for samplers: a long-lived process whose stdout lines are buffered with
 * their arrival time (nvidia-smi -lms), a one-shot run that never rejects (probes), and a
 * rate-limited one-shot for tools with no streaming mode (amd-smi, rocm-smi).
 * Nothing here throws at the caller: failures come back as data.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { PollResult } from './sampler.js';

/** How much of a tool's stderr to keep for error messages. */
export const STDERR_TAIL_CHARS = 2000;
/** How long stop() waits after SIGTERM before sending SIGKILL. */
export const STOP_GRACE_MS = 2000;
/** Output limit of a one-shot run (amd-smi JSON for 8 GPUs is well under this). */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** One stdout line and the monotonic time (ms) it arrived. */
export interface TimedLine {
  tMs: number;
  line: string;
}

/** How a process ended: an exit code, a signal, or a failure to start at all. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started or waited for (e.g. ENOENT, EACCES). */
  error: string | null;
}

/** Options shared by the helpers here. */
export interface ProcessOptions {
  env: NodeJS.ProcessEnv;
  /** Monotonic clock, ms. */
  now: () => number;
}

/**
 * A long-lived child whose stdout is split into lines, each stamped with now() when its
 * newline arrives. The caller drains the buffer; exit and a stderr tail are kept for reporting.
 */
export class LineProcess {
  private readonly child: ChildProcess;
  private readonly lines: TimedLine[] = [];
  private partial = '';
  private stderr = '';
  private exitInfo: ProcessExit | null = null;
  private readonly closed: Promise<void>;
  private readonly now: () => number;

  constructor(file: string, args: readonly string[], options: ProcessOptions) {
    this.now = options.now;
    this.child = spawn(file, args, { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (chunk: string) => this.onStdout(chunk));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => {
      this.stderr = (this.stderr + chunk).slice(-STDERR_TAIL_CHARS);
    });
    this.closed = new Promise((resolve) => {
      this.child.on('error', (err) => {
        this.exitInfo ??= { code: null, signal: null, error: err.message };
        resolve();
      });
      // 'close' (not 'exit'): stdout has been read to the end by then.
      this.child.once('close', (code, signal) => {
        if (this.partial !== '') this.lines.push({ tMs: this.now(), line: this.partial });
        this.partial = '';
        this.exitInfo ??= { code, signal, error: null };
        resolve();
      });
    });
  }

  /** The child's pid, undefined if it never started. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the process ended, or null while it runs. */
  get exit(): ProcessExit | null {
    return this.exitInfo;
  }

  /** The last STDERR_TAIL_CHARS of stderr, trimmed. */
  stderrTail(): string {
    return this.stderr.trim();
  }

  /** Returns and forgets the complete lines received so far. */
  drain(): TimedLine[] {
    return this.lines.splice(0);
  }

  /** SIGTERM, then SIGKILL after STOP_GRACE_MS; resolves once the process is gone. Safe twice. */
  async stop(): Promise<void> {
    if (this.exitInfo !== null) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, STOP_GRACE_MS);
    });
    await Promise.race([this.closed, grace]);
    clearTimeout(timer);
    await this.closed;
  }

  private onStdout(chunk: string): void {
    const tMs = this.now();
    const parts = (this.partial + chunk).split('\n');
    this.partial = parts.pop() ?? '';
    for (const part of parts) this.lines.push({ tMs, line: part.replace(/\r$/, '') });
  }
}

/** The outcome of a one-shot run. */
export interface CommandResult extends ProcessExit {
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, asynchronously. Never rejects: failures are in the result. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: { env: NodeJS.ProcessEnv; timeoutMs: number; signal?: AbortSignal },
): Promise<CommandResult> {
  return new Promise((resolve) => {
    const execOptions = {
      env: options.env,
      timeout: options.timeoutMs,
      maxBuffer: MAX_OUTPUT_BYTES,
      encoding: 'utf8' as const,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    };
    execFile(file, args, execOptions, (err, stdout, stderr) => {
      if (err === null) {
        resolve({ code: 0, signal: null, error: null, stdout, stderr });
        return;
      }
      const code = typeof err.code === 'number' ? err.code : null;
      const signal = (err.signal ?? null) as NodeJS.Signals | null;
      // A numeric code or a signal means the tool ran and failed; otherwise it never ran.
      const error = code === null && signal === null ? err.message : null;
      resolve({ code, signal, error, stdout, stderr });
    });
  });
}

/** True when a one-shot run exited 0. */
export function succeeded(result: CommandResult): boolean {
  return result.error === null && result.code === 0;
}

/**
 * One line saying why a run failed: how it ended, then the first line of its output
 * (tools such as nvidia-smi print their error on stdout), e.g.
 * "nvidia-smi exited with code 9: NVIDIA-SMI has failed because ...".
 */
export function describeFailure(
  tool: string,
  result: ProcessExit & { stdout?: string; stderr?: string },
): string {
  const how =
    result.error !== null
      ? `could not run ${tool}: ${result.error}`
      : result.signal !== null
        ? `${tool} was killed by ${result.signal}`
        : `${tool} exited with code ${String(result.code)}`;
  const said = firstLine(`${result.stderr ?? ''}\n${result.stdout ?? ''}`);
  return said === '' ? how : `${how}: ${said}`;
}

/** The first non-blank line of a text, trimmed and cut to 300 characters. */
export function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim().slice(0, 300);
}

/** A finished run of a rate-limited task, stamped with its completion time. */
export interface SpacedResult<T> {
  tMs: number;
  value: T;
}

/**
 * Runs an async task at most once per `minSpacingMs` (measured between starts) and never
 * twice at once: a trigger while a run is in flight is skipped. Results are buffered,
 * stamped with now() when the task settles, and drained by the caller.
 * The task must not reject (runCommand never does); a rejection is dropped.
 */
export class SpacedRunner<T> {
  private inFlight: Promise<void> | null = null;
  private lastStartMs: number | null = null;
  private readonly results: SpacedResult<T>[] = [];
  private readonly abort = new AbortController();

  constructor(
    private readonly task: (signal: AbortSignal) => Promise<T>,
    private readonly minSpacingMs: number,
    private readonly now: () => number,
  ) {}

  /** Starts the task if allowed at `nowMs`; returns whether it started. */
  trigger(nowMs: number): boolean {
    if (this.abort.signal.aborted || this.inFlight !== null) return false;
    if (this.lastStartMs !== null && nowMs - this.lastStartMs < this.minSpacingMs) return false;
    this.lastStartMs = nowMs;
    this.inFlight = this.task(this.abort.signal)
      .then(
        (value) => {
          if (!this.abort.signal.aborted) this.results.push({ tMs: this.now(), value });
        },
        () => undefined,
      )
      .finally(() => {
        this.inFlight = null;
      });
    return true;
  }

  /** Whether a run is still in flight. */
  get running(): boolean {
    return this.inFlight !== null;
  }

  /** Returns and forgets the finished runs. */
  drain(): SpacedResult<T>[] {
    return this.results.splice(0);
  }

  /** Aborts a run in flight and waits for it to settle; no run starts afterwards. Safe twice. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.inFlight;
  }
}

/**
 * Turns a runner's finished one-shot runs into one PollResult: a failed run is one error
 * (a gap, never a throw); a successful run's stdout goes to `parse` with its completion time.
 */
export function collectRuns(
  runner: SpacedRunner<CommandResult>,
  tool: string,
  parse: (stdout: string, tMs: number) => PollResult,
): PollResult {
  const result: PollResult = { samples: [], errors: [] };
  for (const { tMs, value } of runner.drain()) {
    if (!succeeded(value)) {
      result.errors.push({ tMs, channelKey: null, message: describeFailure(tool, value) });
      continue;
    }
    const parsed = parse(value.stdout, tMs);
    result.samples.push(...parsed.samples);
    result.errors.push(...parsed.errors);
  }
  return result;
}
