import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { StoreError, describeError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import type { Db } from './db-handle.js';

/** A migration file: migrations/NNNN_name.sql. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_PATTERN = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The bundled migrations directory. */
export function defaultMigrationsDir(): string {
  return join(packageRoot(), 'migrations');
}

/** Reads migrations/NNNN_name.sql in version order. */
export function readMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  return readdirSync(dir)
    .map((file) => ({ file, match: FILE_PATTERN.exec(file) }))
    .filter((entry): entry is { file: string; match: RegExpExecArray } => entry.match !== null)
    .map(({ file, match }) => ({
      version: Number(match[1]),
      name: match[2] ?? file,
      sql: readFileSync(join(dir, file), 'utf8'),
    }))
    .sort((a, b) => a.version - b.version);
}

/**
 * Applies the migrations this build knows and the database lacks, each in its own transaction,
 * recording each in schema_migrations. A database that carries a migration this build does not
 * know (written by a newer costbench) is refused, naming it. Returns the versions applied.
 */
export function migrate(db: Db, dir?: string): number[] {
  const known = readMigrations(dir);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
    version: number;
    name: string;
  }[];
  const knownVersions = new Set(known.map((m) => m.version));
  const unknown = applied.filter((m) => !knownVersions.has(m.version));
  if (unknown.length > 0) {
    const names = unknown.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}`).join(', ');
    throw new StoreError(
      `database ${db.name} has migration ${names}, which this costbench does not know`,
      'It was written by a newer costbench: upgrade costbench, or use another file with --db.',
    );
  }
  const done = new Set(applied.map((m) => m.version));
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const appliedNow: number[] = [];
  for (const migration of known.filter((m) => !done.has(m.version))) {
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        record.run(migration.version, migration.name, new Date().toISOString());
      })();
    } catch (error) {
      throw new StoreError(
        `migration ${String(migration.version).padStart(4, '0')}_${migration.name} failed on ${db.name}: ${describeError(error)}`,
        'The database was left at the previous version. Report this with the file attached.',
        error,
      );
    }
    appliedNow.push(migration.version);
  }
  return appliedNow;
}
