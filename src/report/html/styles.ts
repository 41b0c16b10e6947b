/** Series colours of the charts, in order (colour-blind-friendly Okabe–Ito, then extras). */
export const SERIES_COLORS = [
  '#0072b2',
  '#d55e00',
  '#009e73',
  '#cc79a7',
  '#e69f00',
  '#56b4e9',
  '#7f3c8d',
  '#3969ac',
  '#a5aa99',
  '#f0e442',
];

/** Shading of each phase in the power chart, and of its swatch in the legend. */
export const PHASE_COLORS: Record<string, string> = {
  unload: 'rgba(120,120,120,0.12)',
  warmup: 'rgba(230,159,0,0.16)',
  'idle-before': 'rgba(86,180,233,0.16)',
  measure: 'rgba(0,158,115,0.12)',
  cooldown: 'rgba(204,121,167,0.14)',
  'idle-after': 'rgba(86,180,233,0.16)',
};

function phaseRules(): string {
  return Object.entries(PHASE_COLORS)
    .map(([name, color]) => `.ph-${name}{background:${color}}`)
    .join('\n');
}

/** The page's own stylesheet (uPlot's is inlined beside it). No web fonts: system fonts only. */
export function pageCss(): string {
  return `
:root{color-scheme:light;--ink:#1d2433;--muted:#5b6476;--line:#dde1e8;--bg:#fafbfc}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1100px;padding:24px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
h1{font-size:22px;margin:0 0 6px}
h2{font-size:16px;margin:28px 0 8px}
h3{font-size:14px;margin:14px 0 4px}
.status{display:inline-block;margin:0 0 10px;padding:2px 10px;border-radius:10px;font-weight:600;background:#e8ecf2}
.st-completed{background:#dff3e8;color:#0b6b3a}
.st-failed,.st-interrupted{background:#fde2e0;color:#9b1c13}
.st-aborted,.st-running{background:#fff1d6;color:#7a5200}
table.facts{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line)}
table.facts th{text-align:left;font-weight:600;color:var(--muted);width:130px;padding:4px 10px;vertical-align:top}
table.facts td{padding:4px 10px;word-break:break-word}
.key-figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(190px,1fr));gap:10px;margin:18px 0}
.kf{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 12px}
.kf-label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.kf-value{font-size:22px;font-weight:650;margin:2px 0}
.kf-note{font-size:12px;color:var(--muted)}
figure{margin:18px 0;padding:12px 14px;background:#fff;border:1px solid var(--line);border-radius:6px}
figure h2{margin:0 0 8px}
figcaption{font-size:12.5px;color:var(--muted)}
figcaption p{margin:6px 0 0}
.chart{width:100%;min-height:300px}
.na{color:var(--muted);font-style:italic}
.chart-error{margin:0;padding:10px 12px;color:#9b1c13;background:#fde2e0;border-radius:4px}
.badge{display:inline-block;font-size:10.5px;font-weight:700;letter-spacing:.05em;padding:1px 6px;border-radius:3px;vertical-align:middle;border:1px solid transparent}
.b-measured{background:#dff3e8;color:#0b6b3a}
.b-sampled{background:#dcecf8;color:#0b4f80}
.b-counter{background:#dff2f1;color:#0b5f5a}
.b-computed{background:#eceef2;color:#3a4150}
.b-estimate{background:#fff1d6;color:#8a4b00;border:1px dashed #8a4b00}
.phase-legend{font-size:12px;color:var(--muted);margin:6px 0 0}
.ph{display:inline-block;padding:0 6px;margin-right:6px;border:1px solid var(--line);border-radius:3px;color:var(--ink)}
${phaseRules()}
.notes li{margin:3px 0;word-break:break-word}
footer{margin-top:30px;color:var(--muted);font-size:12px}
`;
}
