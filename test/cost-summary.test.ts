import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/json-schema.js';
import type { Config } from '../src/config/schema.js';
import { computeApiTaskCost } from '../src/cost/api-cost.js';
import { computeCostSummary, type MeasuredWork } from '../src/cost/cost-summary.js';
import type { WorkLevel } from '../src/cost/level-choice.js';
import { computePeakToMean } from '../src/cost/load-shape.js';
import type { ApiPrice } from '../src/cost/price-types.js';
import { formatCostSection } from '../src/report/format-cost.js';
import { ENERGY_FIX } from '../src/cost/missing-inputs.js';
import { computeRunCost } from '../src/analysis/run-cost.js';
import { computeRunSummary } from '../src/analysis/summary.js';
import type { RequestRow } from '../src/store/requests.js';
import type { RunRow } from '../src/store/runs.js';

/** gpt-4o-mini in the bundled table: 0.15 / 0.60 USD per 1M, cached 0.075, batch 0.075 / 0.30. */
const MINI: ApiPrice = {
  model: 'gpt-4o-mini',
  provider: 'openai',
  inputUsdPerMTok: 0.15,
  outputUsdPerMTok: 0.6,
  cachedInputUsdPerMTok: 0.075,
  batchInputUsdPerMTok: 0.075,
  batchOutputUsdPerMTok: 0.3,
  source: 'bundled',
  asOf: '2026-07-18',
};
/** A mid-priced endpoint: 0.5 / 2.5 USD per 1M; 500 in + 60 out = 0.0004 a task. */
const MID: ApiPrice = {
  ...MINI,
  model: 'mid',
  cachedInputUsdPerMTok: null,
  batchInputUsdPerMTok: null,
  batchOutputUsdPerMTok: null,
  inputUsdPerMTok: 0.5,
  outputUsdPerMTok: 2.5,
};

const level = (over: Partial<WorkLevel>): WorkLevel => ({
  concurrency: 1,
  okTasks: 100,
  measureMs: 200_000,
  p95LatencyMs: 2500,
  totalJPerTask: 400,
  marginalJPerTask: 300,
  energyCoverage: 1,
  ...over,
});

const work = (over: Partial<MeasuredWork> = {}): MeasuredWork => ({
  levels: [level({})],
  totalJPerTask: 400,
  marginalJPerTask: 300,
  promptTokensPerTask: 500,
  cachedPromptTokensPerTask: null,
  outputTokensPerTask: 60,
  tokenSource: 'server',
  promptTokensUnknown: false,
  idleW: 50,
  energyIncludesEstimate: false,
  energyFromWall: false,
  energyRange: null,
  energyEstimate: null,
  accuracy: null,
  apiUsage: null,
  ...over,
});

/** The defaults, with only the electricity price set: hardware and engineering unset. */
const DEFAULTS: Config['cost'] = { ...defaultConfig().cost, electricityPerKwh: 0.2 };
/** Every bucket set: a 1500 box bought for the work over 36 months, 8 h setup and 1.5 h a month at 75. */
const COMPLETE: Config['cost'] = {
  ...DEFAULTS,
  hardware: { purchasePrice: 1500, amortizationMonths: 36, alreadyOwnedIdle: false, workloadShare: 1 },
  engineering: { setupHours: 8, maintenanceHoursPerMonth: 1.5, hourlyRate: 75 },
};

