/**
 * computeDecision (pure) on round numbers: the local side is the estimate-range run
 * (test/support/estimate-range-run.ts: 1 s a task, 300 J at CPU TDP 50 W, 450 J at 200 W, fixed costs
 * 10 USD a month, electricity 1 USD/kWh) with 8 of 10 answers correct; the API side a remote run of
 * 10 answers billed 0.0002 USD each, 9 correct, 500 ms each.
 */
import { describe, expect, it } from 'vitest';
import { computeDecision, type DecideOptions } from '../src/analysis/decide.js';
import { computeRemoteBilling } from '../src/analysis/remote-billing.js';
import { computeRunSummary, type RunSummary } from '../src/analysis/summary.js';
import { REMOTE_PRICE } from './support/decide-fixture.js';
import { RANGE_REQUESTS, RANGE_RUN, rangeCostConfig, rangeEnergy } from './support/estimate-range-run.js';
import { okRequestRow } from './support/request-row.js';

function localRun(correct: number | null): RunSummary {
  const rows = RANGE_REQUESTS.map((r, i) =>
    correct === null ? r : { ...r, score: i < correct ? 1 : 0, correct: i < correct },
  );
  return computeRunSummary(RANGE_RUN, rows, null, null, null, rangeEnergy(), [], 10_000);
}

function apiRun(correct: number): RunSummary {
  const run = { ...RANGE_RUN, id: 8, remote: REMOTE_PRICE };
  const rows = Array.from({ length: 10 }, (_, i) =>
    okRequestRow({
      seq: i,
      latencyMs: 500,
      costUsd: 0.0002,
      score: i < correct ? 1 : 0,
      correct: i < correct,
    }),
  );
  const base = computeRunSummary(run, rows, null, null, null);
  return { ...base, remote: computeRemoteBilling(REMOTE_PRICE, rows, correct / 10) };
}

const options = (over: Partial<DecideOptions> = {}): DecideOptions => ({
  cost: rangeCostConfig(),
  volume: 100_000,
  prices: [],
  minAccuracy: null,
  maxP95LatencyMs: null,
  ...over,
});

describe('computeDecision with an estimated energy range: a verdict only where both ends agree', () => {
  it('at 100,000: the API per correct task at both ends; per task the ends disagree', () => {
    const d = computeDecision(localRun(8), apiRun(9), options());
    // Full month 10 + V x J / 3.6e6: low (10 + 8.333) / 1e5 = 0.000183, high (10 + 12.5) / 1e5 = 0.000225
    expect(d.localRange?.fullPerTask.low, 'low end').toBeCloseTo(0.000183333, 9);
    expect(d.localRange?.fullPerTask.high, 'high end').toBeCloseTo(0.000225, 12);
    // / 0.8 correct: 0.000229167 and 0.00028125, against the API's 0.0002 / 0.9 = 0.000222222
    expect(d.localRange?.fullPerCorrectTask.low).toBeCloseTo(0.000229167, 9);
    expect(d.localRange?.fullPerCorrectTask.high).toBeCloseTo(0.00028125, 12);
    expect(d.api.perCorrectTask.full).toBeCloseTo(0.000222222, 9);
    expect(d.cheaperPerCorrectTask.full, 'API at both ends').toBe('api');
    expect(d.cheaperPerTask.full, '0.000183 < 0.0002 < 0.000225: depends').toBeNull();
    expect(d.verdict).toMatch(
      /^At 100,000 tasks a month the API is cheaper per correct task: local ~0\.000229–0\.000281 vs API 0\.000222 USD/,
    );
    expect(d.notMeasured).toContain('local energy is an estimate (CPU TDP x load), not a measurement');
    expect(d.verdict).toContain(
      'Per correct task, which option is cheaper depends on the estimated power: at its low end local from 105,883 tasks a month; at its high end local from 189,474 tasks a month.',
    );
  });

  it('the flip per correct task at each end: price 0.0002 x 0.8 / 0.9 = 0.000177778', () => {
    const d = computeDecision(localRun(8), apiRun(9), options());
    // low: 10 / (0.000177778 - 0.0000833333) = 105,882.4 -> 105,883; high: 10 / (0.000177778 - 0.000125) = 189,473.7 -> 189,474
    expect(d.flip.perCorrectTask).toMatchObject({
      kind: 'depends',
      atLowPower: { kind: 'volume', ranges: [{ from: 105_883, until: null }] },
      atHighPower: { kind: 'volume', ranges: [{ from: 189_474, until: null }] },
    });
    // per task at 0.0002: low 10 / 0.000116667 = 85,714.3 -> 85,715; high 10 / 0.000075 = 133,333.3 -> 133,334
    expect(d.flip.perTask).toMatchObject({
      kind: 'depends',
      atLowPower: { ranges: [{ from: 85_715 }] },
      atHighPower: { ranges: [{ from: 133_334 }] },
    });
  });

  it('between the ends (150,000) no verdict, and it says why; past both (1,000,000) local', () => {
    // 150,000: low (10 + 12.5) / 150000 / 0.8 = 0.0001875 < 0.000222 < high (10 + 18.75) / 150000 / 0.8 = 0.000240
    // (0.0001875 is 0.000187499… in binary: three figures 0.000187)
    const mid = computeDecision(localRun(8), apiRun(9), options({ volume: 150_000 }));
    expect(mid.verdict).toBeNull();
    expect(mid.unknown).toEqual([
      "which side is cheaper per correct task: it depends on the CPU's real power (local ~0.000187–0.00024 USD at CPU TDP 50–200 W, an ESTIMATE range)",
    ]);
    // 1,000,000: (10 + 83.33) / 1e6 / 0.8 = 0.000117, (10 + 125) / 1e6 / 0.8 = 0.000169, both < 0.000222
    const far = computeDecision(localRun(8), apiRun(9), options({ volume: 1_000_000 }));
    expect(far.cheaperPerCorrectTask.full).toBe('local');
    expect(far.verdict).toMatch(/^At 1,000,000 tasks a month local is cheaper per correct task/);
  });
});

