/**
 * The rate sweep within a p95 TTFT bound, end to end against the fake Ollama: 2 slots, 200 ms of
 * decoding per request, 50 ms of load before the first token. Below its capacity (about 10 tasks/s)
 * a request's TTFT is the load and prompt time; above, its wait in the server's queue adds to it.
 * Timings on this shared machine vary, so the assertions check that each level's verdict follows
 * from its stored rows (the same p95 the report computes) rather than which rate the answer is.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Comparison } from '../src/analysis/compare.js';
import { quantileSorted } from '../src/analysis/stats.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { openDb } from '../src/store/db.js';
import { listRequests } from '../src/store/requests.js';
import { listPhases } from '../src/store/telemetry.js';
import { runCli, type CliResult } from './support/cli.js';
import { useFakeOllamaBench } from './support/e2e.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const TTFT_BOUND_MS = 150;
const LATENCY_BOUND_MS = 5000;

const p95 = (values: number[]): number | null =>
  values.length === 0
    ? null
    : (quantileSorted(
        [...values].sort((a, b) => a - b),
        0.95,
      ) ?? null);

describe('the rate sweep within a p95 TTFT bound (and a loose latency bound)', () => {
  const bench = useFakeOllamaBench({
    genTokensPerS: 1000,
    promptTokensPerS: 1_000_000,
    loadMs: 50,
    numParallel: 2,
    respond: () => Array.from({ length: 200 }, (_, i) => `w${i}`).join(' '),
  });
  const base = ['run', '--suite', SUITE, '--idle', '0', '--json'];
  const db = () => join(bench.path, 'ttft.db');
  let run: CliResult;
  let s: RunSummary;
  beforeAll(async () => {
    const bounds = ['--max-p95-ttft', String(TTFT_BOUND_MS), '--max-p95-latency', String(LATENCY_BOUND_MS)];
    run = await bench.cli(
      [...base, '--rate', '4', '--rate-sweep', ...bounds, '--rate-resolution', '0.1'],
      db(),
    );
    expect(run.code, run.stderr).toBe(0);
    s = JSON.parse(run.stdout) as RunSummary;
  }, 180_000);

  it('stores both bounds with every level, and judges each level by both p95s of its ok requests', () => {
    const handle = openDb(db());
    const phases = listPhases(handle, 1).filter((p) => p.arrivalRatePerS !== undefined);
    const rows = listRequests(handle, 1);
    handle.close();
    expect(phases.length).toBeGreaterThanOrEqual(3);
    expect(phases.map((p) => [p.latencyBoundMs, p.ttftBoundMs])).toEqual(
      phases.map(() => [LATENCY_BOUND_MS, TTFT_BOUND_MS]),
    );
    const held: number[] = [];
    for (const phase of phases) {
      const rate = phase.arrivalRatePerS as number;
      const level = rows.filter((r) => r.arrivalRatePerS === rate);
      const ok = level.filter((r) => r.state === 'ok');
      const ttft = p95(ok.flatMap((r) => (r.ttftMs === null ? [] : [r.ttftMs])));
      const latency = p95(ok.map((r) => r.latencyMs));
      const holds =
        phase.overSaturated !== true &&
        ok.length === level.length &&
        latency !== null &&
        latency <= LATENCY_BOUND_MS &&
        ttft !== null &&
        ttft <= TTFT_BOUND_MS;
      const figures = s.sweep?.levels.find((l) => l.arrivalRatePerS === rate)?.openLoop;
      expect(figures?.withinBound, `${rate}/s`).toBe(holds);
      expect(figures?.ttftBoundMs).toBe(TTFT_BOUND_MS);
      if (holds) held.push(rate);
      // The progress line printed as the level was judged names its p95 TTFT.
      expect(run.stderr).toContain(`${rate}/s: p95 `);
    }
    expect(run.stderr).toMatch(/p95 TTFT \d+ ms, (within|outside) the bound/);
    // 4/s is far below the capacity: no queue, TTFT about 50 ms of load.
    expect(held).toContain(4);
    expect(s.sweep?.rateCapacity?.ratePerS).toBe(Math.max(...held));
    expect(s.sweep?.rateCapacity?.ttftBoundMs).toBe(TTFT_BOUND_MS);
    expect(s.sweep?.rateCapacity?.latencyBoundMs).toBe(LATENCY_BOUND_MS);
    expect(s.sweep?.rateCapacity?.p95TtftMs).toBeLessThanOrEqual(TTFT_BOUND_MS);
    expect(s.cost?.level?.why).toMatch(/^capacity within the latency and TTFT bounds: /);
  });

  it('says in the text, Markdown and HTML reports which bounds the capacity is within', async () => {
    const c = s.sweep?.rateCapacity;
    const line = `Capacity within the latency and TTFT bounds: ${c?.ratePerS} tasks/s (p95 `;
    for (const format of ['table', 'md', 'html']) {
      const report = await runCli(['report', '1', '--format', format, '--db', db()]);
      expect(report.code, report.stderr).toBe(0);
      expect(report.stdout, format).toContain(line);
      expect(report.stdout, format).toContain(`within ${LATENCY_BOUND_MS} ms, p95 TTFT `);
      expect(report.stdout, format).toContain(`within ${TTFT_BOUND_MS} ms`);
    }
  });

  it('the requests CSV carries each request’s offered rate, due time and client queue wait at the end', async () => {
    const csv = await runCli(['report', '1', '--format', 'csv', '--db', db()]);
    expect(csv.code, csv.stderr).toBe(0);
    const handle = openDb(db());
    const rows = listRequests(handle, 1);
    handle.close();
    // Answers are plain words (no commas or quotes): a record is its line split on commas.
    const [header, ...records] = csv.stdout
      .trimEnd()
      .split('\r\n')
      .map((l) => l.split(','));
    const col = (name: string) => header?.indexOf(name) ?? -1;
    expect(header?.slice(-4)).toEqual([
      'arrival_rate_per_s',
      'scheduled_offset_ms',
      'client_queue_wait_ms',
      'context_depth_tokens',
    ]);
    expect(records).toHaveLength(rows.length);
    for (const [i, r] of rows.entries()) {
      const record = records[i] ?? [];
      const cell = (name: string) => record[col(name)];
      expect(cell('arrival_rate_per_s')).toBe(
        r.arrivalRatePerS === undefined ? '' : String(r.arrivalRatePerS),
      );
      expect(cell('scheduled_offset_ms')).toBe(
        r.scheduledOffsetMs === undefined ? '' : String(r.scheduledOffsetMs),
      );
      const wait =
        r.scheduledOffsetMs === undefined ? '' : String(Math.max(0, r.startOffsetMs - r.scheduledOffsetMs));
      expect(cell('client_queue_wait_ms')).toBe(wait);
      expect(cell('context_depth_tokens')).toBe('');
    }
  });

  it('compare names the bounds and shows each run’s', async () => {
    const other = await bench.cli([...base, '--rate-sweep', '--rate', '4', '--max-p95-latency', '300'], db());
    expect(other.code, other.stderr).toBe(0);
    const compared = await runCli(['compare', '1', '2', '--format', 'json', '--db', db()]);
    expect(compared.code, compared.stderr).toBe(0);
    const figures = (JSON.parse(compared.stdout) as Comparison).figures;
    const value = (key: string) => figures.find((f) => f.key === key)?.values.map((v) => v.value);
    // Run 1: latency and TTFT bounds; run 2: the latency bound alone.
    expect(figures.find((f) => f.key === 'rateCapacityPerS')?.label).toBe(
      "capacity within each run's bounds",
    );
    expect(value('rateCapacityLatencyBoundMs')).toEqual([LATENCY_BOUND_MS, 300]);
    expect(value('rateCapacityTtftBoundMs')).toEqual([TTFT_BOUND_MS, null]);
    const text = await runCli(['compare', '1', '2', '--db', db()]);
    expect(text.stdout).toContain("capacity within each run's bounds");
    expect(text.stdout).toContain('its p95 TTFT bound');
  }, 120_000);
});

describe('bad --max-p95-ttft input: one line, exit 2, before any run is stored', () => {
  const bench = useFakeOllamaBench({ genTokensPerS: 1000, promptTokensPerS: 1_000_000 });
  const base = ['run', '--suite', SUITE, '--idle', '0'];

  it.each([
    ['-5', 'run.maxP95TtftMs = -5 (from flag --max-p95-ttft): expected a value > 0'],
    ['0', 'run.maxP95TtftMs = 0 (from flag --max-p95-ttft): expected a value > 0'],
    ['soon', 'run.maxP95TtftMs = "soon" (from flag --max-p95-ttft): expected number'],
  ])('%s', async (value, message) => {
    const r = await bench.cli(
      [...base, '--rate-sweep', `--max-p95-ttft=${value}`],
      join(bench.path, 'bad.db'),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`costbench: config: ${message}`);
  });

  it('without --rate-sweep', async () => {
    const path = join(bench.path, 'lone.db');
    const r = await bench.cli([...base, '--rate', '2', '--max-p95-ttft', '300'], path);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      "costbench: --max-p95-ttft is the rate sweep's bound, and this run has no --rate-sweep",
    );
    const handle = openDb(path);
    expect(handle.prepare('SELECT count(*) AS n FROM runs').get()).toEqual({ n: 0 });
    handle.close();
  });
});
