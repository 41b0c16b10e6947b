/**
 * One lock per database, so two runs never overlap, across processes too (a crontab line and a
 * daemon, two daemons, a manual run): `costbench.lock` next to the database, created with O_EXCL,
 * holding who holds it. A lock whose holder is gone is recovered, and the caller is told so.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { CostbenchError, EXIT, StoreError, describeError } from '../errors.js';
import { isProcessAlive } from '../util/process-alive.js';
import { ensureDirectory } from '../util/ensure-dir.js';

/** The lock file's name, in the database's directory. */
export const LOCK_FILE_NAME = 'costbench.lock';
/** A lock taken on another host (shared disk) older than this is stale: its pid cannot be checked from here. */
export const STALE_LOCK_MS = 24 * 3_600_000;
/** A lock file that does not parse is taken as being written this long, then as stale. */
export const UNREADABLE_LOCK_GRACE_MS = 10_000;
/** Tries at taking the lock when others recover or release it at the same moment. */
const ACQUIRE_ATTEMPTS = 3;

/** What the lock file holds. */
export interface LockInfo {
  pid: number;
  hostname: string;
  /** ISO-8601 UTC. */
  startedAt: string;
  /** What holds it, for the message another run prints, e.g. "costbench run". */
  command: string;
}

/** Who this process is, and how to tell whether another process lives. Tests pass their own. */
export interface LockEnv {
  pid: number;
  hostname: string;
  now: () => number;
  isAlive: (pid: number) => boolean;
}

/** A lock this process holds. */
export interface HeldLock {
  path: string;
  info: LockInfo;
  /** Removes the lock file if it is still ours. Idempotent; also runs when the process exits. */
  release: () => void;
}

/** The outcome of one try: held (and whether a stale lock was recovered first), or busy. */
export type LockAttempt =
  | { acquired: true; lock: HeldLock; recovered: string | null }
  | { acquired: false; path: string; holder: LockInfo | null };

/** `<db dir>/costbench.lock`. */
export function lockPathFor(dbPath: string): string {
  return join(dirname(dbPath), LOCK_FILE_NAME);
}

/** This process. */
export function processLockEnv(): LockEnv {
  return { pid: process.pid, hostname: hostname(), now: () => Date.now(), isAlive: isProcessAlive };
}

/** Parses the lock file's text; null when it is not a well-formed lock. Pure. */
export function parseLockInfo(text: string): LockInfo | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v['pid'] !== 'number' || !Number.isInteger(v['pid']) || v['pid'] <= 0) return null;
  if (typeof v['hostname'] !== 'string' || typeof v['startedAt'] !== 'string') return null;
  return {
    pid: v['pid'],
    hostname: v['hostname'],
    startedAt: v['startedAt'],
    command: typeof v['command'] === 'string' ? v['command'] : 'unknown',
  };
}

/** Why a lock is stale, or null when its holder may still be running. Pure but for env.isAlive. */
function staleReason(holder: LockInfo | null, fileMtimeMs: number, env: LockEnv): string | null {
  if (holder === null) {
    const ageMs = env.now() - fileMtimeMs;
    return ageMs > UNREADABLE_LOCK_GRACE_MS
      ? `the file is not a valid lock and is ${Math.round(ageMs / 1000)} s old`
      : null;
  }
  if (holder.hostname === env.hostname) {
    // On this host the pid says it all: a run may well last longer than a day.
    return holder.pid !== env.pid && !env.isAlive(holder.pid)
      ? `pid ${holder.pid} is not running on ${holder.hostname}`
      : null;
  }
  // Another host (a shared disk): its pid cannot be checked from here, so age decides.
  const startedMs = Date.parse(holder.startedAt);
  return Number.isFinite(startedMs) && env.now() - startedMs > STALE_LOCK_MS
    ? `it was taken on ${holder.hostname} more than ${STALE_LOCK_MS / 3_600_000} h ago`
    : null;
}

