/**
 * The HTML report's open-loop charts (src/report/html/open-loop-charts.ts): exact SVG coordinates for
 * a hand-made sweep, the order by rate, the held / exceeded markers, the bound line, escaping, and
 * single-level runs drawn without dividing by zero.
 */
import { describe, expect, it } from 'vitest';
import type { LevelSummary, SweepSummary } from '../src/analysis/levels.js';
import type { OpenLoopFigures } from '../src/analysis/open-loop-summary.js';
import type { Distribution } from '../src/analysis/stats.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { OPEN_LOOP_PLOT, renderAchievedChart, renderKneeChart } from '../src/report/html/open-loop-charts.js';
import { renderOpenLoop } from '../src/report/html/open-loop-section.js';
import { computeValueAxis } from '../src/report/html/svg-chart.js';

/** A distribution with only the figures the charts read. */
function dist(median: number, p95: number): Distribution {
  return {
    count: 10,
    min: median,
    median,
    p95,
    max: p95,
    mean: median,
    stdDev: 0,
    ci95: null,
    cv: null,
    outliers: [],
  };
}

function level(
  rate: number,
  p50: number,
  p95: number,
  o: Partial<OpenLoopFigures>,
  ttft: Distribution | null = null,
): LevelSummary {
  const openLoop: OpenLoopFigures = {
    offeredRatePerS: rate,
    achievedRatePerS: rate,
    clientQueueWaitMs: dist(1, 2),
    overSaturated: false,
    latencyBoundMs: 500,
    ttftBoundMs: null,
    withinBound: true,
    ...o,
  };
  return {
    concurrency: 1,
    arrivalRatePerS: rate,
    ok: 10,
    failed: 0,
    latencyMs: dist(p50, p95),
    ttftMs: ttft,
    openLoop,
  } as unknown as LevelSummary;
}

/** Rates visited out of order, 8 then 4 then 6; the bound 500 ms; 8/s exceeded it. */
const SWEEP = {
  levels: [
    level(8, 600, 900, { achievedRatePerS: 7, withinBound: false }),
    level(4, 150, 200, { achievedRatePerS: 4 }),
    level(6, 300, 400, { achievedRatePerS: 5.5 }),
  ],
  best: 0,
  rateCapacity: {
    ratePerS: 6,
    p95LatencyMs: 400,
    p95TtftMs: null,
    latencyBoundMs: 500,
    ttftBoundMs: null,
    lowestFailingRatePerS: 8,
  },
} as unknown as SweepSummary;

function attrs(svg: string, pattern: RegExp): string[] {
  return [...svg.matchAll(pattern)].map((m) => m.slice(1).join(','));
}

describe('value axis', () => {
  it('rounds the top up to a 1-2-5 step, and never has a zero span', () => {
    // 8 / 5 ticks = 1.6 -> step 2, top 8; 900 / 5 = 180 -> step 200, top ceil(4.5) * 200 = 1000.
    expect(computeValueAxis(8)).toMatchObject({ top: 8, step: 2, ticks: [0, 2, 4, 6, 8], decimals: 0 });
    expect(computeValueAxis(900)).toMatchObject({ top: 1000, step: 200, decimals: 0 });
    // 0.7 / 5 = 0.14 -> step 0.2, top ceil(3.5) * 0.2 = 0.8, one decimal.
    expect(computeValueAxis(0.7).top).toBeCloseTo(0.8, 12);
    expect(computeValueAxis(0.7).decimals).toBe(1);
    // Nothing to scale (0, NaN): the axis 0..1.
    expect(computeValueAxis(0).top).toBe(1);
    expect(computeValueAxis(Number.NaN).top).toBe(1);
  });
});

