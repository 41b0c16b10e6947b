import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../src/analysis/compare.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { CLI, runCli } from './support/cli.js';
import { useFakeOllamaBench } from './support/e2e.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const FAKE_BIN = join(import.meta.dirname, 'fixtures', 'bin');
const GPU = JSON.stringify([
  {
    name: 'NVIDIA GeForce RTX 4090',
    uuid: 'GPU-rec',
    busId: '00000000:01:00.0',
    powerW: 80,
    limitW: 450,
    util: 10,
    memMiB: 4000,
    smMhz: 2500,
    tempC: 50,
  },
]);

function query<T>(db: string, sql: string): T[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare(sql).all() as T[];
  } finally {
    sqlite.close();
  }
}

function countRows(db: string): number {
  try {
    return query<{ n: number }>(db, 'SELECT count(*) AS n FROM requests')[0]?.n ?? 0;
  } catch {
    return 0;
  }
}

async function waitFor(check: () => boolean, timeoutMs = 30_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('a run resumed with its own settings record', () => {
  const bench = useFakeOllamaBench({
    genTokensPerS: 100,
    loadMs: 10,
    respond: () => Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '),
  });

  it('keeps the telemetry settings it started with (1 s idle, 50 ms interval), and refuses a flag that would change one', async () => {
    const db = join(bench.path, 'resume.db');
    const config = join(bench.path, 'first.json');
    // Not the defaults (30 s idle, 100 ms): a resume with today's settings would idle 30 s.
    writeFileSync(
      config,
      JSON.stringify({ telemetry: { sources: ['nvidia'], intervalMs: 50, idleBaselineS: 1 } }),
    );
    const env = {
      PATH: `${FAKE_BIN}:${process.env['PATH'] ?? ''}`,
      HOME: process.env['HOME'],
      XDG_DATA_HOME: bench.path,
      COSTBENCH_NVML_LIB: 'none',
      FAKE_NVIDIA_GPUS: GPU,
    };
    const child = spawn(
      process.execPath,
      [
        CLI,
        'run',
        '--suite',
        SUITE,
        '--repeat',
        '4',
        '--config',
        config,
        '--db',
        db,
        '--host',
        bench.server.url,
      ],
      { env, stdio: 'ignore' },
    );
    await waitFor(() => countRows(db) >= 4);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const extra = {
      PATH: env.PATH,
      XDG_DATA_HOME: bench.path,
      COSTBENCH_NVML_LIB: 'none',
      FAKE_NVIDIA_GPUS: GPU,
    };
    const refused = await runCli(
      ['run', '--resume', '1', '--idle', '30', '--db', db, '--host', bench.server.url],
      extra,
    );
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr.split('\n').find((l) => l.includes('cannot be resumed'))).toBe(
      'costbench: run 1 cannot be resumed with different settings: --idle sets telemetry.idleBaselineS 30, the run has 1',
    );

    // No config file now: today's settings are the defaults, and the run keeps its own.
    const resumed = await runCli(
      ['run', '--resume', '1', '--json', '--db', db, '--host', bench.server.url],
      extra,
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      "run 1 resumes with its own settings; today's config differs in run.repeat 4 (today 1), ",
    );
    expect(resumed.stderr).toContain(
      'telemetry.idleBaselineS 1 (today 30), telemetry.intervalMs 50 (today 100), telemetry.sources ["nvidia"] (today [',
    );
    const idle = query<{ name: string; ms: number }>(
      db,
      "SELECT name, end_ms - start_ms AS ms FROM phases WHERE name IN ('idle-before', 'idle-after') ORDER BY start_ms",
    );
    expect(idle.length, 'idle before and after, in each part').toBeGreaterThanOrEqual(3);
    // The stored idle phases last the recorded 1 s (the runner's own sleep), never the default 30 s.
    for (const p of idle) expect(p.ms, `${p.name} ${p.ms} ms`).toBeLessThan(5000);
    const intervals = query<{ interval_ms: number }>(
      db,
      'SELECT DISTINCT interval_ms FROM telemetry_channels',
    );
    expect(intervals, 'every channel sampled at the recorded interval').toEqual([{ interval_ms: 50 }]);
    const summary = JSON.parse(resumed.stdout) as RunSummary;
    expect(summary.recordView?.record?.config.telemetry.idleBaselineS).toBe(1);
    expect(
      summary.recordView?.serverFacts.map((f) => f.part),
      'the server asked at each start',
    ).toEqual([0, 1]);
  }, 120_000);
});

