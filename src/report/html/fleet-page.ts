import type { Fleet, FleetEntry } from '../../analysis/fleet.js';
import { formatMoney } from '../cost-words.js';
import { describeMachine, formatFleetMarkdown } from '../format-fleet.js';
import { cspHash, escapeHtml } from './escape.js';

/**
 * The fleet as one self-contained HTML page: a bar chart of the full cost per task (per correct task
 * where every run was scored) by machine x model, drawn as inline SVG, and the table. No script.
 */

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:right}
td:nth-child(-n+2),th:nth-child(-n+2){text-align:left}th{background:#f3f3f3}
.bar{fill:#4b7bb5}.bar.cheapest{fill:#2e8b57}.bar.estimate{fill:#c9a227}svg text{font:12px system-ui,sans-serif}
.note{color:#555}`;

const BAR_H = 22;
const LABEL_W = 320;
const PLOT_W = 480;

function chartValue(f: Fleet, e: FleetEntry): number | null {
  return f.cheapest?.basis === 'per correct task' ? e.fullPerCorrectTask : e.fullPerTask;
}

function chart(f: Fleet): string {
  const rows = f.entries.map((e, i) => ({ e, i, value: chartValue(f, e) }));
  const max = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const basis = f.cheapest?.basis ?? 'per task';
  const title = `Full cost ${basis}${f.currency === null ? '' : ` (${f.currency})`}`;
  const height = rows.length * (BAR_H + 6) + 30;
  const bars = rows.map(({ e, i, value }) => {
    const y = 24 + i * (BAR_H + 6);
    const label = escapeHtml(`${describeMachine(e)} × ${e.model}`);
    const width = value === null || max === 0 ? 0 : (value / max) * PLOT_W;
    const cls = ['bar', f.cheapest?.index === i ? 'cheapest' : '', e.energyIsEstimate ? 'estimate' : '']
      .filter((c) => c !== '')
      .join(' ');
    const text =
      value === null ? 'unknown' : `${formatMoney(value)}${e.energyIsEstimate ? ' (ESTIMATE)' : ''}`;
    return (
      `<text x="${LABEL_W - 6}" y="${y + 15}" text-anchor="end">${label}</text>` +
      `<rect class="${cls}" x="${LABEL_W}" y="${y}" width="${width.toFixed(1)}" height="${BAR_H}"/>` +
      `<text x="${(LABEL_W + width + 6).toFixed(1)}" y="${y + 15}">${escapeHtml(text)}</text>`
    );
  });
  return (
    `<svg role="img" aria-label="${escapeHtml(title)}" width="${LABEL_W + PLOT_W + 160}" height="${height}">` +
    `<text x="0" y="14" font-weight="bold">${escapeHtml(title)}</text>${bars.join('')}</svg>`
  );
}

/** Markdown table rows to HTML rows: the page shows the same table as `--format md`. */
function table(f: Fleet): string {
  const lines = formatFleetMarkdown(f).split('\n');
  const rows = lines.filter((l) => l.startsWith('| '));
  const cells = (l: string): string[] =>
    l
      .slice(2, -2)
      .split(/(?<!\\) \| /)
      .map((c) => escapeHtml(c.replace(/\\\|/g, '|')));
  const [head, ...body] = rows;
  if (head === undefined) return '';
  return (
    `<table><thead><tr>${cells(head)
      .map((c) => `<th>${c}</th>`)
      .join('')}</tr></thead><tbody>` +
    body
      .map(
        (r) =>
          `<tr>${cells(r)
            .map((c) => `<td>${c}</td>`)
            .join('')}</tr>`,
      )
      .join('') +
    '</tbody></table>'
  );
}

export function formatFleetHtml(f: Fleet): string {
  const text = formatFleetMarkdown(f).split('\n');
  const prose = text.filter((l) => l !== '' && !l.startsWith('|') && !l.startsWith('## '));
  const csp = `default-src 'none'; style-src ${cspHash(STYLE)}; base-uri 'none'; form-action 'none'`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    `<title>costbench fleet · ${escapeHtml(f.suite)}</title>`,
    `<style>${STYLE}</style></head><body>`,
    `<h1>${escapeHtml((text[0] ?? '').replace(/^## /, ''))}</h1>`,
    chart(f),
    table(f),
    ...prose.map((l) => `<p class="note">${escapeHtml(l.replace(/^- /, '').replace(/\*\*/g, ''))}</p>`),
    '</body></html>',
    '',
  ].join('\n');
}
