import type { BreakEven } from '../../cost/break-even.js';
import { apiTokenSourceWords } from '../source-words.js';
import type { CostEnd } from '../../cost/cost-range.js';
import type { CostSummary } from '../../cost/cost-summary.js';
import { formatBreakEven, formatCount, formatFullViewGap } from '../cost-words.js';
import type { RunSummary } from '../../analysis/summary.js';
import {
  provenanceOfKinds,
  type BarsData,
  type Figure,
  type Provenance,
  type VolumeData,
} from './figures.js';

function energyProvenance(summary: RunSummary): Provenance[] {
  return ['computed', ...provenanceOfKinds(summary.energy?.total.kinds ?? [])];
}

function energyWords(summary: RunSummary): string {
  const total = summary.energy?.total;
  if (total === undefined || total.channelKeys.length === 0)
    return 'no energy was measured, so electricity is left out';
  return `energy from ${total.channelKeys.join(' + ')} (${total.includesEstimate ? 'includes an ESTIMATE' : total.kinds.join(' + ')})`;
}

function positive(x: number | null): number | null {
  return x === null || !(x > 0) ? null : x;
}

function isEstimate(summary: RunSummary): boolean {
  return summary.energy?.total.includesEstimate ?? false;
}

/** The estimate range, for the volume caption: the local lines are its two ends. */
function rangeCaption(c: CostSummary): string {
  const r = c.range;
  if (r === null) return '';
  return (
    ` Local lines: the two ends of the ESTIMATE's range, CPU TDP ${r.tdp.lowW}–${r.tdp.highW} W ` +
    `(${r.tdp.basis}); a break-even that depends on where the CPU power lies is marked at both ends.`
  );
}

/** The full view's gap, for a caption: no local full bar or line is drawn without every bucket. */
function fullViewCaption(c: CostSummary): string {
  const gap = formatFullViewGap(c);
  return gap === null ? '' : ` No local full-view bar or line: the ${gap}`;
}

/** (e) Cost per task: local marginal and full against each API. Pure. */
export function buildCostFigure(summary: RunSummary): Figure<BarsData> {
  const c = summary.cost;
  const est = isEstimate(summary);
  const mark = est ? ' ~ ESTIMATE' : '';
  const base = { id: 'cost', title: 'Cost per task', provenance: energyProvenance(summary) };
  if (c === null) {
    return {
      ...base,
      covers: 'no cost section',
      caption: '',
      data: null,
      unavailable:
        summary.requests.ok === 0
          ? 'no request succeeded: there is nothing to cost'
          : 'no cost was computed for this report',
    };
  }
  const labels = ['local marginal', 'local full', ...c.apis.map((a) => a.model)];
  // A log axis has no place for zero (or a marginal cost that noise made negative): those bars are left out.
  const at = (i: number, v: number | null): (number | null)[] =>
    labels.map((_, j) => (j === i ? positive(v) : null));
  if (c.range !== null) return rangeCostFigure(summary, c, base, labels, at);
  return {
    ...base,
    covers: `one task of this suite; local: ${energyWords(summary)}; APIs: list prices × ${apiTokenSourceWords(c.apiTokens)} token counts`,
    caption:
      `Local marginal = electricity above idle per task. Local full = the month's full local cost ÷ ${formatCount(c.volume)} tasks (electricity, idle power of machines bought, hardware, engineering). ` +
      `Electricity at ${c.kwhPrice} ${c.currency}/kWh${c.kwhPriceIsDefault ? ' (a DEFAULT, not your price)' : ''}, overhead ×${c.overheadFactor}. Log scale (a zero or negative cost has no bar).${est ? ' Local bars are dashed: the energy includes an ESTIMATE.' : ''}` +
      fullViewCaption(c),
    data: {
      labels,
      groups: [
        {
          label: `local marginal (electricity above idle)${mark}`,
          estimate: est,
          values: at(0, c.local.marginalPerTask),
        },
        {
          label: `local full at ${formatCount(c.volume)}/month${mark}`,
          estimate: est,
          values: at(1, c.local.fullPerTask),
        },
        {
          label: 'API (list price)',
          estimate: false,
          values: labels.map((_, j) => (j < 2 ? null : positive(c.apis[j - 2]?.task.perTask ?? null))),
        },
      ],
      unit: `${c.currency} per task`,
      log: true,
    },
    unavailable: null,
  };
}

