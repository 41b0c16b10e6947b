/**
 * Fleet identity by GPU UUID (issue 20): a machine is its machine id (else hostname) + CPU + the
 * sorted UUIDs of its GPUs where recorded (else their models). Runs without UUIDs group as before
 * (test/fleet.test.ts, unchanged).
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFleet, type Fleet } from '../src/analysis/fleet.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { main } from '../src/cli/main.js';
import { formatFleetMarkdown, formatFleetTable } from '../src/report/format-fleet.js';
import { makeTempDir } from './support/temp.js';

const ID = `3f2a9c01${'0'.repeat(56)}`;
const GPU_A = 'GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a';
const GPU_B = 'GPU-0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';

/** A summary with what the fleet reads: one NVIDIA L4 (24 GiB), full cost `full` EUR per task. */
function run(
  id: number,
  machine: { hostname: string; machineIdSha256?: string; gpuUuids?: string[] },
  full: number,
  finishedAt = '2026-12-01T01:00:00.000Z',
): RunSummary {
  return {
    run: {
      id,
      status: 'completed',
      model: 'qwen3:8b',
      suiteId: 'triage',
      suiteVersion: '1',
      backend: 'ollama',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt,
    },
    machine: {
      ...machine,
      cpuModel: 'EPYC',
      gpus: [{ vendor: 'nvidia', model: 'NVIDIA L4', vramBytes: 24 * 2 ** 30 }],
    },
    energy: null,
    generationTokensPerSOverall: 50,
    promptTokensPerS: { median: 900 },
    sweep: null,
    quality: null,
    cost: {
      currency: 'EUR',
      volume: 10_000,
      perTask: { totalJ: 100, marginalJ: 60 },
      capacityPerMachinePerMonth: 1_000_000,
      apis: [],
      local: { fullPerTask: full, marginalPerTask: 0.001, fullPerCorrectTask: null },
    },
  } as unknown as RunSummary;
}

describe('fleet identity by GPU UUID', () => {
  it('makes a box whose GPU was swapped for another of its model two machines; a renamed box stays one', () => {
    const fleet = computeFleet('triage', [
      run(1, { hostname: 'node', machineIdSha256: ID, gpuUuids: [GPU_A] }, 0.01),
      // Same machine id, same GPU model, another card: another machine.
      run(2, { hostname: 'node', machineIdSha256: ID, gpuUuids: [GPU_B] }, 0.02),
      // Box of run 1 renamed, same id and card: the same machine; its newer run replaces run 1.
      run(
        3,
        { hostname: 'renamed', machineIdSha256: ID, gpuUuids: [GPU_A] },
        0.015,
        '2026-12-01T05:00:00.000Z',
      ),
    ]);
    expect(fleet.entries.map((e) => [e.runId, e.machine.hostname, e.machine.gpuUuids])).toEqual([
      [3, 'renamed', [GPU_A]],
      [2, 'node', [GPU_B]],
    ]);
  });

  it('sorts the UUIDs, so the order a source listed the GPUs in does not make another machine', () => {
    const fleet = computeFleet('triage', [
      run(1, { hostname: 'node', machineIdSha256: ID, gpuUuids: [GPU_A, GPU_B] }, 0.01),
      run(
        2,
        { hostname: 'node', machineIdSha256: ID, gpuUuids: [GPU_B, GPU_A] },
        0.02,
        '2026-12-01T05:00:00.000Z',
      ),
    ]);
    expect(fleet.entries.map((e) => e.runId)).toEqual([2]);
  });

  it('keeps grouping by GPU model where no UUID was recorded', () => {
    const fleet = computeFleet('triage', [
      run(1, { hostname: 'node', machineIdSha256: ID }, 0.01),
      run(2, { hostname: 'node', machineIdSha256: ID }, 0.02, '2026-12-01T05:00:00.000Z'),
    ]);
    expect(fleet.entries.map((e) => e.runId)).toEqual([2]);
    expect(fleet.entries[0]?.machine).not.toHaveProperty('gpuUuids');
  });

  it('gives a short identity: 8 hex of the machine id hash, then each UUID’s first group', () => {
    const fleet = computeFleet('triage', [
      run(1, { hostname: 'a', machineIdSha256: ID, gpuUuids: [GPU_A, GPU_B] }, 0.01),
      run(2, { hostname: 'b', gpuUuids: [GPU_A] }, 0.02),
      run(3, { hostname: 'c', machineIdSha256: ID }, 0.03),
      run(4, { hostname: 'd' }, 0.04),
    ]);
    // Sorted UUIDs: GPU-0a1b2c3d… before GPU-5f3b2c1a….
    expect(fleet.entries.map((e) => e.machine.shortId)).toEqual([
      '3f2a9c01 GPU-0a1b2c3d GPU-5f3b2c1a',
      'GPU-5f3b2c1a',
      '3f2a9c01',
      undefined,
    ]);
    const table = formatFleetTable(fleet);
    expect(table).toContain('a (NVIDIA L4 24 GiB) [3f2a9c01 GPU-0a1b2c3d GPU-5f3b2c1a]  qwen3:8b');
    expect(table).toMatch(/^d \(NVIDIA L4 24 GiB\) +qwen3:8b/m);
    const md = formatFleetMarkdown(fleet);
    expect(md).toContain('| b (NVIDIA L4 24 GiB) [GPU-5f3b2c1a] | qwen3:8b | 2 |');
    expect(md).toContain('| d (NVIDIA L4 24 GiB) | qwen3:8b | 4 |');
    const json = JSON.parse(JSON.stringify(fleet)) as Fleet;
    expect(json.entries[0]?.machine).toEqual({
      hostname: 'a',
      machineIdSha256: ID,
      gpus: ['NVIDIA L4 24 GiB'],
      gpuUuids: [GPU_B, GPU_A],
      cpu: 'EPYC',
      shortId: '3f2a9c01 GPU-0a1b2c3d GPU-5f3b2c1a',
    });
  });
});

