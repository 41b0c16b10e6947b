import { describe, expect, it } from 'vitest';
import { computeApiTaskCost } from '../src/cost/api-cost.js';
import { computeBreakEven } from '../src/cost/break-even.js';
import {
  computeCapacityPerMonth,
  computeEnergyCost,
  computeLocalMonth,
  computeMachinesNeeded,
  DAYS_PER_MONTH,
  type LocalCostInputs,
} from '../src/cost/local-cost.js';
import type { ApiPrice } from '../src/cost/price-types.js';

const price = (over: Partial<ApiPrice>): ApiPrice => ({
  model: 'm',
  provider: 'p',
  inputUsdPerMTok: 1,
  outputUsdPerMTok: 2,
  cachedInputUsdPerMTok: null,
  batchInputUsdPerMTok: null,
  batchOutputUsdPerMTok: null,
  source: 'bundled',
  asOf: '2026-07-18',
  ...over,
});

/** A dedicated server bought for the workload. */
const SERVER: LocalCostInputs = {
  secondsPerTask: 2,
  totalJPerTask: 400,
  marginalJPerTask: 300,
  idleW: 50,
  kwhPrice: 0.2,
  overheadFactor: 1,
  availabilityHoursPerDay: 24,
  peakToMean: 1,
  purchasePrice: 3600,
  amortizationMonths: 36,
  alreadyOwnedIdle: false,
  workloadShare: 1,
  setupHours: 10,
  maintenanceHoursPerMonth: 2,
  hourlyRate: 100,
};

describe('energy, capacity and machines', () => {
  it('prices energy per kWh with the overhead factor', () => {
    expect(computeEnergyCost(3_600_000, 0.2, 1.5)).toBeCloseTo(0.3, 12);
  });

  it('counts a month as 365.25 / 12 days of available hours', () => {
    expect(DAYS_PER_MONTH).toBe(30.4375);
    expect(computeCapacityPerMonth(2, 24)).toBe(1_314_900);
    expect(computeCapacityPerMonth(2, 8)).toBe(438_300);
    expect(computeMachinesNeeded(2_000_000, 1_314_900)).toBe(2);
    expect(computeMachinesNeeded(0, 1_314_900)).toBe(1);
  });
});

describe('computeLocalMonth', () => {
  it('adds electricity, idle power of a bought machine, hardware and engineering (hand-computed)', () => {
    const month = computeLocalMonth(SERVER, 10_000);
    expect(month.machines).toBe(1);
    expect(month.workElectricity, '400 J x 10k = 1.111 kWh x 0.2').toBeCloseTo(0.2222222222, 9);
    expect(month.marginalElectricity, '300 J x 10k = 0.8333 kWh x 0.2').toBeCloseTo(0.1666666667, 9);
    expect(month.idleElectricity, '50 W x (730.5 h - 5.556 h busy) = 36.2472 kWh x 0.2').toBeCloseTo(
      7.2494444444,
      9,
    );
    expect(month.hardware, '3600 / 36').toBe(100);
    expect(month.engineering, '10 h x 100 / 36 + 2 h x 100').toBeCloseTo(227.7777777778, 9);
    expect(month.full).toBeCloseTo(335.2494444444, 9);
    expect(month.electricityKnown).toBe(true);
  });

  it('at zero volume the full view is the fixed costs alone', () => {
    const month = computeLocalMonth(SERVER, 0);
    expect(month.workElectricity).toBe(0);
    expect(month.full).toBeCloseTo(7.305 + 100 + 227.7777777778, 9);
  });

  it("beyond one machine's capacity it needs (and pays for) another", () => {
    const month = computeLocalMonth(SERVER, 2_000_000);
    expect(month.machines).toBe(2);
    expect(month.hardware).toBe(200);
    // idle: 2 machines x (730.5 h - 2e6 x 2 s / 3600 / 2 h busy each) x 50 W
    expect(month.idleElectricity).toBeCloseTo(
      ((2 * (730.5 - (2_000_000 * 2) / 3600 / 2) * 50) / 1000) * 0.2,
      9,
    );
  });

  it('an already-owned, otherwise idle machine costs nothing but its work (and engineering)', () => {
    const owned = { ...SERVER, alreadyOwnedIdle: true };
    const month = computeLocalMonth(owned, 10_000);
    expect([month.hardware, month.idleElectricity]).toEqual([0, 0]);
    expect(month.full).toBeCloseTo(0.2222222222 + 227.7777777778, 9);
    expect(computeLocalMonth(owned, 2_000_000).hardware, 'the second machine must be bought').toBe(100);
  });

  it('says so when electricity was not measured: the full view is unknown, not the sum of the rest', () => {
    const month = computeLocalMonth(
      { ...SERVER, totalJPerTask: null, marginalJPerTask: null, idleW: null },
      10_000,
    );
    expect(month.electricityKnown).toBe(false);
    expect(month.marginal).toBeNull();
    expect(month.hardware).toBe(100);
    // Before issue 13: full = 327.78 (hardware + engineering), electricity silently counted as 0.
    expect(month.full, 'unknown, not 100 + 227.78').toBeNull();
    expect(month.missing.map((m) => m.key)).toEqual(['energy per task', 'idle power']);
  });
});

