import Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { StoreError, describeError } from '../errors.js';
import { ensureDirectory } from '../util/ensure-dir.js';
import { migrate } from './migrate.js';

import type { Db } from './db-handle.js';

export type { Db } from './db-handle.js';

export { BUSY_TIMEOUT_MS } from './busy-timeout.js';
import { BUSY_TIMEOUT_MS } from './busy-timeout.js';

/**
 * Opens (creating if needed) the SQLite file at `path` with WAL and foreign keys on, and applies
 * the bundled migrations. Missing directories are created one level at a time (never Node's
 * recursive mkdir, which spins forever on paths such as /proc/nope/x.db). Every failure becomes
 * a StoreError naming the path.
 */
export function openDb(path: string, migrationsDir?: string): Db {
  let db: Db;
  try {
    if (path !== ':memory:') ensureDirectory(dirname(path));
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
  } catch (error) {
    throw new StoreError(
      `cannot open database ${path}: ${describeError(error)}`,
      'Check that the directory is writable, or choose another file with --db or COSTBENCH_DB.',
      error,
    );
  }
  try {
    migrate(db, migrationsDir);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
