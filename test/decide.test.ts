/**
 * `costbench decide` end to end on a temp database: golden run 1 (local, measured power; 3 of 6
 * answers marked correct) against a remote run (20 answered at 0.0015 USD each, 19 correct, one
 * failed request billed 0.0005 USD) and against golden run 5 (a replay: the API's billed usage).
 * Every figure is checked against the hand computation in its comment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../src/analysis/decide.js';
import { main } from '../src/cli/main.js';
import { insertRemoteRun, makeDecideDb, writeDecideConfig } from './support/decide-fixture.js';
import { makeTempDir } from './support/temp.js';

// Golden run 1's measurements (test/golden/out/run1-cost.json): one level, concurrency 1.
const S_PER_TASK = 0.12296425983333331; // seconds of machine time per task
const J_PER_TASK = 35.341157918698336; // all energy per task (the GPU board channel), overhead x1
const IDLE_W = 287.40999999999997;
// The config (writeDecideConfig): 0.3 USD/kWh, 1500 USD machine bought for the work over 36 months.
const KWH = 0.3;
const HOURS_A_MONTH = 24 * (365.25 / 12); // 730.5
const HARDWARE = 1500 / 36; // 41.6667 a month for the one machine (capacity 21.4M tasks a month)
const IDLE_PER_HOUR = (IDLE_W / 1000) * KWH; // 0.086223 USD an idle hour
const WORK_PER_TASK = (J_PER_TASK / 3.6e6) * KWH; // 2.94510e-6 USD
/** Full local month at V tasks: work electricity + idle hours x idle cost + hardware (engineering 0). */
const localFull = (v: number): number =>
  v * WORK_PER_TASK + (HOURS_A_MONTH - (v * S_PER_TASK) / 3600) * IDLE_PER_HOUR + HARDWARE;
// The API: (20 x 0.0015 + 0.0005) / 20 answered = 0.001525 USD a task; 19/20 = 0.95 correct.
const API_PER_TASK = 0.0305 / 20;