describe('latency against offered rate', () => {
  // Plot box x 70..470 (400 px), y 30..230 (200 px).
  // x: rates up to 8 -> axis 0..8 (step 2); x(r) = 70 + r / 8 * 400: 4 -> 270, 6 -> 370, 8 -> 470.
  // y: values up to 900 (p95), bound 500 -> axis 0..1000 (step 200); y(v) = 30 + 200 - v / 1000 * 200:
  //   p95 200 -> 190, 400 -> 150, 900 -> 50; p50 150 -> 200, 300 -> 170, 600 -> 110; bound 500 -> 130.
  const svg = renderKneeChart(SWEEP, 'm');

  it('draws the plot box it states', () => {
    expect(OPEN_LOOP_PLOT).toEqual({ left: 70, top: 30, width: 400, height: 200 });
  });

  it('draws p95 and p50 through the levels in order of rate', () => {
    const lines = attrs(svg, /<polyline points="([^"]+)"/g);
    expect(lines).toEqual(['270.0,190.0 370.0,150.0 470.0,50.0', '270.0,200.0 370.0,170.0 470.0,110.0']);
  });

  it('marks each p95 point held (filled circle) or exceeded (hollow square)', () => {
    expect(attrs(svg, /<circle class="pt held" cx="([\d.]+)" cy="([\d.]+)" r="4.5" fill="#0072b2"/g)).toEqual(
      ['270.0,190.0', '370.0,150.0'],
    );
    // The square is 8 px wide, centred on (470, 50): corner (466, 46), hollow.
    expect(
      attrs(svg, /<rect class="pt exceeded" x="([\d.]+)" y="([\d.]+)" width="8" height="8" fill="#fff"/g),
    ).toEqual(['466.0,46.0']);
    // p50 points are plain dots: 150 ms at 4/s -> (270, 200).
    expect(svg).toContain('<circle class="pt" cx="270.0" cy="200.0" r="2.5"');
    // The tooltips carry the table's own cells.
    expect(svg).toContain('<title>8/s offered: p95 latency 900.0 ms, exceeded</title>');
    // The legend shows the shape of each verdict present (grey), and only those: rows 18 px apart from
    // y 40 (p95, p50, held, exceeded), samples centred at x 490 + 11 = 501: held at y 76, exceeded at 94.
    expect(svg).toContain('<circle class="legend" cx="501.0" cy="76.0" r="4.5" fill="#5b6476"');
    expect(svg).toContain('>held the bound</text>');
    expect(svg).toContain('<rect class="legend" x="497.0" y="90.0" width="8" height="8" fill="#fff"');
    expect(svg).toContain('>exceeded the bound</text>');
    expect(svg).not.toContain('>over-saturated</text>');
  });

  it('draws the bound as a dashed line at its value, labelled, and the capacity on the rate axis', () => {
    expect(svg).toContain(
      '<line x1="70.0" y1="130.0" x2="470.0" y2="130.0" stroke="#5b6476" stroke-dasharray="6 4"/>',
    );
    // Label right-aligned 4 px inside the plot, 4 px above the line: (466, 126).
    expect(svg).toContain('<text x="466.0" y="126.0" text-anchor="end">p95 latency bound 500 ms</text>');
    // Capacity 6/s: x = 370, from the plot top (30) to 8 px below the axis (238); label 8 px above the plot.
    expect(svg).toContain(
      '<line x1="370.0" y1="30.0" x2="370.0" y2="238.0" stroke="#5b6476" stroke-dasharray="2 2"/>',
    );
    expect(svg).toContain('<text x="370.0" y="22.0" text-anchor="middle">capacity 6/s</text>');
  });

  it('labels the ticks with their units', () => {
    // y tick 200 ms at y 190, its label 6 px left of the axis and 4 px lower: (64, 194).
    expect(svg).toContain('<text x="64.0" y="194.0" text-anchor="end">200 ms</text>');
    // x tick 4/s at x 270, its label 18 px under the axis (230 + 18 = 248).
    expect(svg).toContain('<text x="270.0" y="248.0" text-anchor="middle">4/s</text>');
  });

  it('draws p95 TTFT and its bound where present', () => {
    const ttft = {
      levels: [
        level(2, 100, 200, { ttftBoundMs: 300 }, dist(50, 250)),
        level(1, 50, 100, { ttftBoundMs: 300 }, dist(20, 80)),
      ],
      best: 0,
      rateCapacity: null,
    } as unknown as SweepSummary;
    const chart = renderKneeChart(ttft, 'm');
    // x: up to 2 -> 2 / 5 = 0.4 -> step 0.5, top 2; x(1) = 70 + 1 / 2 * 400 = 270, x(2) = 470.
    // y: up to 500 (the latency bound) -> step 100, top 500; y(v) = 230 - v / 500 * 200:
    //   TTFT p95 80 -> 198, 250 -> 130; TTFT bound 300 -> 110.
    expect(chart).toContain('<polyline points="270.0,198.0 470.0,130.0" fill="none" stroke="#009e73"');
    expect(chart).toContain('<text x="74.0" y="106.0" text-anchor="start">p95 TTFT bound 300 ms</text>');
    // x tick 0.5 (step 0.5: one decimal) at 70 + 0.5 / 2 * 400 = 170.
    expect(chart).toContain('<text x="170.0" y="248.0" text-anchor="middle">0.5/s</text>');
  });
});