describe('issue 13 item 10: an unset bucket makes the full view incomplete, never silently smaller', () => {
  it('with the defaults gives no full-view verdict or break-even, and names what is missing and how to set it', () => {
    const c = computeCostSummary(work(), { cost: DEFAULTS, volume: 10_000, prices: [MINI] });
    // Before issue 13: purchase 0, owned and idle, no engineering: full = 10,000 x 400 J = 0.222 a month,
    // "local cheaper" than gpt-4o-mini's 1.11, break-even "local is cheaper at any volume" (local-always).
    expect(c.fullView.complete).toBe(false);
    expect(c.fullView.missing.map((m) => m.key)).toEqual([
      'cost.hardware.purchasePrice',
      'cost.hardware.alreadyOwnedIdle',
      'cost.engineering.setupHours',
      'cost.engineering.maintenanceHoursPerMonth',
      'cost.engineering.hourlyRate',
    ]);
    expect(c.local.full, 'unknown, not 0.222').toBeNull();
    expect(c.apis[0]?.cheaper).toBeNull();
    expect(c.apis[0]?.breakEvenFull.kind).toBe('unknown');
    expect(c.table.every((r) => r.localFull === null && r.apis.every((a) => a.cheaper === null))).toBe(true);
    expect(c.apis[0]?.marginalCheaper, 'the marginal view still judges, labelled as marginal').toBe('local');
    const text = formatCostSection(c).join('\n');
    expect(text).toContain(
      'full view INCOMPLETE: cost.hardware.purchasePrice, cost.hardware.alreadyOwnedIdle, cost.engineering.setupHours',
    );
    expect(text).toContain('run `costbench init`');
    expect(text).not.toMatch(/local cheaper|local is cheaper at any volume/);
    expect(
      c.notes.some(
        (n) =>
          n.startsWith('the full view is INCOMPLETE') &&
          n.includes('set cost.hardware.purchasePrice in the config file'),
      ),
    ).toBe(true);
  });

  it('an explicit 0 is a value: a box truly free to use with no engineering time has a complete full view', () => {
    const free = {
      ...DEFAULTS,
      hardware: { ...DEFAULTS.hardware, purchasePrice: 0, alreadyOwnedIdle: true },
      engineering: { setupHours: 0, maintenanceHoursPerMonth: 0, hourlyRate: null },
    };
    const c = computeCostSummary(work(), { cost: free, volume: 10_000, prices: [MINI] });
    expect(c.fullView.complete, 'no hourly rate is needed for 0 hours').toBe(true);
    expect(c.local.full, '10,000 x 400 J / 3.6e6 x 0.2').toBeCloseTo(0.2222222222, 9);
    expect(c.apis[0]?.cheaper).toBe('local');
  });

  it('explains each bucket with its input (hand-computed)', () => {
    const c = computeCostSummary(work(), { cost: COMPLETE, volume: 10_000, prices: [MINI] });
    const lines = formatCostSection(c);
    expect(lines).toContain('    hardware 41.67 = 1 bought x 1500 USD x 1 share / 36 months');
    // 8 x 75 / 36 + 1.5 x 75 = 16.67 + 112.5
    expect(lines).toContain(
      '    engineering 129.17 = 8 h setup x 75 USD / 36 months + 1.50 h/month x 75 USD',
    );
    expect(lines).toContain(
      '    electricity while working 0.222 = 10000 tasks x 400 J / 3.6e6 x 0.2 USD/kWh x 1 overhead',
    );
    // 730.5 h - 10,000 x 2 s / 3600 = 724.94 h idle x 50 W = 36.25 kWh x 0.2
    expect(lines).toContain(
      '    idle electricity 7.25 = 1 bought x 724.94 h idle x 50 W x 1 share / 1000 x 0.2 USD/kWh x 1 overhead',
    );
    expect(c.local.full).toBeCloseTo(0.2222222 + 7.2494444 + 41.6666667 + 129.1666667, 6);
  });

  it('unknown electricity: local cost unknown and no verdict, saying what would make it known', () => {
    const c = computeCostSummary(
      work({
        levels: [level({ totalJPerTask: null, marginalJPerTask: null, energyCoverage: null })],
        idleW: null,
      }),
      { cost: COMPLETE, volume: 10_000, prices: [MINI] },
    );
    // Before: full = hardware + engineering = 170.83 (electricity counted as 0), and a verdict.
    expect(c.local.full).toBeNull();
    expect(c.apis[0]?.cheaper).toBeNull();
    expect(c.apis[0]?.marginalCheaper).toBeNull();
    expect(c.fullView.missing.map((m) => m.key)).toEqual(['energy per task', 'idle power']);
    expect(c.notes).toContain(
      'no energy was measured or estimated: local electricity is unknown, so local cost is unknown and no verdict is given; to know it, ' +
        ENERGY_FIX,
    );
  });

  it('energy readings with too little coverage: the note says so, not "no energy was measured"', () => {
    // The energy summary gives no per-task energy below 95% coverage (issue 13 item 7).
    const c = computeCostSummary(
      work({ levels: [level({ totalJPerTask: null, marginalJPerTask: null, energyCoverage: 0.8 })] }),
      { cost: COMPLETE, volume: 10_000, prices: [MINI] },
    );
    expect(c.local.full).toBeNull();
    expect(c.notes.filter((n) => n.includes('no energy was measured'))).toEqual([]);
    expect(c.notes).toContain(
      'the energy readings covered only 80% of the measured time (sensor gaps): too little for an energy per task, ' +
        'so local electricity is unknown, and so is local cost (see the energy flags)',
    );
  });
});

