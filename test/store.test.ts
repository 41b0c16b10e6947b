import Database from 'better-sqlite3';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT, StoreError } from '../src/errors.js';
import { openDb } from '../src/store/db.js';
import { defaultMigrationsDir, migrate, readMigrations } from '../src/store/migrate.js';
import { insertRequest, listRequests, type RequestRow } from '../src/store/requests.js';
import { finishRun, getRun, insertRun, listRuns, setRemoteRun } from '../src/store/runs.js';
import { useTempDir } from './support/temp.js';
import { errorOf } from './support/error-of.js';

const tempDir = useTempDir();

const NEW_RUN = {
  startedAt: '2026-11-27T10:00:00.000Z',
  backend: 'ollama',
  host: 'http://127.0.0.1:11434',
  model: 'm:latest',
  suiteId: 's',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 2,
  settings: { a: 1 },
  costbenchVersion: '0.1.0',
  pid: 1,
};

const ROW: RequestRow = {
  concurrency: 1,
  seq: 0,
  taskId: 't1',
  repeatIndex: 0,
  state: 'ok',
  startedAt: '2026-11-27T10:00:01.000Z',
  startOffsetMs: 1000,
  ttftMs: 12.5,
  latencyMs: 250,
  promptTokens: 30,
  promptEvalMs: 15,
  outputTokens: 20,
  evalMs: 200,
  loadMs: null,
  serverTotalMs: 240,
  doneReason: 'stop',
  chunks: 21,
  malformedLines: 0,
  outputText: 'hi',
  error: null,
  score: 0.5,
  correct: false,
  scoreDetail: 'wrong: priority',
  agreement: null,
  agreementMethod: null,
  lastTokenMs: 212.5,
  metricsSource: 'usage',
  cachedPromptTokens: 8,
  evalTokens: 19,
  threads: 2,
};

