import { describe, expect, it } from 'vitest';
import { formatCostCsv } from '../src/report/format-cost-csv.js';
import { formatRunMarkdown } from '../src/report/format-markdown.js';
import { formatRunTable } from '../src/report/format-table.js';
import { buildCostFigure, buildVolumeFigure } from '../src/report/html/cost-figures.js';
import { renderKeyFigures } from '../src/report/html/sections.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { RANGE_DETAIL, rangeSummary } from './support/estimate-range-run.js';

// Hand computation (test/support/estimate-range-run.ts): 1 s of machine time a task; per task 300 J at the
// low end (CPU TDP 50 W), 450 J at the high end (200 W), 350 J at the point (100 W). Electricity 1 USD/kWh:
// 300 / 3.6e6 = 0.0000833, 450 / 3.6e6 = 0.000125 a task. Fixed costs 10 a month (1 h upkeep x 10).
// API: 200 tokens x 1 USD / 1M = 0.0002 a task. Local <= API from 10 / (0.0002 - work) tasks a month:
// 85,714.3 -> 85,715 at the low end, 133,333.3 -> 133,334 at the high end.
describe('issue 15 item 2: cost of an estimate range, a verdict only where both ends agree', () => {
  const s = rangeSummary();
  const c = s.cost as NonNullable<RunSummary['cost']>;

  it('local cost at both ends; the API verdict where both agree; the break-even as the range of volumes', () => {
    expect(c.range?.tdp).toEqual({ lowW: 50, highW: 200, basis: RANGE_DETAIL.tdpBasis });
    expect(c.range?.low.local.fullPerTask, '(10 + 10,000 x 0.0000833) / 10,000').toBeCloseTo(0.00108333, 8);
    expect(c.range?.high.local.fullPerTask, '(10 + 10,000 x 0.000125) / 10,000').toBeCloseTo(0.001125, 9);
    const a = c.apis[0];
    expect(a?.cheaper, 'at 10,000: 10.83 and 11.25 against 2.00').toBe('api');
    expect(a?.ratioRange?.low).toBeCloseTo(10.8333 / 2, 3);
    expect(a?.ratioRange?.high).toBeCloseTo(11.25 / 2, 9);
    expect(a?.breakEvenFull).toMatchObject({
      kind: 'depends',
      atLowPower: { kind: 'volume', ranges: [{ from: 85_715, until: null }] },
      atHighPower: { kind: 'volume', ranges: [{ from: 133_334, until: null }] },
    });
  });

  it('the volume table: API at 100 (both ends), no verdict at 100,000 though the point says local, local at 1,000,000', () => {
    // At 100,000: 10 + 8.33 = 18.33 and 10 + 12.5 = 22.50 against 20.00; the point 19.72 would say local.
    expect(c.table.map((r) => [r.volume, r.apis[0]?.cheaper, r.apis[0]?.dependsOnPower])).toEqual([
      [100, 'api', false],
      [1000, 'api', false],
      [10_000, 'api', false],
      [100_000, null, true],
      [1_000_000, 'local', false],
    ]);
    expect(c.table[3]?.localFull, 'the point, kept in JSON').toBeCloseTo(19.7222, 4);
  });

  it('text and Markdown: ~low–high money, the range line, "?" where it depends, the break-even in words', () => {
    const text = formatRunTable(s);
    expect(text).toContain('full view: ~10.83–11.25 USD/month, ~0.00108–0.00112 per task, of which:');
    expect(text).toContain('marginal view (electricity above idle): ~0.681–1.06 USD/month');
    expect(text).toContain('1.00 s of machine time, ~300.0–450.0 J (~245.0–380.0 J above idle)');
    expect(text).toContain('Local cost is an ESTIMATE range, low–high at CPU TDP 50–200 W (AMD EPYC');
    expect(text).toContain('API cheaper 5.4–5.6x');
    expect(text).toContain(
      "local is cheaper from 85,715–133,334 tasks/month, depending on the CPU's real power (ESTIMATE range)",
    );
    expect(text).toMatch(/100,000 +1 +~18\.33–22\.50 \(~6\.81–10\.56\) +20\.00\?/);
    expect(text).toMatch(/1,000,000 +1 +~93\.33–135\.00 \(~68\.06–105\.56\) +200\.00 /);
    expect(text).toContain("? it depends on the CPU's real power");
    expect(text, 'no bare point cost').not.toContain('19.72');
    const md = formatRunMarkdown(s);
    expect(md).toContain('| 100,000 | 1 | \\~18.33–22.50 ESTIMATE (\\~6.81–10.56 ESTIMATE) | 20.00 ? |');
    expect(md).toContain('full view: \\~10.83–11.25 ESTIMATE USD/month');
    expect(md).toContain(
      "| flat-api | 0.000200 | 2.00 | API cheaper 5.4–5.6x | local is cheaper from 85,715–133,334 tasks/month, depending on the CPU's real power (ESTIMATE range) |",
    );
  });

  it('CSV: the ends in their own columns, no verdict where they disagree, the TDP range named', () => {
    const [header, ...rows] = formatCostCsv(c).trim().split('\r\n');
    const cols = (header ?? '').split(',');
    const row = (rows[3] ?? '').match(/("[^"]*"|[^,]*)(,|$)/g)?.map((x) => x.replace(/,$/, '')) ?? [];
    const cell = (name: string): string | undefined => row[cols.indexOf(name)];
    expect(cell('tasks_per_month')).toBe('100000');
    expect(cell('cheaper_full_view'), 'no verdict').toBe('');
    expect(cell('cheaper_depends_on_cpu_power')).toBe('true');
    expect(Number(cell('local_full_low'))).toBeCloseTo(18.3333, 4);
    expect(Number(cell('local_full_high'))).toBe(22.5);
    expect(cell('energy_estimate')).toBe(
      '"ESTIMATE: CPU TDP 50–200 W (AMD EPYC, 16 cores, server class (by its name): by class and core count (fake))"',
    );
  });

  it('HTML: the key figure as ranges, bars and lines at both ends, break-evens marked at both', () => {
    expect(renderKeyFigures(s)).toContain(
      '<div class="kf-value">~0.0000681–0.000106 / ~0.00108–0.00112 USD</div>',
    );
    const bars = buildCostFigure(s);
    expect(bars.data?.groups.map((g) => g.label)).toEqual([
      'local, at CPU TDP 50 W ~ ESTIMATE',
      'local, at CPU TDP 200 W ~ ESTIMATE',
      'API (list price)',
    ]);
    expect(bars.caption).toContain("the two ends of the ESTIMATE's range, CPU TDP 50–200 W");
    const volume = buildVolumeFigure(s);
    expect(volume.data?.lines.map((l) => l.label).slice(0, 4)).toEqual([
      'local full at CPU TDP 50 W ~ ESTIMATE',
      'local marginal at CPU TDP 50 W ~ ESTIMATE',
      'local full at CPU TDP 200 W ~ ESTIMATE',
      'local marginal at CPU TDP 200 W ~ ESTIMATE',
    ]);
    expect(volume.data?.lines[2]?.values, 'high end: 10 + V x 0.000125').toEqual([
      10.0125, 10.125, 11.25, 22.5, 135,
    ]);
    expect(volume.data?.breakEvens).toEqual([
      { label: 'flat-api ≥ 85,715 (low TDP)', volume: 85_715 },
      { label: 'flat-api ≥ 133,334 (high TDP)', volume: 133_334 },
    ]);
  });

  it('JSON: the point, both ends and the TDP basis', () => {
    const json = JSON.parse(JSON.stringify(s)) as RunSummary;
    expect(json.cost?.range?.high.table[4]).toEqual({
      volume: 1_000_000,
      localFull: 135,
      localMarginal: 380 / 3.6,
    });
    expect(json.energy?.total.estimate?.basis).toBe(RANGE_DETAIL.tdpBasis);
  });

  it('a point TDP (an exact table row with one rated figure): no range, the point marked ~, verdicts as measured', () => {
    const point = rangeSummary({ ...RANGE_DETAIL, tdpLowW: 100, tdpHighW: 100, tdpFrom: 'table' });
    expect(point.cost?.range).toBeNull();
    expect(point.cost?.table[3]?.apis[0]?.cheaper, 'at 100,000: 19.72 < 20.00').toBe('local');
    const text = formatRunTable(point);
    expect(text).toContain('1.00 s of machine time, ~350.0 J (~290.0 J above idle)');
    expect(text).toContain('full view: ~10.97 USD/month, ~0.00110 per task');
    expect(text).toContain('CPU power is an ESTIMATE: TDP 100 W assumed');
  });
});
