import { loadConfig, type ConfigFlags } from '../config/load.js';
import { lockPathFor, withLock } from './lock.js';

/** What {@link withRunLock} needs of the command's io. */
export interface RunLockIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stderr: (text: string) => void;
}

/**
 * Runs `fn` holding the lock of the database the flags resolve to, so a manual `costbench run`
 * and a scheduled one never overlap. Throws LockBusyError (exit 75) when another run holds it.
 */
export async function withRunLock<T>(
  flags: ConfigFlags,
  io: RunLockIo,
  command: string,
  fn: () => Promise<T>,
): Promise<T> {
  const { dbPath } = loadConfig(flags, io.env, io.cwd);
  return withLock(lockPathFor(dbPath), command, (message) => io.stderr(`warning: ${message}\n`), fn);
}