describe('costbench decide', () => {
  const dir = makeTempDir();
  let db = '';
  let config = '';
  let remote = 0;
  let empty = 0;
  beforeAll(() => {
    db = makeDecideDb(dir.path);
    config = writeDecideConfig(dir.path);
    remote = insertRemoteRun(db);
    empty = insertRemoteRun(db, { answered: 0 });
  });
  afterAll(() => dir.remove());

  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io = {
      stdout: (t: string) => void (out += t),
      stderr: (t: string) => void (err += t),
      env: { XDG_DATA_HOME: dir.path, HOME: dir.path },
      cwd: dir.path,
      isTty: false,
    };
    const code = await main([...args, '--db', db, '--config', config], io);
    return { code, out, err };
  }
  async function decide(args: string[]): Promise<Decision> {
    const r = await cli(['decide', ...args, '--format', 'json']);
    expect(r.code, r.err).toBe(0);
    return JSON.parse(r.out) as Decision;
  }

  it('local cheaper per task, the API cheaper per correct task: every figure at 100,000 tasks a month', async () => {
    const d = await decide(['1', String(remote)]);
    expect(d.volume, 'cost.monthlyTasks').toBe(100_000);
    expect(d.suite).toEqual({ local: 'e2e v1', api: 'e2e v1', same: true });
    // localFull(1e5) = 0.294510 + (730.5 - 3.415674) x 0.086223 + 41.666667 = 0.294510 + 62.691392 + 41.666667
    const full = localFull(100_000);
    expect(full, 'hand figure').toBeCloseTo(104.6526, 4);
    expect(d.local.monthly.full, 'local full month').toBeCloseTo(full, 9);
    expect(d.local.perTask.full, 'local full per task: 104.6526 / 100000').toBeCloseTo(full / 100_000, 12);
    expect(d.local.accuracy, '3 / 6').toBe(0.5);
    expect(d.local.perCorrectTask.full, '0.00104653 / 0.5').toBeCloseTo(full / 100_000 / 0.5, 12);
    // Marginal: run 1's energy above idle is 1.4e-14 J a task (float noise of zero): ~0.
    expect(d.local.perTask.marginal, 'local marginal per task').toBeCloseTo(0, 15);
    expect(d.local.p95LatencyMs, "level 1's p95").toBeCloseTo(124.67952774999958, 9);
    expect(d.api.perTask.full, '0.0305 / 20').toBeCloseTo(0.001525, 15);
    expect(d.api.perTask.marginal, 'an API has no fixed costs').toBeCloseTo(0.001525, 15);
    expect(d.api.accuracy, '19 / 20').toBe(0.95);
    expect(d.api.perCorrectTask.full, '0.001525 / 0.95').toBeCloseTo(0.0016052631578947, 15);
    expect(d.api.monthly.full, '0.001525 x 100000').toBeCloseTo(152.5, 9);
    // p95 of 100..2000 ms: position 19 x 0.95 = 18.05, 1900 + 0.05 x 100
    expect(d.api.p95LatencyMs, 'API p95').toBeCloseTo(1905, 9);
    expect(d.cheaperPerTask, '0.00105 < 0.00153; 0 < 0.00153').toEqual({ full: 'local', marginal: 'local' });
    expect(d.cheaperPerCorrectTask, '0.00209 > 0.00161; 0 < 0.00161').toEqual({
      full: 'api',
      marginal: 'local',
    });
    expect(d.unknown).toEqual([]);
    expect(d.verdict).toBe(
      'At 100,000 tasks a month the API is cheaper per correct task: local 0.00209 vs API 0.00161 USD ' +
        '(full view; per task 0.00105 vs 0.00153, accuracy 50% vs 95%). Per task alone local is cheaper; ' +
        'the wrong answers turn it. Per correct task the cheaper option is local from 130,387 tasks a month. ' +
        'Not measured: accuracy rests on 6 local and 20 API scored tasks.',
    );
  });

  it('the flip volumes: local full(V) <= V x price, per task and per correct task (price x accL / accA)', async () => {
    const d = await decide(['1', String(remote)]);
    // One machine up to 21.4M tasks: full(V) = a + b V with a = 730.5 x 0.086223 + 41.666667 = 104.652568
    // and b = 2.94510e-6 - 0.1229643 / 3600 x 0.086223 = 2.94510e-6 - 2.94510e-6 = ~0 (each task's busy
    // time is idle time no longer paid for, and run 1 drew its idle power while working)
    const a = HOURS_A_MONTH * IDLE_PER_HOUR + HARDWARE;
    const b = WORK_PER_TASK - (S_PER_TASK / 3600) * IDLE_PER_HOUR;
    const perTaskFrom = Math.ceil(a / (API_PER_TASK - b)); // 104.652568 / 0.001525 = 68,624.6 -> 68,625
    const effective = (API_PER_TASK * 0.5) / 0.95; // 0.000802632
    const perCorrectFrom = Math.ceil(a / (effective - b)); // 104.652568 / 0.000802632 = 130,386.8 -> 130,387
    expect([perTaskFrom, perCorrectFrom], 'hand figures').toEqual([68_625, 130_387]);
    expect(d.flip.perTask).toEqual({
      kind: 'volume',
      ranges: [{ from: perTaskFrom, until: null }],
      searchedUpTo: 1e9,
      searchLimit: null,
    });
    expect(d.flip.perCorrectTask).toMatchObject({
      kind: 'volume',
      ranges: [{ from: perCorrectFrom, until: null }],
    });
    // Past the flip, local is cheaper per correct task too: (0.589019 + (730.5 - 6.831348) x 0.086223
    // + 41.666667) / 200000 = 0.000523, / 0.5 = 0.00105 <= 0.00161.
    const past = await decide(['1', String(remote), '--volume', '200000']);
    expect(past.cheaperPerCorrectTask.full, `${localFull(200_000) / 200_000 / 0.5} <= 0.0016053`).toBe(
      'local',
    );
    expect(past.verdict).toMatch(
      /^At 200,000 tasks a month local is cheaper per correct task: local 0\.00105 vs API 0\.00161 USD/,
    );
  });

  it('bars: accuracy and p95 latency on each side; a bar the local level misses leaves no verdict', async () => {
    const d = await decide(['1', String(remote), '--min-accuracy', '0.9', '--max-p95-latency', '2000']);
    // local 0.5 < 0.9 fails, 124.7 ms <= 2000 clears; API 0.95 >= 0.9 clears, 1905 <= 2000 clears
    expect(d.bars).toEqual({
      minAccuracy: 0.9,
      maxP95LatencyMs: 2000,
      local: { accuracy: 'fail', latency: 'pass' },
      api: { accuracy: 'pass', latency: 'pass' },
    });
    expect(d.verdict).toContain(
      'Local fails the accuracy bar 90% (50%) and clears the p95 latency bar 2000 ms (125 ms). ' +
        'The API clears the accuracy bar 90% (95%) and clears the p95 latency bar 2000 ms (1905 ms).',
    );
    const tight = await decide(['1', String(remote), '--max-p95-latency', '1000']);
    expect(tight.bars.api.latency, '1905 > 1000').toBe('fail');
    expect(tight.bars.local.latency, '124.7 <= 1000').toBe('pass');
    // 100 ms: no local level meets it, so no capacity, no full view, no verdict.
    const none = await decide(['1', String(remote), '--max-p95-latency', '100']);
    expect(none.bars.local.latency, '124.7 > 100').toBe('fail');
    expect(none.local.perTask.full).toBeNull();
    expect(none.verdict).toBeNull();
    expect(none.unknown[0]).toMatch(/^the local full-view cost/);
  });

  it('a replay as the API side: its billed usage x the price table; accuracy and latency not measured', async () => {
    const d = await decide(['1', '5', '--allow-suite-mismatch']);
    expect(d.suite.same).toBe(false);
    expect(d.api.kind).toBe('replay');
    expect(d.api.model).toBe('gpt-4o-mini');
    // Run 5's 3 references: 1262 prompt tokens (1024 cached), 15 completion; gpt-4o-mini 0.15 / 0.075 / 0.6:
    // ((238 x 0.15 + 1024 x 0.075) / 3 + 5 x 0.6) / 1e6 = (37.5 + 3) / 1e6 = 4.05e-5 USD a task
    expect(d.api.perTask.full, 'replay per task').toBeCloseTo(4.05e-5, 15);
    expect(d.api.monthly.full, '4.05e-5 x 100000').toBeCloseTo(4.05, 12);
    expect(d.api.accuracy).toBeNull();
    expect(d.api.p95LatencyMs, 'a batch has no latency').toBeNull();
    expect(d.cheaperPerTask.full, '0.00105 > 4.05e-5').toBe('api');
    expect(d.cheaperPerCorrectTask.full).toBeNull();
    expect(d.verdict, 'no verdict from an unknown').toBeNull();
    expect(d.unknown).toEqual(["the API's accuracy (a replayed batch file has no expected answers)"]);
    expect(d.notMeasured).toContain("the API's latency (a batch replay has none)");
    const bars = await decide(['1', '5', '--allow-suite-mismatch', '--max-p95-latency', '2000']);
    expect(bars.bars.api.latency, 'not measured is never a pass').toBe('unknown');
  });

  it('table, Markdown and HTML carry the same figures and verdict', async () => {
    const table = await cli(['decide', '1', String(remote)]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/\nper correct task, USD, full view +0\.00209 +0\.00161\n/);
    expect(table.out).toContain('Cheaper per correct task: API (full view), local (marginal view)');
    expect(table.out).toContain(
      'Break-even per correct task (full view): local is cheaper from 130,387 tasks/month',
    );
    const md = await cli(['decide', '1', String(remote), '--format', 'md']);
    expect(md.out).toContain('| per correct task, USD, full view | 0.00209 | 0.00161 |');
    const html = await cli(['decide', '1', String(remote), '--format', 'html']);
    expect(html.out).toContain('<td>per task, USD, full view</td><td>0.00105</td><td>0.00153</td>');
    expect(html.out).toContain('<li class="verdict">Verdict: At 100,000 tasks a month the API is cheaper');
  });

  it('bad input: one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [[String(remote), '1'], /ran against a remote API: it cannot be the local side/],
      [['1', '2'], /run 2 is a local run: the API side must be a remote run/],
      [['1', '5'], /run 1 ran e2e v1, run 5 ran replay-requests v71d291fe0b1d: not the same tasks/],
      [['1', String(empty)], /has no answered request/],
      [['1', String(remote), '--min-accuracy', '1.5'], /--min-accuracy 1.5 is above 1/],
      [['1', String(remote), '--format', 'csv'], /--format csv is not a decide format|csv/],
    ];
    for (const [args, message] of cases) {
      const r = await cli(['decide', ...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(message);
    }
    const missing = await cli(['decide', '1', '99']);
    expect(missing.code, 'no such run').toBe(6);
  });
});
