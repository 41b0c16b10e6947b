import Database from 'better-sqlite3';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli } from './support/cli.js';
import { buildFakeNvml } from './support/fake-nvml/build.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const IDLE_W = 60;
const BUSY_W = 300;
const GEN_TOKENS_PER_S = 250;
const ANSWER_TOKENS = 200;
const fake = buildFakeNvml();

/**
 * A whole `costbench run` reading the GPU through NVML (the fake libnvidia-ml.so.1, whose counter
 * integrates the power the fake Ollama's decode hook writes): the GPU channel is a counter, NVML is
 * recorded as used and nvidia-smi as not needed, and the energy matches the analytic answer.
 */
describe.skipIf(!fake.ok)(`costbench run through NVML${fake.ok ? '' : ` (skipped: ${fake.reason})`}`, () => {
  const dir = makeTempDir();
  const powerFile = join(dir.path, 'power-0');
  let server: FakeOllama;
  let run: { code: number; stdout: string; stderr: string };
  let db: string;

  beforeAll(async () => {
    const writePower = (w: number): void => {
      writeFileSync(`${powerFile}.tmp`, String(w * 1000));
      renameSync(`${powerFile}.tmp`, powerFile);
    };
    writePower(IDLE_W);
    server = await startFakeOllama({
      genTokensPerS: GEN_TOKENS_PER_S,
      loadMs: 50,
      respond: () => Array.from({ length: ANSWER_TOKENS }, (_, i) => `t${i}`).join(' '),
      onDecodingChange: (streams) => writePower(streams > 0 ? BUSY_W : IDLE_W),
    });
    db = join(dir.path, 'energy.db');
    const config = join(dir.path, 'costbench.config.json');
    writeFileSync(
      config,
      JSON.stringify({ telemetry: { sources: ['nvidia'], intervalMs: 50, idleBaselineS: 1 } }),
    );
    run = await runCli(
      ['run', '--suite', SUITE, '--json', '--host', server.url, '--db', db, '--config', config],
      {
        COSTBENCH_NVML_LIB: fake.ok ? fake.path : 'none',
        FAKE_NVML_GPUS: '1',
        FAKE_NVML_NAMES: 'NVIDIA H100 80GB HBM3',
        FAKE_NVML_POWER_DIR: dir.path,
      },
    );
  }, 60_000);
  afterAll(async () => {
    await server.close();
    dir.remove();
    if (fake.ok) fake.remove();
  });

  it('reads the GPU as a counter through NVML; nvidia-smi is recorded as not needed', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('power: nvidia:0 (counter)');
    const sqlite = new Database(db, { readonly: true });
    const sources = sqlite
      .prepare(
        'SELECT source, available, reason FROM telemetry_sources WHERE source IN (?, ?) ORDER BY source',
      )
      .all('nvml', 'nvidia-smi');
    const uuids = sqlite.prepare('SELECT gpu_uuids_json AS json FROM run_machines').get() as { json: string };
    sqlite.close();
    // The machine's GPU UUIDs come from the NVML channel (the fake's GPU 0), for the fleet's identity.
    expect(JSON.parse(uuids.json)).toEqual(['GPU-fa4e0000-0000-0000-0000-000000000000']);
    expect(sources).toEqual([
      { source: 'nvidia-smi', available: 0, reason: 'not needed: NVML reads the NVIDIA GPUs in-process' },
      { source: 'nvml', available: 1, reason: null },
    ]);
  });

  it('gives the total energy within 5% of the analytic answer, from the counter', () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    const total = summary.energy?.total;
    const measured = server.requests.filter((r) => r.doneReason === 'stop');
    const decodeS = measured.reduce((acc, r) => acc + r.evalDurationNs / 1e9, 0);
    const measureS = (total?.measuredMs ?? 0) / 1000;
    const expectedTotalJ = IDLE_W * measureS + (BUSY_W - IDLE_W) * decodeS;
    expect(total?.kinds).toEqual(['counter']);
    expect(
      Math.abs((total?.energyJ ?? 0) / expectedTotalJ - 1),
      `total ${total?.energyJ} J vs ${expectedTotalJ} J`,
    ).toBeLessThan(0.05);
    // The idle baseline is the counter's change from the settle point to the phase's end, both read
    // there: each reading lags the board by up to one 50 ms update (3 J at 60 W), so the change is
    // off by at most one quantum; half a quantum more for the fake's own thread waking late on a busy machine.
    const gpu = summary.energy?.channels.find((c) => c.key === 'nvidia:0');
    const sqlite = new Database(db, { readonly: true });
    const idle = sqlite
      .prepare(
        "SELECT p.end_ms - s.settled_ms AS windowMs FROM phases p JOIN idle_settles s ON s.run_id = p.run_id AND s.phase = p.name WHERE p.name = 'idle-before'",
      )
      .get() as { windowMs: number };
    sqlite.close();
    const idleErrorJ = Math.abs((gpu?.idleBeforeW ?? 0) - IDLE_W) * (idle.windowMs / 1000);
    expect(idleErrorJ, `idle before ${gpu?.idleBeforeW} W over ${idle.windowMs} ms`).toBeLessThan(
      1.5 * 0.05 * IDLE_W,
    );
  });

  it("reads the counter at every request's start and end: each request's energy within one counter period of the analytic answer", () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite
      .prepare(
        "SELECT seq, start_offset_ms AS startMs, latency_ms AS latencyMs FROM requests WHERE state = 'ok' ORDER BY seq",
      )
      .all() as { seq: number; startMs: number; latencyMs: number }[];
    const energyOnly = sqlite
      .prepare(
        "SELECT s.t_ms AS tMs FROM samples s JOIN telemetry_channels c ON c.id = s.channel_id WHERE c.key = 'nvidia:0' AND s.power_w IS NULL AND s.energy_j IS NOT NULL",
      )
      .all() as { tMs: number }[];
    const edges = sqlite
      .prepare(
        'SELECT end_ms AS tMs FROM phases UNION ALL SELECT settled_ms FROM idle_settles UNION ALL SELECT start_ms FROM phases',
      )
      .all() as { tMs: number }[];
    const channel = sqlite
      .prepare("SELECT interval_ms AS intervalMs FROM telemetry_channels WHERE key = 'nvidia:0'")
      .get() as { intervalMs: number };
    const powerTimes = sqlite
      .prepare(
        "SELECT s.t_ms AS tMs FROM samples s JOIN telemetry_channels c ON c.id = s.channel_id WHERE c.key = 'nvidia:0' AND s.power_w IS NOT NULL ORDER BY s.t_ms",
      )
      .all() as { tMs: number }[];
    sqlite.close();
    // Polls only draw the charts (pictureIntervalMs, 1000 ms by default): the channel's cadence is 1 s, and
    // polled readings are about 1 s apart (the power interval here is 50 ms).
    expect(channel.intervalMs).toBe(1000);
    const spacings = powerTimes.slice(1).map((p, i) => p.tMs - (powerTimes[i]?.tMs ?? 0));
    expect(Math.min(...spacings.slice(0, -1)), 'polls 1 s apart, bar the last one at stop').toBeGreaterThan(
      500,
    );
    // Every phase's start and end and each idle settle point has a counter reading there (same tick).
    for (const edge of edges) {
      const nearest = Math.min(...energyOnly.map((x) => Math.abs(x.tMs - edge.tMs)));
      expect(nearest, `a counter reading at the edge ${edge.tMs.toFixed(1)} ms`).toBeLessThan(5);
    }
    // A boundary reading within 5 ms of each request's start and end (the poll alone would be up to 50 ms away).
    for (const r of rows) {
      for (const edge of [r.startMs, r.startMs + r.latencyMs]) {
        const nearest = Math.min(...energyOnly.map((x) => Math.abs(x.tMs - edge)));
        expect(nearest, `request ${r.seq}: a counter reading at ${edge.toFixed(1)} ms`).toBeLessThan(5);
      }
    }
    // The fake GPU draws BUSY_W while decoding, IDLE_W otherwise; its counter moves every 50 ms, so each edge can
    // lag by one period at the power of that moment: within 2 x 50 ms x BUSY_W = 30 J.
    const decodes = server.requests.filter((r) => r.doneReason === 'stop').map((r) => r.evalDurationNs / 1e9);
    expect(decodes).toHaveLength(rows.length);
    rows.forEach((r, i) => {
      const expectedJ = IDLE_W * (r.latencyMs / 1000) + (BUSY_W - IDLE_W) * (decodes[i] ?? 0);
      const got = summary.energy?.perRequestJ.find((p) => p.seq === r.seq)?.energyJ ?? 0;
      expect(
        Math.abs(got - expectedJ),
        `request ${r.seq}: ${got.toFixed(1)} J vs ${expectedJ.toFixed(1)} J`,
      ).toBeLessThan(2 * 0.05 * BUSY_W);
    });
  });
});
