/**
 * `export --downsample-ms`: the five golden runs exported with their samples thinned to about one per
 * channel per second and imported into a fresh database report every energy and cost figure exactly
 * as the original does; what differs is said (a note, `energy.downsampled`) and counted here.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { readBundleFile } from '../src/store/bundle-file.js';
import { encodeBundle, parseBundle } from '../src/store/bundle-format.js';
import { runDigest } from '../src/store/bundle-hash.js';
import { thinSampleRows } from '../src/store/bundle-downsample.js';
import { BUNDLE_TABLES } from '../src/store/bundle-tables.js';
import { cli, fillMachineA, tableCounts } from './support/bundle-stores.js';
import { makeTempDir } from './support/temp.js';
import { TEST_BUNDLE_LIMITS } from './support/bundle-limits.js';

const LIMITS = TEST_BUNDLE_LIMITS;

/**
 * Samples per golden run before (167, 188, 230, 6, 9: 600) and after thinning at 1000 ms. The rule:
 * per channel, the first reading, each at least 1000 ms after the last kept one, and the last.
 * Run 5 by hand: nvidia:0 at 749.9, 850.9, 951.9, 1052.9 ms keeps 749.9 (first) and 1052.9 (last),
 * the two between are < 1000 ms after 749.9: 2; amd-smi:0 one reading: 1; cpu-load and estimate:cpu
 * at 631.3 and 1126.8 keep both (first, last): 2 + 2. 2 + 1 + 2 + 2 = 7 of 9.
 * Run 4: every channel has at most 2 readings (first and last): all 6 kept, so it travels whole.
 * Runs 1-3 (the rule applied to their stored t_ms): nvidia:0 keeps 9, 10 and 12 (read every ~50 ms:
 * one a second from the first, and the last); cpu-load keeps 6 of 9, 8 of 10 and 9 of 12 (it reads
 * about once a second, so a step a hair under 1000 ms drops a reading). 9+6, 10+8, 12+9 = 15, 18, 21.
 */
const BEFORE = [167, 188, 230, 6, 9];
const AFTER = [15, 18, 21, 6, 7];
const NOTE = /^samples downsampled on export to about one per channel per 1000 ms \((\d+) of (\d+) kept\)/;

type Report = { energy: { flags: string[]; downsampled?: unknown } & Record<string, unknown> };

