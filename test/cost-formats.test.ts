import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/json-schema.js';
import type { ApiPrice } from '../src/cost/price-types.js';
import { formatCostCsv, COST_CSV_HEADER } from '../src/report/format-cost-csv.js';
import { formatRunMarkdown } from '../src/report/format-markdown.js';
import { formatRunTable } from '../src/report/format-table.js';
import { buildCostFigure, buildVolumeFigure } from '../src/report/html/cost-figures.js';
import { renderKeyFigures, renderNotes } from '../src/report/html/sections.js';
import { computeRunCost } from '../src/analysis/run-cost.js';
import { computeRunSummary, type RunSummary } from '../src/analysis/summary.js';
import type { RequestRow } from '../src/store/requests.js';
import type { RunRow } from '../src/store/runs.js';

const RUN: RunRow = {
  id: 5,
  status: 'completed',
  startedAt: '2026-11-27T10:00:00.000Z',
  finishedAt: '2026-11-27T10:00:10.000Z',
  backend: 'ollama',
  host: 'http://127.0.0.1:11434',
  model: 'llama',
  suiteId: 'triage-basic',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 2,
  settings: {},
  costbenchVersion: '0.1.0',
  error: null,
  warnings: [],
};

function row(seq: number): RequestRow {
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
    loadMs: 1,
    serverTotalMs: 1000,
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
    cachedPromptTokens: null,
  };
}

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

describe('issue 13 item 10: every format says the default full view is incomplete, and gives no full-view verdict', () => {
  const base = computeRunSummary(RUN, [row(0), row(1)], null, null, null);
  const summary: RunSummary = {
    ...base,
    cost: computeRunCost(base, defaultConfig().cost, [MINI], { models: ['gpt-4o-mini'] }).cost,
  };
  const missing =
    'cost.hardware.purchasePrice, cost.hardware.alreadyOwnedIdle, cost.engineering.setupHours, cost.engineering.maintenanceHoursPerMonth, cost.engineering.hourlyRate';

  it('table and Markdown', () => {
    for (const text of [formatRunTable(summary), formatRunMarkdown(summary)]) {
      // The fixture measured no energy either: that is named too.
      expect(text).toContain(
        `full view INCOMPLETE: ${missing}, energy per task unknown; no full-view verdict or break-even.`,
      );
      expect(text).toContain('none: the full view is incomplete');
      expect(text).toContain('costbench init');
      expect(text).not.toMatch(/local cheaper|local is cheaper/);
    }
  });

  it('JSON and CSV: unknown, not zero', () => {
    const json = JSON.parse(JSON.stringify(summary)) as RunSummary;
    expect(json.cost?.fullView.complete).toBe(false);
    expect(json.cost?.local.full).toBeNull();
    expect(json.cost?.apis[0]?.breakEvenFull.kind).toBe('unknown');
    const csv = formatCostCsv(summary.cost ?? (undefined as never)).split('\r\n');
    expect(csv[0]).toBe(COST_CSV_HEADER.join(','));
    const cells = csv[1]?.split(',') ?? [];
    expect(cells.slice(0, 4), 'volume, machines, local full (empty), local marginal').toEqual([
      '100',
      '1',
      '',
      '',
    ]);
    expect(cells[6], 'no verdict').toBe('');
    expect(cells[7]).toBe('false');
    expect(csv[1]).toContain('cost.hardware.purchasePrice; cost.hardware.alreadyOwnedIdle');
  });

  it('HTML: key figure, notes and both cost charts', () => {
    expect(renderKeyFigures(summary)).toContain('full view INCOMPLETE (cost.hardware.purchasePrice');
    expect(renderNotes(summary)).toContain('the full view is INCOMPLETE');
    expect(buildCostFigure(summary).caption).toContain(
      'No local full-view bar or line: the full view INCOMPLETE',
    );
    expect(buildVolumeFigure(summary).caption).toContain('No local full-view bar or line');
  });
});