/** The cost figure of an estimate range: the local bars at each end of the TDP range, no bar at the point. */
function rangeCostFigure(
  summary: RunSummary,
  c: CostSummary,
  base: Pick<Figure<BarsData>, 'id' | 'title' | 'provenance'>,
  labels: string[],
  at: (i: number, v: number | null) => (number | null)[],
): Figure<BarsData> {
  const r = c.range as NonNullable<CostSummary['range']>;
  const apis = labels.map((_, j) => (j < 2 ? null : positive(c.apis[j - 2]?.task.perTask ?? null)));
  // One group per end: its marginal bar under "local marginal", its full bar under "local full".
  const group = (w: number, e: CostEnd): BarsData['groups'][number] => ({
    label: `local, at CPU TDP ${w} W ~ ESTIMATE`,
    estimate: true,
    values: at(0, e.local.marginalPerTask).map((v, j) => (j === 1 ? positive(e.local.fullPerTask) : v)),
  });
  const price = `${c.kwhPrice} ${c.currency}/kWh${c.kwhPriceIsDefault ? ' (a DEFAULT, not your price)' : ''}`;
  return {
    ...base,
    covers: `one task of this suite; local: ${energyWords(summary)}; APIs: list prices × ${apiTokenSourceWords(c.apiTokens)} token counts`,
    caption:
      "Local marginal = electricity above idle per task; local full = the month's full local cost ÷ " +
      `${formatCount(c.volume)} tasks. Local bars (dashed) are the two ends of the ESTIMATE's range, ` +
      `CPU TDP ${r.tdp.lowW}–${r.tdp.highW} W (${r.tdp.basis}): the real cost lies between them. ` +
      `Electricity at ${price}, overhead ×${c.overheadFactor}. Log scale.${fullViewCaption(c)}`,
    data: {
      labels,
      groups: [
        group(r.tdp.lowW, r.low),
        group(r.tdp.highW, r.high),
        { label: 'API (list price)', estimate: false, values: apis },
      ],
      unit: `${c.currency} per task`,
      log: true,
    },
    unavailable: null,
  };
}

function breakEvenMarks(model: string, b: BreakEven): VolumeData['breakEvens'] {
  if (b.kind === 'depends') {
    const mark = (x: BreakEven, end: string): VolumeData['breakEvens'] =>
      breakEvenMarks(model, x).map((m) => ({ ...m, label: `${m.label} (${end} TDP)` }));
    return [...mark(b.atLowPower, 'low'), ...mark(b.atHighPower, 'high')];
  }
  if (b.kind !== 'volume') return [];
  // Short labels on the chart: the caption says each break-even in words.
  return b.ranges.flatMap((r) => {
    const from = r.from > 1 ? [{ label: `${model} ≥ ${formatCount(r.from)}`, volume: r.from }] : [];
    return r.until === null
      ? from
      : [...from, { label: `${model} ≤ ${formatCount(r.until)}`, volume: r.until }];
  });
}

function volumeData(c: CostSummary, est: boolean): VolumeData {
  const volumes = [...new Set([...c.table.map((r) => r.volume), c.volume])]
    .filter((v) => v > 0)
    .sort((a, b) => a - b);
  const row = (v: number): CostSummary['table'][number] | undefined => c.table.find((r) => r.volume === v);
  const local = (v: number): number | null => row(v)?.localFull ?? (v === c.volume ? c.local.full : null);
  const marginal = (v: number): number | null =>
    row(v)?.localMarginal ?? (v === c.volume ? c.local.marginal : null);
  const mark = est ? ' ~ ESTIMATE' : '';
  return {
    volumes,
    lines: [
      ...(c.range === null
        ? [
            { label: `local full${mark}`, estimate: est, values: volumes.map((v) => positive(local(v))) },
            {
              label: `local marginal${mark}`,
              estimate: est,
              values: volumes.map((v) => positive(marginal(v))),
            },
          ]
        : rangeLines(c, volumes)),
      ...c.apis.map((a) => ({
        label: a.model,
        estimate: false,
        values: volumes.map((v) => positive(a.task.perTask * v)),
      })),
    ],
    breakEvens: c.apis.flatMap((a) => breakEvenMarks(a.model, a.breakEvenFull)),
    currency: c.currency,
    chosenVolume: c.volume,
  };
}

