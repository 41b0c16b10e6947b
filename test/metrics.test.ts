import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunAnalysis } from '../src/analysis/analyze-run.js';
import { main } from '../src/cli/main.js';
import { parseListenAddress, serveMetrics } from '../src/cli/metrics-server.js';
import { formatPrometheus } from '../src/report/format-prometheus.js';
import { findPrometheusTool } from './support/prometheus.js';
import { makeTempDir } from './support/temp.js';

const GOLDEN = join(import.meta.dirname, 'golden', 'runs.sql');

/** The few fields the exposition reads, with figures chosen to check by eye. */
function analysisOf(over: Partial<Record<string, unknown>>): RunAnalysis {
  return {
    run: { id: 7, status: 'completed', finishedAt: '2026-12-01T02:00:00.000Z' },
    requests: { ok: 9, errored: 1, aborted: 0 },
    generationTokensPerSOverall: 41.25,
    promptTokensPerS: { median: 812.5 },
    ttftMs: { p95: 250 },
    latencyMs: { p95: 3125 },
    energy: { total: { perTaskJ: 1234.5678, perTaskMarginalJ: 987.65432, kinds: ['counter', 'sampled'] } },
    cost: {
      currency: 'EUR',
      energyIsEstimate: false,
      local: { fullPerTask: 0.0125, marginalPerTask: 0.000375 },
    },
    quality: { scored: 10, accuracy: 0.9 },
    ...over,
  } as unknown as RunAnalysis;
}

const LABELS = { model: 'qwen3:8b', suite: 'triage', machine: 'gpu-1', backend: 'ollama' };

