/**
 * GPU UUIDs per run (migration 0019): read from nvidia-smi (the fake prints the real format) and from
 * the telemetry channels' detail (NVML, nvidia-smi), stored sorted on run_machines, carried by bundles.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gpuUuidsOfChannels, parseNvidiaUuids, readNvidiaGpuUuids } from '../src/inventory/gpu-uuids.js';
import { toolExecFromPath } from '../src/inventory/run-tool.js';
import { readBundleFile } from '../src/store/bundle-file.js';
import { runDigest } from '../src/store/bundle-hash.js';
import type { RunRows } from '../src/store/bundle-tables.js';
import { openDb } from '../src/store/db.js';
import { getMachine, insertMachine, setGpuUuids, type MachineInventory } from '../src/store/inventory.js';
import { insertRun } from '../src/store/runs.js';
import type { Channel } from '../src/types/readings.js';
import { cli, fillMachineB } from './support/bundle-stores.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();
const BIN = join(import.meta.dirname, 'fixtures', 'bin');
// The fake's rtx4090x2 preset: GPU 0 and GPU 1, as nvidia-smi prints them.
const GPU0 = 'GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a';
const GPU1 = 'GPU-0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d';

const fakeEnv = (extra: Record<string, string>): NodeJS.ProcessEnv => ({
  PATH: `${BIN}:${process.env['PATH'] ?? ''}`,
  ...extra,
});

describe('reading the GPU UUIDs', () => {
  it('parses nvidia-smi --query-gpu=uuid: sorted, each once, other lines skipped', () => {
    const csv = `${GPU0}\n[N/A]\n\n  ${GPU1}  \nNo devices were found\n${GPU0}\n`;
    // "GPU-0a…" sorts before "GPU-5f…".
    expect(parseNvidiaUuids(csv)).toEqual([GPU1, GPU0]);
    expect(parseNvidiaUuids(''), 'no GPU').toEqual([]);
  });

  it('asks the (fake) nvidia-smi, and has none where the driver does not answer', async () => {
    const two = await readNvidiaGpuUuids(toolExecFromPath(fakeEnv({ FAKE_NVIDIA_GPUS: 'rtx4090x2' })));
    expect(two).toEqual([GPU1, GPU0]);
    const one = await readNvidiaGpuUuids(toolExecFromPath(fakeEnv({})));
    expect(one, 'default preset: one RTX 4090').toEqual([GPU0]);
    const noDriver = await readNvidiaGpuUuids(toolExecFromPath(fakeEnv({ FAKE_NVIDIA_NO_DRIVER: '1' })));
    expect(noDriver).toEqual([]);
    const absent = await readNvidiaGpuUuids(toolExecFromPath({ PATH: tempDir() }));
    expect(absent, 'no nvidia-smi on PATH').toEqual([]);
  });

  it('takes the UUIDs the telemetry channels name (NVML, nvidia-smi), not other sources', () => {
    const channel = (key: string, source: Channel['source'], uuid: string | null): Channel => ({
      key,
      source,
      device: 'GPU',
      kind: 'counter',
      covers: 'gpu-board',
      detail: { uuid },
    });
    const channels = [
      channel('nvidia:1', 'nvidia', 'GPU-fa4e0000-0000-0000-0000-000000000001'),
      channel('nvidia:0', 'nvidia', 'GPU-fa4e0000-0000-0000-0000-000000000000'),
      channel('nvidia:2', 'nvidia', null),
      channel('rapl:package-0', 'rapl', 'not-a-gpu'),
    ];
    expect(gpuUuidsOfChannels(channels)).toEqual([
      'GPU-fa4e0000-0000-0000-0000-000000000000',
      'GPU-fa4e0000-0000-0000-0000-000000000001',
    ]);
  });
});

const MACHINE: MachineInventory = {
  hostname: 'node',
  platform: 'linux',
  osRelease: '6.8.0',
  arch: 'x64',
  cpuModel: 'EPYC',
  cpuCores: 8,
  memoryBytes: 1024,
  gpus: [{ vendor: 'nvidia', model: 'NVIDIA GeForce RTX 4090', vramBytes: null }],
  nodeVersion: 'v20.0.0',
  collectedBy: 'test',
};

function newRun(db: ReturnType<typeof openDb>): number {
  return insertRun(db, {
    startedAt: '2026-12-01T20:00:00.000Z',
    backend: 'ollama',
    host: 'http://127.0.0.1:11434',
    model: 'qwen3:8b',
    suiteId: 'triage',
    suiteVersion: '1',
    repeatCount: 1,
    plannedRequests: 1,
    settings: {},
    costbenchVersion: '0.0.0-test',
    pid: 1,
  });
}

describe('storing them with the run machine (migration 0019)', () => {
  it('round-trips sorted and once; a machine without reads back without; a later source only fills in', () => {
    const db = openDb(join(tempDir(), 'u.db'));
    try {
      const a = newRun(db);
      insertMachine(db, a, { ...MACHINE, gpuUuids: [GPU0, GPU1, GPU0] });
      expect(getMachine(db, a)).toEqual({ ...MACHINE, gpuUuids: [GPU1, GPU0] });
      const row = db.prepare('SELECT gpu_uuids_json FROM run_machines WHERE run_id = ?').get(a);
      expect(row).toEqual({ gpu_uuids_json: `["${GPU1}","${GPU0}"]` });
      // NVML's later answer does not overwrite what nvidia-smi recorded at the start.
      setGpuUuids(db, a, ['GPU-fa4e0000-0000-0000-0000-000000000000'], true);
      expect(getMachine(db, a)?.gpuUuids).toEqual([GPU1, GPU0]);

      const b = newRun(db);
      insertMachine(db, b, MACHINE);
      expect(getMachine(db, b)).not.toHaveProperty('gpuUuids');
      setGpuUuids(db, b, [], true);
      expect(getMachine(db, b), 'an empty list records nothing').not.toHaveProperty('gpuUuids');
      setGpuUuids(db, b, [GPU0], true);
      expect(getMachine(db, b)?.gpuUuids).toEqual([GPU0]);
    } finally {
      db.close();
    }
  });
});

/** `from` as a bundle of schema 17 would be: without run_machines.gpu_uuids_json. */
function bundleWithoutUuids(from: string, to: string): void {
  const lines = readBundleFile(from).trimEnd().split('\n');
  const header = JSON.parse(lines[0] ?? '') as {
    schemaVersion: number;
    tables: Record<string, string[]>;
    runs: { sha256: string }[];
  };
  const run = JSON.parse(lines[1] ?? '') as { rows: RunRows };
  const at = header.tables['run_machines']?.indexOf('gpu_uuids_json') ?? -1;
  expect(at, 'the column travels').toBeGreaterThanOrEqual(0);
  header.tables['run_machines'] = (header.tables['run_machines'] ?? []).filter((_, i) => i !== at);
  run.rows['run_machines'] = (run.rows['run_machines'] ?? []).map((r) => r.filter((_, i) => i !== at));
  header.schemaVersion = 17;
  (header.runs[0] ?? { sha256: '' }).sha256 = runDigest(run.rows, header.tables);
  const body = `${JSON.stringify(header)}\n${JSON.stringify(run)}\n`;
  const sha256 = createHash('sha256').update(body).digest('hex');
  writeFileSync(to, gzipSync(`${body}${JSON.stringify({ end: true, runs: 1, sha256 })}\n`));
}

