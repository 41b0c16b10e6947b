/**
 * Fuzzes bundles through the real CLI, in process (`costbench import`): the gzip'd bytes mutated,
 * the text mutated then gzip'd, and JSON values of the header and the run line replaced with the
 * end line's sha256 recomputed. Every outcome is exit 10 with one `costbench: ` line (and at most a
 * hint), or exit 0 for a mutation that left the bundle meaning the same; never an internal error,
 * and the target database never keeps part of a bundle.
 * Reproduce a run with FUZZ_SEED=<seed>.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleHeader, BundleRun } from '../src/store/bundle-format.js';
import { runDigest } from '../src/store/bundle-hash.js';
import { cli, fillMachineB, tableCounts } from './support/bundle-stores.js';
import {
  TEXT_MUTATORS,
  VALUES_BY_TYPE,
  createRng,
  deriveSeed,
  nodePaths,
  setAt,
  stringify,
  type Json,
  type JsonType,
} from './support/fuzz.js';
import { makeTempDir } from './support/temp.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_261_202);
const CASES = 25;
const STACK_TRACE = /\n\s+at .+:\d+:\d+/;

let dir: { path: string; remove: () => void };
let gz: Buffer;
let text: string;
let withRun: Record<string, number>;
let n = 0;

beforeAll(async () => {
  dir = makeTempDir('costbench-bundle-fuzz-');
  fillMachineB(join(dir.path, 'b.db'));
  await cli(['export', '1', '-o', 'b.costbench.jsonl.gz', '--db', 'b.db'], dir.path);
  gz = readFileSync(join(dir.path, 'b.costbench.jsonl.gz'));
  text = gunzipSync(gz).toString('utf8');
  // present.db already holds B's run; a fresh database is made for each case that wants one.
  await cli(['import', 'b.costbench.jsonl.gz', '--db', 'present.db'], dir.path);
  withRun = tableCounts(join(dir.path, 'present.db'));
});
afterAll(() => dir.remove());

/** Imports `bytes` as a bundle into `db` and checks the outcome; `same`: the bundle still means the original. */
async function check(bytes: Buffer, db: string, same: boolean, label: string): Promise<void> {
  const file = `case-${(n += 1)}.costbench.jsonl.gz`;
  writeFileSync(join(dir.path, file), bytes);
  const before = db === 'present.db' ? withRun : null;
  const result = await cli(['import', file, '--db', db], dir.path);
  const where = `${label} (FUZZ_SEED=${SEED})`;
  expect(STACK_TRACE.test(result.stderr), `${where}: stack trace`).toBe(false);
  if (result.code === 0) {
    expect(same, `${where}: accepted a changed bundle: ${result.stdout}`).toBe(true);
    expect(tableCounts(join(dir.path, db)), where).toEqual(withRun);
    return;
  }
  expect(result.code, `${where}: ${result.stderr}`).toBe(10);
  const lines = result.stderr.replace(/\n$/, '').split('\n');
  expect(lines[0], where).toMatch(/^costbench: /);
  expect(lines.length, `${where}: ${result.stderr}`).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1], where).toMatch(/^ {2}hint: /);
  const counts = tableCounts(join(dir.path, db));
  expect(counts, `${where}: database changed`).toEqual(
    before ?? Object.fromEntries(Object.keys(withRun).map((t) => [t, 0])),
  );
}

/** The bundle's text with its end line's sha256 recomputed over the (edited) lines before it. */
function reseal(lines: readonly string[]): string {
  const body = lines.map((l) => `${l}\n`).join('');
  const sha256 = createHash('sha256').update(body).digest('hex');
  return `${body}${JSON.stringify({ end: true, runs: lines.length - 1, sha256 })}\n`;
}