describe('Prometheus exposition of a run', () => {
  it('writes each figure once, in base units, with HELP and TYPE, labelled by series', () => {
    const text = formatPrometheus([{ labels: LABELS, analysis: analysisOf({}) }]);
    const series = 'model="qwen3:8b",suite="triage",machine="gpu-1",backend="ollama"';
    const lines = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(lines).toEqual([
      `costbench_run_id{${series}} 7`,
      `costbench_run_status{${series},status="running"} 0`,
      `costbench_run_status{${series},status="completed"} 1`,
      `costbench_run_status{${series},status="failed"} 0`,
      `costbench_run_status{${series},status="aborted"} 0`,
      `costbench_run_status{${series},status="interrupted"} 0`,
      // 2026-12-01T02:00:00Z = 1796090400 s since 1970.
      `costbench_run_end_timestamp_seconds{${series}} 1796090400`,
      `costbench_requests{${series},state="ok"} 9`,
      `costbench_requests{${series},state="errored"} 1`,
      `costbench_requests{${series},state="aborted"} 0`,
      `costbench_decode_tokens_per_second{${series}} 41.25`,
      `costbench_prefill_tokens_per_second{${series}} 812.5`,
      // 250 ms and 3125 ms in seconds.
      `costbench_ttft_p95_seconds{${series}} 0.25`,
      `costbench_latency_p95_seconds{${series}} 3.125`,
      // Six significant digits; counter + sampled channels: the weaker kind, sampled.
      `costbench_energy_per_task_joules{${series},view="total",kind="sampled"} 1234.57`,
      `costbench_energy_per_task_joules{${series},view="marginal",kind="sampled"} 987.654`,
      `costbench_cost_per_task{${series},view="full",currency="EUR",energy="measured"} 0.0125`,
      `costbench_cost_per_task{${series},view="marginal",currency="EUR",energy="measured"} 0.000375`,
      `costbench_accuracy_ratio{${series}} 0.9`,
    ]);
    expect(text).toContain(
      '# HELP costbench_energy_per_task_joules Machine energy per ok task: all of it (view=total) and above idle (view=marginal); kind: counter, sampled or estimate.\n# TYPE costbench_energy_per_task_joules gauge\n',
    );
    expect(text).not.toMatch(/[{,]job="/);
  });

  it('leaves out what was not measured instead of writing 0, and marks an estimate', () => {
    const text = formatPrometheus([
      {
        labels: LABELS,
        analysis: analysisOf({
          run: { id: 8, status: 'running', finishedAt: null },
          generationTokensPerSOverall: null,
          promptTokensPerS: null,
          energy: { total: { perTaskJ: 50, perTaskMarginalJ: null, kinds: ['estimate'] } },
          cost: {
            currency: 'USD',
            energyIsEstimate: true,
            local: { fullPerTask: null, marginalPerTask: 0.002 },
          },
          quality: null,
        }),
      },
    ]);
    expect(text).not.toContain('costbench_run_end_timestamp_seconds');
    expect(text).not.toContain('costbench_decode_tokens_per_second');
    expect(text).not.toContain('costbench_prefill_tokens_per_second');
    expect(text).not.toContain('costbench_accuracy_ratio');
    expect(text).not.toContain('view="full"');
    expect(text).toContain('view="total",kind="estimate"} 50\n');
    expect(text).toContain('view="marginal",currency="USD",energy="estimate"} 0.002\n');
  });

  it('escapes quotes, backslashes and newlines in label values', () => {
    const labels = { ...LABELS, model: 'a"b\\c\nd' };
    const text = formatPrometheus([{ labels, analysis: analysisOf({}) }]);
    expect(text).toContain('costbench_run_id{model="a\\"b\\\\c\\nd",');
  });

  it('is empty for no runs', () => {
    expect(formatPrometheus([])).toBe('');
  });
});

describe('listen addresses', () => {
  it('reads a bare port as loopback only, and host:port as given', () => {
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('0.0.0.0:9100')).toEqual({ host: '0.0.0.0', port: 9100 });
    expect(parseListenAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
  });

  it('refuses what is not an address with a one-line error', () => {
    expect(() => parseListenAddress('70000')).toThrow('"70000" is not an address to listen on');
    expect(() => parseListenAddress('http://x:1')).toThrow('is not an address to listen on');
  });
});

describe('costbench metrics over stored runs', () => {
  const dir = makeTempDir();
  const db = join(dir.path, 'metrics.db');
  beforeAll(() => {
    const sqlite = new Database(db);
    sqlite.exec(readFileSync(GOLDEN, 'utf8'));
    // Runs 2 and 3 become another model: run 1 is then the newest of its series, with its power samples.
    sqlite.exec(`UPDATE runs SET model = 'other:latest' WHERE id IN (2, 3)`);
    sqlite.close();
  });
  afterAll(() => dir.remove());

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: (t: string) => void (stdout += t),
      stderr: (t: string) => void (stderr += t),
      env: { XDG_DATA_HOME: dir.path, HOME: dir.path },
      cwd: dir.path,
      isTty: false,
    };
    const code = await main([...args, '--db', db], io);
    return { code, stdout, stderr };
  }

  it('gives the newest run of each model x suite x machine x backend, with the figures its report shows', async () => {
    const { code, stdout } = await cli(['metrics']);
    expect(code).toBe(0);
    const ids = [...stdout.matchAll(/^costbench_run_id\{model="([^"]+)",suite="([^"]+)".*\} (\d+)$/gm)];
    expect(ids.map((m) => [m[1], m[2], m[3]])).toEqual([
      ['llama3.2:latest', 'replay-requests', '5'],
      ['qwen2.5-7b-instruct', 'e2e', '4'],
      ['other:latest', 'e2e', '3'],
      ['llama3.2:latest', 'e2e', '1'],
    ]);
    const report = JSON.parse((await cli(['report', '1', '--format', 'json'])).stdout) as {
      energy: { total: { perTaskJ: number } };
      generationTokensPerSOverall: number;
    };
    const run1 = 'model="llama3.2:latest",suite="e2e",machine="vm",backend="ollama"';
    // The report's figures to six significant digits (their arithmetic is pinned by the golden reports).
    expect(stdout).toContain(
      `costbench_energy_per_task_joules{${run1},view="total",kind="sampled"} ${Number(report.energy.total.perTaskJ.toPrecision(6))}\n`,
    );
    expect(stdout).toContain(
      `costbench_decode_tokens_per_second{${run1}} ${Number(report.generationTokensPerSOverall.toPrecision(6))}\n`,
    );
  });

  it('writes --out atomically: the file whole, no temporary left', async () => {
    const out = join(dir.path, 'costbench.prom');
    const { code } = await cli(['metrics', '--out', out]);
    expect(code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe((await cli(['metrics'])).stdout);
    expect(readdirSync(dir.path).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses an --out it cannot write, in one line', async () => {
    const { code, stderr } = await cli(['metrics', '--out', join(dir.path, 'missing', 'x.prom')]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(2);
    expect(stderr).toContain('cannot write');
  });

  it('passes promtool check metrics, when promtool is installed', async (context) => {
    const promtool = findPrometheusTool('promtool');
    if (promtool === null) {
      context.skip('promtool not installed (Debian package prometheus; .ci/run installs it)');
      return;
    }
    const { stdout } = await cli(['metrics']);
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(promtool, ['check', 'metrics']);
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', (code) => resolve({ code, output }));
      child.stdin.end(stdout);
    });
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('the /metrics server', () => {
  it('serves the text per scrape, 404 elsewhere, and a render error as 500 without stopping', async () => {
    let calls = 0;
    const server = await serveMetrics({ host: '127.0.0.1', port: 0 }, () => {
      calls += 1;
      if (calls === 2) throw new Error('database is locked\nstack');
      return `# TYPE x gauge\nx ${calls}\n`;
    });
    try {
      const first = await fetch(`http://${server.url}/metrics`);
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(await first.text()).toBe('# TYPE x gauge\nx 1\n');
      const failed = await fetch(`http://${server.url}/metrics`);
      expect(failed.status).toBe(500);
      expect(await failed.text()).toBe('database is locked\n');
      expect(await (await fetch(`http://${server.url}/metrics`)).text()).toBe('# TYPE x gauge\nx 3\n');
      expect((await fetch(`http://${server.url}/`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('says in one line when the address is taken', async () => {
    const server = await serveMetrics({ host: '127.0.0.1', port: 0 }, () => '');
    try {
      await expect(serveMetrics({ host: '127.0.0.1', port: server.port }, () => '')).rejects.toThrow(
        `cannot listen on 127.0.0.1:${server.port}: EADDRINUSE`,
      );
    } finally {
      await server.close();
    }
  });
});
