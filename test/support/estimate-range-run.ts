import { okRequestRow } from './request-row.js';
/**
 * A run whose energy is half measured (a GPU) and half a CPU ESTIMATE with a TDP range, in round
 * numbers, for the range tests of the energy summary, the cost and every format. Nothing here is
 * read from this machine.
 *
 * GPU: 50 W idle, 250 W busy. CPU estimate at its point TDP 100 W (range 50–200 W): 10 W idle, 100 W
 * busy. Readings every second at half seconds, so every window holds only its own readings.
 * Phases: idle [0, 10 s], measure [10 s, 20 s] (10 requests of 1 s, 100 + 100 tokens), idle [20, 30 s].
 */
import { defaultConfig } from '../../src/config/json-schema.js';
import type { Config } from '../../src/config/schema.js';
import type { ApiPrice } from '../../src/cost/price-types.js';
import { computeEnergySummary, type EnergySummary } from '../../src/analysis/energy-summary.js';
import { computeRunCost } from '../../src/analysis/run-cost.js';
import { computeRunSummary, type RunSummary } from '../../src/analysis/summary.js';
import type { RequestRow } from '../../src/store/requests.js';
import type { RunRow } from '../../src/store/runs.js';
import type { Phase, StoredChannel } from '../../src/store/telemetry.js';
import type { Sample } from '../../src/telemetry/sampler.js';

export const RANGE_RUN: RunRow = {
  id: 7,
  status: 'completed',
  startedAt: '2026-11-27T10:00:00.000Z',
  finishedAt: '2026-11-27T10:00:30.000Z',
  backend: 'ollama',
  host: 'http://127.0.0.1:11434',
  model: 'llama',
  suiteId: 'triage-basic',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 10,
  settings: {},
  costbenchVersion: '0.1.0',
  error: null,
  warnings: [],
};

function request(seq: number): RequestRow {
  return okRequestRow({
    seq,
    taskId: `t${seq}`,
    startedAt: RANGE_RUN.startedAt,
    startOffsetMs: 10_000 + seq * 1000,
    lastTokenMs: 990,
  });
}

export const RANGE_REQUESTS: RequestRow[] = Array.from({ length: 10 }, (_, i) => request(i));

const PHASES: Phase[] = [
  { name: 'idle-before', concurrency: 0, startMs: 0, endMs: 10_000 },
  { name: 'measure', concurrency: 1, startMs: 10_000, endMs: 20_000 },
  { name: 'idle-after', concurrency: 0, startMs: 20_000, endMs: 30_000 },
];

/** The estimate channel's detail, as EstimateSampler writes it, with a class range 50–200 W around 100 W. */
export const RANGE_DETAIL = {
  estimate: true,
  tdpW: 100,
  tdpLowW: 50,
  tdpHighW: 200,
  tdpFrom: 'class',
  tdpBasis: 'AMD EPYC, 16 cores, server class (by its name): by class and core count (fake)',
  tdpSource: 'costbench TDP table (vendor-rated power), by class and core count',
};

const CHANNELS: StoredChannel[] = [
  {
    id: 1,
    key: 'nvidia:0',
    source: 'nvidia',
    device: 'GPU',
    kind: 'sampled',
    covers: 'gpu-board',
    inTotal: true,
    intervalMs: 1000,
    detail: {},
  },
  {
    id: 2,
    key: 'estimate:cpu',
    source: 'estimate',
    device: 'AMD EPYC',
    kind: 'estimate',
    covers: 'cpu',
    inTotal: true,
    intervalMs: 1000,
    detail: RANGE_DETAIL,
  },
];

function readings(idleW: number, busyW: number): Omit<Sample, 'channelKey'>[] {
  return Array.from({ length: 30 }, (_, i) => {
    const tMs = 500 + i * 1000;
    const powerW = tMs >= 10_000 && tMs < 20_000 ? busyW : idleW;
    return {
      tMs,
      powerW,
      energyJ: null,
      utilizationPct: null,
      memoryUsedBytes: null,
      clockMhz: null,
      temperatureC: null,
    };
  });
}

/** The energy summary of the run; `detail` replaces the estimate's (e.g. a point TDP). */
export function rangeEnergy(detail: StoredChannel['detail'] = RANGE_DETAIL): EnergySummary {
  const channels = CHANNELS.map((c) => (c.kind === 'estimate' ? { ...c, detail } : c));
  const samples = new Map([
    [1, readings(50, 250)],
    [2, readings(10, 100)],
  ]);
  return computeEnergySummary(channels, samples, PHASES, RANGE_REQUESTS, []);
}

/** 1 USD per 1M tokens in and out: 100 + 100 tokens = 0.0002 a task. */
export const FLAT_API: ApiPrice = {
  model: 'flat-api',
  provider: 'custom',
  inputUsdPerMTok: 1,
  outputUsdPerMTok: 1,
  cachedInputUsdPerMTok: null,
  batchInputUsdPerMTok: null,
  batchOutputUsdPerMTok: null,
  source: 'bundled',
  asOf: '2026-07-18',
};

/**
 * Complete cost inputs in round numbers: electricity 1 USD/kWh, overhead 1, the machine owned and idle,
 * no purchase, no setup, 1 h upkeep a month at 10 USD: fixed costs 10 USD a month.
 */
export function rangeCostConfig(): Config['cost'] {
  const cost = defaultConfig().cost;
  return {
    ...cost,
    electricityPerKwh: 1,
    overheadFactor: 1,
    availabilityHoursPerDay: 24,
    hardware: { ...cost.hardware, purchasePrice: 0, alreadyOwnedIdle: true },
    engineering: { setupHours: 0, maintenanceHoursPerMonth: 1, hourlyRate: 10 },
  };
}

/** The run summary with its cost against FLAT_API. */
export function rangeSummary(detail: StoredChannel['detail'] = RANGE_DETAIL): RunSummary {
  const energy = rangeEnergy(detail);
  const base = computeRunSummary(RANGE_RUN, RANGE_REQUESTS, null, null, null, energy, [], 10_000);
  return {
    ...base,
    cost: computeRunCost(base, rangeCostConfig(), [FLAT_API], { models: ['flat-api'] }).cost,
  };
}
