import type { BarResult, DecideMoney, DecideSide, Decision } from '../analysis/decide-types.js';
import { formatBreakEven, formatCount, formatMoney } from './cost-words.js';
import { escapeMarkdown, markdownTable } from './format-markdown.js';
import { formatNumber } from './format-number.js';

/** "—" is not measured or unknown, never 0. */
const NONE = '—';

function accuracy(s: DecideSide): string {
  if (s.accuracy === null)
    return s.agreement === null ? NONE : `${NONE} (agreement ${formatNumber(s.agreement * 100)}%)`;
  return `${formatNumber(s.accuracy * 100)}% (${s.correctTasks}/${s.scoredTasks})`;
}

function sideLabel(s: DecideSide): string {
  return `run ${s.runId}: ${s.model} (${s.kind === 'local' ? 'local' : s.kind === 'remote' ? 'remote API' : 'replay, billed usage'})`;
}

/** The rows of the side-by-side table: a label, then local and API cells. Pure. */
export function decideRows(d: Decision): [string, string, string][] {
  const money = (label: string, pick: (s: DecideSide) => DecideMoney): [string, string, string][] => [
    [`${label}, full view`, formatMoney(pick(d.local).full), formatMoney(pick(d.api).full)],
    [`${label}, marginal view`, formatMoney(pick(d.local).marginal), formatMoney(pick(d.api).marginal)],
  ];
  const p95 = (s: DecideSide): string => (s.p95LatencyMs === null ? NONE : formatNumber(s.p95LatencyMs));
  return [
    ['run', sideLabel(d.local), sideLabel(d.api)],
    ['cost from', d.local.costBasis, d.api.costBasis],
    ['answered tasks', String(d.local.okTasks), String(d.api.okTasks)],
    ['accuracy', accuracy(d.local), accuracy(d.api)],
    ['p95 latency, ms', p95(d.local), p95(d.api)],
    ...money(`per task, ${d.currency}`, (s) => s.perTask),
    ...money(`per correct task, ${d.currency}`, (s) => s.perCorrectTask),
    ...money(`a month at ${formatCount(d.volume)} tasks, ${d.currency}`, (s) => s.monthly),
  ];
}

function who(x: 'local' | 'api' | null): string {
  return x === null ? 'unknown' : x === 'local' ? 'local' : 'API';
}

function barWord(r: BarResult): string {
  return r === 'pass' ? 'clears' : r === 'fail' ? 'fails' : 'not measured (no pass)';
}

/** The lines under the table: cheaper, break-even, bars, price, verdict, what was not measured. Pure. */
export function decideLines(d: Decision): string[] {
  const r = d.localRange;
  const ends = (e: { low: number | null; high: number | null }): string =>
    `~${formatMoney(e.low)}–${formatMoney(e.high)}`;
  const lines =
    r === null
      ? []
      : [
          `Local energy is an ESTIMATE range (CPU TDP ${r.tdpLowW}–${r.tdpHighW} W): full view ${ends(r.fullPerTask)} per task, ${ends(r.fullPerCorrectTask)} per correct task; a verdict only where both ends agree`,
        ];
  lines.push(
    `Cheaper per task: ${who(d.cheaperPerTask.full)} (full view), ${who(d.cheaperPerTask.marginal)} (marginal view)`,
    `Cheaper per correct task: ${who(d.cheaperPerCorrectTask.full)} (full view), ${who(d.cheaperPerCorrectTask.marginal)} (marginal view)`,
    `Break-even per task (full view): ${formatBreakEven(d.flip.perTask)}`,
    `Break-even per correct task (full view): ${formatBreakEven(d.flip.perCorrectTask)}`,
  );
  const b = d.bars;
  if (b.minAccuracy !== null)
    lines.push(
      `Accuracy bar ${formatNumber(b.minAccuracy * 100)}%: local ${barWord(b.local.accuracy)}, API ${barWord(b.api.accuracy)}`,
    );
  if (b.maxP95LatencyMs !== null)
    lines.push(
      `p95 latency bar ${formatNumber(b.maxP95LatencyMs, 0)} ms: local ${barWord(b.local.latency)}, API ${barWord(b.api.latency)}`,
    );
  const p = d.apiPrice;
  if (p !== null)
    lines.push(
      `API price: ${p.model}, USD per 1M tokens: ${p.inputUsdPerMTok} input, ${p.outputUsdPerMTok} output, ${p.cachedInputUsdPerMTok ?? NONE} cached input (${p.source}${p.asOf === null ? '' : ` ${p.asOf}`})`,
    );
  if (!d.suite.same) lines.push(`Suites differ: local ran ${d.suite.local}, the API ${d.suite.api}`);
  lines.push(d.verdict === null ? `No verdict: unknown ${d.unknown.join('; ')}` : `Verdict: ${d.verdict}`);
  if (d.verdict === null && d.notMeasured.length > 0) lines.push(`Not measured: ${d.notMeasured.join('; ')}`);
  return lines;
}

/** `costbench decide` as a plain-text table. Pure. */
export function formatDecideTable(d: Decision): string {
  const rows = decideRows(d);
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  const table = rows.map(([a, l, r]) => `${a.padEnd(w0)}  ${l.padEnd(w1)}  ${r}`.trimEnd());
  return (
    [`Local against API at ${formatCount(d.volume)} tasks a month`, ...table, '', ...decideLines(d)].join(
      '\n',
    ) + '\n'
  );
}

/** `costbench decide --format md`. Pure. */
export function formatDecideMarkdown(d: Decision): string {
  const rows = decideRows(d).map((r) => r.map(escapeMarkdown));
  const table = markdownTable(['', 'local', 'API'], rows.slice(1), [false, true, true]);
  const [, localRun, apiRun] = rows[0] ?? ['', '', ''];
  return (
    [
      `# Local against API at ${formatCount(d.volume)} tasks a month`,
      '',
      `Local: ${localRun}; API: ${apiRun}`,
      '',
      ...table,
      '',
      ...decideLines(d).map((l) => `- ${escapeMarkdown(l)}`),
    ].join('\n') + '\n'
  );
}