/** The local lines of an estimate range: full and marginal at each end of the TDP range, at the table's volumes. */
function rangeLines(c: CostSummary, volumes: readonly number[]): VolumeData['lines'] {
  const r = c.range as NonNullable<CostSummary['range']>;
  const ends = [
    ['low', r.tdp.lowW, r.low],
    ['high', r.tdp.highW, r.high],
  ] as const;
  return ends.flatMap(([, w, e]) => {
    const at = (pick: (row: CostEnd['table'][number]) => number | null): (number | null)[] =>
      volumes.map((v) => {
        const row = e.table.find((x) => x.volume === v);
        return positive(row === undefined ? null : pick(row));
      });
    return [
      {
        label: `local full at CPU TDP ${w} W ~ ESTIMATE`,
        estimate: true,
        values: at((row) => row.localFull),
      },
      {
        label: `local marginal at CPU TDP ${w} W ~ ESTIMATE`,
        estimate: true,
        values: at((row) => row.localMarginal),
      },
    ];
  });
}

/** (f) Monthly cost against volume for local (full) and each API, break-even marked. Pure. */
export function buildVolumeFigure(summary: RunSummary): Figure<VolumeData> {
  const c = summary.cost;
  const base = { id: 'volume', title: 'Monthly cost against volume', provenance: energyProvenance(summary) };
  if (c === null || c.apis.length === 0) {
    return {
      ...base,
      covers: 'no cost section',
      caption: '',
      data: null,
      unavailable: c === null ? 'no cost was computed for this report' : 'no API to compare with',
    };
  }
  const breakEvens =
    c.apis.map((a) => `${a.model}: ${formatBreakEven(a.breakEvenFull)}`).join('; ') +
    '.' +
    fullViewCaption(c) +
    rangeCaption(c);
  return {
    ...base,
    covers: `${c.currency} per month at the volumes of the cost table (tasks a month); local: ${energyWords(summary)}`,
    caption:
      `The cost model at each marked volume (straight segments join them; the local full cost steps where another machine is needed). Both axes log. ` +
      `Vertical lines: the full-view break-even volumes within the table's range (model ≥ volume: local is cheaper from there). ${breakEvens}${isEstimate(summary) ? ' Local lines are dashed: the energy includes an ESTIMATE.' : ''}`,
    data: volumeData(c, isEstimate(summary)),
    unavailable: null,
  };
}

/** (g) Accuracy and mean score (and agreement, for replays), where answers were scored. Pure. */
export function buildAccuracyFigure(summary: RunSummary): Figure<BarsData> {
  const q = summary.quality;
  const base = { id: 'accuracy', title: 'Answer quality', provenance: ['measured'] as Provenance[] };
  if (q === null)
    return {
      ...base,
      covers: 'no scored answers',
      caption: '',
      data: null,
      unavailable: 'the suite has no expected answers',
    };
  const labels = ['accuracy', 'mean score', ...(q.agreement === null ? [] : ['agreement with the API'])];
  const values = [
    q.accuracy * 100,
    q.meanScore * 100,
    ...(q.agreement === null ? [] : [q.agreement.mean * 100]),
  ];
  return {
    ...base,
    covers: `${q.scored} scored requests (${q.correct} correct)${q.agreement === null ? '' : `; ${q.agreement.count} compared with the API's answers`}; a failed request counts as wrong`,
    caption:
      "Accuracy = share of answers judged correct by the task's check; mean score = mean partial credit (fields right, F1, facts present), in %.",
    data: { labels, groups: [{ label: 'score %', estimate: false, values }], unit: '%', log: false },
    unavailable: null,
  };
}
