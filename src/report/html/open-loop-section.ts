/** The HTML report's open-loop table: the same columns as the text report's (format-open-loop.ts). Pure. */
import type { SweepSummary } from '../../analysis/levels.js';
import type { RunSummary } from '../../analysis/summary.js';
import {
  describeRateCapacity,
  OPEN_LOOP_HEADERS,
  openLoopCells,
  openLoopLevels,
} from '../format-open-loop.js';
import { escapeHtml } from './escape.js';
import { renderAchievedChart, renderKneeChart } from './open-loop-charts.js';

/**
 * The bounds as values, when the capacity sentence does not name them (no rate held them): the
 * charts draw them, and every number a chart writes is one this section shows.
 */
function boundsLine(w: SweepSummary): string {
  if (w.rateCapacity !== null) return '';
  const o = openLoopLevels(w).find((l) => l.openLoop?.withinBound != null)?.openLoop;
  const parts = [
    o?.latencyBoundMs == null ? '' : `p95 latency ${o.latencyBoundMs} ms`,
    o?.ttftBoundMs == null ? '' : `p95 TTFT ${o.ttftBoundMs} ms`,
  ].filter((p) => p !== '');
  return parts.length === 0 ? '' : `<p>${escapeHtml(`Bounds: ${parts.join('; ')}.`)}</p>`;
}

/** The section, or '' for a run without open-loop levels. */
export function renderOpenLoop(s: RunSummary): string {
  const levels = s.sweep === null ? [] : openLoopLevels(s.sweep);
  if (s.sweep === null || levels.length === 0) return '';
  const capacity = describeRateCapacity(s.sweep);
  const head = OPEN_LOOP_HEADERS.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const rows = levels
    .map(
      (l) =>
        `<tr>${openLoopCells(l)
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('\n');
  return [
    '<section class="open-loop"><h2>Open loop: latency against offered rate</h2>',
    '<p>Arrivals on a schedule, whether or not earlier requests finished; queue = start − due (the client side; the server’s queue is inside the TTFT).</p>',
    `<table class="facts"><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`,
    capacity === null ? '' : `<p>${escapeHtml(capacity)}</p>`,
    boundsLine(s.sweep),
    `<figure class="open-loop-chart">${renderKneeChart(s.sweep, s.run.model)}</figure>`,
    `<figure class="open-loop-chart">${renderAchievedChart(s.sweep, s.run.model)}</figure>`,
    '</section>',
  ].join('\n');
}
