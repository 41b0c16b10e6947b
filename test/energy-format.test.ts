import { okRequestRow } from './support/request-row.js';
import { describe, expect, it } from 'vitest';
import { computeEnergySummary } from '../src/analysis/energy-summary.js';
import { formatEnergySection } from '../src/report/format-energy.js';
import { formatRunMarkdown } from '../src/report/format-markdown.js';
import { formatRunTable } from '../src/report/format-table.js';
import { renderEnergyNotes, renderKeyFigures } from '../src/report/html/sections.js';
import { computeSweep } from '../src/analysis/levels.js';
import { computeRunSummary, type RunSummary } from '../src/analysis/summary.js';
import type { RequestRow } from '../src/store/requests.js';
import type { RunRow } from '../src/store/runs.js';
import type { Phase, StoredChannel } from '../src/store/telemetry.js';
import type { Sample } from '../src/telemetry/sampler.js';

type StoredSample = Omit<Sample, 'channelKey'>;

const RUN: RunRow = {
  id: 7,
  status: 'completed',
  startedAt: '2026-11-27T10:00:00.000Z',
  finishedAt: '2026-11-27T10:01:00.000Z',
  backend: 'ollama',
  host: 'http://127.0.0.1:11434',
  model: 'llama3.1:8b',
  suiteId: 'triage-basic',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 2,
  settings: {},
  costbenchVersion: '0.1.0',
  error: null,
  warnings: [],
};

const BASE: RequestRow = okRequestRow({ startedAt: RUN.startedAt });

const GPU: StoredChannel = {
  id: 1,
  key: 'nvidia:0',
  source: 'nvidia',
  device: 'NVIDIA GeForce RTX 4090',
  kind: 'sampled',
  covers: 'gpu-board',
  inTotal: true,
  intervalMs: 100,
  detail: {},
};

function readings(powerAt: (tMs: number) => number, endMs = 40_000): StoredSample[] {
  const out: StoredSample[] = [];
  for (let t = 50; t <= endMs; t += 100) {
    out.push({
      tMs: t,
      powerW: powerAt(t),
      energyJ: null,
      utilizationPct: null,
      memoryUsedBytes: null,
      clockMhz: null,
      temperatureC: null,
    });
  }
  return out;
}

const ph = (name: Phase['name'], startMs: number, endMs: number, concurrency = 0): Phase => ({
  name,
  concurrency,
  startMs,
  endMs,
});

/** A run summary from one GPU channel, its phases and requests, as `report` computes it. */
function summaryOf(
  channels: StoredChannel[],
  samples: StoredSample[][],
  phases: Phase[],
  requests: RequestRow[],
): RunSummary {
  const energy = computeEnergySummary(
    channels,
    new Map(channels.map((c, i) => [c.id, samples[i] ?? []])),
    phases,
    requests,
    [],
  );
  const measureMs = phases.filter((p) => p.name === 'measure').reduce((a, p) => a + p.endMs - p.startMs, 0);
  return computeRunSummary(
    RUN,
    requests,
    null,
    null,
    null,
    energy,
    [],
    measureMs,
    null,
    computeSweep(requests, phases, energy),
  );
}

describe('item 6: a negative marginal energy is shown as ~0 with the readings, in every format', () => {
  // Idle 80 W (clocks still up after the warm-up), busy 75 W over 10 s, two tasks:
  // marginal (75 - 80) x 10 = -50 J, -25 J per task.
  const phases = [
    ph('idle-before', 0, 10_000),
    ph('measure', 10_000, 20_000, 1),
    ph('idle-after', 20_000, 30_000),
  ];
  const requests = [
    { ...BASE, startOffsetMs: 10_000, latencyMs: 5000 },
    { ...BASE, seq: 1, startOffsetMs: 15_000, latencyMs: 5000 },
  ];
  const s = summaryOf([GPU], [readings((t) => (t > 10_000 && t < 20_000 ? 75 : 80))], phases, requests);

  it('the text report (was "marginal -50.0 J" and "-25.0 J marginal")', () => {
    const text = formatEnergySection(s.energy as NonNullable<RunSummary['energy']>).join('\n');
    expect(text).toContain(
      'energy 750.0 J, marginal ~0 J (idle 80.0 W above the busy mean 75.0 W; computed -50.0 J)',
    );
    expect(text).toContain(
      'Per task: 375.0 J total, ~0 J (idle 80.0 W above the busy mean 75.0 W; computed -25.0 J) marginal (above idle)',
    );
    expect(text, 'the channel row').toMatch(/nvidia:0 .* 750\.0 +~0 +yes/);
    expect(text, 'no negative figure outside "computed"').not.toMatch(/(?<!computed )-\d/);
    expect(formatRunTable(s), 'the whole report carries it').toContain('marginal ~0 J (idle 80.0 W');
  });

  it('Markdown', () => {
    const md = formatRunMarkdown(s);
    expect(md).toContain(
      '- Machine total (nvidia:0; sampled): idle 80.0 W, mean 75.0 W, energy 750.0 J, marginal \\~0 J (idle 80.0 W above the busy mean 75.0 W; computed -50.0 J)',
    );
    expect(md).toContain(
      '| nvidia:0 NVIDIA GeForce RTX 4090 | sampled | gpu-board | 80.0 | 75.0 | 75.0 | 750.0 | \\~0 | yes |',
    );
  });

  it('HTML: the key figure and the energy notes', () => {
    expect(renderKeyFigures(s)).toContain(
      '~0 J (idle 80.0 W above the busy mean 75.0 W; computed -25.0 J) above idle',
    );
    expect(renderEnergyNotes(s)).toContain(
      '<li>Machine total (nvidia:0; sampled): idle 80.0 W, mean 75.0 W, energy 750.0 J, marginal ~0 J (idle 80.0 W above the busy mean 75.0 W; computed -50.0 J)</li>',
    );
  });

  it('JSON keeps the computed figure with its typed flag', () => {
    const json = JSON.parse(JSON.stringify(s)) as RunSummary;
    expect(json.energy?.total.marginalEnergyJ).toBeCloseTo(-50, 9);
    expect(json.energy?.total.marginalNegative).toBe(true);
  });
});

