/**
 * Bundles across machines: two stores with different machine identities (A: the five golden runs on
 * host "vm"; B: one run on host "gpu-server", made through the store API) export, and a third
 * database imports both, twice, with no duplicate.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMachineIdentity } from '../src/inventory/machine-identity.js';
import { readBundleFile } from '../src/store/bundle-file.js';
import { parseBundle } from '../src/store/bundle-format.js';
import { cli, fillMachineA, fillMachineB, tableCounts } from './support/bundle-stores.js';
import { makeTempDir } from './support/temp.js';
import { TEST_BUNDLE_LIMITS } from './support/bundle-limits.js';

const LIMITS = TEST_BUNDLE_LIMITS;
const V4_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * C after importing A and B: each table's rows are A's + B's.
 * A (golden runs.sql): runs 5, warmups 5, run_machines 5, run_models 5, run_engines 0, run_records 5,
 * run_server_facts 6, run_machine_states 10, requests 38, replay_references 4, telemetry_sources 22,
 * telemetry_channels 14, samples 600, telemetry_errors 0, phases 20, idle_settles 7.
 * B (fillMachineB): runs 1, run_machines 1, run_engines 1, requests 2, telemetry_channels 1,
 * samples 3, telemetry_errors 1, phases 1, run_loop_lag 1, the others 0 (A's runs predate run_loop_lag).
 */
const MERGED = {
  runs: 6, // 5 + 1
  warmups: 5, // 5 + 0
  run_machines: 6, // 5 + 1
  run_models: 5, // 5 + 0
  run_engines: 1, // 0 + 1
  run_records: 5,
  run_server_facts: 6,
  run_machine_states: 10,
  requests: 40, // 38 + 2
  replay_references: 4,
  telemetry_sources: 22,
  telemetry_channels: 15, // 14 + 1
  samples: 603, // 600 + 3
  telemetry_errors: 1, // 0 + 1
  phases: 21, // 20 + 1
  idle_settles: 7,
  run_loop_lag: 1, // 0 + 1
  run_downsampled_energy: 0, // neither bundle was exported with --downsample-ms
};

function sql<T>(path: string, query: string): T[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(query).all() as T[];
  } finally {
    db.close();
  }
}

/** Rewrites a bundle's text (gunzipped), gzip'd again into `to`. */
function rewrite(from: string, to: string, edit: (text: string) => string): void {
  writeFileSync(to, gzipSync(edit(readBundleFile(from))));
}

/** A one-run bundle's text with its run line edited and the end line's sha256 recomputed. */
function reseal(text: string, edit: (runLine: string) => string): string {
  const lines = text.trimEnd().split('\n').slice(0, -1);
  lines[1] = edit(lines[1] ?? '');
  const body = lines.map((l) => `${l}\n`).join('');
  const sha256 = createHash('sha256').update(body).digest('hex');
  return `${body}${JSON.stringify({ end: true, runs: 1, sha256 })}\n`;
}