describe('issue 13 item 9a: batch price with a cached share', () => {
  it('bills cached tokens at the batch cached price, derived from the batch discount (hand-computed)', () => {
    const p: ApiPrice = {
      ...MINI,
      inputUsdPerMTok: 2.5,
      outputUsdPerMTok: 10,
      cachedInputUsdPerMTok: 1.25,
      batchInputUsdPerMTok: 1.25,
      batchOutputUsdPerMTok: 5,
    };
    const cost = computeApiTaskCost(p, 1000, 100, {
      cachedInputShare: 0.6,
      batch: true,
      tokenRatio: 1,
      currencyPerUsd: 1,
    });
    // Batch cached = 1.25 x (1.25 / 2.5) = 0.625. (1000 x (0.4 x 1.25 + 0.6 x 0.625) + 100 x 5) / 1e6.
    // Before: the non-batch cached price 1.25, so (1000 x 1.25 + 500) / 1e6 = 0.00175.
    expect(cost.perTask).toBeCloseTo(0.001375, 15);
    expect(cost.cachedInputPerMTok).toBe(0.625);
    expect(cost.cachedPriceBasis).toBe('batch-derived');
  });
});

const RUN: RunRow = {
  id: 4,
  status: 'completed',
  startedAt: '2026-11-27T10:00:00.000Z',
  finishedAt: '2026-11-27T10:00:10.000Z',
  backend: 'openai',
  host: 'http://127.0.0.1:8080/v1',
  model: 'qwen',
  suiteId: 'triage-basic',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 2,
  settings: {},
  costbenchVersion: '0.1.0',
  error: null,
  warnings: [],
};

function row(seq: number, over: Partial<RequestRow>): RequestRow {
  return {
    concurrency: 1,
    seq,
    taskId: `t${seq}`,
    repeatIndex: 0,
    state: 'ok',
    startedAt: RUN.startedAt,
    startOffsetMs: seq * 1000,
    ttftMs: 100,
    lastTokenMs: 1090,
    latencyMs: 1100,
    promptTokens: 500,
    promptEvalMs: 50,
    outputTokens: 60,
    evalMs: 900,
    loadMs: null,
    serverTotalMs: null,
    doneReason: 'stop',
    chunks: 61,
    malformedLines: 0,
    outputText: null,
    error: null,
    score: null,
    correct: null,
    scoreDetail: null,
    agreement: null,
    agreementMethod: null,
    metricsSource: 'server',
    cachedPromptTokens: 400,
    ...over,
  };
}