describe('computeApiTaskCost', () => {
  it('bills prompt and output tokens per 1M, with the token ratio and currency', () => {
    const cost = computeApiTaskCost(price({ inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 }), 500, 60, {
      cachedInputShare: 0,
      batch: false,
      tokenRatio: 1,
      currencyPerUsd: 1,
    });
    expect(cost.perTask, '(500 x 0.15 + 60 x 0.6) / 1e6').toBeCloseTo(0.000111, 15);
    const scaled = computeApiTaskCost(price({ inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 }), 500, 60, {
      cachedInputShare: 0,
      batch: false,
      tokenRatio: 1.2,
      currencyPerUsd: 0.9,
    });
    expect(scaled.perTask).toBeCloseTo(0.000111 * 1.2 * 0.9, 15);
  });

  it('bills the cached share at the cached price, and uses batch prices when asked and present', () => {
    const p = price({
      inputUsdPerMTok: 2.5,
      outputUsdPerMTok: 10,
      cachedInputUsdPerMTok: 1.25,
      batchInputUsdPerMTok: 1.25,
      batchOutputUsdPerMTok: 5,
    });
    const cached = computeApiTaskCost(p, 1000, 100, {
      cachedInputShare: 0.6,
      batch: false,
      tokenRatio: 1,
      currencyPerUsd: 1,
    });
    expect(cached.perTask, '(1000 x (0.4 x 2.5 + 0.6 x 1.25) + 100 x 10) / 1e6').toBeCloseTo(0.00275, 15);
    const batch = computeApiTaskCost(p, 1000, 100, {
      cachedInputShare: 0,
      batch: true,
      tokenRatio: 1,
      currencyPerUsd: 1,
    });
    expect(batch.perTask, '(1000 x 1.25 + 100 x 5) / 1e6').toBeCloseTo(0.00175, 15);
    const noBatch = computeApiTaskCost(price({}), 1000, 100, {
      cachedInputShare: 0,
      batch: true,
      tokenRatio: 1,
      currencyPerUsd: 1,
    });
    expect(noBatch.batchUnavailable).toBe(true);
    expect(noBatch.perTask).toBeCloseTo(0.0012, 15);
  });
});

