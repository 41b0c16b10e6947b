/**
 * Golden reports: five stored runs (test/golden/runs.sql: single level with power, a sweep, a
 * resumed run, an OpenAI-compatible server, a replay) in every format of every report must stay
 * byte-identical (test/golden/out) through any change that is not meant to change a report. A
 * change that is: `UPDATE_GOLDEN=1 npx vitest run test/golden-reports.test.ts`, and review the diff.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.js';
import { makeTempDir } from './support/temp.js';
import { captureIo } from './support/capture-io.js';

const GOLDEN = join(import.meta.dirname, 'golden');
const OUT = join(GOLDEN, 'out');
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
const RUNS = [1, 2, 3, 4, 5];
/** The bundled price file as `cost --format json` names it, by its absolute path: the same anywhere as `<package>`. */
const BUNDLED_PRICES = join(import.meta.dirname, '..', 'data', 'api-prices.json');

/** Each report of a run: its file name and the CLI arguments that print it. */
const REPORTS: [string, (id: number) => string[]][] = [
  ['table.txt', (id) => ['report', String(id)]],
  ['report.json', (id) => ['report', String(id), '--format', 'json']],
  ['report.md', (id) => ['report', String(id), '--format', 'md']],
  ['report.html.sha256', (id) => ['report', String(id), '--format', 'html']],
  ['requests.csv', (id) => ['report', String(id), '--format', 'csv', '--csv', 'requests']],
  ['samples.csv', (id) => ['report', String(id), '--format', 'csv', '--csv', 'samples']],
  ['settings.csv', (id) => ['report', String(id), '--format', 'csv', '--csv', 'settings']],
  ['cost.txt', (id) => ['cost', String(id)]],
  ['cost.json', (id) => ['cost', String(id), '--format', 'json']],
  ['cost.csv', (id) => ['cost', String(id), '--format', 'csv']],
];
const COMPARES: [string, string[]][] = [
  ['compare-1-2-3.txt', ['compare', '1', '2', '3']],
  ['compare-1-4.json', ['compare', '1', '4', '--format', 'json']],
  ['compare-1-5.md', ['compare', '1', '5', '--format', 'md']],
];

describe('golden reports of stored runs: every format, byte for byte', () => {
  const dir = makeTempDir();
  const db = join(dir.path, 'golden.db');
  beforeAll(() => {
    const sqlite = new Database(db);
    sqlite.exec(readFileSync(join(GOLDEN, 'runs.sql'), 'utf8'));
    sqlite.close();
    if (UPDATE) mkdirSync(OUT, { recursive: true });
  });
  afterAll(() => dir.remove());

  async function cli(args: string[]): Promise<string> {
    // No config file, a data directory of its own: bundled prices, default cost inputs.
    const { io, stdout, stderr } = captureIo({ XDG_DATA_HOME: dir.path, HOME: dir.path }, dir.path);
    const code = await main([...args, '--db', db], io);
    if (code !== 0) throw new Error(`${args.join(' ')}: exit ${code}: ${stderr()}`);
    return stdout();
  }

  function check(name: string, text: string): void {
    const path = join(OUT, name);
    const portable = text.split(BUNDLED_PRICES).join('<package>/data/api-prices.json');
    const value = name.endsWith('.sha256')
      ? `${createHash('sha256').update(portable).digest('hex')}\n`
      : portable;
    if (UPDATE || !existsSync(path)) {
      if (!UPDATE) throw new Error(`${path} is missing: run with UPDATE_GOLDEN=1`);
      writeFileSync(path, value);
      return;
    }
    expect(value, name).toBe(readFileSync(path, 'utf8'));
  }

  for (const id of RUNS) {
    it(`run ${id}: table, JSON, Markdown, HTML, the three CSVs, cost as table, JSON and CSV`, async () => {
      for (const [file, args] of REPORTS) check(`run${id}-${file}`, await cli(args(id)));
    });
  }

  it('compare as table, JSON and Markdown', async () => {
    for (const [file, args] of COMPARES) check(file, await cli(args));
  });
});