describe('issue 13 item 3: every prompt token priced, the measured cached share used', () => {
  it('a 400-token cached system prompt + 100 task tokens is priced as 500, 80% at the cached price (hand-computed)', () => {
    const s = computeRunSummary(RUN, [row(0, {}), row(1, {})], null, null, null);
    const { cost } = computeRunCost(s, DEFAULTS, [MINI], { models: ['gpt-4o-mini'] });
    // (500 x (0.2 x 0.15 + 0.8 x 0.075) + 60 x 0.6) / 1e6 = (45 + 36) / 1e6.
    // Before: prompt_n alone (100) at the full input price: (100 x 0.15 + 36) / 1e6 = 5.1e-5.
    expect(cost.apis[0]?.task.perTask).toBeCloseTo(81e-6, 15);
    expect(cost.cachedShare).toMatchObject({ value: 0.8, source: 'measured' });
    expect(cost.cachedShare.described).toBe(
      "80.0% (measured: 400 of 500 prompt tokens per task came from the server's prompt cache)",
    );
    const explicit = computeRunCost(s, { ...DEFAULTS, cachedInputShare: 0 }, [MINI], {
      models: ['gpt-4o-mini'],
    }).cost;
    expect(explicit.cachedShare.source, 'an explicit value wins').toBe('config');
    expect(explicit.apis[0]?.task.perTask, '(500 x 0.15 + 36) / 1e6').toBeCloseTo(111e-6, 15);
  });
});

describe('issue 13 item 6: negative marginal energy', () => {
  it('shows the marginal cost as ~0 with a note, and gives no marginal verdict', () => {
    const c = computeCostSummary(work({ levels: [level({ marginalJPerTask: -20 })] }), {
      cost: COMPLETE,
      volume: 10_000,
      prices: [MINI],
    });
    // Before: -20 J / 3.6e6 x 0.2 = -1.11e-6 per task printed, and "local is cheaper" in the marginal view.
    expect(c.local.marginalPerTask).toBe(0);
    expect(c.local.marginalBelowZero).toBe(true);
    expect(c.apis[0]?.marginalCheaper).toBeNull();
    expect(formatCostSection(c).join('\n')).toContain(
      'marginal view (electricity above idle): ~0 USD/month, ~0 per task (measured below zero',
    );
    expect(c.notes.some((n) => n.startsWith('the marginal energy per task is below zero (-20.0 J'))).toBe(
      true,
    );
  });
  it('a hair below zero (within 1% of the 400 J total) is about zero: no flag, and a marginal verdict', () => {
    // -3.9 J against 400 J is within the noise of two power readings (MARGINAL_NOISE_SHARE 1% = 4 J).
    const c = computeCostSummary(work({ levels: [level({ marginalJPerTask: -3.9 })] }), {
      cost: COMPLETE,
      volume: 10_000,
      prices: [MINI],
    });
    expect(c.local.marginalBelowZero, 'not flagged').toBe(false);
    expect(c.local.marginalPerTask, 'clamped to 0').toBe(0);
    expect(c.apis[0]?.marginalCheaper, '0 electricity above idle is cheaper than any API price').toBe(
      'local',
    );
    expect(c.notes.filter((n) => n.includes('below zero'))).toEqual([]);
    // -4.1 J is beyond the noise: flagged as before.
    const beyond = computeCostSummary(work({ levels: [level({ marginalJPerTask: -4.1 })] }), {
      cost: COMPLETE,
      volume: 10_000,
      prices: [MINI],
    });
    expect(beyond.local.marginalBelowZero, 'flagged').toBe(true);
  });
});