describe('costbench fleet over runs with recorded UUIDs', () => {
  const dir = makeTempDir();
  const db = join(dir.path, 'fleet.db');
  const config = join(dir.path, 'costbench.config.json');
  beforeAll(() => {
    const sqlite = new Database(db);
    sqlite.exec(readFileSync(join(import.meta.dirname, 'golden', 'runs.sql'), 'utf8'));
    sqlite.exec(`UPDATE runs SET suite_id = 'other' WHERE id IN (3, 4)`);
    sqlite.close();
    writeFileSync(config, JSON.stringify({ cost: { electricityPerKwh: 0.3 } }));
  });
  afterAll(() => dir.remove());

  async function fleet(args: string[], migrate?: (sqlite: Database.Database) => void): Promise<string> {
    if (migrate !== undefined) {
      const sqlite = new Database(db);
      migrate(sqlite);
      sqlite.close();
    }
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: (t: string) => void (stdout += t),
      stderr: (t: string) => void (stderr += t),
      env: { XDG_DATA_HOME: dir.path, HOME: dir.path },
      cwd: dir.path,
      isTty: false,
    };
    const code = await main(['fleet', '--suite', 'e2e', ...args, '--db', db, '--config', config], io);
    expect(code, stderr).toBe(0);
    return stdout;
  }

  it('reads the stored UUIDs: runs 1 and 2 on host vm, one machine without, two with other cards', async () => {
    const before = JSON.parse(await fleet(['--format', 'json'])) as Fleet;
    expect(
      before.entries.map((e) => e.runId),
      'newest run of the one machine',
    ).toEqual([2]);
    const after = JSON.parse(
      await fleet(['--format', 'json'], (sqlite) => {
        sqlite.exec(`UPDATE run_machines SET gpu_uuids_json = '["${GPU_A}"]' WHERE run_id = 1`);
        sqlite.exec(`UPDATE run_machines SET gpu_uuids_json = '["${GPU_B}"]' WHERE run_id = 2`);
      }),
    ) as Fleet;
    expect(after.entries.map((e) => [e.runId, e.machine.shortId]).sort()).toEqual([
      [1, 'GPU-5f3b2c1a'],
      [2, 'GPU-0a1b2c3d'],
    ]);
    expect(await fleet([])).toContain('vm (NVIDIA GeForce RTX 4090) [GPU-5f3b2c1a]  llama3.2:latest    1');
  });
});