describe('the record in compare, report and rerun', () => {
  const bench = useFakeOllamaBench({ genTokensPerS: 2000, loadMs: 0, defaultOutputTokens: 20 });
  const db = join(bench.path, 'runs.db');
  beforeAll(async () => {
    for (const intervalMs of [250, 500]) {
      const config = join(bench.path, `c${intervalMs}.json`);
      writeFileSync(
        config,
        JSON.stringify({ telemetry: { sources: ['meter'], intervalMs, idleBaselineS: 0 } }),
      );
      const r = await runCli([
        'run',
        '--suite',
        SUITE,
        '--config',
        config,
        '--db',
        db,
        '--host',
        bench.server.url,
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
  }, 60_000);

  it('compare names telemetry.intervalMs, the only setting that moves results, in its first warning', async () => {
    const r = await runCli(['compare', '1', '2', '--format', 'json', '--db', db]);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout) as Comparison;
    expect(c.settingsDiffer.filter((d) => d.movesResults)).toEqual([
      { key: 'telemetry.intervalMs', values: ['250', '500'], movesResults: true },
    ]);
    expect(c.warnings[0]).toBe('settings that move results differ: telemetry.intervalMs (250 vs 500)');
  });

  it('every format says how the run was made; the CSV rows carry the digest, --csv settings all of it', async () => {
    const json = JSON.parse(
      (await runCli(['report', '1', '--format', 'json', '--db', db])).stdout,
    ) as RunSummary;
    const digest = json.recordView?.digest ?? '';
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    const text = (await runCli(['report', '1', '--db', db])).stdout;
    expect(text).toContain(`How it was measured: settings record ${digest.slice(0, 12)} (`);
    expect(text).toContain('  Power sampling: every 250 ms; no idle baseline; sources meter;');
    expect(text).toContain(
      '  Requests: temperature 0, seed 7, numPredict 400 (suite e2e v1); keep-alive 10m; timeout 300000 ms; streamed',
    );
    expect(text).toMatch(/ {2}Server: Ollama \S+ · context/);
    expect(text).toContain('  Machine at start: ');
    const md = (await runCli(['report', '1', '--format', 'md', '--db', db])).stdout;
    expect(md).toContain(`## How it was measured\n\n- settings record ${digest.slice(0, 12)} (`);
    const html = (await runCli(['report', '1', '--format', 'html', '--db', db])).stdout;
    expect(html).toContain(`The whole settings record (sha256 ${digest})`);
    const csv = (await runCli(['report', '1', '--format', 'csv', '--db', db])).stdout.split('\r\n');
    // settings_digest, then the four open-loop / depth columns (empty for a closed-loop run).
    expect(csv[0]?.split(',').slice(-5)).toEqual([
      'settings_digest',
      'arrival_rate_per_s',
      'scheduled_offset_ms',
      'client_queue_wait_ms',
      'context_depth_tokens',
    ]);
    expect(csv[1]?.endsWith(`,${digest},,,,`)).toBe(true);
    const settings = (
      await runCli(['report', '1', '--format', 'csv', '--csv', 'settings', '--db', db])
    ).stdout.split('\r\n');
    expect(settings[0]).toBe('run_id,section,key,value');
    expect(settings).toContain('1,record,telemetry.intervalMs,250'.replace('telemetry', 'config.telemetry'));
    expect(settings).toContain(`1,record,digest,"""${digest}"""`);
  });

  it('an old run without a record still reports, "unknown" where it has nothing; rerun says it cannot', async () => {
    const copy = join(bench.path, 'old.db');
    const sqlite = new Database(db);
    await sqlite.backup(copy);
    sqlite.close();
    const old = new Database(copy);
    old.exec('DELETE FROM run_records; DELETE FROM run_server_facts; DELETE FROM run_machine_states;');
    old.close();
    const text = await runCli(['report', '1', '--db', copy]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(
      'How it was measured: unknown (run 1 was made before costbench kept settings records: its telemetry settings, machine state and server facts were not stored)',
    );
    const rerun = await runCli(['rerun', '1', '--db', copy]);
    expect(rerun.code).toBe(2);
    expect(rerun.stderr.split('\n')[0]).toBe(
      'costbench: run 1 has no settings record (an older costbench made it), so it cannot be rerun as it was',
    );
  });

  it("rerun starts run 3 with run 1's settings, says nothing differs here, and records what it reran", async () => {
    const r = await runCli(['rerun', '1', '--json', '--db', db, '--host', bench.server.url]);
    expect(r.code, r.stderr).toBe(0);
    const first = JSON.parse(
      (await runCli(['report', '1', '--format', 'json', '--db', db])).stdout,
    ) as RunSummary;
    expect(r.stderr).toContain(
      `rerun of run 1 with its settings (record ${first.recordView?.digest?.slice(0, 12) ?? ''}) on the same machine and software`,
    );
    const again = JSON.parse(r.stdout) as RunSummary;
    expect(again.run.id).toBe(3);
    expect(again.recordView?.record?.rerunOf).toBe(1);
    // The same config, the model named: the first run measured the loaded one (run.model null).
    const config = first.recordView?.record?.config;
    expect(again.recordView?.record?.config).toEqual(
      config === undefined ? undefined : { ...config, run: { ...config.run, model: 'llama3.2:latest' } },
    );
    expect(again.recordView?.record?.requestOptions).toEqual(first.recordView?.record?.requestOptions);
  });
});
