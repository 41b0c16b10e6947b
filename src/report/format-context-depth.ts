import type { ContextDepthSummary } from '../analysis/context-depth.js';
import { formatNumber } from './format-number.js';

/** The columns of the rates-at-depth table (llama-bench's pp and tg at d, with TTFT). */
export const DEPTH_HEADERS = [
  'in flight',
  'depth',
  'measured',
  'ok',
  'prefill tok/s',
  'decode tok/s',
  'TTFT p50 ms',
  'cached',
] as const;

/** The table's cells, one row per level, as text. Pure. */
export function depthRows(d: ContextDepthSummary): string[][] {
  return d.levels.map((l) => [
    String(l.concurrency),
    String(l.contextDepthTokens),
    l.measuredDepthTokens === null ? '—' : formatNumber(l.measuredDepthTokens, 0),
    String(l.ok),
    formatNumber(l.prefillTokensPerS?.median),
    formatNumber(l.decodeTokensPerS?.median),
    formatNumber(l.ttftMs?.median),
    l.cachedShare === null ? '—' : `${formatNumber(l.cachedShare * 100, 0)}%`,
  ]);
}

/** Under the table: what "measured" is. */
export const DEPTH_NOTE =
  "depth: filler tokens requested; measured: the server's prompt tokens less the task's own at depth 0 (— without depth 0); rates are per-request medians";

/** The rates-at-depth table for the terminal. Pure. */
export function formatContextDepth(d: ContextDepthSummary): string[] {
  const widths = DEPTH_HEADERS.map((h) => Math.max(h.length, 9) + 2);
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => c.padStart(widths[i] ?? 11)).join('');
  return ['', 'Rates at context depth', line(DEPTH_HEADERS), ...depthRows(d).map(line), DEPTH_NOTE];
}
