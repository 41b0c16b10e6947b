/**
 * Bundles at their edges: every run-owned table travels, a bundle from an older schema imports with
 * defaults, a locked database is refused unchanged, export's bad flags.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readMachineIdentity } from '../src/inventory/machine-identity.js';
import { readBundleFile } from '../src/store/bundle-file.js';
import { differingTables, runDigest } from '../src/store/bundle-hash.js';
import { BUNDLE_TABLES, LOCAL_TABLES, type RunRows } from '../src/store/bundle-tables.js';
import { openDb } from '../src/store/db.js';
import { cli, fillMachineB, tableCounts } from './support/bundle-stores.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();

describe('the bundle tables', () => {
  it('are every table that holds a run’s rows (a migration adding one must list it in BUNDLE_TABLES or LOCAL_TABLES)', () => {
    const db = openDb(':memory:');
    const tables = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const fks = new Map(
      tables.map((t) => [
        t,
        db.prepare(`PRAGMA foreign_key_list(${t})`).all() as { table: string; from: string }[],
      ]),
    );
    // Run-owned: runs, and every table whose foreign key reaches a run-owned table.
    const owned = new Set(['runs']);
    for (let grew = true; grew;) {
      grew = false;
      for (const t of tables)
        if (!owned.has(t) && (fks.get(t) ?? []).some((fk) => owned.has(fk.table))) {
          owned.add(t);
          grew = true;
        }
    }
    expect([...owned].sort()).toEqual([...BUNDLE_TABLES.map((t) => t.name), ...LOCAL_TABLES].sort());
    // Only runs.id (as run_id) and telemetry_channels.id (as channel_id) are referenced: both are remapped.
    const refs = [...fks.entries()].flatMap(([t, list]) => list.map((fk) => `${fk.table}<-${t}.${fk.from}`));
    expect(refs.filter((r) => !/^runs<-\w+\.run_id$/.test(r))).toEqual([
      'telemetry_channels<-samples.channel_id',
    ]);
    db.close();
  });
});

describe('the machine identity', () => {
  it('is the hostname and the sha256 of /etc/machine-id, or null without one', () => {
    const etc = tempDir();
    expect(readMachineIdentity(etc)).toEqual({ hostname: hostname(), machineIdSha256: null });
    writeFileSync(join(etc, 'machine-id'), 'abc\n');
    // sha256("abc"), the FIPS 180-2 test vector: the trailing newline is not part of the id.
    expect(readMachineIdentity(etc).machineIdSha256).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('run digests', () => {
  const columns = { runs: ['uuid', 'model'], requests: ['task_id', 'latency_ms'] };
  const rows: RunRows = { runs: [['u', 'm']], requests: [['a', 1000]] };

  it('name the tables that differ, and only those', () => {
    const other: RunRows = { ...rows, requests: [['a', 1000.5]] };
    expect(differingTables(rows, other, columns)).toEqual(['requests']);
    expect(differingTables(rows, structuredClone(rows), columns)).toEqual([]);
    expect(runDigest(rows, columns)).not.toBe(runDigest(other, columns));
    expect(runDigest(rows, columns)).toBe(runDigest(structuredClone(rows), columns));
  });
});

/** B's bundle made as if by costbench at schema 12: without runs.uuid's sibling remote_json nor requests.cost_usd. */
function olderBundle(from: string, to: string): void {
  const lines = readBundleFile(from).trimEnd().split('\n');
  const header = JSON.parse(lines[0] ?? '') as {
    schemaVersion: number;
    tables: Record<string, string[]>;
    runs: { sha256: string }[];
  };
  const run = JSON.parse(lines[1] ?? '') as { rows: RunRows };
  for (const [table, column] of [
    ['runs', 'remote_json'],
    ['requests', 'cost_usd'],
  ] as const) {
    const at = header.tables[table]?.indexOf(column) ?? -1;
    header.tables[table] = (header.tables[table] ?? []).filter((_, i) => i !== at);
    run.rows[table] = (run.rows[table] ?? []).map((row) => row.filter((_, i) => i !== at));
  }
  header.schemaVersion = 12;
  (header.runs[0] ?? { sha256: '' }).sha256 = runDigest(run.rows, header.tables);
  const body = `${JSON.stringify(header)}\n${JSON.stringify(run)}\n`;
  const sha256 = createHash('sha256').update(body).digest('hex');
  writeFileSync(to, gzipSync(`${body}${JSON.stringify({ end: true, runs: 1, sha256 })}\n`));
}

