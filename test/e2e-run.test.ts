import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir, useTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const GEN_TOKENS_PER_S = 500;
const PROMPT_TOKENS_PER_S = 2000;
const LOAD_MS = 250;
const EXTRA_TTFT_MS = 30;
const ANSWER_TOKENS = 200;
/** Room for a loaded machine's scheduling delays in client-vs-server times (see the TTFT check). */
const HARNESS_SLACK_MS = 100;

const tempDir = useTempDir();

describe('costbench run, end to end against the fake Ollama', () => {
  let server: FakeOllama;
  const dir = makeTempDir();
  let db: string;
  let run: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    server = await startFakeOllama({
      genTokensPerS: GEN_TOKENS_PER_S,
      promptTokensPerS: PROMPT_TOKENS_PER_S,
      loadMs: LOAD_MS,
      extraTtftMs: EXTRA_TTFT_MS,
      respond: ({ prompt }) =>
        Array.from({ length: ANSWER_TOKENS }, (_, i) => `w${i}${prompt.length % 7}`).join(' '),
    });
    db = join(dir.path, 'runs.db');
    run = await runCli(
      ['run', '--model', 'llama3.2', '--suite', SUITE, '--repeat', '2', '--idle', '0', '--json'],
      { OLLAMA_HOST: server.url, COSTBENCH_DB: db },
      dir.path,
    );
  }, 60_000);
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('exits 0, prints the report JSON and says where it stored the run', () => {
    expect(run.stderr).toContain(`→ ${db}`);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary.run.status).toBe('completed');
    expect(summary.requests).toEqual({
      planned: 6,
      ok: 6,
      errored: 0,
      aborted: 0,
      notRun: 0,
      truncated: 0,
      malformedLines: 0,
    });
    expect(summary.model).toMatchObject({
      name: 'llama3.2:latest',
      family: 'llama',
      quantization: 'Q4_K_M',
      serverVersion: '0.13.0',
    });
    expect(summary.machine?.cpuCores).toBeGreaterThan(0);
  });

  it("stores one row per request matching the server's ground truth exactly", () => {
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite.prepare('SELECT * FROM requests ORDER BY seq').all() as Record<
      string,
      number | string | null
    >[];
    const warmup = sqlite.prepare('SELECT * FROM warmups').get() as Record<string, number | string | null>;
    sqlite.close();
    const measured = server.requests.filter((r) => r.doneReason !== 'load' && r.doneReason !== 'unload');
    expect(rows.map((r) => [r['task_id'], r['repeat_index']])).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
      ['a', 1],
      ['b', 1],
      ['c', 1],
    ]);
    expect(measured).toHaveLength(6);
    const ttftDeltasMs: number[] = [];
    for (const [i, row] of rows.entries()) {
      const truth = measured[i];
      expect(row['state']).toBe('ok');
      expect(row['output_tokens'], `row ${i} eval_count`).toBe(truth?.evalCount);
      expect(row['output_tokens']).toBe(ANSWER_TOKENS);
      expect(row['prompt_tokens'], `row ${i} prompt_eval_count`).toBe(truth?.promptTokens);
      expect(row['eval_ms'], `row ${i} eval_duration`).toBe((truth?.evalDurationNs ?? 0) / 1e6);
      expect(row['prompt_eval_ms'], `row ${i} prompt_eval_duration`).toBe(
        (truth?.promptEvalDurationNs ?? 0) / 1e6,
      );
      expect(row['load_ms'], `row ${i}: warm, so load_duration is omitted`).toBeNull();
      const serverTtftMs = (truth?.firstTokenSentAtMs ?? 0) - (truth?.receivedAtMs ?? 0);
      ttftDeltasMs.push(Number(row['ttft_ms']) - serverTtftMs);
    }
    // The client's clock starts before the request is sent and stops when the chunk is parsed, so it
    // reads a few ms above the server's own first-token time (2-10 ms measured on an idle 2-core VM).
    // Other test files run beside this one (some with llama.cpp threads spinning), which delays both
    // processes' event loops: the bounds leave room for that (HARNESS_SLACK_MS), yet stay far below what a
    // wrong clock would give (the end of the stream: 200 tokens at 500 tok/s = 400 ms). How small the
    // harness's own overhead is belongs to bench:overhead, not to a test.
    ttftDeltasMs.sort((a, b) => a - b);
    expect(ttftDeltasMs[0], 'client TTFT is never before the server wrote the token').toBeGreaterThanOrEqual(
      -1,
    );
    expect(
      ((ttftDeltasMs[2] ?? 0) + (ttftDeltasMs[3] ?? 0)) / 2,
      'median client - server TTFT, ms',
    ).toBeLessThan(HARNESS_SLACK_MS);
    expect(ttftDeltasMs[5], 'worst client - server TTFT, ms').toBeLessThan(3 * HARNESS_SLACK_MS);
    expect(warmup['state']).toBe('ok');
    expect(warmup['already_loaded'], 'a fresh server had nothing loaded').toBe(0);
    expect(Number(warmup['latency_ms']), 'cold load recorded apart').toBeGreaterThanOrEqual(LOAD_MS);
    expect(warmup['load_ms'], 'Ollama sends no metrics for a load-only request').toBeNull();
  });

  it("reports generation tok/s within 1% of the server's rate, and TTFT near its ground truth", () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    const gen = summary.generationTokensPerS;
    expect(
      Math.abs((summary.generationTokensPerSOverall ?? 0) / GEN_TOKENS_PER_S - 1),
      'overall gen rate',
    ).toBeLessThan(0.01);
    expect(Math.abs((gen?.median ?? 0) / GEN_TOKENS_PER_S - 1), 'median gen rate').toBeLessThan(0.01);
    expect(
      Math.abs((summary.promptTokensPerS?.median ?? 0) / PROMPT_TOKENS_PER_S - 1),
      'median prompt rate',
    ).toBeLessThan(0.05);
    const measured = server.requests.filter((r) => r.doneReason !== 'load');
    const expectedTtftMs = measured
      .map((r) => (r.firstTokenSentAtMs ?? 0) - r.receivedAtMs)
      .sort((a, b) => a - b);
    const serverMedian = ((expectedTtftMs[2] ?? 0) + (expectedTtftMs[3] ?? 0)) / 2;
    expect(
      (summary.ttftMs?.median ?? 0) - serverMedian,
      'median TTFT vs the server, ms',
    ).toBeGreaterThanOrEqual(-1);
    expect((summary.ttftMs?.median ?? 0) - serverMedian, 'median TTFT vs the server, ms').toBeLessThan(
      HARNESS_SLACK_MS,
    );
    expect(
      summary.ttftMs?.median ?? 0,
      'TTFT includes prompt eval and the extra delay',
    ).toBeGreaterThanOrEqual(EXTRA_TTFT_MS);
    expect(summary.warmup?.latencyMs ?? 0).toBeGreaterThanOrEqual(LOAD_MS);
    expect(summary.warmup?.latencyMs ?? Infinity).toBeLessThan(LOAD_MS + 3 * HARNESS_SLACK_MS);
    expect(summary.tokens.output).toBe(6 * ANSWER_TOKENS);
  });

  it("stores the client's event-loop lag for its one level, and reports it", () => {
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite.prepare('SELECT * FROM run_loop_lag').all() as Record<string, number | string>[];
    sqlite.close();
    expect(
      rows.map((r) => [r['run_id'], r['level_key'], r['concurrency']]),
      'one row: concurrency 1',
    ).toEqual([[1, '1', 1]]);
    const [lag] = rows;
    // No timing assertion: only that the figures are ordered lags (>= 0) from at least one timer turn.
    expect(Number(lag?.['samples']), 'samples').toBeGreaterThan(0);
    expect(Number(lag?.['p50_ms']), 'p50 >= 0').toBeGreaterThanOrEqual(0);
    expect(Number(lag?.['p99_ms']), 'p99 >= p50').toBeGreaterThanOrEqual(Number(lag?.['p50_ms']));
    expect(Number(lag?.['max_ms']), 'max >= p99').toBeGreaterThanOrEqual(Number(lag?.['p99_ms']));
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(
      summary.loopLag?.levels.map((l) => l.levelKey),
      'in the report JSON',
    ).toEqual(['1']);
    expect(summary.loopLag?.thresholdMs).toBe(5);
  });

  it("shows the client's event-loop lag in the HTML report's notes too", async () => {
    const html = await runCli(['report', 'latest', '--format', 'html', '--db', db]);
    expect(html.code, html.stderr).toBe(0);
    expect(html.stdout).toContain(
      '<h3>The client&#39;s event-loop lag</h3><ul><li>Client event-loop lag: p99 ',
    );
  });

  it('`report latest` recomputes the same figures from the stored rows', async () => {
    const report = await runCli(['report', 'latest', '--format', 'json', '--db', db]);
    expect(report.code, report.stderr).toBe(0);
    const fromRun = JSON.parse(run.stdout) as RunSummary;
    const fromReport = JSON.parse(report.stdout) as RunSummary;
    expect(fromReport).toEqual(fromRun);
    const table = await runCli(['report', '--db', db]);
    expect(table.stdout).toContain('Run 1 · completed');
    expect(table.stdout).toMatch(/Generation tok\/s \(server\)\s+\d+\.\d/);
  });

  it('`runs` lists it, as text and JSON', async () => {
    const text = await runCli(['runs', '--db', db]);
    expect(text.stdout).toMatch(/\s1\s+completed\s+.*llama3\.2:latest\s+e2e\s+6\/6/);
    const json = await runCli(['runs', '--json', '--db', db]);
    expect((JSON.parse(json.stdout) as { id: number; requests: { ok: number } }[])[0]).toMatchObject({
      id: 1,
      requests: { ok: 6 },
    });
  });
});

