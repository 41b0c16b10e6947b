import { describe, expect, it } from 'vitest';
import { describeCpuEstimate } from '../src/cli/commands/doctor-estimate.js';
import { formatEnergySection } from '../src/report/format-energy.js';
import { formatRunMarkdown } from '../src/report/format-markdown.js';
import { renderEnergyNotes, renderKeyFigures } from '../src/report/html/sections.js';
import type { Channel } from '../src/telemetry/sampler.js';
import { RANGE_DETAIL, rangeEnergy, rangeSummary } from './support/estimate-range-run.js';

// Hand computation (test/support/estimate-range-run.ts): measured GPU 250 W x 10 s = 2500 J, idle 50 W;
// CPU estimate at its point 100 W: 100 W x 10 s = 1000 J, idle 10 W. The estimate scales with the TDP:
// x 0.5 at 50 W (500 J, idle 5 W), x 2 at 200 W (2000 J, idle 20 W). 10 tasks, 1000 output tokens.
describe('issue 15 item 2: the energy of an estimate with a TDP range, at both ends', () => {
  const e = rangeEnergy();

  it('machine totals: point 3500 J, low 2500 + 500 = 3000 J, high 2500 + 2000 = 4500 J', () => {
    expect([e.total.energyJ, e.total.range?.low.energyJ, e.total.range?.high.energyJ], 'energy J').toEqual([
      3500, 3000, 4500,
    ]);
    expect(
      [e.total.idleW, e.total.range?.low.idleW, e.total.range?.high.idleW],
      'idle 50 + 10 / 5 / 20 W',
    ).toEqual([60, 55, 70]);
    // Marginal: 3500 - 60 x 10 = 2900; 3000 - 55 x 10 = 2450; 4500 - 70 x 10 = 3800.
    expect([
      e.total.marginalEnergyJ,
      e.total.range?.low.marginalEnergyJ,
      e.total.range?.high.marginalEnergyJ,
    ]).toEqual([2900, 2450, 3800]);
    expect(
      [e.total.perTaskJ, e.total.range?.low.perTaskJ, e.total.range?.high.perTaskJ],
      'per task / 10',
    ).toEqual([350, 300, 450]);
    expect(e.total.range?.high.whPer1kOutputTokens, '4500 J / 3600 / 1k tokens').toBe(1.25);
    expect(e.levels[0]?.range, 'the one level has the same ends').toEqual({
      low: { energyJ: 3000, marginalEnergyJ: 2450, meanW: 300, perTaskJ: 300, perTaskMarginalJ: 245 },
      high: { energyJ: 4500, marginalEnergyJ: 3800, meanW: 450, perTaskJ: 450, perTaskMarginalJ: 380 },
    });
    expect(e.total.estimate).toMatchObject({
      channelKey: 'estimate:cpu',
      tdpW: 100,
      lowW: 50,
      highW: 200,
      from: 'class',
    });
  });

  it('a point TDP (a table row, the config, a run from before ranges) has no range', () => {
    const point = rangeEnergy({ ...RANGE_DETAIL, tdpLowW: 100, tdpHighW: 100, tdpFrom: 'table' });
    expect(point.total.range).toBeNull();
    expect(point.levels[0]?.range).toBeNull();
    expect(point.total.estimate).toMatchObject({ tdpW: 100, lowW: 100, highW: 100 });
    const old = rangeEnergy({
      estimate: true,
      tdpW: 100,
      tdpFrom: 'table',
      tdpSource: 'Ryzen 9 7950X: vendor spec sheet',
    });
    expect(old.total.estimate, 'older runs stored the point only').toMatchObject({ lowW: 100, highW: 100 });
    expect(old.total.energyJ).toBe(3500);
  });

  it('the text report: low–high totals marked ~, and the TDP assumed with its basis', () => {
    const text = formatEnergySection(e).join('\n');
    expect(text).toContain(
      'idle ~55.0–70.0 W, mean ~300.0–450.0 W, energy ~3000.0–4500.0 J, marginal ~2450.0–3800.0 J',
    );
    expect(text).toContain('Per task: ~300.0–450.0 J total, ~245.0–380.0 J marginal (above idle)');
    expect(text).toContain('per 1k output tokens: ~0.833–1.250 Wh total, ~0.681–1.056 Wh marginal');
    expect(text).toContain(
      'CPU power is an ESTIMATE: TDP 50–200 W assumed (AMD EPYC, 16 cores, server class (by its name)',
    );
    expect(text).toContain('set telemetry.cpuTdpW');
    expect(text, 'no machine total as a bare point').not.toContain('energy ~3500.0 J');
  });

  it('Markdown and HTML say the same', () => {
    const s = rangeSummary();
    const md = formatRunMarkdown(s);
    expect(md).toContain('energy \\~3000.0–4500.0 ESTIMATE J');
    expect(md).toContain('Per task: \\~300.0–450.0 ESTIMATE J total');
    expect(md).toContain('CPU power is an ESTIMATE: TDP 50–200 W assumed');
    const key = renderKeyFigures(s);
    expect(key).toContain('<div class="kf-value">~300.0–450.0 J</div>');
    expect(key).toContain('~245.0–380.0 J above idle');
    expect(key).toContain('TDP 50–200 W assumed');
    expect(renderEnergyNotes(s)).toContain('energy ~3000.0–4500.0 J');
  });
});

describe('issue 15 item 2: doctor says which TDP the estimate assumes and how to set telemetry.cpuTdpW', () => {
  const estimate = (detail: Channel['detail']): Channel => ({
    key: 'estimate:cpu',
    source: 'estimate',
    device: 'AMD EPYC',
    kind: 'estimate',
    covers: 'cpu',
    detail,
  });
  it('a range, from class and cores', () => {
    const text = describeCpuEstimate([estimate(RANGE_DETAIL)]);
    expect(text).toContain(
      'CPU power ESTIMATE (nothing here measures the CPU): TDP 50–200 W assumed (AMD EPYC, 16 cores',
    );
    expect(text).toContain('a range: energy and cost will be reported low–high, the samples at 100 W');
    expect(text).toContain("set telemetry.cpuTdpW to the CPU's rated power in watts");
  });
  it('a point from the table; nothing when no estimate is used', () => {
    const row = {
      ...RANGE_DETAIL,
      tdpW: 170,
      tdpLowW: 170,
      tdpHighW: 170,
      tdpBasis: 'Ryzen 9 7950X: rated 170 W',
      tdpSource: 'AMD page',
    };
    expect(describeCpuEstimate([estimate(row)])).toContain(
      'TDP 170 W assumed (Ryzen 9 7950X: rated 170 W); a point; source: AMD page',
    );
    const gpu: Channel = {
      key: 'nvidia:0',
      source: 'nvidia',
      device: 'GPU',
      kind: 'sampled',
      covers: 'gpu-board',
      detail: {},
    };
    expect(describeCpuEstimate([gpu])).toBe('');
  });
});
