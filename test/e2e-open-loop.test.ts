/**
 * Open-loop load against the fake Ollama with a known service time: 2 slots, 200 output tokens at
 * 1000 tok/s each (200 ms of decoding; prompt evaluation at 1e6 tok/s is negligible), so the server
 * finishes at most 2 / 0.2 s = 10 tasks/s. Timings on this shared machine add client overhead, so
 * the assertions use the server's own ground truth (its queue wait) or state their tolerance.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../src/analysis/compare.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { openDb } from '../src/store/db.js';
import { listRequests } from '../src/store/requests.js';
import { listPhases } from '../src/store/telemetry.js';
import { runCli, type CliResult } from './support/cli.js';
import { useFakeOllamaBench } from './support/e2e.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const SLOTS = 2;
const ANSWER_TOKENS = 200;
const GEN_TOKENS_PER_S = 1000;

function summaryOf(run: CliResult): RunSummary {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as RunSummary;
}

describe('open-loop load against a server with 2 slots and 200 ms of service', () => {
  const bench = useFakeOllamaBench({
    genTokensPerS: GEN_TOKENS_PER_S,
    promptTokensPerS: 1_000_000,
    loadMs: 50,
    numParallel: SLOTS,
    respond: () => Array.from({ length: ANSWER_TOKENS }, (_, i) => `w${i}`).join(' '),
  });
  const base = ['run', '--suite', SUITE, '--idle', '0', '--json'];

  describe('below capacity: 4 tasks/s, constant', () => {
    let run: CliResult;
    beforeAll(async () => {
      run = await bench.cli([...base, '--rate', '4'], join(bench.path, 'below.db'));
    }, 60_000);

    it('starts 21 requests on schedule (7 passes of the 3 tasks: at least 20) and none waits in the server', () => {
      const s = summaryOf(run);
      const open = s.sweep?.levels.find((l) => l.arrivalRatePerS === 4);
      expect(open?.ok).toBe(21);
      expect(open?.openLoop?.offeredRatePerS).toBe(4);
      // D/D/2: an arrival every 250 ms, each served in 200 ms: a request would wait only if three
      // overlapped (one lasting over 500 ms): the server's own queue wait is 0 for every request.
      const measured = bench.server.requests.slice(-21);
      expect(measured.map((r) => r.queueWaitNs)).toEqual(Array.from({ length: 21 }, () => 0));
      // The rows: every one has its rate and when it was due, 250 ms apart.
      const db = openDb(join(bench.path, 'below.db'));
      const rows = listRequests(db, 1).filter((r) => r.arrivalRatePerS === 4);
      const due = rows.map((r) => r.scheduledOffsetMs ?? NaN).sort((a, b) => a - b);
      expect(due[20]! - due[0]!).toBeCloseTo(20 * 250, 6);
      db.close();
    });
  });

  describe('far above capacity: 40 tasks/s for at least 3 s', () => {
    let run: CliResult;
    beforeAll(async () => {
      run = await bench.cli([...base, '--rate', '40', '--min-duration', '3'], join(bench.path, 'above.db'));
    }, 60_000);

    it('stops the level early, over-saturated, and says so', () => {
      const s = summaryOf(run);
      const open = s.sweep?.levels.find((l) => l.arrivalRatePerS === 40);
      // 40 x 3 s = 120 planned; the backlog grows by 40 - 10 = 30 a second (3/4 of each arrival),
      // so 20 arrivals after the first completion show it (growth >= 5): far fewer than 120 are sent.
      expect(open?.openLoop?.overSaturated).toBe(true);
      expect((open?.ok ?? 0) + (open?.failed ?? 0)).toBeLessThan(60);
      const db = openDb(join(bench.path, 'above.db'));
      expect(listPhases(db, 1).find((p) => p.arrivalRatePerS === 40)?.overSaturated).toBe(true);
      db.close();
      // The server queued them: the last requests waited in its queue (ground truth, not our clock).
      const waited = bench.server.requests.slice(-5).map((r) => r.queueWaitNs);
      expect(Math.min(...waited)).toBeGreaterThan(0);
    });
  });

  describe('Poisson arrivals with a seed', () => {
    const gaps = (file: string): number[] => {
      const db = openDb(join(bench.path, file));
      const due = listRequests(db, 1)
        .filter((r) => r.arrivalRatePerS !== undefined)
        .map((r) => r.scheduledOffsetMs ?? NaN)
        .sort((a, b) => a - b);
      db.close();
      return due.map((d) => d - (due[0] ?? 0));
    };

    it('are the same schedule in two runs with the same seed', async () => {
      const args = [...base, '--rate', '5', '--arrival', 'poisson', '--arrival-seed', '3'];
      summaryOf(await bench.cli(args, join(bench.path, 'p1.db')));
      summaryOf(await bench.cli(args, join(bench.path, 'p2.db')));
      const [a, b] = [gaps('p1.db'), gaps('p2.db')];
      expect(a).toHaveLength(21);
      for (const [i, x] of a.entries()) expect(b[i]).toBeCloseTo(x, 6);
    }, 60_000);
  });

  describe('rate sweep within a p95 bound of 300 ms', () => {
    let s: RunSummary;
    beforeAll(async () => {
      const args = [...base, '--rate-sweep', '--max-p95-latency', '300', '--rate-resolution', '0.05'];
      s = summaryOf(await bench.cli(args, join(bench.path, 'sweep.db')));
    }, 120_000);

    it('finds the capacity the slots and service time give, and the cost uses it', () => {
      // Capacity: 2 slots / the measured one-at-a-time latency (200 ms of decoding + client overhead).
      // Below it, constant arrivals never queue (latency = service time, under the 300 ms bound);
      // above it, the backlog grows through the level's 21 requests: at 1.06x the capacity the 20th
      // waits 19 x (1/c - 1/1.06c) = 19 x 0.2 s / 2 x 0.057 = 0.11 s more, over the bound. So the
      // answer is within [capacity x (1 - resolution 0.05), capacity x 1.06]; on this shared machine
      // the service time varies from level to level, so we allow 15% either side.
      const closed = s.sweep?.levels.find((l) => l.arrivalRatePerS === undefined);
      const capacity = SLOTS / ((closed?.latencyMs?.median ?? NaN) / 1000);
      const answer = s.sweep?.rateCapacity?.ratePerS ?? NaN;
      expect(answer).toBeGreaterThan(capacity * 0.85);
      expect(answer).toBeLessThan(capacity * 1.15);
      expect(s.sweep?.rateCapacity?.latencyBoundMs).toBe(300);
      expect(s.cost?.level?.arrivalRatePerS).toBe(answer);
      expect(s.cost?.level?.tasksPerS).toBe(answer);
      expect(s.cost?.level?.why).toMatch(/^capacity within the latency bound: /);
      // seconds per task = 1 / the rate.
      expect(s.cost?.perTask.seconds).toBeCloseTo(1 / answer, 9);
    });

    it('shows the open-loop table and the capacity in the text, Markdown and HTML reports', async () => {
      const db = join(bench.path, 'sweep.db');
      const capacity = `Capacity within the latency bound: ${s.sweep?.rateCapacity?.ratePerS} tasks/s`;
      for (const format of ['table', 'md', 'html']) {
        const report = await runCli(['report', '1', '--format', format, '--db', db]);
        expect(report.code, report.stderr).toBe(0);
        expect(report.stdout, format).toContain(capacity);
        expect(report.stdout, format).toMatch(/Open loop/);
      }
    });

    it('compares the capacity within the bound with another run', async () => {
      const db = join(bench.path, 'sweep.db');
      expect((await bench.cli([...base, '--rate', '4'], db)).code).toBe(0);
      const compared = await runCli(['compare', '1', '2', '--format', 'json', '--db', db]);
      expect(compared.code, compared.stderr).toBe(0);
      const figures = (JSON.parse(compared.stdout) as Comparison).figures;
      const capacity = figures.find((f) => f.key === 'rateCapacityPerS');
      // Run 2 had one rate and no bound: no capacity within a bound.
      expect(capacity?.values.map((v) => v.value)).toEqual([s.sweep?.rateCapacity?.ratePerS, null]);
      expect(capacity?.label).toBe('capacity within the latency bound');
    }, 60_000);
  });
});