describe('item 8: the energy section labels its all-levels figure, and gives each level', () => {
  // Level 1 over [10, 20] s at 160 W, 2 tasks; level 2 over [20, 25] s at 260 W, 2 tasks; idle 60 W.
  // All levels: 160 x 10 + 260 x 5 = 2900 J over 4 tasks = 725 J; marginal (2900 - 60 x 15) / 4 = 500 J.
  // Level 1: 800 J per task, (1600 - 600) / 2 = 500 J marginal. Level 2: 650 J, (1300 - 300) / 2 = 500 J.
  const phases = [
    ph('idle-before', 0, 10_000),
    ph('measure', 10_000, 20_000, 1),
    ph('measure', 20_000, 25_000, 2),
    ph('idle-after', 25_000, 35_000),
  ];
  const requests = [
    { ...BASE, startOffsetMs: 10_000, latencyMs: 5000 },
    { ...BASE, seq: 1, startOffsetMs: 15_000, latencyMs: 5000 },
    { ...BASE, seq: 0, concurrency: 2, startOffsetMs: 20_000, latencyMs: 5000 },
    { ...BASE, seq: 1, concurrency: 2, startOffsetMs: 20_000, latencyMs: 5000 },
  ];
  const s = summaryOf(
    [GPU],
    [readings((t) => (t > 10_000 && t < 20_000 ? 160 : t > 20_000 && t < 25_000 ? 260 : 60))],
    phases,
    requests,
  );

  it('text: "all 2 concurrency levels together", then each level (was one unlabelled "Per task")', () => {
    const text = formatEnergySection(s.energy as NonNullable<RunSummary['energy']>).join('\n');
    expect(text).toContain('Power and energy over the measured phase (15.0 s, all 2 concurrency levels)');
    expect(text).toContain(
      'Per task, all 2 concurrency levels together: 725.0 J total, 500.0 J marginal (above idle)',
    );
    expect(text).toContain('Per task at concurrency 1: 800.0 J total, 500.0 J marginal (above idle)');
    expect(text).toContain('Per task at concurrency 2: 650.0 J total, 500.0 J marginal (above idle)');
  });

  it('HTML key figure says it is all levels together', () => {
    expect(renderKeyFigures(s)).toContain(
      '<div class="kf-label">energy per task, all 2 levels together</div><div class="kf-value">725.0 J</div>',
    );
  });
});

describe('item 7: below 95% coverage the energy shows its coverage and no per-task figure', () => {
  it('text', () => {
    // Readings (every 100 ms, 50 ms past) stop between 12 and 16 s of the measured [10, 20] s; sampled power is
    // not integrated across the 4.1 s gap.
    const phases = [
      ph('idle-before', 0, 10_000),
      ph('measure', 10_000, 20_000, 1),
      ph('idle-after', 20_000, 30_000),
    ];
    const samples = readings((t) => (t > 10_000 && t < 20_000 ? 260 : 60)).filter(
      (r) => r.tMs < 12_000 || r.tMs > 16_000,
    );
    const s = summaryOf([GPU], [samples], phases, [{ ...BASE, startOffsetMs: 10_000, latencyMs: 10_000 }]);
    // Covered: [10, 11.95] + [16.05, 20] = 5.9 s of 10: 59%; 260 W x 5.9 s = 1534 J.
    const text = formatEnergySection(s.energy as NonNullable<RunSummary['energy']>).join('\n');
    expect(text).toContain('energy 1534.0 J (readings cover 59% of the measured time)');
    expect(text).toContain(
      'Per task: none: readings cover only 59% of the measured time (below 95%, a per-task figure would miss the rest)',
    );
  });
});