describe('bundles: export from two machines, import into a third', () => {
  const dir = makeTempDir();
  const at = (name: string): string => join(dir.path, name);
  beforeAll(async () => {
    fillMachineA(at('a.db'));
    fillMachineB(at('b.db'));
    expect(
      (await cli(['export', '--since', '1970-01-01', '-o', 'a.costbench.jsonl.gz', '--db', 'a.db'], dir.path))
        .stdout,
    ).toMatch(/^exported 5 runs \(1, 2, 3, 4, 5\) to .*a\.costbench\.jsonl\.gz/);
    expect((await cli(['export', '1', '-o', 'b.costbench.jsonl.gz', '--db', 'b.db'], dir.path)).code).toBe(0);
  });
  afterAll(() => dir.remove());

  it('gives every run a version-4 UUID: the migrated golden runs and a new one', () => {
    const uuids = sql<{ uuid: string }>(at('a.db'), 'SELECT uuid FROM runs').map((r) => r.uuid);
    uuids.push(...sql<{ uuid: string }>(at('b.db'), 'SELECT uuid FROM runs').map((r) => r.uuid));
    expect(uuids).toHaveLength(6);
    for (const u of uuids) expect(u, u).toMatch(V4_UUID);
    expect(new Set(uuids).size, 'distinct').toBe(6);
  });

  it('imports both into a third database, and a second import changes nothing', async () => {
    const first = await cli(['import', '.', '--db', 'c.db'], dir.path);
    expect(first.code, first.stderr).toBe(0);
    // A's bundle sorts first: its runs get ids 1-5 here too, B's run id 6.
    expect(first.stdout).toBe(
      `${at('a.costbench.jsonl.gz')}: added 5 (as run 1, 2, 3, 4, 5)\n${at('b.costbench.jsonl.gz')}: added 1 (as run 6)\n`,
    );
    expect(tableCounts(at('c.db'))).toEqual(MERGED);
    const second = await cli(
      ['import', 'a.costbench.jsonl.gz', 'b.costbench.jsonl.gz', '--db', 'c.db'],
      dir.path,
    );
    expect(second.stdout).toBe(
      `${at('a.costbench.jsonl.gz')}: added none, 5 already present (run 1, 2, 3, 4, 5)\n` +
        `${at('b.costbench.jsonl.gz')}: added none, 1 already present (run 6)\n`,
    );
    expect(tableCounts(at('c.db'))).toEqual(MERGED);
    const hosts = sql<{ hostname: string }>(at('c.db'), 'SELECT hostname FROM run_machines ORDER BY run_id');
    expect(hosts.map((h) => h.hostname)).toEqual(['vm', 'vm', 'vm', 'vm', 'vm', 'gpu-server']);
    // Where each came from: one run_imports row per added run (none for the second import).
    const imports = sql<{ run_id: number; bundle_file: string; exported_by_json: string }>(
      at('c.db'),
      'SELECT run_id, bundle_file, exported_by_json FROM run_imports ORDER BY run_id',
    );
    expect(imports.map((i) => [i.run_id, basename(i.bundle_file)])).toEqual([
      [1, 'a.costbench.jsonl.gz'],
      [2, 'a.costbench.jsonl.gz'],
      [3, 'a.costbench.jsonl.gz'],
      [4, 'a.costbench.jsonl.gz'],
      [5, 'a.costbench.jsonl.gz'],
      [6, 'b.costbench.jsonl.gz'],
    ]);
    expect(JSON.parse(imports[5]?.exported_by_json ?? '')).toEqual(readMachineIdentity());
  });

  it('reports an imported run exactly as its own machine does', async () => {
    for (const id of ['1', '2', '3', '4', '5']) {
      const here = await cli(['report', id, '--format', 'json', '--db', 'a.db'], dir.path);
      const there = await cli(['report', id, '--format', 'json', '--db', 'c.db'], dir.path);
      expect(there.stdout, `run ${id}`).toBe(here.stdout);
    }
  });

  it('describes itself: versions, the exporting machine, each run and the machine that ran it', () => {
    const a = parseBundle(readBundleFile(at('a.costbench.jsonl.gz')), 'a', LIMITS).header;
    const b = parseBundle(readBundleFile(at('b.costbench.jsonl.gz')), 'b', LIMITS).header;
    expect([a.format, a.formatVersion, a.schemaVersion]).toEqual(['costbench-bundle', 1, 20]);
    expect(b.exportedBy).toEqual(readMachineIdentity());
    expect(a.runs.map((r) => r.hostname)).toEqual(['vm', 'vm', 'vm', 'vm', 'vm']);
    expect(b.runs.map((r) => [r.hostname, r.model, r.startedAt])).toEqual([
      ['gpu-server', 'qwen.gguf', '2026-12-01T20:00:00.000Z'],
    ]);
    expect(b.tables['samples']?.[0], 'a sample names its channel by key').toBe('channel_key');
    expect(Object.values(b.tables).flat(), 'no local ids').not.toContain('run_id');
  });

  it('gives a run the same content sha256 in every database', async () => {
    expect((await cli(['export', '6', '-o', 'c6.costbench.jsonl.gz', '--db', 'c.db'], dir.path)).code).toBe(
      0,
    );
    const original = parseBundle(readBundleFile(at('b.costbench.jsonl.gz')), 'b', LIMITS).header.runs;
    const again = parseBundle(readBundleFile(at('c6.costbench.jsonl.gz')), 'c6', LIMITS).header.runs;
    expect(again).toEqual(original);
  });

  it('refuses a run with the same UUID and other content, naming what differs; the database is unchanged', async () => {
    const b = new Database(at('b.db'));
    b.prepare("UPDATE requests SET latency_ms = 1200 WHERE task_id = 'b'").run();
    b.close();
    await cli(['export', '1', '-o', 'changed.gz', '--db', 'b.db'], dir.path);
    const result = await cli(['import', 'changed.gz', '--db', 'c.db'], dir.path);
    expect(result.code).toBe(11);
    expect(result.stderr.split('\n')[0]).toMatch(
      /run [0-9a-f-]{36} is already stored as run 6 with other content \(requests differ\)/,
    );
    expect(tableCounts(at('c.db'))).toEqual(MERGED);
  });

  it('rolls back a bundle that fails after writing a run', async () => {
    // D holds B's run 2 only; a bundle of [A-like new run 1, changed run 2] writes run 1, then meets the conflict.
    fillMachineB(at('d-src.db'));
    fillMachineB(at('d-src.db'));
    await cli(['export', '2', '-o', 'run2.gz', '--db', 'd-src.db'], dir.path);
    expect((await cli(['import', 'run2.gz', '--db', 'd.db'], dir.path)).code).toBe(0);
    const src = new Database(at('d-src.db'));
    src.prepare('UPDATE samples SET power_w = 651 WHERE power_w = 650.5').run();
    src.close();
    await cli(['export', '1', '2', '-o', 'both.gz', '--db', 'd-src.db'], dir.path);
    const before = tableCounts(at('d.db'));
    const result = await cli(['import', 'both.gz', '--db', 'd.db'], dir.path);
    expect(result.code).toBe(11);
    expect(result.stderr).toMatch(/\(samples differ\)/);
    expect(tableCounts(at('d.db'))).toEqual(before);
    expect(before.runs).toBe(1);
  });

  it('refuses a bundle from a newer costbench, in one line, exit 10', async () => {
    for (const [field, value] of [
      ['formatVersion', 2],
      ['schemaVersion', 99],
    ] as const) {
      rewrite(at('b.costbench.jsonl.gz'), at('newer.gz'), (t) =>
        t.replace(`"${field}":`, `"${field}":${value},"x":`),
      );
      const result = await cli(['import', 'newer.gz', '--db', 'c.db'], dir.path);
      expect(result.code, field).toBe(10);
      expect(result.stderr.split('\n')[0]).toMatch(/was written by a newer costbench/);
    }
    expect(tableCounts(at('c.db'))).toEqual(MERGED);
  });

  it('refuses a truncated, a corrupt, a tampered bundle: exit 10, database unchanged', async () => {
    const gz = readFileSync(at('a.costbench.jsonl.gz'));
    writeFileSync(at('cut.gz'), gz.subarray(0, Math.floor(gz.length / 2)));
    const flipped = Buffer.from(gz);
    flipped[Math.floor(gz.length / 2)] = (flipped[Math.floor(gz.length / 2)] ?? 0) ^ 0xff;
    writeFileSync(at('flipped.gz'), flipped);
    writeFileSync(at('not-gzip.gz'), 'hello');
    // A sample's power changed, the end line's sha256 left: the whole-file check fails.
    rewrite(at('b.costbench.jsonl.gz'), at('tampered.gz'), (t) => t.replace('650.5', '650.6'));
    // The same, with the end line recomputed: the run's own sha256 in the header fails.
    rewrite(at('b.costbench.jsonl.gz'), at('resealed.gz'), (t) =>
      reseal(t, (run) => run.replace('650.5', '650.6')),
    );
    // A request row one value short, the end line recomputed.
    rewrite(at('b.costbench.jsonl.gz'), at('short-row.gz'), (t) =>
      reseal(t, (run) => {
        const parsed = JSON.parse(run) as { rows: { requests: unknown[][] } };
        parsed.rows.requests[0]?.pop();
        return JSON.stringify(parsed);
      }),
    );
    // The last line gone: no end line.
    rewrite(
      at('b.costbench.jsonl.gz'),
      at('headless.gz'),
      (t) => t.trimEnd().split('\n').slice(0, -1).join('\n') + '\n',
    );
    const cases: [string, RegExp][] = [
      ['cut.gz', /is truncated or corrupt: unexpected end of file/],
      ['flipped.gz', /is truncated or corrupt/],
      ['not-gzip.gz', /is truncated or corrupt: incorrect header check/],
      ['tampered.gz', /fails its sha256 check: it was altered or damaged/],
      ['resealed.gz', /run [0-9a-f-]{36} fails its sha256 check/],
      ['headless.gz', /is truncated: it has no end line/],
      ['short-row.gz', /is corrupt: run [0-9a-f-]{36}'s requests rows do not match the header's columns/],
    ];
    for (const [file, message] of cases) {
      const result = await cli(['import', file, '--db', 'c.db'], dir.path);
      expect(result.code, file).toBe(10);
      expect(result.stderr.split('\n')[0], file).toMatch(message);
      expect(result.stderr.split('\n').length, `${file}: one line and a hint`).toBeLessThanOrEqual(3);
    }
    expect(tableCounts(at('c.db'))).toEqual(MERGED);
  });
});
