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
    sqlite.close();
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
    const gpu = summary.energy?.channels.find((c) => c.key === 'nvidia:0');
    expect(Math.abs((gpu?.idleBeforeW ?? 0) / IDLE_W - 1), `idle before ${gpu?.idleBeforeW} W`).toBeLessThan(
      0.05,
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
    sqlite.close();
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