describe('achieved against offered rate', () => {
  // One axis for both: up to 8 -> 0..8; x(r) = 70 + r / 8 * 400, y(a) = 230 - a / 8 * 200:
  //   (4, 4) -> (270, 130); (6, 5.5) -> (370, 92.5); (8, 7) -> (470, 55).
  const svg = renderAchievedChart(SWEEP, 'm');

  it('puts each level at (offered, achieved), in order of rate, beside y = x', () => {
    expect(attrs(svg, /<circle class="pt" cx="([\d.]+)" cy="([\d.]+)"/g)).toEqual([
      '270.0,130.0',
      '370.0,92.5',
      '470.0,55.0',
    ]);
    // y = x from (0, 0) -> (70, 230) to (8, 8) -> (470, 30).
    expect(svg).toContain(
      '<line x1="70.0" y1="230.0" x2="470.0" y2="30.0" stroke="#5b6476" stroke-dasharray="6 4"/>',
    );
    expect(svg).toContain('<title>6/s offered, 5.50/s achieved</title>');
  });
});

describe('accessible names and escaping', () => {
  it('names each chart and escapes the model in it', () => {
    const svg = renderKneeChart(SWEEP, 'llama<3>&"q"');
    const name =
      'Latency against offered rate, llama&lt;3&gt;&amp;&quot;q&quot;: p95 latency, p50 latency (ms) at 3 offered rates, ' +
      'in order of rate; dashed: the p95 latency bound, 500 ms; capacity within the bound: 6 tasks/s';
    expect(svg).toContain(`role="img" aria-label="${name}"`);
    expect(svg).toContain(`<title>${name}</title>`);
    expect(renderAchievedChart(SWEEP, '<b>')).toContain(
      'aria-label="Achieved against offered rate, &lt;b&gt;:',
    );
    expect(svg).not.toContain('<3>');
  });

  it('puts both charts in the section, and writes the bound when no rate held it', () => {
    const run = { run: { model: 'm' }, sweep: SWEEP } as unknown as RunSummary;
    const html = renderOpenLoop(run);
    expect(html.match(/<figure class="open-loop-chart"><svg /g)).toHaveLength(2);
    const none = { ...SWEEP, rateCapacity: null } as SweepSummary;
    expect(renderOpenLoop({ run: { model: 'm' }, sweep: none } as unknown as RunSummary)).toContain(
      '<p>Bounds: p95 latency 500 ms.</p>',
    );
    expect(html).not.toContain('Bounds:');
  });
});

describe('a single level, or all rates equal', () => {
  it('draws one level at the right edge without dividing by zero', () => {
    const one = { levels: [level(4, 100, 200, { latencyBoundMs: null, withinBound: null })], best: 0 };
    const svg = renderKneeChart(one as unknown as SweepSummary, 'm');
    // x: 4 / 5 = 0.8 -> step 1, top 4: x(4) = 470. y: 200 / 5 = 40 -> step 50, top 200: y(200) = 30.
    expect(svg).toContain('<circle class="pt no-bound" cx="470.0" cy="30.0" r="4.5" fill="#fff"');
    expect(svg).not.toContain('<polyline');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('draws equal rates and unknown figures without NaN', () => {
    const same = {
      levels: [
        level(5, 100, 200, { achievedRatePerS: null }),
        { ...level(5, 0, 0, { achievedRatePerS: null }), latencyMs: null },
      ],
      best: 0,
      rateCapacity: null,
    } as unknown as SweepSummary;
    for (const svg of [renderKneeChart(same, 'm'), renderAchievedChart(same, 'm')])
      expect(svg).not.toMatch(/NaN|Infinity/);
    // x: 5 / 5 = 1 -> step 1, top 5: x(5) = 470; both ticks labels 0/s .. 5/s.
    expect(renderKneeChart(same, 'm')).toContain('<text x="470.0" y="248.0" text-anchor="middle">5/s</text>');
    // Achieved unknown at every level: no points, the axis 0..5 from the offered rate alone.
    expect(renderAchievedChart(same, 'm')).not.toContain('class="pt"');
  });
});
