import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { CostbenchError, describeError, EXIT } from '../../errors.js';
import type { RunSummary } from '../../analysis/summary.js';
import { CLIENT_SCRIPT, LOCALE_GUARD_SCRIPT } from './client-script.js';
import { buildAccuracyFigure, buildCostFigure, buildVolumeFigure } from './cost-figures.js';
import { cspHash, escapeHtml, serializeJsonForScript } from './escape.js';
import type { PageData } from './figures.js';
import { renderRecord } from './record-section.js';
import { renderEnergyNotes, renderFigure, renderHeader, renderKeyFigures, renderNotes } from './sections.js';
import type { HtmlSeries } from './series.js';
import { pageCss, PHASE_COLORS, SERIES_COLORS } from './styles.js';
import { buildLatencyFigure, buildPowerFigure, buildRateFigure, buildSweepFigure, PHASE_LABEL } from './time-figures.js';

/** uPlot's browser build and stylesheet, inlined into the page. */
export interface UplotAssets {
  /** uPlot.iife.min.js, preceded by its MIT licence as a comment. */
  js: string;
  css: string;
}

/** Text that would end an inline element early or change how the HTML parser reads it. */
const UNSAFE_IN_SCRIPT = /<\/script|<!--|<script/i;
const UNSAFE_IN_STYLE = /<\/style/i;

/** Reads uPlot's browser build, stylesheet and licence from the installed package. */
export function readUplotAssets(): UplotAssets {
  try {
    const require = createRequire(import.meta.url);
    const jsPath = require.resolve('uplot/dist/uPlot.iife.min.js');
    const licence = readFileSync(require.resolve('uplot/LICENSE'), 'utf8').replaceAll('*/', '* /').trim();
    const version = (JSON.parse(readFileSync(require.resolve('uplot/package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
    return {
      js: `/*! uPlot ${version}, https://github.com/leeoniya/uPlot\n${licence}\n*/\n${readFileSync(jsPath, 'utf8')}`,
      css: `/*! uPlot ${version} (MIT licence, see the script below) */\n${readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')}`,
    };
  } catch (error) {
    throw new CostbenchError(`cannot read the uplot package for the HTML report: ${describeError(error)}`, {
      hint: 'Reinstall costbench (uplot is one of its dependencies).',
      exitCode: EXIT.internal,
      cause: error,
    });
  }
}

/** The Content-Security-Policy of a page whose only scripts and styles are these inline texts. */
export function buildCsp(scripts: readonly string[], styles: readonly string[]): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(cspHash).join(' ')}`,
    `style-src ${styles.map(cspHash).join(' ')}`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function phaseLegend(series: HtmlSeries): string {
  const seen = [...new Set(series.phases.map((p) => p.name))].filter((n) => n in PHASE_COLORS);
  if (seen.length === 0) return '';
  return `<p class="phase-legend">Shaded phases: ${seen.map((n) => `<span class="ph ph-${escapeHtml(n)}">${escapeHtml(PHASE_LABEL[n] ?? n)}</span>`).join('')}</p>`;
}

/** Figures (a)–(g) with their page data. Pure. */
function buildFigures(summary: RunSummary, series: HtmlSeries): { html: string; data: PageData } {
  const power = buildPowerFigure(summary, series);
  const rate = buildRateFigure(series);
  const latency = buildLatencyFigure(summary, series);
  const sweep = buildSweepFigure(summary);
  const cost = buildCostFigure(summary);
  const volume = buildVolumeFigure(summary);
  const accuracy = buildAccuracyFigure(summary);
  const html = [
    renderFigure(power, 'a', phaseLegend(series) + renderEnergyNotes(summary)),
    renderFigure(rate, 'b'),
    renderFigure(latency, 'c'),
    renderFigure(sweep, 'd'),
    renderFigure(cost, 'e'),
    renderFigure(volume, 'f'),
    renderFigure(accuracy, 'g'),
  ].join('\n');
  return { html, data: { power: power.data, rate: rate.data, latency: latency.data, sweep: sweep.data, cost: cost.data, volume: volume.data, accuracy: accuracy.data } };
}

/**
 * The whole report page from a summary, its series and uPlot's files. Pure. Every text from the
 * run is HTML-escaped; the chart data sits in a JSON block with `<`, `>`, `&`, U+2028/9 escaped;
 * the CSP allows exactly the inline scripts and styles here, by hash.
 */
export function composeHtmlReport(summary: RunSummary, series: HtmlSeries, uplot: UplotAssets): string {
  const scripts = [LOCALE_GUARD_SCRIPT, uplot.js, CLIENT_SCRIPT];
  if (scripts.some((s) => UNSAFE_IN_SCRIPT.test(s)) || UNSAFE_IN_STYLE.test(uplot.css)) {
    throw new CostbenchError('an inline script or style of the HTML report contains text that would end it early', { exitCode: EXIT.internal });
  }
  const figures = buildFigures(summary, series);
  const data = serializeJsonForScript({ figures: figures.data, colors: SERIES_COLORS, phaseColors: PHASE_COLORS });
  const css = pageCss();
  const styles = [uplot.css, css];
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(buildCsp(scripts, styles))}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>costbench run ${summary.run.id}: ${escapeHtml(summary.run.model)}</title>`,
    ...styles.map((s) => `<style>${s}</style>`),
    '</head>',
    '<body>',
    renderHeader(summary),
    renderKeyFigures(summary),
    figures.html,
    renderNotes(summary),
    renderRecord(summary),
    `<footer>Generated by costbench ${escapeHtml(summary.run.costbenchVersion)} from run ${summary.run.id}. Self-contained: no network. Charts: uPlot (MIT licence).</footer>`,
    `<script type="application/json" id="data">${data}</script>`,
    ...scripts.map((s) => `<script>${s}</script>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** One self-contained HTML page for a run (uPlot inlined, no network). Reads uPlot's files once per call. */
export function renderHtmlReport(summary: RunSummary, series: HtmlSeries): string {
  return composeHtmlReport(summary, series, readUplotAssets());
}
