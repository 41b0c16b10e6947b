import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, type CliResult } from './support/cli.js';
import { startFakeOpenAi, type FakeOpenAi, type FakeOpenAiOptions } from './support/fake-openai/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const KEY = 'sk-test-SECRET123';
/** What the fake remote API bills for every request: 1000 prompt tokens (200 cached), 500 completion (100 reasoning). */
const USAGE = {
  prompt_tokens: 1000,
  completion_tokens: 500,
  total_tokens: 1500,
  prompt_tokens_details: { cached_tokens: 200 },
  completion_tokens_details: { reasoning_tokens: 100 },
};
/** A custom price for the model: 0.15 input, 0.60 output, 0.075 cached input, USD per 1M tokens. */
const CONFIG = {
  cost: {
    customPrices: [
      {
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputPerMTok: 0.15,
        outputPerMTok: 0.6,
        cachedInputPerMTok: 0.075,
      },
    ],
  },
};

interface Row {
  task_id: string;
  state: string;
  prompt_tokens: number | null;
  cached_prompt_tokens: number | null;
  output_tokens: number | null;
  reasoning_tokens: number | null;
  cost_usd: number | null;
  retries: number;
  retry_wait_ms: number;
  error: string | null;
  output_text: string | null;
}

interface Setup {
  dir: ReturnType<typeof makeTempDir>;
  db: string;
  config: string;
  server: FakeOpenAi;
}

async function setup(options: Partial<FakeOpenAiOptions> = {}): Promise<Setup> {
  const dir = makeTempDir();
  const config = join(dir.path, 'costbench.config.json');
  writeFileSync(config, JSON.stringify(CONFIG));
  const server = await startFakeOpenAi({
    flavor: 'vllm',
    models: ['gpt-4o-mini'],
    apiKey: KEY,
    usage: USAGE,
    genTokensPerS: 2000,
    ...options,
  });
  return { dir, db: join(dir.path, 'r.db'), config, server };
}

function remoteRun(s: Setup, host: string, extra: string[] = []): Promise<CliResult> {
  return runCli(
    [
      'run',
      '--backend',
      'openai',
      '--host',
      host,
      '--model',
      'gpt-4o-mini',
      '--remote',
      '--allow-insecure',
      '--suite',
      SUITE,
      '--config',
      s.config,
      '--db',
      s.db,
      '--json',
      ...extra,
    ],
    { XDG_DATA_HOME: s.dir.path, COSTBENCH_API_KEY: KEY },
  );
}

function readRows(db: string): { rows: Row[]; remote: Record<string, unknown> | null; status: string } {
  const sqlite = new Database(db, { readonly: true });
  const rows = sqlite
    .prepare(
      `SELECT task_id, state, prompt_tokens, cached_prompt_tokens, output_tokens, reasoning_tokens, cost_usd,
              retries, retry_wait_ms, error, output_text FROM requests ORDER BY seq`,
    )
    .all() as Row[];
  const run = sqlite.prepare('SELECT remote_json, status FROM runs').get() as {
    remote_json: string | null;
    status: string;
  };
  const phases = sqlite.prepare('SELECT name FROM phases').all() as { name: string }[];
  const samples = sqlite.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number };
  sqlite.close();
  // A remote run measures no power and has no warm-up or idle phase.
  expect(samples.n, 'power samples').toBe(0);
  expect(
    phases.map((p) => p.name).filter((n) => n !== 'measure'),
    'phases',
  ).toEqual([]);
  return {
    rows,
    remote: run.remote_json === null ? null : (JSON.parse(run.remote_json) as Record<string, unknown>),
    status: run.status,
  };
}

async function done(s: Setup): Promise<void> {
  await s.server.close();
  s.dir.remove();
}

