import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/load.js';
import { importPrices } from '../src/tables/price-table-read.js';
import { loadReplay } from '../src/replay/load.js';
import { loadSuite } from '../src/suites/load.js';
import { useTempDir } from './support/temp.js';

/** What some Windows editors put before UTF-8 text: EF BB BF, U+FEFF once decoded. */
const BOM = '\uFEFF';
const tempDir = useTempDir();

describe('JSON files saved with a UTF-8 byte-order mark', () => {
  it('a config file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), `${BOM}${JSON.stringify({ run: { repeat: 3 } })}`);
    expect(loadConfig({ config: 'c.json' }, {}, dir).config.run.repeat).toBe(3);
  });

  it('a JSON suite and a JSONL suite', () => {
    const dir = tempDir();
    const suite = JSON.parse(
      readFileSync(join(import.meta.dirname, 'fixtures', 'suite-e2e.json'), 'utf8'),
    ) as { tasks: unknown[] };
    writeFileSync(join(dir, 's.json'), `${BOM}${JSON.stringify(suite)}`);
    expect(loadSuite('s.json', dir).tasks).toHaveLength(3);
    const { tasks, ...header } = suite;
    writeFileSync(
      join(dir, 's.jsonl'),
      `${BOM}${[header, ...tasks].map((l) => JSON.stringify(l)).join('\n')}\n`,
    );
    expect(loadSuite('s.jsonl', dir).tasks).toHaveLength(3);
  });

  it('a replay requests file and its output file', () => {
    const dir = tempDir();
    const fixtures = join(import.meta.dirname, 'fixtures', 'replay');
    writeFileSync(join(dir, 'requests.jsonl'), BOM + readFileSync(join(fixtures, 'requests.jsonl'), 'utf8'));
    writeFileSync(join(dir, 'output.jsonl'), BOM + readFileSync(join(fixtures, 'output.jsonl'), 'utf8'));
    const plain = loadReplay(join(fixtures, 'requests.jsonl'), join(fixtures, 'output.jsonl'), dir);
    const withBom = loadReplay('requests.jsonl', 'output.jsonl', dir);
    expect(withBom.suite.tasks).toEqual(plain.suite.tasks);
    expect(withBom.references).toEqual(plain.references);
  });

  it('a price file to import (litellm format)', () => {
    const dir = tempDir();
    const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'litellm-prices.json'), 'utf8');
    writeFileSync(join(dir, 'prices.json'), BOM + fixture);
    writeFileSync(join(dir, 'plain.json'), fixture);
    const when = new Date('2026-12-01T00:00:00Z');
    const plain = importPrices(join(dir, 'plain.json'), join(dir, 'a'), when);
    // the data directory two levels down is created (one level at a time)
    expect(importPrices(join(dir, 'prices.json'), join(dir, 'b', 'c'), when).imported).toBe(plain.imported);
  });
});
