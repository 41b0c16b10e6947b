import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli, type CliResult } from './support/cli.js';
import { useFakeOllamaBench } from './support/e2e.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const SUITE_SYSTEM = (JSON.parse(readFileSync(SUITE, 'utf8')) as { system: string }).system;
/** The fake's prefill rate: 2000 tokens of filler take 100 ms. */
const PROMPT_TOKENS_PER_S = 20_000;
const DEPTH = 2000;

describe('run --context-depth 0,2000 against the fake Ollama', () => {
  const seen: { role: string; content: string }[][] = [];
  const bench = useFakeOllamaBench({
    promptTokensPerS: PROMPT_TOKENS_PER_S,
    genTokensPerS: 1000,
    loadMs: 100,
    respond: (req) => {
      seen.push(req.messages);
      return 'one two three four five six seven eight';
    },
  });
  let run: CliResult;
  let table: CliResult;

  beforeAll(async () => {
    const db = join(bench.path, 'd.db');
    run = await bench.cli(
      ['run', '--suite', SUITE, '--repeat', '2', '--context-depth', `0,${DEPTH}`, '--idle', '0', '--json'],
      db,
    );
    table = await runCli(['report', 'latest', '--db', db], { XDG_DATA_HOME: bench.path });
  }, 60_000);

  it('runs every task at each depth, with the depth in the level', () => {
    expect(run.code, run.stderr).toBe(0);
    const s = JSON.parse(run.stdout) as RunSummary;
    // 3 tasks x 2 repeats x 2 depths x 1 concurrency = 12 requests
    expect(s.requests.planned).toBe(12);
    expect(s.sweep?.levels.map((l) => [l.concurrency, l.contextDepthTokens, l.ok])).toEqual([
      [1, 0, 6],
      [1, DEPTH, 6],
    ]);
  });

  it('measures the depth the fake counted: 2000 words of 4 characters + a blank line add 2000 or 2001 tokens', () => {
    // The fake counts ceil(chars / 4) of the system and user texts; the filler adds 2000 x 4 - 1
    // characters and "\n\n": ceil((L + 8001) / 4) - ceil(L / 4) = 2000 + (ceil((L + 1) / 4) - ceil(L / 4)), 2000 or 2001.
    const d = (JSON.parse(run.stdout) as RunSummary).sweep?.contextDepth;
    const measured = d?.levels[1]?.measuredDepthTokens ?? 0;
    expect(measured).toBeGreaterThanOrEqual(DEPTH);
    expect(measured).toBeLessThanOrEqual(DEPTH + 1);
    expect(d?.levels[0]?.measuredDepthTokens).toBe(0);
    expect(d?.flags).toEqual([]);
  });

  it("reports the fake's prefill rate at depth: its own count / its own prompt time, within 10% of the configured rate", () => {
    const d = (JSON.parse(run.stdout) as RunSummary).sweep?.contextDepth;
    const prefill = d?.levels[1]?.prefillTokensPerS?.median ?? 0;
    // The fake sleeps promptTokens / 20000 s and reports the time it slept: a late timer only lowers the rate.
    expect(prefill).toBeLessThanOrEqual(PROMPT_TOKENS_PER_S * 1.001);
    expect(prefill).toBeGreaterThan(PROMPT_TOKENS_PER_S * 0.9);
    // TTFT at depth includes at least the 2000 / 20000 s = 100 ms of prefill.
    expect(d?.levels[1]?.ttftMs?.median ?? 0).toBeGreaterThanOrEqual(100);
  });

  it('sends a different filler before the system text of every request at depth, the task prompt last', () => {
    const deep = seen.filter((m) => (m[0]?.content.length ?? 0) > 4 * DEPTH);
    expect(deep).toHaveLength(6);
    expect(new Set(deep.map((m) => m[0]?.content)).size).toBe(6);
    for (const m of deep) {
      expect(m.map((x) => x.role)).toEqual(['system', 'user']);
      expect(m[0]?.content.endsWith(`\n\n${SUITE_SYSTEM}`)).toBe(true);
    }
  });

  it('prints the rates at depth in the table report', () => {
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain('Rates at context depth');
    expect(table.stdout).toMatch(/\n\s+1\s+2000\s+200[01]\s+6\s/);
  });

  it('warns when the depth passes the context the server loaded the model with (the fake: num_ctx 4096)', async () => {
    const r = await bench.cli(
      ['run', '--suite', SUITE, '--context-depth', '5000', '--idle', '0', '--model', 'llama3.2:latest'],
      join(bench.path, 'warn.db'),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      '--context-depth 5000 does not fit the 4096-token context the server loaded the model with',
    );
  });

  it('refuses a depth beyond the model context before the run, naming it', async () => {
    const r = await bench.cli(
      ['run', '--suite', SUITE, '--context-depth', '200000', '--idle', '0', '--model', 'llama3.2:latest'],
      join(bench.path, 'deep.db'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--context-depth 200000 does not fit the 131072-token context of the model (its trained context length)',
    );
  });
});
