import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { openDb, type Db } from '../../src/store/db.js';
import { insertEngine } from '../../src/store/engine.js';
import { insertMachine } from '../../src/store/inventory.js';
import { insertLoopLag } from '../../src/store/loop-lag.js';
import { insertRequest } from '../../src/store/requests.js';
import { finishRun, insertRun } from '../../src/store/runs.js';
import { insertChannel, insertPhase, insertTelemetryBatch } from '../../src/store/telemetry.js';
import { BUNDLE_TABLES } from '../../src/store/bundle-tables.js';
import { okRequestRow } from './request-row.js';

/**
 * "Machine A": the five golden runs (test/golden/runs.sql, host "vm": real runs with power,
 * sweeps, a resume, a replay), migrated to this build's schema on open.
 */
export function fillMachineA(path: string): void {
  const sqlite = new Database(path);
  sqlite.exec(readFileSync(join(import.meta.dirname, '..', 'golden', 'runs.sql'), 'utf8'));
  sqlite.close();
  openDb(path).close();
}

/**
 * "Machine B" (host "gpu-server"), through the store API: one embedded-engine run with 2 requests,
 * 1 channel with 3 samples, 1 telemetry error and 1 measure phase. Returns its run id.
 */
export function fillMachineB(path: string): number {
  const db = openDb(path);
  try {
    const runId = insertRun(db, {
      startedAt: '2026-12-01T20:00:00.000Z',
      backend: 'llama-cpp',
      host: 'embedded',
      model: 'qwen.gguf',
      suiteId: 'triage-basic',
      suiteVersion: '1',
      repeatCount: 1,
      plannedRequests: 2,
      settings: { note: 'machine B' },
      costbenchVersion: '0.0.0-test',
      pid: 4242,
    });
    insertMachine(db, runId, {
      hostname: 'gpu-server',
      platform: 'linux',
      osRelease: '6.8.0',
      arch: 'x64',
      cpuModel: 'EPYC 9654',
      cpuCores: 96,
      memoryBytes: 1_099_511_627_776,
      gpus: [{ vendor: 'nvidia', model: 'H200', vramBytes: 150_000_000_000 }],
      nodeVersion: 'v20.0.0',
      collectedBy: 'test',
    });
    insertLoopLag(db, runId, {
      levelKey: '1',
      concurrency: 1,
      p50Ms: 0.25,
      p99Ms: 1.5,
      maxMs: 3,
      samples: 42,
    });
    insertEngine(db, runId, {
      engine: 'node-llama-cpp 3.21.1',
      llamaCppRelease: 'b1',
      computeBackend: 'cuda',
      devices: ['H200'],
      threads: 8,
      gpuLayers: 28,
      totalLayers: 28,
      contextSize: 4096,
      batchSize: 512,
      sequences: 1,
      flashAttention: 'auto',
      kvCacheType: 'f16',
      mmap: true,
      chatTemplate: 'chatml',
      engineStartMs: 100,
      modelLoadMs: 900,
      contextMs: 20,
      primeMs: 5,
    });
    insertRequest(db, runId, okRequestRow({ seq: 0, taskId: 'a' }));
    insertRequest(db, runId, okRequestRow({ seq: 1, taskId: 'b', startOffsetMs: 1000 }));
    const channel = {
      key: 'nvidia:0',
      source: 'nvidia',
      device: 'H200',
      kind: 'sampled',
      covers: 'gpu',
    } as const;
    const channelId = insertChannel(db, runId, { ...channel, detail: {} }, true, 100);
    const sample = (tMs: number, powerW: number) => ({
      channelKey: 'nvidia:0',
      tMs,
      powerW,
      energyJ: null,
      utilizationPct: 90,
      memoryUsedBytes: null,
      clockMhz: null,
      temperatureC: 60,
    });
    insertTelemetryBatch(
      db,
      runId,
      new Map([['nvidia:0', channelId]]),
      0,
      [sample(0, 300), sample(1000, 650.5), sample(2000, 640.25)],
      [{ source: 'nvidia', tMs: 1500, channelKey: 'nvidia:0', message: 'N/A' }],
    );
    insertPhase(db, runId, { name: 'measure', concurrency: 1, startMs: 0, endMs: 2000 });
    finishRun(db, runId, 'completed', '2026-12-01T20:00:02.000Z', null);
    return runId;
  } finally {
    db.close();
  }
}

/** Every bundle table's row count. */
export function tableCounts(path: string): Record<string, number> {
  const db: Db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(
      BUNDLE_TABLES.map((t) => [
        t.name,
        (db.prepare(`SELECT count(*) AS n FROM ${t.name}`).get() as { n: number }).n,
      ]),
    );
  } finally {
    db.close();
  }
}

/** Runs the CLI in this process. */
export async function cli(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: (t: string) => void (stdout += t),
    stderr: (t: string) => void (stderr += t),
    env: { XDG_DATA_HOME: cwd, HOME: cwd },
    cwd,
    isTty: false,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
