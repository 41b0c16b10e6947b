import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/json-schema.js';
import type { ApiPrice } from '../src/cost/price-types.js';
import { formatCostCsv, COST_CSV_HEADER } from '../src/report/format-cost-csv.js';
import { formatRunMarkdown } from '../src/report/format-markdown.js';
import { formatRunTable } from '../src/report/format-table.js';
import { buildCostFigure, buildVolumeFigure } from '../src/report/html/cost-figures.js';
import { renderKeyFigures, renderNotes } from '../src/report/html/sections.js';
import { computeRunCost } from '../src/report/run-cost.js';
import { computeRunSummary, type RunSummary } from '../src/report/summary.js';
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
