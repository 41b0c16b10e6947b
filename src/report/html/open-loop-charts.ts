/**
 * The open-loop section's two inline-SVG charts (no script): latency against offered rate (the knee),
 * with each level's p95 marked held / exceeded / over-saturated by shape, the bound(s) as dashed lines
 * and the capacity within them on the rate axis; and achieved against offered rate beside y = x.
 * Levels in order of offered rate. Every number written is one the open-loop table shows. Pure.
 */
import type { LevelSummary, SweepSummary } from '../../analysis/levels.js';
import { openLoopCells, openLoopLevels } from '../format-open-loop.js';
import {
  computeValueAxis,
  type LegendEntry,
  type MarkerShape,
  type PlotBox,
  svgAxes,
  svgFrame,
  svgLegend,
  svgLine,
  svgMarker,
  svgPolyline,
  svgText,
  xOf,
  yOf,
} from './svg-chart.js';
import { SERIES_COLORS } from './styles.js';

/** The plot area of both charts, px: x 70..470, y 30..230. */
export const OPEN_LOOP_PLOT: PlotBox = { left: 70, top: 30, width: 400, height: 200 };
/** The whole SVG: the plot, a legend to its right, the rate axis below. */
export const OPEN_LOOP_CHART_W = 680;
export const OPEN_LOOP_CHART_H = 280;
const LEGEND_X = 490;
const GREY = '#5b6476';
const P95 = SERIES_COLORS[0] ?? '#0072b2';
const P50 = SERIES_COLORS[1] ?? '#d55e00';
const TTFT = SERIES_COLORS[2] ?? '#009e73';
const P50_DASH = '2 3';
const TTFT_DASH = '7 3 2 3';
const BOUND_DASH = '6 4';

/** A level's verdict, as the table's "bound" column writes it, and the marker shape that shows it. */
interface LevelState {
  shape: MarkerShape;
  cls: string;
  legend: string;
}
const NO_BOUND: LevelState = { shape: 'ring', cls: 'no-bound', legend: 'no bound' };
const STATE_SHAPES: Record<string, LevelState> = {
  held: { shape: 'disc', cls: 'held', legend: 'held the bound' },
  exceeded: { shape: 'square', cls: 'exceeded', legend: 'exceeded the bound' },
  'over-saturated': { shape: 'triangle', cls: 'over-saturated', legend: 'over-saturated' },
  '—': NO_BOUND,
};

/** One level with its table cells (the chart's numbers come from them) and its verdict. */
interface KneeLevel {
  level: LevelSummary;
  rate: number;
  cells: string[];
  state: LevelState;
}

function kneeLevels(w: SweepSummary): KneeLevel[] {
  return openLoopLevels(w).map((level) => {
    const cells = openLoopCells(level);
    return {
      level,
      rate: level.openLoop?.offeredRatePerS ?? 0,
      cells,
      state: STATE_SHAPES[cells[9] ?? '—'] ?? NO_BOUND,
    };
  });
}

/** A series of the knee chart: its value per level, its line, and whether its points show the verdict. */
interface KneeSeries {
  name: string;
  value: (l: LevelSummary) => number | null | undefined;
  cell: number;
  color: string;
  dash: string;
  verdict: boolean;
}

const KNEE_SERIES: KneeSeries[] = [
  { name: 'p95 latency', value: (l) => l.latencyMs?.p95, cell: 5, color: P95, dash: '', verdict: true },
  {
    name: 'p50 latency',
    value: (l) => l.latencyMs?.median,
    cell: 4,
    color: P50,
    dash: P50_DASH,
    verdict: false,
  },
  { name: 'p95 TTFT', value: (l) => l.ttftMs?.p95, cell: 6, color: TTFT, dash: TTFT_DASH, verdict: true },
];

/** The bounds of the sweep (every level has the same). */
function boundsOf(levels: readonly KneeLevel[]): { latencyMs: number | null; ttftMs: number | null } {
  const o = levels.find((l) => l.level.openLoop?.withinBound != null)?.level.openLoop;
  return { latencyMs: o?.latencyBoundMs ?? null, ttftMs: o?.ttftBoundMs ?? null };
}

function finite(v: number | null | undefined): v is number {
  return v !== null && v !== undefined && Number.isFinite(v);
}

