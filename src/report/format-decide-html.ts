import type { Decision } from '../analysis/decide-types.js';
import { formatCount } from './cost-words.js';
import { decideLines, decideRows } from './format-decide.js';
import { escapeHtml, serializeJsonForScript } from './html/escape.js';

const STYLE =
  'body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}' +
  'table{border-collapse:collapse}td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}' +
  'td+td{text-align:right}.verdict{font-weight:600}';

/** `costbench decide --format html`: a small self-contained page, the decision's JSON embedded. Pure. */
export function formatDecideHtml(d: Decision): string {
  const [head, ...rows] = decideRows(d);
  const cells = (r: readonly string[], tag: string): string =>
    `<tr>${r.map((c) => `<${tag}>${escapeHtml(c)}</${tag}>`).join('')}</tr>`;
  const lines = decideLines(d).map(
    (l) => `<li${l.startsWith('Verdict') ? ' class="verdict"' : ''}>${escapeHtml(l)}</li>`,
  );
  const title = `Local against API at ${formatCount(d.volume)} tasks a month`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<table>${cells(['', 'local', 'API'], 'th')}${head === undefined ? '' : cells(head, 'td')}${rows.map((r) => cells(r, 'td')).join('')}</table>`,
    `<ul>${lines.join('')}</ul>`,
    `<script type="application/json" id="decision">${serializeJsonForScript(d)}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
