import Database from 'better-sqlite3';
import { cpSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const SYS_ENERGY = fileURLToPath(new URL('./fixtures/sys-amd/dgpu-energy', import.meta.url));
const HWMON3 = 'class/drm/card0/device/hwmon/hwmon3';
const GPU_W = 150;
const START_UJ = 1_000_000;
/** How often the test moves the fake counter. */
const TICK_MS = 20;

/**
 * A whole `costbench run` reading an AMD GPU whose hwmon `energy1_input` a timer in this process
 * advances at GPU_W watts of real time (power1_input says GPU_W too): the start-up check passes, the
 * channel is a counter read at every request's and phase's edge, polled for the charts only, and the
 * energy is GPU_W x the measured time.
 */
describe('costbench run reading an AMD GPU through hwmon energy1_input', () => {
  const dir = makeTempDir('costbench-hwmon-e2e-');
  const sysRoot = join(dir.path, 'sys');
  let server: FakeOllama;
  let run: { code: number; stdout: string; stderr: string };
  let db: string;

  beforeAll(async () => {
    cpSync(SYS_ENERGY, sysRoot, { recursive: true });
    rmSync(join(sysRoot, 'class/drm/card2'), { recursive: true }); // one AMD card: every card a counter
    const write = (file: string, value: number): void => {
      const path = join(sysRoot, HWMON3, file);
      writeFileSync(`${path}.tmp`, `${value}\n`);
      renameSync(`${path}.tmp`, path); // a reader never sees half a file
    };
    write('power1_input', GPU_W * 1e6);
    const t0 = performance.now();
    // W x ms = mJ = 1000 µJ; the value is computed from the clock, so a late tick only makes one reading stale.
    const tick = (): void =>
      write('energy1_input', START_UJ + Math.round(GPU_W * (performance.now() - t0) * 1000));
    tick();
    const timer = setInterval(tick, TICK_MS);
    server = await startFakeOllama({
      genTokensPerS: 250,
      loadMs: 50,
      respond: () => Array.from({ length: 200 }, (_, i) => `t${i}`).join(' '),
    });
    db = join(dir.path, 'energy.db');
    const config = join(dir.path, 'costbench.config.json');
    writeFileSync(
      config,
      JSON.stringify({ telemetry: { sources: ['amd'], intervalMs: 100, idleBaselineS: 1 } }),
    );
    try {
      run = await runCli(
        ['run', '--suite', SUITE, '--json', '--host', server.url, '--db', db, '--config', config],
        {
          COSTBENCH_SYS_ROOT: sysRoot,
          PATH: '/nonexistent/costbench-test-bin', // no amd-smi / rocm-smi: hwmon alone
        },
      );
    } finally {
      clearInterval(timer);
    }
  }, 90_000);
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('reads the GPU as a counter through hwmon, polled at the picture interval', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('power: hwmon:card0 (counter)');
    const sqlite = new Database(db, { readonly: true });
    const channel = sqlite
      .prepare("SELECT kind, interval_ms AS intervalMs FROM telemetry_channels WHERE key = 'hwmon:card0'")
      .get();
    sqlite.close();
    // pictureIntervalMs defaults to 1000 ms; the power interval here is 100 ms.
    expect(channel).toEqual({ kind: 'counter', intervalMs: 1000 });
    const summary = JSON.parse(run.stdout) as RunSummary;
    const gpu = summary.energy?.channels.find((c) => c.key === 'hwmon:card0');
    expect(gpu?.readout).toBe(
      "energy counter (hwmon): energy = counter deltas, read at every request's and phase's edge; power polled every 1000 ms",
    );
  });

  it('gives GPU_W x the measured time within 5%', () => {
    const total = (JSON.parse(run.stdout) as RunSummary).energy?.total;
    expect(total?.kinds).toEqual(['counter']);
    // Each reading lags the clock by at most one TICK_MS (3 J at 150 W) plus a late timer on a busy machine;
    // over several seconds that is well inside 5%.
    const expectedJ = GPU_W * ((total?.measuredMs ?? 0) / 1000);
    expect(
      Math.abs((total?.energyJ ?? 0) / expectedJ - 1),
      `${total?.energyJ} J vs ${expectedJ} J`,
    ).toBeLessThan(0.05);
  });

  it("has a counter reading at each request's start and end", () => {
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite
      .prepare(
        "SELECT seq, start_offset_ms AS startMs, latency_ms AS latencyMs FROM requests WHERE state = 'ok' ORDER BY seq",
      )
      .all() as { seq: number; startMs: number; latencyMs: number }[];
    const energyOnly = sqlite
      .prepare(
        "SELECT s.t_ms AS tMs FROM samples s JOIN telemetry_channels c ON c.id = s.channel_id WHERE c.key = 'hwmon:card0' AND s.power_w IS NULL AND s.energy_j IS NOT NULL",
      )
      .all() as { tMs: number }[];
    sqlite.close();
    expect(rows.length).toBeGreaterThan(0);
    // Boundary readings (energy only) within 5 ms of each edge; the 1 s polls alone would be up to 1000 ms away.
    for (const r of rows) {
      for (const edge of [r.startMs, r.startMs + r.latencyMs]) {
        const nearest = Math.min(...energyOnly.map((x) => Math.abs(x.tMs - edge)));
        expect(nearest, `request ${r.seq}: a counter reading at ${edge.toFixed(1)} ms`).toBeLessThan(5);
      }
    }
  });
});