describe('export --downsample-ms', () => {
  const dir = makeTempDir();
  const at = (name: string): string => join(dir.path, name);
  const all = ['--since', '1970-01-01'];
  let exported = '';
  beforeAll(async () => {
    fillMachineA(at('a.db'));
    const thin = await cli(
      ['export', ...all, '--downsample-ms', '1000', '-o', 'ds.costbench.jsonl.gz', '--db', 'a.db'],
      dir.path,
    );
    expect(thin.code, thin.stderr).toBe(0);
    exported = thin.stdout;
    expect(
      (await cli(['export', ...all, '-o', 'full.costbench.jsonl.gz', '--db', 'a.db'], dir.path)).code,
    ).toBe(0);
    const imported = await cli(['import', 'ds.costbench.jsonl.gz', '--db', 'c.db'], dir.path);
    expect(imported.stdout).toMatch(/: added 5 \(as run 1, 2, 3, 4, 5\)\n$/);
  });
  afterAll(() => dir.remove());

  it('says what it thinned, run by run', () => {
    expect(exported.split('\n')[1]).toBe(
      'samples, about one per channel per 1000 ms: run 1 167 -> 15, run 2 188 -> 18, run 3 230 -> 21, ' +
        'run 4 all kept, run 5 9 -> 7; energy figures from all samples',
    );
  });

  it('ships fewer samples: the rows counted, run by run', () => {
    const ds = parseBundle(readBundleFile(at('ds.costbench.jsonl.gz')), 'ds', LIMITS);
    const full = parseBundle(readBundleFile(at('full.costbench.jsonl.gz')), 'full', LIMITS);
    expect(full.runs.map((r) => r.rows['samples']?.length)).toEqual(BEFORE);
    expect(ds.runs.map((r) => r.rows['samples']?.length)).toEqual(AFTER);
    // One run_downsampled_energy row per thinned run (run 4 lost nothing: none).
    expect(ds.runs.map((r) => r.rows['run_downsampled_energy']?.length)).toEqual([1, 1, 1, 0, 1]);
    // Run 5's nvidia:0 readings left: its first and last (t_ms 749.9 and 1052.9).
    const cols = ds.header.tables['samples'] ?? [];
    const nvidia = (ds.runs[4]?.rows['samples'] ?? []).filter(
      (r) => r[cols.indexOf('channel_key')] === 'nvidia:0',
    );
    expect(nvidia.map((r) => Math.round(Number(r[cols.indexOf('t_ms')]) * 10) / 10)).toEqual([749.9, 1052.9]);
    // Every other table travels whole: the same rows as the full bundle.
    for (const [i, run] of ds.runs.entries())
      for (const t of BUNDLE_TABLES.map((b) => b.name).filter(
        (n) => n !== 'samples' && n !== 'run_downsampled_energy',
      ))
        expect(run.rows[t], `run ${i + 1} ${t}`).toEqual(full.runs[i]?.rows[t]);
    // Without the option the table is not in the bundle at all (the bundle is what it was before 0018).
    expect(Object.keys(full.header.tables)).not.toContain('run_downsampled_energy');
    expect(Object.keys(full.runs[0]?.rows ?? {})).not.toContain('run_downsampled_energy');
    expect(Object.keys(ds.header.tables)).toContain('run_downsampled_energy');
  });

  it('stores the thinned run with what was thinned: 600 -> 67 samples, 4 thinning rows', () => {
    const counts = tableCounts(at('c.db'));
    expect(counts['samples'], '15 + 18 + 21 + 6 + 7').toBe(67);
    expect(counts['run_downsampled_energy']).toBe(4);
    const c = new Database(at('c.db'), { readonly: true });
    const rows = c
      .prepare(
        'SELECT run_id, interval_ms, samples_before, samples_after FROM run_downsampled_energy ORDER BY run_id',
      )
      .raw(true)
      .all();
    c.close();
    expect(rows).toEqual([
      [1, 1000, 167, 15],
      [2, 1000, 188, 18],
      [3, 1000, 230, 21],
      [5, 1000, 9, 7],
    ]);
  });

  it('reports every energy and cost figure exactly as the original; only the note and energy.downsampled differ', async () => {
    for (const [i, id] of ['1', '2', '3', '4', '5'].entries()) {
      const here = await cli(['report', id, '--format', 'json', '--db', 'a.db'], dir.path);
      const there = await cli(['report', id, '--format', 'json', '--db', 'c.db'], dir.path);
      if (id === '4') {
        expect(there.stdout, 'run 4 travelled whole').toBe(here.stdout);
        continue;
      }
      const original = JSON.parse(here.stdout) as Report;
      const imported = JSON.parse(there.stdout) as Report;
      expect(imported.energy.downsampled, `run ${id}`).toEqual({
        intervalMs: 1000,
        samplesBefore: BEFORE[i],
        samplesAfter: AFTER[i],
      });
      const note = imported.energy.flags.at(-1) ?? '';
      expect(note.match(NOTE)?.slice(1), `run ${id}`).toEqual([String(AFTER[i]), String(BEFORE[i])]);
      // The channels' sample counts stay those the figures were computed from (158 nvidia:0 readings
      // of run 1, not the 9 left).
      delete imported.energy.downsampled;
      imported.energy.flags.pop();
      expect(imported, `run ${id}: every other field`).toEqual(original);
      const costHere = await cli(['cost', id, '--format', 'json', '--db', 'a.db'], dir.path);
      const costThere = await cli(['cost', id, '--format', 'json', '--db', 'c.db'], dir.path);
      expect(costThere.stdout, `run ${id} cost`).toBe(costHere.stdout);
    }
  });

  it('says so in a note line in the text, Markdown and HTML reports', async () => {
    for (const format of ['table', 'md'] as const) {
      const here = await cli(['report', '5', '--format', format, '--db', 'a.db'], dir.path);
      const there = await cli(['report', '5', '--format', format, '--db', 'c.db'], dir.path);
      const lines = there.stdout.split('\n');
      const noteAt = lines.findIndex((l) => l.includes('samples downsampled on export'));
      expect(lines[noteAt], format).toContain('(7 of 9 kept)');
      expect(lines.filter((_, i) => i !== noteAt).join('\n'), format).toBe(here.stdout);
    }
    const html = await cli(['report', '5', '--format', 'html', '--db', 'c.db'], dir.path);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toContain(
      'samples downsampled on export to about one per channel per 1000 ms (7 of 9 kept)',
    );
  });

  it('imports the same thinned bundle again as already present; its full bundle is refused, naming the thinning', async () => {
    const again = await cli(['import', 'ds.costbench.jsonl.gz', '--db', 'c.db'], dir.path);
    expect(again.stdout).toMatch(/: added none, 5 already present \(run 1, 2, 3, 4, 5\)\n$/);
    const before = tableCounts(at('c.db'));
    const full = await cli(['import', 'full.costbench.jsonl.gz', '--db', 'c.db'], dir.path);
    expect(full.code).toBe(11);
    expect(full.stderr.split('\n')[0]).toMatch(
      /run [0-9a-f-]{36} is already stored as run 1 with other content \(samples differ\): it is stored downsampled to one sample per channel per 1000 ms, the bundle holds it with all its samples; nothing of the bundle was imported$/,
    );
    expect(tableCounts(at('c.db'))).toEqual(before);
    // The other way round: the full run stored, its thinned bundle refused.
    expect((await cli(['import', 'full.costbench.jsonl.gz', '--db', 'f.db'], dir.path)).code).toBe(0);
    const thin = await cli(['import', 'ds.costbench.jsonl.gz', '--db', 'f.db'], dir.path);
    expect(thin.code).toBe(11);
    expect(thin.stderr.split('\n')[0]).toMatch(
      /as run 1 with other content \(run_downsampled_energy, samples differ\): it is stored with all its samples, the bundle holds it downsampled to one sample per channel per 1000 ms;/,
    );
  });

  it('exports an imported thinned run again with the same content sha256, and does not thin it twice', async () => {
    const ds = parseBundle(readBundleFile(at('ds.costbench.jsonl.gz')), 'ds', LIMITS);
    const again = await cli(['export', ...all, '-o', 'again.costbench.jsonl.gz', '--db', 'c.db'], dir.path);
    expect(again.code).toBe(0);
    const header = parseBundle(readBundleFile(at('again.costbench.jsonl.gz')), 'again', LIMITS).header;
    expect(header.runs).toEqual(ds.header.runs);
    // Run 4 alone (no thinning row, so no run_downsampled_energy table): its digest is the same too.
    expect((await cli(['export', '4', '-o', 'four.costbench.jsonl.gz', '--db', 'c.db'], dir.path)).code).toBe(
      0,
    );
    const four = parseBundle(readBundleFile(at('four.costbench.jsonl.gz')), 'four', LIMITS).header;
    expect(Object.keys(four.tables)).not.toContain('run_downsampled_energy');
    expect(four.runs[0]?.sha256).toBe(ds.header.runs[3]?.sha256);
    const twice = await cli(
      ['export', '1', '--downsample-ms', '500', '-o', 'twice.costbench.jsonl.gz', '--db', 'c.db'],
      dir.path,
    );
    expect(twice.stdout.split('\n')[1]).toBe(
      'samples, about one per channel per 500 ms: run 1 as it was (downsampled before); energy figures from all samples',
    );
  });

  it('refuses a thinning row that is not one costbench writes: exit 10, nothing imported', async () => {
    const text = readBundleFile(at('ds.costbench.jsonl.gz'));
    const bundle = parseBundle(text, 'ds', LIMITS);
    const cols = bundle.header.tables['run_downsampled_energy'] ?? [];
    const run = bundle.runs[0];
    const row = run?.rows['run_downsampled_energy']?.[0] ?? [];
    row[cols.indexOf('energy_json')] = '{"flags": []}';
    bundle.header.runs = bundle.header.runs.slice(0, 1);
    (bundle.header.runs[0] ?? { sha256: '' }).sha256 = runDigest(run?.rows ?? {}, bundle.header.tables);
    writeFileSync(
      at('bad.costbench.jsonl.gz'),
      gzipSync(encodeBundle({ header: bundle.header, runs: [run ?? { uuid: '', rows: {} }] })),
    );
    const result = await cli(['import', 'bad.costbench.jsonl.gz', '--db', 'bad.db'], dir.path);
    expect(result.code).toBe(10);
    expect(result.stderr.split('\n')[0]).toMatch(
      /is corrupt: run [0-9a-f-]{36}'s run_downsampled_energy is not one costbench writes$/,
    );
    expect(tableCounts(at('bad.db')).runs).toBe(0);
  });

  it('refuses an interval that is not a positive number: one line, exit 2', async () => {
    for (const value of ['0', '-5', 'abc', '', 'Infinity']) {
      const result = await cli(
        ['export', '1', '--downsample-ms', value, '-o', 'x.costbench.jsonl.gz', '--db', 'a.db'],
        dir.path,
      );
      expect(result.code, value).toBe(2);
      expect(result.stderr, value).toBe(
        `costbench: --downsample-ms ${value} is not a positive number of milliseconds\n` +
          '  hint: e.g. --downsample-ms 1000: about one sample per channel per second (energy figures stay exact).\n',
      );
    }
  });
});

describe('thinSampleRows', () => {
  it('keeps per channel the first reading, each >= interval after the last kept, and the last', () => {
    const rows = [
      ['a', 0],
      ['b', 0],
      ['a', 400],
      ['a', 1000],
      ['b', 1500],
      ['a', 1999],
      ['a', 2500],
    ];
    // a: 0 first; 400 is 400 after 0: out; 1000 is 1000 after 0: in; 1999 is 999 after 1000: out;
    // 2500 is its last: in. b: 0 first; 1500 is 1500 after 0 (and its last): in.
    expect(thinSampleRows(rows, ['channel_key', 't_ms'], 1000)).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
      true,
    ]);
  });
});