describe('costbench run against a remote, per-token-billed API (the fake server plays it)', () => {
  it('stores billed usage, cached and reasoning tokens and the cost per request, and never the key', async () => {
    const s = await setup();
    try {
      const result = await remoteRun(s, s.server.baseUrl);
      expect(result.code, result.stderr).toBe(0);
      const { rows, remote, status } = readRows(s.db);
      expect(status).toBe('completed');
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(row.state).toBe('ok');
        expect(row.prompt_tokens, 'prompt').toBe(1000);
        expect(row.cached_prompt_tokens, 'cached').toBe(200);
        expect(row.output_tokens, 'completion (reasoning included)').toBe(500);
        expect(row.reasoning_tokens, 'reasoning').toBe(100);
        // (800 x 0.15 + 200 x 0.075 + 500 x 0.60) / 1e6 = (120 + 15 + 300) / 1e6 = 0.000435 USD
        expect(row.cost_usd, 'cost').toBeCloseTo(0.000435, 12);
        expect(row.retries).toBe(0);
      }
      expect(remote).toEqual({
        priceModel: 'gpt-4o-mini',
        provider: 'openai',
        inputUsdPerMTok: 0.15,
        outputUsdPerMTok: 0.6,
        cachedInputUsdPerMTok: 0.075,
        batch: false,
        priceSource: 'config',
        priceAsOf: null,
        maxSpendUsd: 1,
        stopReason: null,
      });
      // No warm-up: every chat request the server saw is a measured one, each with its max output (400 from the suite).
      expect(s.server.requests).toHaveLength(3);
      expect(s.server.requests.map((r) => r.body['max_tokens'])).toEqual([400, 400, 400]);
      // No /props, /version or LM Studio probing of a remote API.
      expect(s.server.received.every((r) => r.path.startsWith('/v1/'))).toBe(true);
      expect(s.server.received.every((r) => r.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);

      const texts = [result.stdout, result.stderr, readFileSync(s.db).toString('latin1')];
      for (const format of ['table', 'json', 'md', 'csv', 'html']) {
        const report = await runCli(['report', 'latest', '--format', format, '--db', s.db], {
          XDG_DATA_HOME: s.dir.path,
        });
        expect(report.code, report.stderr).toBe(0);
        texts.push(report.stdout, report.stderr);
      }
      for (const text of texts) expect(text).not.toContain('SECRET123');
      // texts[3] is the table report: its record says nothing was sampled, not the config's interval.
      expect(texts[3]).toContain(
        "Power sampling: none (a run against a remote API: the machines are the provider's)",
      );
    } finally {
      await done(s);
    }
  }, 60_000);

  it('stops before a request could pass --max-spend, keeps what finished and says why', async () => {
    const s = await setup();
    try {
      const result = await remoteRun(s, s.server.baseUrl, ['--max-spend', '0.001']);
      expect(result.code).toBe(1);
      const { rows, remote, status } = readRows(s.db);
      // Request a reserves (711 bytes x 0.15 + 400 x 0.60) / 1e6 = 0.00034665 and costs 0.000435;
      // b reserves 0.00035115: 0.000435 + 0.00035115 = 0.00078615 <= 0.001, sent, costs 0.000435;
      // c would reserve (703 x 0.15 + 400 x 0.60) / 1e6 = 0.00034545: 0.00087 + 0.00034545 > 0.001, not sent.
      const reason = 'spend cap: 0.0009 USD spent of 0.0010; the next request could cost up to 0.0003';
      expect(rows.map((r) => r.task_id)).toEqual(['a', 'b']);
      expect(s.server.requests).toHaveLength(2);
      expect(status).toBe('aborted');
      expect(remote?.['stopReason']).toBe(reason);
      expect(remote?.['maxSpendUsd']).toBe(0.001);
      expect(result.stderr).toContain(reason);

      // Resumed with a higher cap, the run sends only what it had left.
      const resumed = await runCli(
        [
          'run',
          '--resume',
          '1',
          '--host',
          s.server.baseUrl,
          '--max-spend',
          '0.01',
          '--config',
          s.config,
          '--db',
          s.db,
        ],
        {
          XDG_DATA_HOME: s.dir.path,
          COSTBENCH_API_KEY: KEY,
        },
      );
      expect(resumed.code, resumed.stderr).toBe(0);
      const after = readRows(s.db);
      expect(after.rows.map((r) => r.task_id)).toEqual(['a', 'b', 'c']);
      expect(after.status).toBe('completed');
      expect(after.remote?.['stopReason']).toBeNull();
      expect(after.remote?.['maxSpendUsd']).toBe(0.01);
      expect(s.server.requests).toHaveLength(3);
    } finally {
      await done(s);
    }
  }, 60_000);

  it('counts the reservations of requests in flight against the cap (--concurrency 3)', async () => {
    const s = await setup();
    try {
      const result = await remoteRun(s, s.server.baseUrl, ['--max-spend', '0.001', '--concurrency', '3']);
      expect(result.code).toBe(1);
      // a and b go out at once, reserving 0.00034665 + 0.00035115 = 0.0006978; c's 0.00034545 on top
      // makes 0.00104325 > 0.001: c is not sent, though nothing is spent yet.
      const reason =
        'spend cap: 0.0000 USD spent (+0.0007 reserved in flight) of 0.0010; the next request could cost up to 0.0003';
      const { rows, remote } = readRows(s.db);
      expect(rows.map((r) => r.task_id)).toEqual(['a', 'b']);
      expect(remote?.['stopReason']).toBe(reason);
    } finally {
      await done(s);
    }
  }, 60_000);

  it('waits as a 429 Retry-After asks, records the retry apart, and records a 500 as errored', async () => {
    const s = await setup();
    try {
      s.server.injectFault({
        kind: 'status',
        status: 429,
        message: 'Rate limit reached',
        headers: { 'retry-after': '1' },
      });
      const result = await remoteRun(s, s.server.baseUrl);
      expect(result.code, result.stderr).toBe(0);
      const first = readRows(s.db).rows[0];
      expect(first?.state).toBe('ok');
      expect(first?.retries, 'retries').toBe(1);
      // Retry-After: 1 (seconds) = 1000 ms waited, recorded apart from the latency.
      expect(first?.retry_wait_ms, 'retry wait').toBe(1000);
      expect(s.server.requests.map((r) => r.status)).toEqual([429, 200, 200, 200]);

      // Six 429s in a row: five retries (Retry-After: 0), then the request is errored; the next one meets a 500.
      s.server.injectFault(
        { kind: 'status', status: 429, message: 'Rate limit reached', headers: { 'retry-after': '0' } },
        6,
      );
      s.server.injectFault({ kind: 'status', status: 500, message: 'The server had an error' });
      const again = await remoteRun(s, s.server.baseUrl, ['--no-store-outputs']);
      expect(again.code).toBe(1);
      const rows = readRowsOfRun(s.db, 2);
      expect(rows.map((r) => r.state)).toEqual(['errored', 'errored', 'ok']);
      expect(rows[0]?.error).toBe('HTTP 429: Rate limit reached (after 5 retries)');
      expect(rows[0]?.retries).toBe(5);
      expect(rows[1]?.error).toBe('HTTP 500: The server had an error');
      expect(rows[1]?.cost_usd, 'no usage, no cost').toBeNull();
      expect(rows[1]?.retries).toBe(0);
      expect(rows[2]?.cost_usd).toBeCloseTo(0.000435, 12);
      expect(rows.map((r) => r.output_text)).toEqual([null, null, null]);
    } finally {
      await done(s);
    }
  }, 60_000);

  it('follows a redirect to another origin without the key', async () => {
    const other = await startFakeOpenAi({ flavor: 'vllm', models: ['gpt-4o-mini'], usage: USAGE });
    const s = await setup({ redirectTo: other.baseUrl });
    try {
      const result = await remoteRun(s, s.server.baseUrl);
      expect(result.code, result.stderr).toBe(0);
      expect(s.server.received.length).toBeGreaterThan(0);
      expect(s.server.received.every((r) => r.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);
      expect(other.received.length).toBeGreaterThan(0);
      expect(other.received.map((r) => r.headers['authorization'])).toEqual(
        other.received.map(() => undefined),
      );
      expect(other.requests).toHaveLength(3);
    } finally {
      await other.close();
      await done(s);
    }
  }, 60_000);

  it('refuses, before sending anything: http without --allow-insecure, an unknown price, --remote with ollama', async () => {
    const s = await setup({ models: ['gpt-4o-mini', 'my-model'] });
    try {
      const plain = await runCli(
        ['run', '--backend', 'openai', '--host', s.server.baseUrl, '--model', 'gpt-4o-mini', '--remote'],
        { XDG_DATA_HOME: s.dir.path, COSTBENCH_API_KEY: KEY, COSTBENCH_DB: s.db },
      );
      expect(plain.code).toBe(2);
      expect(plain.stderr).toContain(`a remote run needs https: ${s.server.baseUrl}`);

      const unknown = await runCli(
        ['run', '--backend', 'openai', '--host', s.server.baseUrl, '--model', 'my-model'].concat([
          '--remote',
          '--allow-insecure',
          '--suite',
          SUITE,
        ]),
        { XDG_DATA_HOME: s.dir.path, COSTBENCH_API_KEY: KEY, COSTBENCH_DB: s.db },
      );
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('no price for model "my-model" at 127.0.0.1');
      expect(unknown.stderr).toContain('customPrices');

      const ollama = await runCli(['run', '--backend', 'ollama', '--remote'], {
        XDG_DATA_HOME: s.dir.path,
        COSTBENCH_DB: s.db,
      });
      expect(ollama.code).toBe(2);
      expect(ollama.stderr).toContain('--remote needs --backend openai');
      expect(s.server.requests, 'no chat request was sent').toHaveLength(0);

      // A refused key is echoed by the server; costbench redacts it.
      const wrong = await runCli(
        ['run', '--backend', 'openai', '--host', s.server.baseUrl, '--model', 'gpt-4o-mini'].concat([
          '--remote',
          '--allow-insecure',
        ]),
        { XDG_DATA_HOME: s.dir.path, COSTBENCH_API_KEY: 'sk-wrong-SECRET123', COSTBENCH_DB: s.db },
      );
      expect(wrong.code).not.toBe(0);
      expect(wrong.stderr).toContain('[redacted]');
      expect(wrong.stdout + wrong.stderr).not.toContain('SECRET123');
    } finally {
      await done(s);
    }
  }, 60_000);
});

function readRowsOfRun(db: string, runId: number): Row[] {
  const sqlite = new Database(db, { readonly: true });
  const rows = sqlite
    .prepare(
      `SELECT task_id, state, prompt_tokens, cached_prompt_tokens, output_tokens, reasoning_tokens, cost_usd,
              retries, retry_wait_ms, error, output_text FROM requests WHERE run_id = ? ORDER BY seq`,
    )
    .all(runId) as Row[];
  sqlite.close();
  return rows;
}
