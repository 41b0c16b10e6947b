import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeFleet, type Fleet } from '../src/analysis/fleet.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { main } from '../src/cli/main.js';
import { makeTempDir } from './support/temp.js';

/** A summary with the fields the fleet reads; money in EUR at 10,000 tasks a month. */
function summary(
  id: number,
  hostname: string,
  gpu: string,
  figures: { full: number | null; accuracy: number | null; finishedAt?: string; model?: string },
): RunSummary {
  const scored = figures.accuracy === null ? 0 : 10;
  return {
    run: {
      id,
      status: 'completed',
      model: figures.model ?? 'qwen3:8b',
      suiteId: 'triage',
      suiteVersion: '1',
      backend: 'ollama',
      startedAt: '2026-12-01T00:00:00.000Z',
      finishedAt: figures.finishedAt ?? '2026-12-01T01:00:00.000Z',
    },
    machine: {
      hostname,
      cpuModel: 'EPYC',
      gpus: [{ vendor: 'nvidia', model: gpu, vramBytes: 24 * 2 ** 30 }],
    },
    energy: null,
    generationTokensPerSOverall: 50,
    promptTokensPerS: { median: 900 },
    sweep: null,
    quality: figures.accuracy === null ? null : { scored, accuracy: figures.accuracy },
    cost: {
      currency: 'EUR',
      volume: 10_000,
      perTask: { totalJ: 100, marginalJ: 60 },
      capacityPerMachinePerMonth: 1_000_000,
      apis: [],
      local: {
        fullPerTask: figures.full,
        marginalPerTask: 0.001,
        fullPerCorrectTask:
          figures.full === null || figures.accuracy === null ? null : figures.full / figures.accuracy,
      },
    },
  } as unknown as RunSummary;
}

describe('the fleet of machine x model pairs', () => {
  it('takes the newest run of each pair, orders by full cost per task, and names the cheapest per correct task', () => {
    const fleet = computeFleet('triage', [
      summary(1, 'a', 'NVIDIA L4', { full: 0.01, accuracy: 0.5, finishedAt: '2026-11-01T00:00:00.000Z' }),
      // Newer run of the same pair: replaces run 1.
      summary(4, 'a', 'NVIDIA L4', { full: 0.008, accuracy: 0.5 }),
      summary(2, 'b', 'NVIDIA RTX 4090', { full: 0.012, accuracy: 0.9 }),
      summary(3, 'c', 'NVIDIA A100', { full: null, accuracy: 0.95 }),
    ]);
    expect(fleet.entries.map((e) => [e.machine.hostname, e.runId, e.fullPerTask])).toEqual([
      ['a', 4, 0.008],
      ['b', 2, 0.012],
      ['c', 3, null],
    ]);
    // Per correct task: a 0.008 / 0.5 = 0.016, b 0.012 / 0.9 = 0.013333…: b is cheaper, though dearer per task.
    expect(fleet.cheapest).toEqual({ index: 1, basis: 'per correct task', value: 0.012 / 0.9 });
    expect(fleet.entries[0]?.machine).toEqual({
      hostname: 'a',
      machineIdSha256: null,
      gpus: ['NVIDIA L4 24 GiB'],
      cpu: 'EPYC',
    });
    expect(fleet.volume).toBe(10_000);
    expect(fleet.currency).toBe('EUR');
    expect(fleet.warnings).toEqual([]);
  });

  it('falls back to per task when some run was not scored, and says so', () => {
    const fleet = computeFleet('triage', [
      summary(1, 'a', 'NVIDIA L4', { full: 0.008, accuracy: 0.5 }),
      summary(2, 'b', 'NVIDIA RTX 4090', { full: 0.012, accuracy: null }),
    ]);
    expect(fleet.cheapest).toEqual({ index: 0, basis: 'per task', value: 0.008 });
    expect(fleet.warnings).toEqual([
      'some runs were not scored: the cheapest is chosen per task, not per correct task',
    ]);
  });

  it('tells two boxes of one name apart by their machine ids, and keeps a renamed box one machine', () => {
    const withId = (
      id: number,
      host: string,
      machineId: string,
      full: number,
      finishedAt?: string,
    ): RunSummary => {
      const s = summary(id, host, 'NVIDIA L4', {
        full,
        accuracy: null,
        ...(finishedAt === undefined ? {} : { finishedAt }),
      });
      return { ...s, machine: { ...s.machine, machineIdSha256: machineId } } as RunSummary;
    };
    const fleet = computeFleet('triage', [
      withId(1, 'node', 'aaa', 0.01),
      withId(2, 'node', 'bbb', 0.02),
      // Box aaa renamed: still one machine, its newest run (3) counts.
      withId(3, 'node-renamed', 'aaa', 0.015, '2026-12-01T05:00:00.000Z'),
    ]);
    expect(fleet.entries.map((e) => [e.runId, e.machine.hostname, e.machine.machineIdSha256])).toEqual([
      [3, 'node-renamed', 'aaa'],
      [2, 'node', 'bbb'],
    ]);
  });

  it('tells two hosts of one name apart by their GPUs, and two models on one host apart', () => {
    const fleet = computeFleet('triage', [
      summary(1, 'node', 'NVIDIA L4', { full: 0.01, accuracy: null }),
      summary(2, 'node', 'NVIDIA A100', { full: 0.02, accuracy: null }),
      summary(3, 'node', 'NVIDIA L4', { full: 0.03, accuracy: null, model: 'llama3.2' }),
    ]);
    expect(fleet.entries.map((e) => e.runId)).toEqual([1, 2, 3]);
  });
});

