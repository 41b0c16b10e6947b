import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const FAKE_BIN = join(import.meta.dirname, 'fixtures', 'bin');
const GPU_W = 142;

/**
 * A whole `costbench run` reading an AMD GPU through the fake amd-smi, whose energy counter counts
 * GPU_W watts of real time while it reports GPU_W of socket power: the start-up check passes, the
 * GPU channel is a counter, amd-smi is chosen over rocm-smi, and the energy is GPU_W x the time.
 */
describe('costbench run reading an AMD GPU through amd-smi -E', () => {
  const dir = makeTempDir();
  let server: FakeOllama;
  let run: { code: number; stdout: string; stderr: string };
  let db: string;

  beforeAll(async () => {
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
    run = await runCli(
      // --repeat 3: about 7 s measured, so a few slow process starts on a busy machine still leave the
      // readings covering the phase (a 2.4 s phase read once a second could fall below the coverage floor).
      [
        'run',
        '--suite',
        SUITE,
        '--repeat',
        '3',
        '--json',
        '--host',
        server.url,
        '--db',
        db,
        '--config',
        config,
      ],
      {
        PATH: `${FAKE_BIN}:${process.env['PATH'] ?? ''}`,
        COSTBENCH_SYS_ROOT: dir.path, // no amdgpu hwmon here
        ROCM_PATH: join(dir.path, 'no-rocm'), // ROCm version unknown: the cross-check decides
        FAKE_AMDSMI_GPUS: JSON.stringify([
          { name: 'AMD Instinct MI300X', bdf: '0000:05:00.0', powerW: GPU_W, util: 37 },
        ]),
        FAKE_AMDSMI_COUNTER_W: String(GPU_W),
      },
    );
  }, 90_000);
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('reads the GPU as a counter through amd-smi; rocm-smi is not started', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('power: amd-smi:0 (counter)');
    const sqlite = new Database(db, { readonly: true });
    const channels = sqlite.prepare('SELECT key, kind FROM telemetry_channels ORDER BY key').all();
    const rocm = sqlite.prepare("SELECT reason FROM telemetry_sources WHERE source = 'rocm-smi'").all();
    sqlite.close();
    expect(channels).toContainEqual({ key: 'amd-smi:0', kind: 'counter' });
    expect(rocm).toEqual([{ reason: 'not started: same GPU read through amd-smi' }]);
  });

  it('says in the report how the GPU was read, and gives GPU_W x the measured time within 10%', () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    const gpu = summary.energy?.channels.find((c) => c.key === 'amd-smi:0');
    expect(gpu?.readout).toBe('energy counter (amd-smi): energy = counter deltas; power polled every 100 ms');
    const total = summary.energy?.total;
    expect(total?.kinds).toEqual(['counter']);
    // The fake's counter follows the wall clock when its process starts, the reading is stamped when it
    // ends: each process start (~0.1 s, more on a busy machine) shifts a reading, hence 10%, not NVML's 5%.
    const expectedJ = GPU_W * ((total?.measuredMs ?? 0) / 1000);
    expect(
      Math.abs((total?.energyJ ?? 0) / expectedJ - 1),
      `${total?.energyJ} J vs ${expectedJ} J`,
    ).toBeLessThan(0.1);
  });
});
