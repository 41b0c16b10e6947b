/**
 * Writes test/golden/runs.sql: a handful of real stored runs (single level with power, a sweep, a
 * resumed run, an OpenAI-compatible server, a replay), made through the CLI against the test
 * servers and the fake nvidia-smi, dumped as SQL text. The golden report test loads it and checks
 * every format against the outputs in test/golden/out. Run it once: `npm run build && node
 * dist/test/support/golden-fixture.js`; the runs are then fixed data.
 */
import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeOllama } from './fake-ollama/index.js';
import { startFakeOpenAi } from './fake-openai/index.js';

const TEST = join(import.meta.dirname, '..', '..', '..', 'test');
const SUITE = join(TEST, 'fixtures', 'suite-e2e.json');
const BIN = join(TEST, 'fixtures', 'bin');
const REPLAY = join(TEST, 'fixtures', 'replay');
const CLI = join(TEST, '..', 'dist', 'src', 'cli', 'main.js');

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { HOME: process.env['HOME'], ...env } },
      (error, _stdout, stderr) => {
        resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stderr });
      },
    );
  });
}

function rows(db: string): number {
  try {
    const s = new Database(db, { readonly: true });
    try {
      return (s.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
    } finally {
      s.close();
    }
  } catch {
    return 0;
  }
}

/** Every table's rows as INSERT statements, after the schema; schema_migrations included. */
export function dumpSql(path: string): string {
  const db = new Database(path, { readonly: true });
  try {
    const tables = db
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
      )
      .all() as { name: string; sql: string }[];
    const lines = ['PRAGMA foreign_keys = OFF;', 'BEGIN;'];
    for (const t of tables) lines.push(`${t.sql};`);
    for (const t of tables) {
      for (const row of db.prepare(`SELECT * FROM "${t.name}"`).all() as Record<string, unknown>[]) {
        const values = Object.values(row).map((v) =>
          v === null ? 'NULL' : typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`,
        );
        lines.push(`INSERT INTO "${t.name}" VALUES (${values.join(', ')});`);
      }
    }
    const indexes = db
      .prepare(
        "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid",
      )
      .all() as { sql: string }[];
    for (const i of indexes) lines.push(`${i.sql};`);
    lines.push('COMMIT;', '');
    return lines.join('\n');
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'costbench-golden-'));
  const db = join(dir, 'golden.db');
  const config = join(dir, 'c.json');
  writeFileSync(
    config,
    JSON.stringify({ telemetry: { sources: ['nvidia'], intervalMs: 50, idleBaselineS: 1 } }),
  );
  const env = {
    PATH: `${BIN}:${process.env['PATH'] ?? ''}`,
    XDG_DATA_HOME: dir,
    COSTBENCH_NVML_LIB: 'none',
    FAKE_NVIDIA_GPUS: 'rtx4090',
  };
  const check = (r: { code: number; stderr: string }, what: string): void => {
    if (r.code !== 0) throw new Error(`${what}: exit ${r.code}: ${r.stderr}`);
  };
  const ollama = await startFakeOllama({
    genTokensPerS: 400,
    promptTokensPerS: 4000,
    loadMs: 20,
    defaultOutputTokens: 30,
  });
  const openai = await startFakeOpenAi({ flavor: 'llama.cpp', genTokensPerS: 600 });
  try {
    const base = ['--suite', SUITE, '--config', config, '--db', db];
    check(
      await runCli(['run', ...base, '--repeat', '2', '--host', ollama.url], env),
      '1 single level with power',
    );
    check(
      await runCli(['run', ...base, '--concurrency', '1,2', '--repeat', '2', '--host', ollama.url], env),
      '2 sweep',
    );
    const child = spawn(process.execPath, [CLI, 'run', ...base, '--repeat', '4', '--host', ollama.url], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    while (rows(db) < 6 + 12 + 5) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    check(await runCli(['run', '--resume', '3', '--db', db, '--host', ollama.url], env), '3 resumed');
    check(
      await runCli(
        ['run', '--backend', 'openai', '--host', openai.baseUrl, '--idle', '0', '--suite', SUITE, '--db', db],
        env,
      ),
      '4 openai',
    );
    check(
      await runCli(
        [
          'run',
          '--replay',
          join(REPLAY, 'requests.jsonl'),
          '--replay-output',
          join(REPLAY, 'output.jsonl'),
          '--idle',
          '0',
          '--host',
          ollama.url,
          '--db',
          db,
        ],
        env,
      ),
      '5 replay',
    );
    writeFileSync(join(TEST, 'golden', 'runs.sql'), dumpSql(db));
  } finally {
    await ollama.close();
    await openai.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('golden-fixture.js') === true) await main();
