/**
 * The harness side of the engine process: forks it, sends it requests, routes its replies, and
 * notices when it dies. A death nobody asked for is a crash: every request in flight fails with
 * it, and `crash` says how it died.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../util/package-root.js';
import type { FromEngine, ToEngine } from './protocol.js';

/** Why the engine process ended without being asked to. */
export interface EngineCrash {
  message: string;
}

/** Thrown for every request in flight when the engine process dies. */
export class EngineDiedError extends Error {
  constructor(readonly crash: EngineCrash) {
    super(crash.message);
  }
}

type Reply = Exclude<FromEngine, { type: 'pieces' }>;
type OutgoingMessage = ToEngine extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  onPieces: ((pieces: string[]) => void) | undefined;
}

/** The engine entry point: the built file next to this one, or in dist/ when running from sources (tests). */
export function engineChildPath(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'engine-child.js');
  return join(packageRoot(), 'dist', 'src', 'backends', 'embedded', 'engine-child.js');
}

const STDERR_KEEP_CHARS = 2_000;

/** One engine process; started on the first request. */
export class EngineClient {
  private child: ChildProcess | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closing = false;
  private stderrTail = '';
  /** Set when the process died without being asked to. */
  crash: EngineCrash | null = null;

  constructor(private readonly childPath: string = engineChildPath()) {}

  private spawn(): ChildProcess {
    if (!existsSync(this.childPath))
      throw new Error(`the engine entry ${this.childPath} is missing: run \`npm run build\``);
    const child = fork(this.childPath, [], {
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'json',
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_KEEP_CHARS);
    });
    child.on('message', (message: FromEngine) => this.route(message));
    child.on('exit', (code, signal) => this.onExit(code, signal));
    child.on('error', (error) => this.onExit(null, null, error.message));
    // An idle engine does not keep costbench alive (a command that never closes it still exits);
    // a request in flight does (see hold).
    child.unref();
    child.channel?.unref();
    (child.stderr as { unref?: () => void } | null)?.unref?.();
    return child;
  }

  /** Keeps the process alive while a reply is awaited, and only then. */
  private hold(): void {
    if (this.pending.size === 0) this.child?.channel?.unref();
    else this.child?.channel?.ref();
  }

  private route(message: FromEngine): void {
    const waiting = this.pending.get(message.id);
    if (waiting === undefined) return;
    if (message.type === 'pieces') {
      waiting.onPieces?.(message.pieces);
      return;
    }
    this.pending.delete(message.id);
    this.hold();
    waiting.resolve(message);
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    this.child = null;
    if (this.closing) return;
    const lastLine = this.stderrTail
      .trim()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .pop();
    const how =
      error ?? (signal !== null ? `was killed by ${signal}` : `exited with code ${code ?? 'unknown'}`);
    this.crash = {
      message: `the engine process ${how}${lastLine === undefined ? '' : ` (${lastLine.trim().slice(0, 200)})`}`,
    };
    for (const [, waiting] of this.pending) waiting.reject(new EngineDiedError(this.crash));
    this.pending.clear();
  }

  /** Sends a request and waits for its reply. */
  request(message: OutgoingMessage): Promise<Reply> {
    return this.send(message).reply;
  }

  /** Sends a request; its id (to cancel it) and its reply. `onPieces` receives answer text as it streams. */
  send(
    message: OutgoingMessage,
    onPieces?: (pieces: string[]) => void,
  ): { id: number; reply: Promise<Reply> } {
    const id = this.nextId;
    this.nextId += 1;
    if (this.crash !== null) return { id, reply: Promise.reject(new EngineDiedError(this.crash)) };
    this.child ??= this.spawn();
    const reply = new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onPieces });
      this.hold();
      this.child?.send({ ...message, id } as ToEngine);
    });
    return { id, reply };
  }

  /** Asks the engine to stop generating for request `id` (it answers that request as cancelled). */
  cancel(id: number): void {
    this.child?.send({ type: 'cancel', id } satisfies ToEngine);
  }

  /** The engine's process id while it runs (tests kill it to prove a crash is survived). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** Ends the engine process; not a crash. */
  async close(): Promise<void> {
    this.closing = true;
    const child = this.child;
    if (child === null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      // Waiting for the exit must keep this process alive (the handle is unref'd while idle).
      child.ref();
      child.disconnect();
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  }
}