describe('costbench fleet over stored runs', () => {
  const dir = makeTempDir();
  const db = join(dir.path, 'fleet.db');
  const config = join(dir.path, 'costbench.config.json');
  beforeAll(() => {
    const sqlite = new Database(db);
    sqlite.exec(readFileSync(join(import.meta.dirname, 'golden', 'runs.sql'), 'utf8'));
    // Runs 1 and 2 (llama3.2, suite e2e, with power) on two machines; 3 and 4 in another suite.
    sqlite.exec(`UPDATE run_machines SET hostname = 'box-b' WHERE run_id = 2`);
    sqlite.exec(`UPDATE runs SET suite_id = 'other' WHERE id IN (3, 4)`);
    sqlite.close();
    writeFileSync(
      config,
      JSON.stringify({
        cost: {
          electricityPerKwh: 0.3,
          hardware: { purchasePrice: 1500, alreadyOwnedIdle: false },
          engineering: { setupHours: 0, maintenanceHoursPerMonth: 0, hourlyRate: 0 },
          compareWith: ['gpt-4o-mini'],
        },
      }),
    );
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
    const code = await main([...args, '--db', db, '--config', config], io);
    return { code, stdout, stderr };
  }

  it('sets each machine beside the other with the figures `costbench cost` gives for its run', async () => {
    const { code, stdout, stderr } = await cli([
      'fleet',
      '--suite',
      'e2e',
      '--volume',
      '20000',
      '--format',
      'json',
    ]);
    expect(code, stderr).toBe(0);
    const fleet = JSON.parse(stdout) as Fleet;
    // Ordered by full cost per task; here by run id, to name both.
    expect(fleet.entries.map((e) => [e.runId, e.machine.hostname]).sort()).toEqual([
      [1, 'vm'],
      [2, 'box-b'],
    ]);
    for (const entry of fleet.entries) {
      const cost = JSON.parse(
        (await cli(['cost', String(entry.runId), '--volume', '20000', '--format', 'json'])).stdout,
      ) as {
        cost: { local: { fullPerTask: number; marginalPerTask: number }; capacityPerMachinePerMonth: number };
      };
      expect(entry.fullPerTask).toBe(cost.cost.local.fullPerTask);
      expect(entry.marginalPerTask).toBe(cost.cost.local.marginalPerTask);
      expect(entry.capacityPerMonth).toBe(cost.cost.capacityPerMachinePerMonth);
    }
    expect(fleet.volume).toBe(20_000);
    const cheapest = fleet.entries[fleet.cheapest?.index ?? -1];
    // Not scored (the golden suite has no expected answers): the lowest full cost per task.
    expect(fleet.cheapest?.basis).toBe('per task');
    expect(cheapest?.fullPerTask).toBe(Math.min(...fleet.entries.map((e) => e.fullPerTask ?? Infinity)));
  });

  it('prints a table, Markdown and an HTML page with its chart and no script', async () => {
    const table = (await cli(['fleet', '--suite', 'e2e'])).stdout;
    expect(table).toContain('Fleet · suite e2e · 2 machine × model pairs · cost at 10,000 tasks/month');
    expect(table).toMatch(/Cheapest at this volume: .* × llama3\.2:latest, .* USD per task \(full view\)\./);
    const md = (await cli(['fleet', '--suite', 'e2e', '--format', 'md'])).stdout;
    expect(md).toContain('| machine | model | run |');
    const html = (await cli(['fleet', '--suite', 'e2e', '--format', 'html'])).stdout;
    expect(html).toContain('<svg role="img" aria-label="Full cost per task (USD)"');
    expect(html).not.toContain('<script');
    expect(html).toContain('content="default-src &#39;none&#39;; style-src &#39;sha256-');
  });

  it('says which suites there are when none is named and several have runs', async () => {
    const { code, stderr } = await cli(['fleet']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'costbench: several suites have runs: say which one with --suite\n  hint: Suites with runs: e2e (2 runs), other (2 runs), replay-requests (1 run).\n',
    );
    const missing = await cli(['fleet', '--suite', 'nope']);
    expect(missing.code).toBe(6);
    expect(missing.stderr).toContain('no finished runs of suite "nope" in this database');
  });
});