describe('computeDecision: bars and unknowns', () => {
  it('bars: local 0.8 < 0.85 fails, the API 0.9 clears; p95 1000 and 500 ms <= 2000 both clear', () => {
    const d = computeDecision(localRun(8), apiRun(9), options({ minAccuracy: 0.85, maxP95LatencyMs: 2000 }));
    expect(d.bars.local).toEqual({ accuracy: 'fail', latency: 'pass' });
    expect(d.bars.api).toEqual({ accuracy: 'pass', latency: 'pass' });
    expect([d.local.p95LatencyMs, d.api.p95LatencyMs]).toEqual([1000, 500]);
  });

  it("the API's USD bill in the user's currency: 0.0002 USD x 2 EUR per USD = 0.0004 EUR a task", () => {
    const cost = { ...rangeCostConfig(), currency: 'EUR', currencyPerUsd: 2 };
    const d = computeDecision(localRun(8), apiRun(9), options({ cost }));
    expect(d.currency).toBe('EUR');
    expect(d.api.perTask.full, '0.0002 x 2').toBeCloseTo(0.0004, 15);
    expect(d.api.monthly.full, '0.0004 x 100,000').toBeCloseTo(40, 10);
  });

  it('an API run the spend cap stopped early is named in what was not measured', () => {
    const api = apiRun(9);
    const remote = api.remote;
    if (remote === undefined) throw new Error('a remote run');
    const stopped = {
      ...api,
      remote: { ...remote, price: { ...remote.price, stopReason: 'spend cap 5 USD reached' } },
    };
    const d = computeDecision(localRun(8), stopped, options());
    // RANGE_RUN plans 10 requests; all 10 answered
    expect(d.notMeasured).toContain(
      'the rest of the API run: it stopped early (spend cap 5 USD reached) after 10 of 10 planned requests answered',
    );
  });

  it('no verdict without local scoring, or with no correct answer: it names the unknown figure', () => {
    const unscored = computeDecision(localRun(null), apiRun(9), options());
    expect(unscored.verdict).toBeNull();
    expect(unscored.unknown).toEqual(['local accuracy (the suite has no expected answers)']);
    expect(unscored.flip.perCorrectTask).toEqual({
      kind: 'unknown',
      reason: 'local accuracy was not measured',
      missing: [],
    });
    const none = computeDecision(localRun(0), apiRun(9), options());
    expect(none.verdict).toBeNull();
    expect(none.local.perCorrectTask.full).toBeNull();
    expect(none.unknown).toEqual(['local cost per correct task (it answered no task correctly)']);
  });
});
