import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeError } from '../errors.js';

/**
 * Creates `dir` and its missing parents one level at a time. Node's own recursive mkdir loops
 * forever, at full CPU and deaf to signals, on some paths it cannot create (`/proc/nope`); here
 * each step goes one level up or down, so the work is bounded by the path's depth. Throws an
 * Error with a one-line message naming the level that failed (a parent that is a file, or the
 * directory that could not be made).
 */
export function ensureDirectory(dir: string): void {
  const missing: string[] = [];
  let current = resolve(dir);
  for (;;) {
    const stat = statOrUndefined(current);
    if (stat !== undefined) {
      if (!stat.isDirectory()) throw new Error(`${current} is not a directory`);
      break;
    }
    missing.unshift(current);
    const parent = dirname(current);
    if (parent === current) break; // a root that does not exist: its mkdir below fails and says so
    current = parent;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      // Made by another process meanwhile: fine, if it is a directory.
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(level).isDirectory()) continue;
      throw new Error(`cannot create directory ${level}: ${describeError(error)}`, { cause: error });
    }
  }
}

/** The path's stat; undefined when it, or a parent that is a file (ENOTDIR), does not exist. */
function statOrUndefined(path: string): ReturnType<typeof statSync> {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}