describe('bundle fuzz', () => {
  it('mutated gzip bytes', { timeout: 60_000 }, async () => {
    const rng = createRng(deriveSeed(SEED, 'gzip'));
    for (let i = 0; i < CASES; i += 1) {
      const name = rng.pick(['truncate', 'garbage', 'flip'] as const);
      const mutated = TEXT_MUTATORS[name]?.(rng, gz) ?? { bytes: gz, label: 'none' };
      let same: boolean;
      try {
        same = gunzipSync(mutated.bytes).toString('utf8') === text;
      } catch {
        same = false;
      }
      await check(mutated.bytes, 'present.db', same, `gzip ${mutated.label}`);
    }
  });

  it('mutated text, gzip intact', { timeout: 60_000 }, async () => {
    const rng = createRng(deriveSeed(SEED, 'text'));
    const bytes = Buffer.from(text, 'utf8');
    const names = Object.keys(TEXT_MUTATORS);
    for (let i = 0; i < CASES; i += 1) {
      const mutated = TEXT_MUTATORS[rng.pick(names)]?.(rng, bytes) ?? { bytes, label: 'none' };
      // Only the trailing newline cut leaves the same bundle.
      const same = mutated.bytes.toString('utf8').trimEnd() === text.trimEnd();
      await check(gzipSync(mutated.bytes), 'present.db', same, `text ${mutated.label}`);
    }
  });

  it('a JSON value replaced, the end line resealed, into a fresh database', { timeout: 60_000 }, async () => {
    const rng = createRng(deriveSeed(SEED, 'values'));
    const lines = text.trimEnd().split('\n').slice(0, -1);
    const types = Object.keys(VALUES_BY_TYPE) as JsonType[];
    for (let i = 0; i < CASES; i += 1) {
      const at = rng.int(lines.length);
      const tree = JSON.parse(lines[at] ?? '') as Json;
      const path = rng.pick(nodePaths(tree).slice(1));
      const value = rng.pick(VALUES_BY_TYPE[rng.pick(types)]);
      const edited = [...lines];
      edited[at] = stringify(setAt(tree, path, value));
      const label = `line ${at + 1} ${path.join('.')} = ${stringify(value)}`;
      const db = `fresh-${n + 1}.db`;
      const outcome = async (): Promise<void> => {
        const file = `case-${(n += 1)}.costbench.jsonl.gz`;
        writeFileSync(join(dir.path, file), gzipSync(reseal(edited)));
        const result = await cli(['import', file, '--db', db], dir.path);
        expect(STACK_TRACE.test(result.stderr), label).toBe(false);
        const counts = tableCounts(join(dir.path, db));
        if (result.code === 0) {
          // Accepted (a header field import only records, such as createdAt, or a value set to itself):
          // the whole run, every table as B has it.
          expect(counts, `${label}: accepted`).toEqual(withRun);
          return;
        }
        expect(result.code, `${label}: ${result.stderr}`).toBe(10);
        expect(result.stderr.split('\n')[0], label).toMatch(
          /^costbench: bundle .*(corrupt|sha256|newer|not a costbench|cannot be written)/,
        );
        expect(counts.runs, `${label}: database changed`).toBe(0);
      };
      await outcome();
    }
  });

  it('crafted: values of types costbench never writes, with every sha256 recomputed', async () => {
    const lines = text.trimEnd().split('\n').slice(0, -1);
    const header = JSON.parse(lines[0] ?? '') as BundleHeader;
    const run = JSON.parse(lines[1] ?? '') as BundleRun;
    const cases: [string, BundleHeader, BundleRun, RegExp][] = [
      [
        'exportedBy a string',
        { ...header, exportedBy: 'x' as never },
        run,
        /its header is not one costbench writes/,
      ],
      ['costbenchVersion an object', { ...header, costbenchVersion: {} as never }, run, /its header is not/],
      [
        'a column listed twice',
        { ...header, tables: { ...header.tables, phases: ['name', 'name'] } },
        run,
        /its header is not/,
      ],
      [
        'a request cell an array',
        header,
        withCell(run, [1]),
        /requests rows do not match the header's columns/,
      ],
      [
        'a request cell a boolean',
        header,
        withCell(run, true),
        /requests rows do not match the header's columns/,
      ],
    ];
    for (const [label, h, r, message] of cases) {
      const sealed = { ...h, runs: h.runs.map((e) => ({ ...e, sha256: runDigest(r.rows, h.tables) })) };
      writeFileSync(
        join(dir.path, 'crafted.gz'),
        gzipSync(reseal([JSON.stringify(sealed), JSON.stringify(r)])),
      );
      const result = await cli(['import', 'crafted.gz', '--db', 'crafted.db'], dir.path);
      expect(result.code, label).toBe(10);
      expect(result.stderr.split('\n')[0], label).toMatch(message);
    }
    expect(tableCounts(join(dir.path, 'crafted.db')).runs).toBe(0);
  });
});

/** The run with its first request's first cell replaced. */
function withCell(run: BundleRun, value: unknown): BundleRun {
  const copy = structuredClone(run);
  const row = copy.rows['requests']?.[0];
  if (row !== undefined) row[0] = value;
  return copy;
}
