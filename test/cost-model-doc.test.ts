import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/json-schema.js';
import type { Config } from '../src/config/schema.js';
import { computeCostSummary, type MeasuredWork } from '../src/cost/cost-summary.js';
import type { ApiPrice } from '../src/cost/price-types.js';
import { formatBreakEven, formatCount, formatMoney, formatVerdict } from '../src/report/cost-words.js';

/**
 * The worked example of docs/cost-model.md, computed by the code from the inputs the page states.
 * The page's figures are asserted here, so the text cannot drift from the model.
 */
const PAGE = readFileSync(join(import.meta.dirname, '..', 'docs', 'cost-model.md'), 'utf8');

/** Measured: 1.5 s of machine time and 900 J per task (600 J above idle), idle 40 W; 500 prompt + 60 output tokens. */
const WORK: MeasuredWork = {
  levels: [
    {
      concurrency: 1,
      okTasks: 200,
      measureMs: 300_000,
      p95LatencyMs: 2100,
      totalJPerTask: 900,
      marginalJPerTask: 600,
      energyCoverage: 1,
    },
  ],
  totalJPerTask: 900,
  marginalJPerTask: 600,
  promptTokensPerTask: 500,
  cachedPromptTokensPerTask: null,
  outputTokensPerTask: 60,
  tokenSource: 'server',
  promptTokensUnknown: false,
  idleW: 40,
  energyIncludesEstimate: false,
  energyFromWall: false,
  accuracy: null,
  apiUsage: null,
  energyRange: null,
  energyEstimate: null,
};

/** Set: 0.30 per kWh; a 1500 box bought for the work over 36 months; 8 h set-up, 1 h a month, at 80 an hour. */
const COST: Config['cost'] = {
  ...defaultConfig().cost,
  electricityPerKwh: 0.3,
  hardware: { purchasePrice: 1500, amortizationMonths: 36, alreadyOwnedIdle: false, workloadShare: 1 },
  engineering: { setupHours: 8, maintenanceHoursPerMonth: 1, hourlyRate: 80 },
};

/** A mid-priced API: 3 / 15 USD per 1M tokens. */
const API: ApiPrice = {
  model: 'mid-api',
  provider: 'custom',
  inputUsdPerMTok: 3,
  outputUsdPerMTok: 15,
  cachedInputUsdPerMTok: null,
  batchInputUsdPerMTok: null,
  batchOutputUsdPerMTok: null,
  source: 'config',
  asOf: null,
};

function at(volume: number, cost: Config['cost'] = COST) {
  return computeCostSummary(WORK, { cost, volume, prices: [API] });
}

describe('the worked example of docs/cost-model.md (issue 13: every bucket filled, the flip both ways)', () => {
  it('has the table rows the code computes, the API cheaper at 300 tasks a month and local at 100,000', () => {
    // Hand check at 300: idle (730.5 h - 300 x 1.5 s / 3600) x 40 W x 0.3 / 1000 = 8.765; hardware 1500 / 36 = 41.667;
    // engineering 8 x 80 / 36 + 80 = 97.778; work 300 x 900 / 3.6e6 x 0.3 = 0.0225: 148.23 against 300 x 0.0024 = 0.72.
    const rows = [300, 10_000, 100_000].map((v) => {
      const c = at(v);
      const cells = [
        formatCount(v),
        ...c.local.explained.map((e) => formatMoney(e.value)),
        formatMoney(c.local.full),
        formatMoney(c.apis[0]?.monthly ?? null),
        formatVerdict(c.apis[0] ?? { cheaper: null, ratio: null }),
      ];
      return `| ${cells.join(' | ')} |`;
    });
    expect(rows).toEqual([
      '| 300 | 0.0225 | 8.76 | 41.67 | 97.78 | 148.23 | 0.720 | API cheaper 206x |',
      '| 10,000 | 0.750 | 8.72 | 41.67 | 97.78 | 148.91 | 24.00 | API cheaper 6.2x |',
      '| 100,000 | 7.50 | 8.27 | 41.67 | 97.78 | 155.21 | 240.00 | local cheaper 1.5x |',
    ]);
    for (const row of rows) expect(PAGE, 'docs/cost-model.md table row').toContain(row);
  });

  it('has the bucket explanations, the break-even, the marginal view and the bursty line the code computes', () => {
    const c = at(10_000);
    for (const e of c.local.explained.filter((x) => x.bucket !== 'electricity while working')) {
      expect(PAGE.replace(/\n/g, ' ')).toContain(`${e.bucket} ${formatMoney(e.value)} = ${e.formula}`);
    }
    // 148.211 fixed / (0.0024 - 0.00007 per task) = 63,609.9 -> 63,610
    const breakEven = formatBreakEven(
      c.apis[0]?.breakEvenFull ?? { kind: 'unknown', reason: '', missing: [] },
    );
    expect(breakEven).toBe('local is cheaper from 63,610 tasks/month');
    expect(PAGE).toContain(`Full-view break-even: ${breakEven}.`);
    expect(formatMoney(c.local.marginalPerTask), '600 J x 0.3 / 3.6e6').toBe('0.0000500');
    expect(Math.round((c.apis[0]?.task.perTask ?? 0) / (c.local.marginalPerTask ?? 1))).toBe(48);
    expect(c.apis[0]?.marginalCheaper).toBe('local');
    expect(PAGE.replace(/\n/g, ' ')).toContain(
      '(0.0000500 USD a task) would call local 48x cheaper at any volume',
    );
    const bursty = at(500_000, {
      ...COST,
      load: { shape: 'peak-to-mean', peakToMean: 4, p95LatencyBoundMs: null },
    });
    // ceil(4 x 500,000 / 1,753,200) = 2 machines
    expect([
      bursty.local.machines,
      formatMoney(bursty.local.full),
      formatMoney(bursty.loadComparison?.steady.localFull ?? null),
      formatMoney(bursty.apis[0]?.monthly ?? null),
    ]).toEqual([2, '233.64', '183.21', '1200.00']);
    expect(PAGE.replace(/\n/g, ' ')).toContain(
      'needs 2 machines: 233.64 USD a month instead of 183.21 steady (the API: 1,200.00)',
    );
  });
});