describe('migrations', () => {
  it('apply in order on a fresh file, with WAL and foreign keys on', () => {
    const path = join(tempDir(), 'fresh.db');
    const db = openDb(path);
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(applied).toEqual(readMigrations().map((m) => ({ version: m.version, name: m.name })));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('re-running is a no-op', () => {
    const path = join(tempDir(), 'again.db');
    openDb(path).close();
    const db = openDb(path);
    expect(migrate(db)).toEqual([]);
    expect((db.prepare('SELECT count(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(
      readMigrations().length,
    );
    db.close();
  });

  it('refuses a database carrying a migration this build does not know, naming it', () => {
    const path = join(tempDir(), 'newer.db');
    openDb(path).close();
    const raw = new Database(path);
    raw
      .prepare(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', 'x')",
      )
      .run();
    raw.close();
    const error = errorOf(() => openDb(path), StoreError);
    expect(error.message).toBe(
      `database ${path} has migration 9999_from_the_future, which this costbench does not know`,
    );
    expect(error.exitCode).toBe(EXIT.store);
  });

  it('rolls back a failing migration whole, leaving the previous version', () => {
    const dir = tempDir();
    const migrations = join(dir, 'migrations');
    cpSync(defaultMigrationsDir(), migrations, { recursive: true });
    writeFileSync(
      join(migrations, '0999_broken.sql'),
      'CREATE TABLE half_done (x INTEGER);\nSELECT * FROM no_such_table;',
    );
    const path = join(dir, 'broken.db');
    const error = errorOf(() => openDb(path, migrations), StoreError);
    expect(error.message).toMatch(
      /^migration 0999_broken failed on .*broken\.db: no such table: no_such_table$/,
    );
    const raw = new Database(path);
    expect(
      raw.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").all(),
      'table of the failed migration',
    ).toEqual([]);
    expect(raw.prepare('SELECT max(version) AS v FROM schema_migrations').get()).toEqual({
      v: readMigrations().at(-1)?.version,
    });
    raw.close();
  });

  it("0004 labels the counts of rows stored before it: Ollama's are the server's own, other backends' stay unknown", () => {
    const dir = tempDir();
    const before = join(dir, 'before-0004');
    cpSync(defaultMigrationsDir(), before, {
      recursive: true,
      filter: (src) => !src.endsWith('.sql') || /000[1-3]_/.test(src),
    });
    const path = join(dir, 'old.db');
    const old = openDb(path, before);
    const runs = [
      ['ollama', 'ok'],
      ['ollama', 'errored'],
      ['openai', 'ok'],
    ] as const;
    for (const [backend, state] of runs) {
      const runId = Number(
        old
          .prepare(
            `INSERT INTO runs (status, started_at, backend, host, model, suite_id, suite_version, repeat_count, planned_requests, settings_json, costbench_version)
         VALUES ('completed', 'x', ?, 'h', 'm', 's', '1', 1, 1, '{}', '0.1.0')`,
          )
          .run(backend).lastInsertRowid,
      );
      old
        .prepare(
          `INSERT INTO requests (run_id, concurrency, seq, task_id, repeat_index, state, started_at, start_offset_ms, latency_ms, chunks, malformed_lines)
         VALUES (?, 1, 0, 't', 0, ?, 'x', 0, 10, 1, 0)`,
        )
        .run(runId, state);
    }
    old.close();
    const db = openDb(path);
    const rows = db
      .prepare(
        'SELECT r.backend, q.state, q.metrics_source AS source, q.last_token_ms AS last, q.cached_prompt_tokens AS cached FROM requests q JOIN runs r ON r.id = q.run_id ORDER BY q.run_id',
      )
      .all();
    expect(rows).toEqual([
      { backend: 'ollama', state: 'ok', source: 'server', last: null, cached: null },
      { backend: 'ollama', state: 'errored', source: null, last: null, cached: null },
      { backend: 'openai', state: 'ok', source: null, last: null, cached: null },
    ]);
    expect(() => db.prepare("UPDATE requests SET metrics_source = 'guess'").run()).toThrow(
      /CHECK constraint failed/,
    );
    db.close();
  });

  it("0005 moves the in-memory size off the weights' column and makes old llama.cpp prompt counts include the cache", () => {
    const dir = tempDir();
    const before = join(dir, 'before-0005');
    cpSync(defaultMigrationsDir(), before, {
      recursive: true,
      filter: (src) => !src.endsWith('.sql') || /000[1-4]_/.test(src),
    });
    const path = join(dir, 'old.db');
    const old = openDb(path, before);
    const addRun = (backend: string): number =>
      Number(
        old
          .prepare(
            `INSERT INTO runs (status, started_at, backend, host, model, suite_id, suite_version, repeat_count, planned_requests, settings_json, costbench_version)
       VALUES ('completed', 'x', ?, 'h', 'm', 's', '1', 1, 1, '{}', '0.1.0')`,
          )
          .run(backend).lastInsertRowid,
      );
    const addModel = old.prepare(
      'INSERT INTO run_models (run_id, name, size_bytes, size_vram_bytes) VALUES (?, ?, ?, ?)',
    );
    const addRequest = old.prepare(
      `INSERT INTO requests (run_id, concurrency, seq, task_id, repeat_index, state, started_at, start_offset_ms, latency_ms, chunks, malformed_lines,
         prompt_tokens, prompt_eval_ms, metrics_source, cached_prompt_tokens) VALUES (?, 1, ?, 't', ?, 'ok', 'x', 0, 10, 1, 0, ?, 50, ?, ?)`,
    );
    const ollama = addRun('ollama');
    addModel.run(ollama, 'llama3.1:8b', 6_500_000_000, 6_500_000_000); // /api/ps size written over the 4.92 GB of weights
    addRequest.run(ollama, 0, 0, 300, 'server', null);
    const ollamaNotLoaded = addRun('ollama');
    addModel.run(ollamaNotLoaded, 'llama3.1:8b', 4_920_000_000, null); // /api/ps did not list it: the weights' size stayed
    const llamaCpp = addRun('openai');
    addModel.run(llamaCpp, 'qwen', 4_683_073_536, null);
    addRequest.run(llamaCpp, 0, 0, 100, 'server', 400); // prompt_n 100 evaluated, cache_n 400
    addRequest.run(llamaCpp, 1, 1, 500, 'usage', 400); // vLLM-style usage: prompt_tokens already counts the cache
    addRequest.run(llamaCpp, 2, 2, 100, 'server', null); // no cache_n reported: left as it is
    old.close();

    const db = openDb(path);
    const models = db
      .prepare(
        'SELECT run_id AS run, size_bytes AS weights, loaded_size_bytes AS loaded, architecture FROM run_models ORDER BY run_id',
      )
      .all();
    expect(models).toEqual([
      { run: ollama, weights: null, loaded: 6_500_000_000, architecture: null },
      { run: ollamaNotLoaded, weights: 4_920_000_000, loaded: null, architecture: null },
      { run: llamaCpp, weights: 4_683_073_536, loaded: null, architecture: null },
    ]);
    const prompts = db
      .prepare(
        'SELECT prompt_tokens AS prompt, cached_prompt_tokens AS cached FROM requests ORDER BY run_id, seq',
      )
      .all();
    // 100 + 400 = 500; the prefill rate (500 - 400) / 50 ms stays 2000 tok/s
    expect(prompts).toEqual([
      { prompt: 300, cached: null },
      { prompt: 500, cached: 400 },
      { prompt: 500, cached: 400 },
      { prompt: 100, cached: null },
    ]);
    db.close();
  });

  it('turns an unwritable path into a StoreError with a hint', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    const error = errorOf(() => openDb(join(dir, 'file', 'sub', 'x.db')), StoreError);
    expect(error.message).toMatch(/^cannot open database .*file\/sub\/x\.db: /);
    expect(error.hint).toContain('--db');
  });
});

describe('runs and requests', () => {
  it("round-trips a remote run: its price and cap, and each request's reasoning tokens, retries and cost", () => {
    const db = openDb(join(tempDir(), 'remote.db'));
    const id = insertRun(db, { ...NEW_RUN, backend: 'openai', host: 'https://api.openai.com/v1' });
    expect(getRun(db, String(id)).remote).toBeUndefined();
    const remote = {
      priceModel: 'gpt-4o-mini',
      provider: 'openai',
      inputUsdPerMTok: 0.15,
      outputUsdPerMTok: 0.6,
      cachedInputUsdPerMTok: 0.075,
      batch: false,
      priceSource: 'bundled' as const,
      priceAsOf: '2026-07-18',
      maxSpendUsd: 1,
      stopReason: null,
    };
    setRemoteRun(db, id, remote);
    insertRequest(db, id, { ...ROW, reasoningTokens: 12, retries: 2, retryWaitMs: 1500, costUsd: 0.000123 });
    insertRequest(db, id, { ...ROW, seq: 1, taskId: 't2' });
    expect(getRun(db, String(id)).remote).toEqual(remote);
    const [billed, local] = listRequests(db, id);
    expect(billed).toEqual({ ...ROW, reasoningTokens: 12, retries: 2, retryWaitMs: 1500, costUsd: 0.000123 });
    // A row without them reads back without them: absent, not null or 0.
    expect(local).toEqual({ ...ROW, seq: 1, taskId: 't2' });
    db.close();
  });

  it('round-trips a run and its request rows', () => {
    const db = openDb(join(tempDir(), 'rows.db'));
    const id = insertRun(db, NEW_RUN);
    insertRequest(db, id, ROW);
    insertRequest(db, id, {
      ...ROW,
      seq: 1,
      taskId: 't2',
      state: 'errored',
      ttftMs: null,
      promptTokens: null,
      error: 'HTTP 500: boom',
    });
    expect(getRun(db, 'latest').status).toBe('running');
    expect(listRequests(db, id)).toEqual([
      ROW,
      {
        ...ROW,
        seq: 1,
        taskId: 't2',
        state: 'errored',
        ttftMs: null,
        promptTokens: null,
        error: 'HTTP 500: boom',
      },
    ]);
    finishRun(db, id, 'completed', '2026-11-27T10:01:00.000Z', null);
    expect(listRuns(db)[0]).toMatchObject({
      id,
      status: 'completed',
      finishedAt: '2026-11-27T10:01:00.000Z',
      settings: { a: 1 },
      warnings: [],
    });
    db.close();
  });

  it('refuses a second row for the same task and repeat', () => {
    const db = openDb(join(tempDir(), 'dup.db'));
    const id = insertRun(db, NEW_RUN);
    insertRequest(db, id, ROW);
    expect(() => insertRequest(db, id, ROW)).toThrow(/UNIQUE constraint failed/);
    db.close();
  });

  it('says clearly when a run does not exist', () => {
    const db = openDb(join(tempDir(), 'none.db'));
    expect(() => getRun(db, 'latest')).toThrow(/^no runs in .* yet$/);
    expect(() => getRun(db, '42')).toThrow(/^no run 42 in /);
    expect(() => getRun(db, 'abc')).toThrow('"abc" is not a run id');
    db.close();
  });
});
