import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI } from './support/cli.js';
import { closedPort } from './support/ports.js';
import { findPrometheusTool } from './support/prometheus.js';
import { makeTempDir } from './support/temp.js';

/**
 * A real Prometheus (Debian's 2.42) scrapes the schedule daemon's /metrics on 127.0.0.1. Its first
 * scrape lands ~6 s after start (../shared/reference/fleet-engines.md), so the query is polled for
 * up to 40 s. Skipped, with the reason, where Prometheus is not installed; .ci/run installs it.
 */
const PROMETHEUS = findPrometheusTool('prometheus');

function stop(child: ChildProcess | null): Promise<void> {
  if (child === null || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** Resolves with the first match of `pattern` in the child's stderr. */
function waitForStderr(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} in stderr after ${timeoutMs} ms: ${text}`)),
      timeoutMs,
    );
    child.stderr?.on('data', (d: Buffer) => {
      text += d.toString();
      const match = pattern.exec(text);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match);
      }
    });
  });
}

interface QueryResult {
  data: { result: { metric: Record<string, string>; value: [number, string] }[] };
}

describe.skipIf(PROMETHEUS === null)('a real Prometheus scrapes the schedule daemon', () => {
  const dir = makeTempDir();
  let daemon: ChildProcess | null = null;
  let prometheus: ChildProcess | null = null;
  afterAll(async () => {
    await stop(prometheus);
    await stop(daemon);
    dir.remove();
  });

  it('finds the newest run of each series, labelled, with no label renamed', async () => {
    const db = join(dir.path, 'runs.db');
    const sqlite = new Database(db);
    sqlite.exec(readFileSync(join(import.meta.dirname, 'golden', 'runs.sql'), 'utf8'));
    sqlite.close();
    const env = { PATH: process.env['PATH'], HOME: dir.path, XDG_DATA_HOME: dir.path };
    // A schedule that does not fire during the test (1 January, midnight): only /metrics is served.
    daemon = spawn(
      process.execPath,
      [CLI, 'schedule', '--cron', '0 0 1 1 *', '--metrics-address', '127.0.0.1:0', '--db', db, '--idle', '0'],
      { env, cwd: dir.path },
    );
    const served = await waitForStderr(daemon, /metrics at http:\/\/127\.0\.0\.1:(\d+)\/metrics/, 20_000);
    const target = `127.0.0.1:${served[1]}`;

    const port = await closedPort();
    writeFileSync(
      join(dir.path, 'prometheus.yml'),
      `global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: costbench\n    static_configs: [{targets: ['${target}']}]\n`,
    );
    prometheus = spawn(
      PROMETHEUS as string,
      [
        `--config.file=${join(dir.path, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir.path, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    const query = `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('costbench_run_id')}`;
    let result: QueryResult['data']['result'] = [];
    for (let waited = 0; waited < 40_000 && result.length === 0; waited += 500) {
      await new Promise((r) => setTimeout(r, 500));
      try {
        result = ((await (await fetch(query)).json()) as QueryResult).data.result;
      } catch {
        // not up yet
      }
    }
    const runs = result
      .map((r) => [r.metric['model'], r.metric['suite'], r.metric['backend'], r.metric['job'], r.value[1]])
      .sort((a, b) => Number(a[4]) - Number(b[4]));
    // The golden database: run 3 is the newest Ollama e2e run of llama3.2, 4 the OpenAI one, 5 the replay.
    expect(runs).toEqual([
      ['llama3.2:latest', 'e2e', 'ollama', 'costbench', '3'],
      ['qwen2.5-7b-instruct', 'e2e', 'openai', 'costbench', '4'],
      ['llama3.2:latest', 'replay-requests', 'ollama', 'costbench', '5'],
    ]);
    expect(result.every((r) => r.metric['exported_job'] === undefined)).toBe(true);
  }, 90_000);
});