describe('computeBreakEven', () => {
  it('solves the volume exactly for a dedicated server (hand-computed)', () => {
    // One machine: fixed a = 730.5 h x 0.01/h idle + 100 + 227.78 = 335.0828; per task b = 300 J of electricity = 1.6667e-5.
    // local <= api  <=>  V >= 335.0828 / (0.05 - 1.6667e-5) = 6703.9  ->  6704
    expect(computeBreakEven(SERVER, 0.05)).toEqual({
      kind: 'volume',
      ranges: [{ from: 6704, until: null }],
      searchedUpTo: 1e9,
      searchLimit: null,
    });
  });

  it('the seed example: a triage task on an idle box the team owns vs a mid-priced API', () => {
    // 1.5 s, 900 J per task at 0.30/kWh; 8 h set-up and 1 h a month at 80/h; the API at 3 / 15 USD per 1M tokens, 500 in / 60 out.
    const box: LocalCostInputs = {
      secondsPerTask: 1.5,
      totalJPerTask: 900,
      marginalJPerTask: 600,
      idleW: 40,
      kwhPrice: 0.3,
      overheadFactor: 1,
      availabilityHoursPerDay: 24,
      peakToMean: 1,
      purchasePrice: 2500,
      amortizationMonths: 36,
      alreadyOwnedIdle: true,
      workloadShare: 1,
      setupHours: 8,
      maintenanceHoursPerMonth: 1,
      hourlyRate: 80,
    };
    const api = computeApiTaskCost(price({ inputUsdPerMTok: 3, outputUsdPerMTok: 15 }), 500, 60, {
      cachedInputShare: 0,
      batch: false,
      tokenRatio: 1,
      currencyPerUsd: 1,
    }).perTask;
    expect(api).toBeCloseTo(0.0024, 15);
    const breakEven = computeBreakEven(box, api);
    // fixed 8 x 80 / 36 + 80 = 97.7778; per task 900 J x 0.3 / 3.6e6 = 7.5e-5; 97.7778 / (0.0024 - 0.000075) = 42054.99 -> 42055
    expect(breakEven).toMatchObject({ kind: 'volume', ranges: [{ from: 42_055, until: null }] });
    expect(computeLocalMonth(box, 50_000).full, 'tens of thousands a month: local').toBeLessThan(
      50_000 * api,
    );
    expect(computeLocalMonth(box, 300).full, 'a few hundred a month: the API').toBeGreaterThan(300 * api);
  });

  it('local is cheaper from the first task when there is nothing fixed to recover', () => {
    const free = { ...SERVER, alreadyOwnedIdle: true, setupHours: 0, maintenanceHoursPerMonth: 0 };
    expect(computeBreakEven(free, 0.001).kind).toBe('local-always');
  });

  it('never, when the API costs less than the electricity alone', () => {
    expect(computeBreakEven(SERVER, 0.00001)).toEqual({
      kind: 'never',
      reason: 'the API costs no more per task than the local electricity alone (0.0000100 vs 0.0000222)',
      searchedUpTo: 1e9,
    });
  });

  it('a free first machine can win until its capacity, and lose once more must be bought', () => {
    const slowOwned: LocalCostInputs = {
      ...SERVER,
      alreadyOwnedIdle: true,
      setupHours: 0,
      maintenanceHoursPerMonth: 0,
      secondsPerTask: 60,
      purchasePrice: 100_000,
    };
    // capacity 730.5 x 60 = 43,830 tasks; a second machine costs 100000/36 = 2777.78 a month, far more than the API saves.
    expect(computeBreakEven(slowOwned, 0.01)).toEqual({
      kind: 'volume',
      ranges: [{ from: 1, until: 43_830 }],
      searchedUpTo: 1e9,
      searchLimit: null,
    });
  });
});

describe('issue 13 item 1: break-even when the API is cheaper than the electricity alone', () => {
  it('is never, with its reason, when there are no fixed costs and the API costs 140x less per task', () => {
    // `cost latest --kwh-price 100 --api gpt-4o-mini` on an ordinary run, hardware and engineering set explicitly to 0:
    // local electricity per task = 226.8 J / 3.6e6 x 100 = 0.0063; API = 0.000045; 0.0063 / 0.000045 = 140.
    // local(V) = 0.0063 V > 0.000045 V = api(V) for every V >= 1: local is never cheaper.
    const ordinary: LocalCostInputs = {
      ...SERVER,
      secondsPerTask: 0.877,
      totalJPerTask: 226.8,
      marginalJPerTask: 180,
      idleW: 40,
      kwhPrice: 100,
      purchasePrice: 0,
      alreadyOwnedIdle: true,
      setupHours: 0,
      maintenanceHoursPerMonth: 0,
      hourlyRate: 0,
    };
    expect(computeEnergyCost(226.8, 100, 1), 'local electricity per task').toBeCloseTo(0.0063, 15);
    expect(computeBreakEven(ordinary, 0.000045)).toEqual({
      kind: 'never',
      reason: 'the API costs no more per task than the local electricity alone (0.0000450 vs 0.00630)',
      searchedUpTo: 1e9,
    });
  });
});