describe('costbench run when things go wrong', () => {
  it('records a failed request as data, goes on, and exits 1', async () => {
    const server = await startFakeOllama({ genTokensPerS: 5000, loadMs: 10 });
    try {
      const dir = tempDir();
      const db = join(dir, 'x.db');
      server.injectFault({ kind: 'error-line', afterTokens: 3, message: 'CUDA error: out of memory' });
      const result = await runCli(['run', '--suite', SUITE, '--idle', '0', '--db', db, '--host', server.url]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('3 requests: 2 ok, 1 errored, 0 aborted, 0 not run');
      expect(result.stdout).toContain(
        '#0 a (repeat 1): errored: server error in stream: CUDA error: out of memory',
      );
      expect(result.stderr, 'says which model it chose').toContain(
        'model: llama3.2:latest (the first installed model',
      );
      expect(result.stderr, 'plain progress lines off a terminal').toMatch(/^1\/3 a #1 errored /m);
      const again = await runCli([
        'run',
        '--suite',
        SUITE,
        '--idle',
        '0',
        '--db',
        db,
        '--host',
        server.url,
        '--json',
      ]);
      expect(
        (JSON.parse(again.stdout) as RunSummary).warmup,
        'second run: no cold load to measure',
      ).toMatchObject({ alreadyLoaded: true });
      expect(again.stderr).toContain('warm-up done: the model was already loaded');
    } finally {
      await server.close();
    }
  });

  it('an unknown model exits 5 and lists the installed ones', async () => {
    const server = await startFakeOllama();
    try {
      const result = await runCli([
        'run',
        '--model',
        'mistral',
        '--db',
        join(tempDir(), 'x.db'),
        '--host',
        server.url,
      ]);
      expect(result.code).toBe(5);
      expect(result.stderr).toMatch(
        /^costbench: model "mistral" is not installed on http:\/\/127\.0\.0\.1:\d+\n {2}hint: Available: llama3\.2:latest, /,
      );
      expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    } finally {
      await server.close();
    }
  });

  it('an unreachable server exits 3 with one line and a hint, no stack trace', async () => {
    const result = await runCli(['run', '--db', join(tempDir(), 'x.db')], { OLLAMA_HOST: '127.0.0.1:59999' });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      'costbench: cannot reach Ollama at http://127.0.0.1:59999 (ECONNREFUSED)\n  hint: Start Ollama with `ollama serve` (or the desktop app), or point --host / OLLAMA_HOST at a running server.\n',
    );
  });

  it('bad input exits 2 with the key, the value and where it came from', async () => {
    const result = await runCli(['run', '--repeat', 'lots', '--db', join(tempDir(), 'x.db')]);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      'costbench: config: run.repeat = "lots" (from flag --repeat): expected number',
    );
    const unknownFlag = await runCli(['run', '--repeats', '2']);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr.split('\n')[0]).toBe(
      "costbench: unknown option '--repeats' (Did you mean --repeat?)",
    );
  });

  it('report of a missing run exits 6', async () => {
    const result = await runCli(['report', '99', '--db', join(tempDir(), 'x.db')]);
    expect(result.code).toBe(6);
    expect(result.stderr.split('\n')[0]).toMatch(/^costbench: no run 99 in .*x\.db$/);
  });
});