describe('item 9: chunk-count token estimates are marked in Wh per 1k tokens', () => {
  it('text and Markdown (were printed as measurements)', () => {
    const phases = [
      ph('idle-before', 0, 10_000),
      ph('measure', 10_000, 20_000, 1),
      ph('idle-after', 20_000, 30_000),
    ];
    const requests = [
      {
        ...BASE,
        startOffsetMs: 10_000,
        latencyMs: 10_000,
        metricsSource: 'chunks' as const,
        outputTokens: 500,
      },
    ];
    const s = summaryOf([GPU], [readings((t) => (t > 10_000 && t < 20_000 ? 240 : 60))], phases, requests);
    // 2400 J = 0.6667 Wh over 0.5k (estimated) tokens: 1.333 Wh per 1k; marginal 1800 J: 1.000 Wh.
    expect(s.energy?.total.outputTokensEstimated).toBe(true);
    const text = formatEnergySection(s.energy as NonNullable<RunSummary['energy']>).join('\n');
    expect(text).toContain(
      'per 1k output tokens (ESTIMATED token counts: one token per stream chunk): ~1.333 Wh total, ~1.000 Wh marginal',
    );
    expect(formatRunMarkdown(s)).toContain(
      'per 1k output tokens (ESTIMATED token counts: one token per stream chunk): \\~1.333 ESTIMATE Wh total',
    );
  });
});

describe('item 9: power.draw read as a 1 s average is said so in the energy section', () => {
  it('text (was silent)', () => {
    const phases = [
      ph('idle-before', 0, 10_000),
      ph('measure', 10_000, 20_000, 1),
      ph('idle-after', 20_000, 30_000),
    ];
    const gpu = { ...GPU, detail: { field: 'power.draw', averagingMs: 1000 } };
    const s = summaryOf([gpu], [readings((t) => (t > 10_000 && t < 20_000 ? 240 : 60))], phases, [
      { ...BASE, startOffsetMs: 10_000, latencyMs: 10_000 },
    ]);
    expect(s.energy?.channels[0]?.readingAverageMs).toBe(1000);
    expect(formatEnergySection(s.energy as NonNullable<RunSummary['energy']>)).toContain(
      'nvidia:0: each reading is a 1 s average (nvidia-smi power.draw on Ampere and newer), integrated as the power at its timestamp: ' +
        'windows of a few seconds or less are smeared',
    );
  });
});

describe('item 9: wall meters on two supplies make the total together, and the report says which', () => {
  it('two plugs at 150 W each: 300 W (the first alone gave 150 W)', () => {
    const meter = (id: number, key: string, supply: string, inTotal = true): StoredChannel => ({
      id,
      key,
      source: 'meter',
      device: `10.0.0.${id}`,
      kind: 'sampled',
      covers: 'wall',
      inTotal,
      intervalMs: 1000,
      detail: { supply },
    });
    const phases = [
      ph('idle-before', 0, 10_000),
      ph('measure', 10_000, 20_000, 1),
      ph('idle-after', 20_000, 30_000),
    ];
    const flat150 = readings(() => 150);
    const s = summaryOf(
      [meter(1, 'meter:shelly-0', 'psu-a'), meter(2, 'meter:shelly-1', 'psu-b')],
      [flat150, flat150],
      phases,
      [{ ...BASE, startOffsetMs: 10_000, latencyMs: 10_000 }],
    );
    expect(s.energy?.total.meanW, 'both supplies').toBeCloseTo(300, 9);
    expect(formatEnergySection(s.energy as NonNullable<RunSummary['energy']>)).toContain(
      'Machine total (meter:shelly-0 (supply psu-a) + meter:shelly-1 (supply psu-b); sampled): idle 300.0 W, mean 300.0 W, energy 3000.0 J, marginal 0.0 J',
    );
    const same = summaryOf(
      [meter(1, 'meter:shelly-0', 'psu-a'), meter(2, 'meter:command-1', 'psu-a', false)],
      [flat150, flat150],
      phases,
      [{ ...BASE, startOffsetMs: 10_000, latencyMs: 10_000 }],
    );
    expect(same.energy?.flags).toEqual([
      'meter:command-1 (supply psu-a) is not in the total: meter:shelly-0 reads the same supply; ' +
        'meters on different supplies are summed once each has its telemetry.meters[].supply',
    ]);
  });
});
