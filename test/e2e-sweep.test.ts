import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli, type CliResult } from './support/cli.js';
import { useFakeOllamaBench } from './support/e2e.js';
import { startFakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const NUM_PARALLEL = 4;
const ANSWER_TOKENS = 200;
const GEN_TOKENS_PER_S = 1000; // 0.2 s of decoding per request: the client round trip between requests stays small beside it

describe('concurrency sweep against a server with 4 parallel slots', () => {
  const bench = useFakeOllamaBench({
    genTokensPerS: GEN_TOKENS_PER_S,
    promptTokensPerS: 1_000_000,
    loadMs: 100,
    numParallel: NUM_PARALLEL,
    respond: () => Array.from({ length: ANSWER_TOKENS }, (_, i) => `w${i}`).join(' '),
  });
  let run: CliResult;

  beforeAll(async () => {
    run = await bench.cli(
      [
        'run',
        '--suite',
        SUITE,
        '--repeat',
        '4',
        '--concurrency',
        '1,2,4,8',
        '--cold-start',
        '--idle',
        '0',
        '--json',
      ],
      join(bench.path, 's.db'),
    );
  }, 60_000);

  it('runs the suite once per level', () => {
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary.sweep?.levels.map((l) => [l.concurrency, l.ok])).toEqual([
      [1, 12],
      [2, 12],
      [4, 12],
      [8, 12],
    ]);
    expect(summary.requests.planned).toBe(48);
  });

  it("measures throughput within 5% of the server's own ground truth at each level", () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    const generating = bench.server.requests.filter((r) => r.doneReason === 'stop');
    expect(generating).toHaveLength(48);
    for (const [i, level] of (summary.sweep?.levels ?? []).entries()) {
      const records = generating.slice(i * 12, (i + 1) * 12);
      const spanMs =
        Math.max(...records.map((r) => r.doneAtMs ?? 0)) - Math.min(...records.map((r) => r.receivedAtMs));
      const serverTasksPerS = (records.length / spanMs) * 1000;
      expect(Math.abs(level.tasksPerS / serverTasksPerS - 1), `level ${level.concurrency}`).toBeLessThan(
        0.05,
      );
    }
  });

  it("sees the gain stop at the server's parallelism, and the queueing beyond it", () => {
    const sweep = (JSON.parse(run.stdout) as RunSummary).sweep;
    const [one, two, four, eight] = sweep?.levels ?? [];
    expect((two?.tasksPerS ?? 0) / (one?.tasksPerS ?? 1), '2 slots: about twice').toBeGreaterThan(1.8);
    expect((four?.tasksPerS ?? 0) / (one?.tasksPerS ?? 1), '4 slots: about 4x').toBeGreaterThan(3.4);
    expect(eight?.saturated, '8 in flight on 4 slots gains nothing').toBe(true);
    expect(sweep?.best).toBe(4);
    expect(sweep?.flags.some((f) => f.startsWith("concurrency 8: requests waited in Ollama's queue"))).toBe(
      true,
    );
  });

  it('unloads first, so the warm-up is a cold load', () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary.warmup?.alreadyLoaded).toBe(false);
    expect(summary.warmup?.latencyMs ?? 0).toBeGreaterThanOrEqual(100);
    expect(bench.server.requests.some((r) => r.doneReason === 'unload')).toBe(true);
  });
});

describe('--min-duration', () => {
  it('repeats whole passes until the level has run long enough, and counts them as planned', async () => {
    const dir = makeTempDir();
    const server = await startFakeOllama({
      genTokensPerS: 1000,
      promptTokensPerS: 1_000_000,
      loadMs: 10,
      respond: () => Array.from({ length: 100 }, (_, i) => `w${i}`).join(' '),
    });
    try {
      const result = await runCli(
        [
          'run',
          '--suite',
          SUITE,
          '--min-duration',
          '1',
          '--idle',
          '0',
          '--json',
          '--host',
          server.url,
          '--db',
          join(dir.path, 'm.db'),
        ],
        { XDG_DATA_HOME: dir.path },
      );
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as RunSummary;
      const level = summary.sweep?.levels[0];
      expect(level?.durationMs ?? 0, 'the level ran at least 1 s').toBeGreaterThanOrEqual(1000);
      expect((level?.ok ?? 0) % 3, 'whole passes of the 3-task suite').toBe(0);
      expect(level?.ok ?? 0).toBeGreaterThanOrEqual(6);
      expect(summary.requests.planned).toBe(level?.ok);
      expect(summary.requests.notRun).toBe(0);
    } finally {
      await server.close();
      dir.remove();
    }
  });
});
