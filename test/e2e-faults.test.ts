import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { CLI, runCli } from './support/cli.js';
import { startFakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const answer = (): string => Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');

function rows(db: string): { state: string; task_id: string; repeat_index: number }[] {
  const sqlite = new Database(db, { readonly: true });
  const result = sqlite.prepare('SELECT state, task_id, repeat_index FROM requests ORDER BY id').all() as {
    state: string;
    task_id: string;
    repeat_index: number;
  }[];
  sqlite.close();
  return result;
}

async function waitFor(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('faults during a run', () => {
  it('the server dies mid-run: retries, then the run fails keeping finished rows; --resume runs only the rest', async () => {
    const dir = makeTempDir();
    const db = join(dir.path, 'f.db');
    const config = join(dir.path, 'c.json');
    writeFileSync(
      config,
      JSON.stringify({ backend: { retries: 2, retryBaseMs: 50 }, telemetry: { enabled: false } }),
    );
    const first = await startFakeOllama({ genTokensPerS: 400, loadMs: 10, respond: answer });
    try {
      const run = runCli(
        ['run', '--suite', SUITE, '--repeat', '3', '--db', db, '--config', config, '--host', first.url],
        { XDG_DATA_HOME: dir.path },
      );
      await waitFor(() => first.requests.filter((r) => r.doneReason === 'stop').length >= 4);
      await first.close();
      const result = await run;
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/retry 1 in 0\.1 s/);
      const kept = rows(db);
      expect(kept.filter((r) => r.state === 'ok').length).toBeGreaterThanOrEqual(4);
      expect(result.stdout).toContain('Run 1 · failed');
      expect(result.stdout).toMatch(
        /the server stopped answering .* continue with `costbench run --resume <this run id>`/,
      );

      const second = await startFakeOllama({ genTokensPerS: 2000, loadMs: 10, respond: answer });
      try {
        const resumed = await runCli(
          ['run', '--resume', '1', '--json', '--db', db, '--config', config, '--host', second.url],
          { XDG_DATA_HOME: dir.path },
        );
        expect(resumed.code, resumed.stderr).toBe(1); // the failed request stays failed; the missing ones ran
        expect(resumed.stderr).toMatch(/run 1: resuming, \d+ of 9 requests already done/);
        const all = rows(db);
        const keys = new Set(all.map((r) => `${r.task_id}#${r.repeat_index}`));
        expect(keys.size, 'every planned request has exactly one row').toBe(9);
        expect(all).toHaveLength(9);
        const summary = JSON.parse(resumed.stdout) as RunSummary;
        expect(summary.run.status).toBe('completed');
        expect(
          second.requests.filter((r) => r.doneReason === 'stop').length,
          'only the missing requests ran',
        ).toBe(9 - kept.length);
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  }, 60_000);

  it('kill -9: the next start marks the run interrupted, and it can be resumed', async () => {
    const dir = makeTempDir();
    const db = join(dir.path, 'k.db');
    const server = await startFakeOllama({ genTokensPerS: 100, loadMs: 10, respond: answer });
    try {
      const child = spawn(
        process.execPath,
        [CLI, 'run', '--suite', SUITE, '--repeat', '3', '--idle', '0', '--db', db, '--host', server.url],
        {
          env: { PATH: process.env['PATH'], HOME: process.env['HOME'], XDG_DATA_HOME: dir.path },
          stdio: 'ignore',
        },
      );
      await waitFor(() => {
        try {
          return rows(db).length >= 2;
        } catch {
          return false; // not created yet
        }
      });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const listed = await runCli(['runs', '--json', '--db', db], { XDG_DATA_HOME: dir.path });
      const [run] = JSON.parse(listed.stdout) as { id: number; status: string; error: string }[];
      expect(run?.status).toBe('interrupted');
      expect(run?.error).toMatch(
        /^its process \(pid \d+\) ended without finishing the run; finished requests are kept: continue with `costbench run --resume 1`$/,
      );
      const done = rows(db).length;
      const resumed = await runCli(
        ['run', '--resume', '1', '--idle', '0', '--db', db, '--host', server.url],
        { XDG_DATA_HOME: dir.path },
      );
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(rows(db)).toHaveLength(9);
      expect(done).toBeGreaterThanOrEqual(2);
    } finally {
      await server.close();
      dir.remove();
    }
  }, 60_000);

  it('503 queue full: waits and retries', async () => {
    const dir = makeTempDir();
    const config = join(dir.path, 'c.json');
    writeFileSync(
      config,
      JSON.stringify({ backend: { retries: 4, retryBaseMs: 100 }, telemetry: { enabled: false } }),
    );
    const server = await startFakeOllama({
      genTokensPerS: 1000,
      loadMs: 10,
      numParallel: 1,
      maxQueue: 0,
      respond: answer,
    });
    try {
      const result = await runCli(
        [
          'run',
          '--suite',
          SUITE,
          '--concurrency',
          '2',
          '--db',
          join(dir.path, 'q.db'),
          '--config',
          config,
          '--host',
          server.url,
        ],
        { XDG_DATA_HOME: dir.path },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(
        /HTTP 503: server busy, please try again\. {2}maximum pending requests exceeded; retry 1 in 0\.1 s/,
      );
    } finally {
      await server.close();
      dir.remove();
    }
  }, 30_000);

  it('resume refuses a completed run', async () => {
    const dir = makeTempDir();
    const server = await startFakeOllama({ genTokensPerS: 5000, loadMs: 10 });
    try {
      const db = join(dir.path, 'c.db');
      await runCli(['run', '--suite', SUITE, '--idle', '0', '--db', db, '--host', server.url], {
        XDG_DATA_HOME: dir.path,
      });
      const again = await runCli(['run', '--resume', '1', '--db', db, '--host', server.url], {
        XDG_DATA_HOME: dir.path,
      });
      expect(again.code).toBe(2);
      expect(again.stderr.split('\n')[0]).toBe('costbench: run 1 is completed: there is nothing to resume');
    } finally {
      await server.close();
      dir.remove();
    }
  });
});

describe('the database', () => {
  it('locked by another process: waits, then exit 4 with one line and a hint', async () => {
    const dir = makeTempDir();
    const db = join(dir.path, 'locked.db');
    const server = await startFakeOllama({ genTokensPerS: 5000, loadMs: 10 });
    const holder = await runCli(['runs', '--db', db]); // creates and migrates the file
    expect(holder.code).toBe(0);
    const sqlite = new Database(db);
    sqlite.exec('BEGIN EXCLUSIVE');
    sqlite
      .prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99999, 'held', 'now')")
      .run();
    try {
      const result = await runCli(
        ['run', '--suite', SUITE, '--idle', '0', '--db', db, '--host', server.url],
        { XDG_DATA_HOME: dir.path },
      );
      expect(result.code).toBe(4);
      expect(result.stderr).toContain(
        'costbench: database error: database is locked (SQLITE_BUSY): another process is writing to it, and costbench waited 5 s',
      );
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    } finally {
      sqlite.exec('ROLLBACK');
      sqlite.close();
      await server.close();
      dir.remove();
    }
  }, 30_000);
});
