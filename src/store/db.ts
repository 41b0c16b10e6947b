import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError, describeError } from '../errors.js';
import { migrate } from './migrate.js';

/** The database handle the rest of costbench uses. */
export type Db = Database.Database;

export { BUSY_TIMEOUT_MS } from './busy-timeout.js';
import { BUSY_TIMEOUT_MS } from './busy-timeout.js';

/**
 * Opens (creating if needed) the SQLite file at `path` with WAL and foreign keys on, and applies
 * the bundled migrations. Every failure becomes a StoreError naming the path.
 */
export function openDb(path: string, migrationsDir?: string): Db {
  let db: Db;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
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
