import type { RunSummary } from '../analysis/summary.js';
import { composeHtmlReport } from '../report/html/render.js';
import type { HtmlSeries } from '../report/html/series.js';
import { readUplotAssets } from '../tables/uplot-read.js';

/** One self-contained HTML page for a run (uPlot inlined, no network). Reads uPlot's files once per call. */
export function renderHtmlReport(summary: RunSummary, series: HtmlSeries): string {
  return composeHtmlReport(summary, series, readUplotAssets());
}