/** Chart 1: p95 and p50 latency (and p95 TTFT where measured) against offered rate. */
export function renderKneeChart(w: SweepSummary, model: string): string {
  const levels = kneeLevels(w);
  const series = KNEE_SERIES.filter((s) => levels.some((l) => finite(s.value(l.level))));
  const bounds = boundsOf(levels);
  const values = series.flatMap((s) => levels.map((l) => s.value(l.level))).filter(finite);
  const box = OPEN_LOOP_PLOT;
  const x = computeValueAxis(Math.max(0, ...levels.map((l) => l.rate)));
  const y = computeValueAxis(Math.max(0, ...values, ...[bounds.latencyMs, bounds.ttftMs].filter(finite)));
  const body = svgAxes(
    box,
    { axis: x, tick: (t) => `${t}/s`, title: 'offered rate (tasks/s)' },
    { axis: y, tick: (t) => `${t} ms`, title: 'latency (ms)' },
  );
  const right = box.left + box.width;
  if (bounds.latencyMs !== null) {
    const by = yOf(box, y, bounds.latencyMs);
    body.push(svgLine(box.left, by, right, by, GREY, BOUND_DASH));
    body.push(svgText(right - 4, by - 4, `p95 latency bound ${bounds.latencyMs} ms`, 'end'));
  }
  if (bounds.ttftMs !== null) {
    const by = yOf(box, y, bounds.ttftMs);
    body.push(svgLine(box.left, by, right, by, TTFT, BOUND_DASH));
    body.push(svgText(box.left + 4, by - 4, `p95 TTFT bound ${bounds.ttftMs} ms`));
  }
  const capacity = w.rateCapacity?.ratePerS;
  if (capacity !== undefined) {
    const cx = xOf(box, x, capacity);
    body.push(svgLine(cx, box.top, cx, box.top + box.height + 8, GREY, '2 2'));
    body.push(svgText(cx, box.top - 8, `capacity ${capacity}/s`, 'middle'));
  }
  for (const s of series) {
    const drawn = levels.flatMap((l) => {
      const v = s.value(l.level);
      return finite(v) ? [{ l, at: [xOf(box, x, l.rate), yOf(box, y, v)] as [number, number] }] : [];
    });
    body.push(
      svgPolyline(
        drawn.map((d) => d.at),
        s.color,
        s.dash,
      ),
    );
    for (const { l, at } of drawn) {
      const tip = `${l.cells[0]}/s offered: ${s.name} ${l.cells[s.cell]} ms${s.verdict ? `, ${l.cells[9]}` : ''}`;
      const shape = s.verdict ? l.state.shape : 'dot';
      body.push(svgMarker(shape, at[0], at[1], s.color, s.verdict ? `pt ${l.state.cls}` : 'pt', tip));
    }
  }
  const legend: LegendEntry[] = series.map((s) => ({ text: s.name, line: { color: s.color, dash: s.dash } }));
  for (const state of Object.values(STATE_SHAPES))
    if (levels.some((l) => l.state === state))
      legend.push({ text: state.legend, marker: { shape: state.shape, color: GREY } });
  body.push(...svgLegend(LEGEND_X, box.top + 10, legend));
  const label =
    `Latency against offered rate, ${model}: ${series.map((s) => s.name).join(', ')} (ms) at ` +
    `${levels.length} offered rate${levels.length === 1 ? '' : 's'}, in order of rate` +
    (bounds.latencyMs === null ? '' : `; dashed: the p95 latency bound, ${bounds.latencyMs} ms`) +
    (bounds.ttftMs === null ? '' : `; the p95 TTFT bound, ${bounds.ttftMs} ms`) +
    (capacity === undefined ? '' : `; capacity within the bound: ${capacity} tasks/s`);
  return svgFrame(OPEN_LOOP_CHART_W, OPEN_LOOP_CHART_H, label, body);
}

/** Chart 2: achieved against offered rate, with y = x for reference. */
export function renderAchievedChart(w: SweepSummary, model: string): string {
  const levels = kneeLevels(w);
  const box = OPEN_LOOP_PLOT;
  const achieved = levels.map((l) => l.level.openLoop?.achievedRatePerS);
  // One axis for both, so y = x is the diagonal of the plot.
  const axis = computeValueAxis(Math.max(0, ...levels.map((l) => l.rate), ...achieved.filter(finite)));
  const tick = (t: string): string => `${t}/s`;
  const body = svgAxes(
    box,
    { axis, tick, title: 'offered rate (tasks/s)' },
    { axis, tick, title: 'achieved rate (tasks/s)' },
  );
  const [x0, y0, x1, y1] = [
    xOf(box, axis, 0),
    yOf(box, axis, 0),
    xOf(box, axis, axis.top),
    yOf(box, axis, axis.top),
  ];
  body.push(svgLine(x0, y0, x1, y1, GREY, BOUND_DASH));
  const drawn = levels.flatMap((l, i) => {
    const a = achieved[i];
    return finite(a) ? [{ l, at: [xOf(box, axis, l.rate), yOf(box, axis, a)] as [number, number] }] : [];
  });
  body.push(
    svgPolyline(
      drawn.map((d) => d.at),
      P95,
    ),
  );
  for (const { l, at } of drawn)
    body.push(
      svgMarker('disc', at[0], at[1], P95, 'pt', `${l.cells[0]}/s offered, ${l.cells[1]}/s achieved`),
    );
  body.push(
    ...svgLegend(LEGEND_X, box.top + 10, [
      { text: 'achieved rate', marker: { shape: 'disc', color: P95 } },
      { text: 'achieved = offered', line: { color: GREY, dash: BOUND_DASH } },
    ]),
  );
  const label =
    `Achieved against offered rate, ${model}: requests started per second at ${levels.length} offered ` +
    `rate${levels.length === 1 ? '' : 's'}, in order of rate; dashed: achieved = offered`;
  return svgFrame(OPEN_LOOP_CHART_W, OPEN_LOOP_CHART_H, label, body);
}
