/**
 * Small helpers for inline-SVG charts drawn without script: a value axis from 0 to a round top, a
 * plot frame with ticks labelled with their unit, lines, point markers whose shape (not only colour)
 * says their state, and a legend. Every text is HTML-escaped. Pure.
 */
import { formatNumber } from '../format-number.js';
import { escapeHtml } from './escape.js';

/** A value axis from 0 to `top`, with ticks every `step`. */
export interface ValueAxis {
  top: number;
  step: number;
  ticks: number[];
  /** Decimals that show every tick's value. */
  decimals: number;
}

/** Where a chart's plot area sits in the SVG, px. */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** A point marker's shape: filled circle, hollow square, filled triangle, hollow circle, small dot. */
export type MarkerShape = 'disc' | 'square' | 'triangle' | 'ring' | 'dot';

/** Ticks wanted on an axis; the round step makes 4 to 10 of them. */
const TARGET_TICKS = 5;
const GREY = '#5b6476';
const GRID = '#dde1e8';

/**
 * An axis from 0 up to a round value (1, 2 or 5 × 10^k steps) at or above `max`. A max that is 0,
 * negative or not finite gets the axis 0..1, so nothing is ever divided by a zero span.
 */
export function computeValueAxis(max: number): ValueAxis {
  const m = Number.isFinite(max) && max > 0 ? max : 1;
  const raw = m / TARGET_TICKS;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw * (1 - 1e-9)) ?? 10 * magnitude;
  const count = Math.max(1, Math.ceil(m / step - 1e-9));
  const ticks = Array.from({ length: count + 1 }, (_, i) => i * step);
  const decimals = step >= 1 ? 0 : Math.ceil(-Math.log10(step) - 1e-9);
  return { top: count * step, step, ticks, decimals };
}

/** A value's x in the plot (0 at the left edge). */
export function xOf(box: PlotBox, axis: ValueAxis, value: number): number {
  return box.left + (value / axis.top) * box.width;
}

/** A value's y in the plot (0 at the bottom edge). */
export function yOf(box: PlotBox, axis: ValueAxis, value: number): number {
  return box.top + box.height - (value / axis.top) * box.height;
}

/** A coordinate as SVG text: one decimal. */
export function coord(px: number): string {
  return formatNumber(px, 1);
}

/** Text at (x, y); `content` is escaped. */
export function svgText(x: number, y: number, content: string, anchor = 'start', extra = ''): string {
  return `<text x="${coord(x)}" y="${coord(y)}" text-anchor="${anchor}"${extra}>${escapeHtml(content)}</text>`;
}

/** The opening tag with its accessible name (aria-label and <title>), and the closing tag. */
export function svgFrame(width: number, height: number, label: string, body: string[]): string {
  const name = escapeHtml(label);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${name}" width="${width}" height="${height}"` +
      ` viewBox="0 0 ${width} ${height}" font-family="system-ui,sans-serif" font-size="12" fill="#1d2433">`,
    `<title>${name}</title>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** Both axes with grid lines, tick labels (`unitX(value)`, `unitY(value)`) and axis titles. */
export function svgAxes(
  box: PlotBox,
  x: { axis: ValueAxis; tick: (text: string) => string; title: string },
  y: { axis: ValueAxis; tick: (text: string) => string; title: string },
): string[] {
  const bottom = box.top + box.height;
  const right = box.left + box.width;
  const out: string[] = [];
  for (const v of y.axis.ticks) {
    const py = yOf(box, y.axis, v);
    out.push(svgLine(box.left, py, right, py, GRID));
    out.push(svgText(box.left - 6, py + 4, y.tick(formatNumber(v, y.axis.decimals)), 'end'));
  }
  for (const v of x.axis.ticks) {
    const px = xOf(box, x.axis, v);
    out.push(svgLine(px, bottom, px, bottom + 5, GREY));
    out.push(svgText(px, bottom + 18, x.tick(formatNumber(v, x.axis.decimals)), 'middle'));
  }
  out.push(
    svgLine(box.left, bottom, right, bottom, GREY),
    svgLine(box.left, box.top, box.left, bottom, GREY),
  );
  out.push(svgText(box.left + box.width / 2, bottom + 36, x.title, 'middle'));
  out.push(
    svgText(
      12,
      box.top + box.height / 2,
      y.title,
      'middle',
      ` transform="rotate(-90 12 ${coord(box.top + box.height / 2)})"`,
    ),
  );
  return out;
}

/** A straight line; `dash` is an SVG stroke-dasharray ('' = solid). */
export function svgLine(x1: number, y1: number, x2: number, y2: number, color: string, dash = ''): string {
  const d = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
  return `<line x1="${coord(x1)}" y1="${coord(y1)}" x2="${coord(x2)}" y2="${coord(y2)}" stroke="${color}"${d}/>`;
}

/** A line through points, in order; '' under 2 points. */
export function svgPolyline(points: readonly [number, number][], color: string, dash = ''): string {
  if (points.length < 2) return '';
  const d = dash === '' ? '' : ` stroke-dasharray="${dash}"`;
  const at = points.map(([x, y]) => `${coord(x)},${coord(y)}`).join(' ');
  return `<polyline points="${at}" fill="none" stroke="${color}" stroke-width="2"${d}/>`;
}

/** A point marker centred on (x, y), with a tooltip; `cls` names its state for readers of the markup. */
export function svgMarker(
  shape: MarkerShape,
  x: number,
  y: number,
  color: string,
  cls: string,
  tip: string,
): string {
  const c = `class="${escapeHtml(cls)}"`;
  const t = `<title>${escapeHtml(tip)}</title>`;
  const cx = coord(x);
  const cy = coord(y);
  switch (shape) {
    case 'disc':
      return `<circle ${c} cx="${cx}" cy="${cy}" r="4.5" fill="${color}" stroke="${color}">${t}</circle>`;
    case 'ring':
      return `<circle ${c} cx="${cx}" cy="${cy}" r="4.5" fill="#fff" stroke="${color}" stroke-width="2">${t}</circle>`;
    case 'dot':
      return `<circle ${c} cx="${cx}" cy="${cy}" r="2.5" fill="${color}">${t}</circle>`;
    case 'square':
      return (
        `<rect ${c} x="${coord(x - 4)}" y="${coord(y - 4)}" width="8" height="8" fill="#fff" stroke="${color}"` +
        ` stroke-width="2">${t}</rect>`
      );
    case 'triangle':
      return (
        `<path ${c} d="M${cx} ${coord(y - 5)}L${coord(x + 5)} ${coord(y + 4)}L${coord(x - 5)} ${coord(y + 4)}Z"` +
        ` fill="${color}">${t}</path>`
      );
  }
}

/** One legend entry: a short line sample (dash) or a marker, and its text. */
export interface LegendEntry {
  text: string;
  line?: { color: string; dash: string };
  marker?: { shape: MarkerShape; color: string };
}

/** The legend, one entry a row from (x, y). */
export function svgLegend(x: number, y: number, entries: readonly LegendEntry[]): string[] {
  return entries.map((e, i) => {
    const row = y + i * 18;
    const sample =
      e.line !== undefined
        ? svgLine(x, row, x + 22, row, e.line.color, e.line.dash).replace('/>', ' stroke-width="2"/>')
        : e.marker !== undefined
          ? svgMarker(e.marker.shape, x + 11, row, e.marker.color, 'legend', e.text)
          : '';
    return `<g class="legend">${sample}${svgText(x + 30, row + 4, e.text)}</g>`;
  });
}