describe('issue 15 item 1: no energy measured or estimated, every other input set: unknown, no verdict, and the fix', () => {
  const base = computeRunSummary(RUN, [row(0), row(1)], null, null, null);
  const cost = defaultConfig().cost;
  const complete = {
    ...cost,
    hardware: { ...cost.hardware, purchasePrice: 0, alreadyOwnedIdle: true },
    engineering: { setupHours: 0, maintenanceHoursPerMonth: 0, hourlyRate: null },
  };
  const summary: RunSummary = {
    ...base,
    cost: computeRunCost(base, complete, [MINI], { models: ['gpt-4o-mini'] }).cost,
  };

  it('the only missing input is the energy; nothing local is costed, nothing judged', () => {
    const c = summary.cost;
    expect(c?.fullView.missing.map((m) => m.key)).toEqual(['energy per task']);
    expect([c?.local.full, c?.local.marginal, c?.local.fullPerTask, c?.local.marginalPerTask]).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(c?.apis[0]?.cheaper).toBeNull();
    expect(c?.apis[0]?.marginalCheaper).toBeNull();
    expect(c?.apis[0]?.breakEvenFull.kind).toBe('unknown');
    expect(c?.table.every((r) => r.localFull === null && r.apis.every((a) => a.cheaper === null))).toBe(true);
  });

  it('table and Markdown: unknown, no "*" mark, no verdict, and what would make it known', () => {
    for (const text of [formatRunTable(summary), formatRunMarkdown(summary)]) {
      expect(text).toContain(
        'energy per task unknown; no full-view verdict or break-even. To complete it: energy per task: ',
      );
      expect(text).toContain('says what can be read here and what to enable');
      expect(text).toContain(
        'no energy was measured or estimated: local electricity is unknown, so local cost is unknown',
      );
      expect(text).not.toMatch(/local cheaper|local is cheaper|API cheaper|\d\*|\\\*\s*\|/);
    }
    expect(formatRunTable(summary)).toContain('local full view unknown (—): no full-view verdict');
  });

  it('CSV and JSON: empty local and verdict cells, the fix in its column', () => {
    const lines = formatCostCsv(summary.cost ?? (undefined as never))
      .trim()
      .split('\r\n');
    const cols = (lines[0] ?? '').split(',');
    for (const line of lines.slice(1)) {
      const cells = line.match(/("[^"]*"|[^,]*)(,|$)/g)?.map((x) => x.replace(/,$/, '')) ?? [];
      const cell = (name: string): string | undefined => cells[cols.indexOf(name)];
      expect([
        cell('local_full'),
        cell('local_marginal'),
        cell('cheaper_full_view'),
        cell('local_full_low'),
      ]).toEqual(['', '', '', '']);
      expect(cell('full_view_fix')).toContain('energy per task: measure or estimate power in a new run');
    }
    const json = JSON.parse(JSON.stringify(summary)) as RunSummary;
    expect(json.cost?.fullView.missing[0]?.fix).toContain('telemetry.cpuTdpW');
  });

  it('HTML: the key figure names the fix for the energy (not `costbench init`), no local bar, line or mark', () => {
    const key = renderKeyFigures(summary);
    expect(key).toContain('<div class="kf-value">— / — USD</div>');
    expect(key).toContain(
      'full view INCOMPLETE (energy per task unknown: energy per task: measure or estimate power',
    );
    expect(key).not.toContain('run `costbench init`');
    const bars = buildCostFigure(summary);
    expect(
      bars.data?.groups
        .slice(0, 2)
        .flatMap((g) => g.values)
        .every((v) => v === null),
    ).toBe(true);
    const volume = buildVolumeFigure(summary);
    expect(volume.data?.breakEvens).toEqual([]);
    expect(
      volume.data?.lines
        .slice(0, 2)
        .flatMap((l) => l.values)
        .every((v) => v === null),
    ).toBe(true);
    expect(volume.caption).toContain('none: the full view is incomplete. No local full-view bar or line');
  });
});