describe('issue 13 items 8 and 11: the level used, the latency bound and bursty load', () => {
  // c1: 100 tasks in 200 s (0.5/s, p95 2.5 s); c4: 100 in 80 s (1.25/s, p95 9 s); c8: 100 in 78 s (1.282/s, p95 20 s).
  const sweep = work({
    levels: [
      level({}),
      level({
        concurrency: 4,
        measureMs: 80_000,
        p95LatencyMs: 9000,
        totalJPerTask: 200,
        marginalJPerTask: 120,
      }),
      level({
        concurrency: 8,
        measureMs: 78_000,
        p95LatencyMs: 20_000,
        totalJPerTask: 190,
        marginalJPerTask: 115,
      }),
    ],
  });

  it('without a bound uses the lowest level within 5% of the most tasks/s, and says so', () => {
    const c = computeCostSummary(sweep, { cost: COMPLETE, volume: 10_000, prices: [MINI] });
    // top 1.282/s; 95% of it = 1.218; c4's 1.25 is within: concurrency 4, 0.8 s and 200 J per task.
    expect(c.level).toMatchObject({ concurrency: 4, meetsBound: true });
    expect(c.perTask).toMatchObject({ seconds: 0.8, totalJ: 200, marginalJ: 120 });
    expect(formatCostSection(c)).toContain(
      'Level used for J and seconds per task: concurrency 4 (1.25 tasks/s, p95 9000 ms): concurrency 4: the most tasks/s of the 3 levels measured (the lowest level within 5% of the top)',
    );
  });

  it('with a p95 bound of 5 s uses the fastest level that meets it; with none meeting it, no capacity and no verdict', () => {
    const bounded = { ...COMPLETE, load: { shape: 'steady' as const, p95LatencyBoundMs: 5000 } };
    const c = computeCostSummary(sweep, { cost: bounded, volume: 10_000, prices: [MINI] });
    expect(c.level).toMatchObject({ concurrency: 1, meetsBound: true });
    expect(c.perTask.seconds, '200 s / 100 tasks').toBe(2);
    const none = computeCostSummary(sweep, {
      cost: { ...bounded, load: { shape: 'steady', p95LatencyBoundMs: 1000 } },
      volume: 10_000,
      prices: [MINI],
    });
    expect(none.level).toMatchObject({ concurrency: 1, meetsBound: false });
    expect(none.local.machines).toBeNull();
    expect(none.apis[0]?.cheaper).toBeNull();
    expect(none.apis[0]?.marginalCheaper).toBeNull();
    expect(none.apis[0]?.breakEvenFull.kind).toBe('unknown');
    expect(none.notes).toContain(
      'no capacity and no verdict: no level meets the p95 latency bound of 1000 ms (lowest p95: 2500 ms at concurrency 1)',
    );
  });

  it('an hourly profile gives its own peak-to-mean', () => {
    const weights = [...Array<number>(23).fill(1), 5];
    // max / mean = 5 / (28 / 24) = 4.2857
    expect(
      computePeakToMean({ shape: 'hourly', hourlyWeights: weights, p95LatencyBoundMs: null }, 24),
    ).toBeCloseTo(30 / 7, 12);
    expect(
      computePeakToMean(
        { shape: 'hourly', hourlyWeights: Array<number>(24).fill(1), p95LatencyBoundMs: null },
        8,
      ),
      'never below 1',
    ).toBe(1);
  });

  it('bursty load at the same volume buys a second machine and flips the verdict (hand-computed)', () => {
    const bursty = {
      ...COMPLETE,
      load: { shape: 'peak-to-mean' as const, peakToMean: 4, p95LatencyBoundMs: null },
    };
    const c = computeCostSummary(work(), { cost: bursty, volume: 500_000, prices: [MID] });
    // One machine does 1,314,900 tasks a month (2 s each). Steady: 1 machine; 4x peak: ceil(2,000,000 / 1,314,900) = 2.
    // Steady: work 500k x 400 J = 11.11; idle (730.5 - 277.78 h) x 50 W = 4.5272; hardware 41.6667; engineering 129.1667: 186.4717.
    // Bursty: idle 2 x (730.5 - 138.89 h) x 50 W = 11.832; hardware 83.33: 11.111 + 11.832 + 83.333 + 129.167 = 235.443.
    // API: 500k x 0.0004 = 200.
    // Before issue 13 the peak was ignored: 1 machine, 186.47, local cheaper.
    expect(c.local.machines).toBe(2);
    expect(c.local.full).toBeCloseTo(235.4433, 3);
    expect(c.loadComparison?.steady.machines).toBe(1);
    expect(c.loadComparison?.steady.localFull).toBeCloseTo(186.4717, 3);
    expect(c.loadComparison?.apis[0]).toMatchObject({
      model: 'mid',
      steadyCheaper: 'local',
      shapedCheaper: 'api',
    });
    expect(formatCostSection(c).join('\n')).toContain(
      'mid: steady local cheaper, peak-to-mean API cheaper (the verdict flips)',
    );
  });
});