describe('bundles carry the UUIDs', () => {
  it('exports and imports them; a bundle from before 0019 imports without them', async () => {
    const dir = tempDir();
    const runId = fillMachineB(join(dir, 'b.db'));
    const b = openDb(join(dir, 'b.db'));
    setGpuUuids(b, runId, [GPU0]);
    b.close();
    expect((await cli(['export', 'latest', '-o', 'b.costbench.jsonl.gz', '--db', 'b.db'], dir)).code).toBe(0);
    expect((await cli(['import', 'b.costbench.jsonl.gz', '--db', 'c.db'], dir)).code).toBe(0);
    const c = new Database(join(dir, 'c.db'), { readonly: true });
    expect(c.prepare('SELECT gpu_uuids_json FROM run_machines').all()).toEqual([
      { gpu_uuids_json: `["${GPU0}"]` },
    ]);
    c.close();

    bundleWithoutUuids(join(dir, 'b.costbench.jsonl.gz'), join(dir, 'old.costbench.jsonl.gz'));
    const old = await cli(['import', 'old.costbench.jsonl.gz', '--db', 'd.db'], dir);
    expect(old.stdout).toMatch(/: added 1 \(as run 1\)\n$/);
    const d = new Database(join(dir, 'd.db'), { readonly: true });
    expect(d.prepare('SELECT gpu_uuids_json FROM run_machines').all()).toEqual([{ gpu_uuids_json: null }]);
    d.close();
  });
});