/** "pid 123 on host, `costbench run`, since 2025-01-01T02:00:00.000Z". */
export function describeHolder(holder: LockInfo | null): string {
  if (holder === null) return 'holder unknown: the file is being written or is not a valid lock';
  return `pid ${holder.pid} on ${holder.hostname}, \`${holder.command}\`, since ${holder.startedAt}`;
}

/** Tries once (retrying only lost races) to take the lock at `path`. Never waits. */
export function tryAcquireLock(path: string, command: string, env: LockEnv = processLockEnv()): LockAttempt {
  try {
    ensureDirectory(dirname(path));
  } catch (error) {
    throw lockFileError(path, error);
  }
  let recovered: string | null = null;
  let holder: LockInfo | null = null;
  for (let attempt = 0; attempt < ACQUIRE_ATTEMPTS; attempt++) {
    const info: LockInfo = {
      pid: env.pid,
      hostname: env.hostname,
      startedAt: new Date(env.now()).toISOString(),
      command,
    };
    if (createExclusive(path, info)) return { acquired: true, lock: holdLock(path, info), recovered };
    const current = readLockFile(path);
    if (current === null) continue; // released between our open and our read
    holder = current.holder;
    const why = staleReason(current.holder, current.mtimeMs, env);
    if (why === null) return { acquired: false, path, holder };
    // Remove only the file judged stale: another process may have recovered it already.
    if (removeIfUnchanged(path, current.text))
      recovered = `recovered a stale lock ${path} (${describeHolder(current.holder)}): ${why}`;
  }
  return { acquired: false, path, holder };
}

/** A run skipped because another one holds the lock (exit 75). */
export class LockBusyError extends CostbenchError {
  constructor(path: string, holder: LockInfo | null) {
    super(`another run holds the lock ${path} (${describeHolder(holder)}): this run is skipped`, {
      hint: 'Two runs on one machine would measure each other. Try again when it has finished; a lock whose process is gone is recovered by the next run.',
      exitCode: EXIT.busy,
    });
  }
}

/**
 * Runs `fn` holding the lock, released when it settles (or the process exits). Throws
 * LockBusyError when another live process holds it; `onRecovered` hears of a stale lock removed.
 */
export async function withLock<T>(
  path: string,
  command: string,
  onRecovered: (message: string) => void,
  fn: () => Promise<T>,
  env?: LockEnv,
): Promise<T> {
  const attempt = tryAcquireLock(path, command, env);
  if (!attempt.acquired) throw new LockBusyError(attempt.path, attempt.holder);
  if (attempt.recovered !== null) onRecovered(attempt.recovered);
  try {
    return await fn();
  } finally {
    attempt.lock.release();
  }
}

function createExclusive(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw lockFileError(path, error);
  }
  try {
    writeSync(fd, JSON.stringify(info) + '\n');
  } catch (error) {
    closeSync(fd);
    unlinkQuietly(path);
    throw lockFileError(path, error);
  }
  closeSync(fd);
  return true;
}

function holdLock(path: string, info: LockInfo): HeldLock {
  let held = true;
  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    const current = readLockFile(path);
    if (current?.holder?.pid === info.pid && current.holder.startedAt === info.startedAt) unlinkQuietly(path);
  };
  // A crash or an exit elsewhere must not leave the lock behind; `exit` handlers run synchronously.
  process.once('exit', release);
  return { path, info, release };
}

function readLockFile(path: string): { text: string; holder: LockInfo | null; mtimeMs: number } | null {
  try {
    const mtimeMs = statSync(path).mtimeMs;
    const text = readFileSync(path, 'utf8');
    return { text, holder: parseLockInfo(text), mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw lockFileError(path, error);
  }
}

function removeIfUnchanged(path: string, text: string): boolean {
  // Not atomic: a recovery by another process in the microseconds between the read and the
  // unlink could be removed. Both would then have judged the same dead holder stale.
  if (readLockFile(path)?.text !== text) return false;
  unlinkQuietly(path);
  return true;
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to release.
  }
}

function lockFileError(path: string, error: unknown): StoreError {
  return new StoreError(
    `cannot use the lock file ${path}: ${describeError(error)}`,
    'Check that the database directory is writable, or choose another file with --db or COSTBENCH_DB.',
    error,
  );
}