describe('importing', () => {
  it('takes a bundle from an older schema, with defaults for what it lacks, once', async () => {
    const dir = tempDir();
    fillMachineB(join(dir, 'b.db'));
    expect((await cli(['export', 'latest', '-o', 'b.costbench.jsonl.gz', '--db', 'b.db'], dir)).code).toBe(0);
    olderBundle(join(dir, 'b.costbench.jsonl.gz'), join(dir, 'old.costbench.jsonl.gz'));
    const first = await cli(['import', 'old.costbench.jsonl.gz', '--db', 'c.db'], dir);
    expect(first.stdout).toMatch(/: added 1 \(as run 1\)\n$/);
    const second = await cli(['import', 'old.costbench.jsonl.gz', '--db', 'c.db'], dir);
    expect(second.stdout).toMatch(/: added none, 1 already present \(run 1\)\n$/);
    const c = new Database(join(dir, 'c.db'), { readonly: true });
    expect(c.prepare('SELECT cost_usd, retries FROM requests ORDER BY id').all()).toEqual([
      { cost_usd: null, retries: 0 },
      { cost_usd: null, retries: 0 },
    ]);
    c.close();
    // The full bundle of the same run matches on the columns both have: already present.
    const full = await cli(['import', 'b.costbench.jsonl.gz', '--db', 'c.db'], dir);
    expect(full.stdout).toMatch(/: added none, 1 already present \(run 1\)\n$/);
  });

  it(
    'refuses a locked database in one line (exit 4), leaving it unchanged',
    { timeout: 30_000 },
    async () => {
      const dir = tempDir();
      fillMachineB(join(dir, 'b.db'));
      await cli(['export', 'latest', '-o', 'b.costbench.jsonl.gz', '--db', 'b.db'], dir);
      openDb(join(dir, 'c.db')).close();
      const holder = new Database(join(dir, 'c.db'));
      holder.prepare('BEGIN IMMEDIATE').run();
      try {
        const result = await cli(['import', 'b.costbench.jsonl.gz', '--db', 'c.db'], dir);
        expect(result.code).toBe(4);
        expect(result.stderr.split('\n')[0]).toMatch(
          /^costbench: database error: database is locked \(SQLITE_BUSY\)/,
        );
      } finally {
        holder.prepare('ROLLBACK').run();
        holder.close();
      }
      expect(tableCounts(join(dir, 'c.db')).runs).toBe(0);
    },
  );
});

describe('an imported run', () => {
  it('cannot be resumed where it was imported', async () => {
    const dir = tempDir();
    fillMachineB(join(dir, 'b.db'));
    const b = new Database(join(dir, 'b.db'));
    b.prepare("UPDATE runs SET status = 'interrupted'").run();
    b.close();
    await cli(['export', '1', '-o', 'b.costbench.jsonl.gz', '--db', 'b.db'], dir);
    expect((await cli(['import', 'b.costbench.jsonl.gz', '--db', 'c.db'], dir)).code).toBe(0);
    const result = await cli(['run', '--resume', '1', '--db', 'c.db'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      `costbench: run 1 was imported from ${hostname()} (${join(dir, 'b.costbench.jsonl.gz')}): it cannot be resumed here`,
    );
  });
});

describe('export', () => {
  it('needs -o and a selection, and leaves out a run still running', async () => {
    const dir = tempDir();
    fillMachineB(join(dir, 'b.db'));
    expect((await cli(['export', '1', '--db', 'b.db'], dir)).code).toBe(2);
    expect((await cli(['export', '-o', 'x.costbench.jsonl.gz', '--db', 'b.db'], dir)).code).toBe(2);
    expect((await cli(['export', '--since', 'soon', '-o', 'x.gz', '--db', 'b.db'], dir)).code).toBe(2);
    expect((await cli(['export', '9', '-o', 'x.gz', '--db', 'b.db'], dir)).code).toBe(6);
    const b = new Database(join(dir, 'b.db'));
    b.prepare("UPDATE runs SET status = 'running'").run();
    b.close();
    const result = await cli(
      ['export', '--since', '2026-12-01', '-o', 'x.costbench.jsonl.gz', '--db', 'b.db'],
      dir,
    );
    expect(result.stderr).toBe(
      'run 1 is still running: left out (export it when it has finished)\ncostbench: no finished run to export\n  hint: See `costbench runs`.\n',
    );
    expect(result.code).toBe(2);
  });
});
