import { IDLE_SETTLE_MAX_MS, IDLE_SETTLE_SHARE, GAP_INTERVALS } from '../../analysis/energy-summary.js';
import { levelLabel } from '../../types/level.js';
import { formatNumber } from '../format-number.js';
import type { RunSummary } from '../../analysis/summary.js';
import {
  provenanceOfKinds,
  type Figure,
  type HistogramData,
  type PowerData,
  type RateData,
  type SweepData,
  type TimeLine,
} from './figures.js';
import type { HtmlChannelSeries, HtmlSeries } from './series.js';

/** What each coverage means, in words. */
export const COVERS_LABEL: Record<string, string> = {
  'gpu-board': 'GPU board',
  'apu-package': 'APU package',
  'cpu-package': 'CPU package',
  dram: 'DRAM',
  psys: 'platform (psys)',
  soc: 'SoC (CPU+GPU+ANE)',
  cpu: 'CPU',
  gpu: 'GPU',
  ane: 'ANE',
  wall: 'wall (whole machine)',
  none: 'utilization only',
};

/** Each phase's name in words. */
export const PHASE_LABEL: Record<string, string> = {
  unload: 'unload',
  warmup: 'warm-up',
  'idle-before': 'idle before',
  measure: 'measure',
  cooldown: 'cooldown',
  'idle-after': 'idle after',
};

/** A histogram has between these many bins (about √n in between). */
export const HISTOGRAM_MIN_BINS = 5;
export const HISTOGRAM_MAX_BINS = 30;

function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

function channelLabel(c: HtmlChannelSeries): string {
  return `${c.key} ${COVERS_LABEL[c.covers] ?? c.covers}${c.kind === 'estimate' ? ' ~ ESTIMATE' : ` (${c.kind})`}`;
}

function describeChannel(c: HtmlChannelSeries): string {
  const sampling =
    c.bucketMs === null
      ? `all ${c.rawPoints} readings`
      : `${c.rawPoints} readings as ${c.power.length} bucket means of ${formatNumber(c.bucketMs / 1000, 2)} s (band: each bucket's min–max)`;
  const kind =
    c.kind === 'estimate'
      ? 'ESTIMATE (modelled, not measured)'
      : c.kind === 'counter'
        ? 'counter (power = energy counter change ÷ time between reads)'
        : 'sampled power readings';
  return `${c.key} (${c.device}): ${COVERS_LABEL[c.covers] ?? c.covers}, ${kind}, every ${c.intervalMs} ms, ${sampling}; ${c.inTotal ? 'counts toward the machine total' : 'not in the machine total'}`;
}

function powerData(
  summary: RunSummary,
  series: HtmlSeries,
  powered: readonly HtmlChannelSeries[],
): PowerData {
  const ends = [...series.phases.map((p) => p.endMs), ...powered.flatMap((c) => c.power.map((p) => p[0]))];
  const idle = (summary.energy?.channels ?? []).flatMap((c) => {
    const w = c.idleBeforeW ?? c.idleAfterW;
    const from = c.idleBeforeW === null ? 'idle-after' : 'idle-before';
    return w === null || c.covers === 'none'
      ? []
      : [
          {
            label: `idle ${c.key}: ${formatNumber(w)} W (mean of ${from})${c.kind === 'estimate' ? ' ~ ESTIMATE' : ''}`,
            estimate: c.kind === 'estimate',
            w,
          },
        ];
  });
  return {
    channels: powered.map((c) => ({
      label: channelLabel(c),
      estimate: c.kind === 'estimate',
      xs: c.power.map((p) => seconds(p[0])),
      ys: c.power.map((p) => p[1]),
      min: c.bucketMs === null ? null : c.power.map((p) => p[2]),
      max: c.bucketMs === null ? null : c.power.map((p) => p[3]),
    })),
    utilization: series.channels
      .filter((c) => c.utilization.length > 0)
      .map((c): TimeLine => ({
        label: `${c.key} utilization %`,
        estimate: false,
        xs: c.utilization.map((p) => seconds(p[0])),
        ys: c.utilization.map((p) => p[1]),
      })),
    idle,
    phases: series.phases.map((p) => ({
      name: p.name,
      label:
        p.name === 'measure' || p.name === 'cooldown'
          ? `${PHASE_LABEL[p.name]} c=${p.concurrency}`
          : (PHASE_LABEL[p.name] ?? p.name),
      startS: seconds(p.startMs),
      endS: seconds(p.endMs),
    })),
    xRange: [0, seconds(Math.max(1, ...ends))],
  };
}

/** (a) Power over time per channel, the idle baseline, the phases. Pure. */
export function buildPowerFigure(summary: RunSummary, series: HtmlSeries): Figure<PowerData> {
  const powered = series.channels.filter((c) => c.covers !== 'none' && c.power.length > 0);
  const settle =
    (summary.energy?.idleSettles.length ?? 0) > 0
      ? 'measured from where power settled (see the energy notes below)'
      : `its first ${IDLE_SETTLE_SHARE * 100}% (at most ${IDLE_SETTLE_MAX_MS / 1000} s) left out while power settles`;
  return {
    id: 'power',
    title: 'Power over time',
    provenance: provenanceOfKinds(powered.map((c) => c.kind)),
    covers: powered.length === 0 ? 'nothing' : powered.map(describeChannel).join('; '),
    caption:
      `Power of each channel on the run clock (0 = run start). Downsampling: at most ${series.maxPointsPerChannel} points per channel, by bucket mean. ` +
      `Dashed horizontal lines: each channel's idle baseline, the mean over the idle phase with ${settle}. Shaded: the phases. ` +
      `A break in a line is a sensor gap (no reading for more than ${GAP_INTERVALS} intervals). Dotted, right axis: utilization % where the source reports it. Estimates are dashed and marked ESTIMATE.`,
    data: powered.length === 0 ? null : powerData(summary, series, powered),
    unavailable:
      powered.length === 0
        ? 'no power was read during this run (see the sources below and `costbench doctor`)'
        : null,
  };
}

/** (b) Per-request decode tok/s at each request's end, one series per concurrency level. Pure. */
export function buildRateFigure(series: HtmlSeries): Figure<RateData> {
  const points = series.requests.filter((r) => r[2] !== null);
  const levels = [...new Set(points.map((r) => r[4]))].sort((a, b) => a - b);
  const clientTimed = points.filter((r) => r[6] === 'client').length;
  const how =
    clientTimed === 0
      ? "The server's decode count ÷ decode duration of each request (eval_count ÷ eval_duration; llama.cpp predicted_n ÷ predicted_ms)"
      : clientTimed === points.length
        ? "Client-timed, because the server reports no decode duration: the tokens after the first ÷ the time from the first to the last streamed token on costbench's clock"
        : `The server's decode count ÷ decode duration, and for ${clientTimed} requests without one, client-timed (tokens after the first ÷ first-to-last streamed token)`;
  return {
    id: 'rate',
    title: 'Generation speed over time',
    provenance: ['measured'],
    covers: `${points.length} ok requests with a decode rate${clientTimed === 0 ? '' : ` (${clientTimed} client-timed)`}; one point per request, at its end time`,
    caption: `${how}: the decode speed per stream, prompt evaluation excluded, against the time the request ended on the run clock.`,
    data:
      points.length === 0
        ? null
        : {
            levels: levels.map((c) => {
              const mine = points.filter((r) => r[4] === c).sort((a, b) => a[1] - b[1]);
              const estimate = mine.some((r) => r[7]);
              return {
                label: levelLabel({ concurrency: c }),
                estimate,
                xs: mine.map((r) => seconds(r[1])),
                ys: mine.map((r) => r[2]),
              };
            }),
          },
    unavailable: points.length === 0 ? 'no request reported decode counts' : null,
  };
}

/** Equal-width bins over the values, about √n of them (between the limits). Pure; null without values. */
export function computeHistogram(
  values: readonly number[],
): Omit<HistogramData, 'medianMs' | 'p95Ms'> | null {
  if (values.length === 0) return null;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const bins = Math.min(
    HISTOGRAM_MAX_BINS,
    Math.max(HISTOGRAM_MIN_BINS, Math.ceil(Math.sqrt(values.length))),
  );
  const widthMs = hi > lo ? (hi - lo) / bins : Math.max(1, lo * 0.01);
  const counts = Array.from({ length: bins }, () => 0);
  for (const v of values) {
    const i = Math.min(bins - 1, Math.floor((v - lo) / widthMs));
    counts[i] = (counts[i] ?? 0) + 1;
  }
  return { startsMs: counts.map((_, i) => lo + i * widthMs), widthMs, counts };
}

/** (c) The latency distribution of ok requests. Pure. */
export function buildLatencyFigure(summary: RunSummary, series: HtmlSeries): Figure<HistogramData> {
  const latencies = series.requests.filter((r) => r[5] === 'ok').map((r) => r[3]);
  const hist = computeHistogram(latencies);
  const d = summary.latencyMs;
  return {
    id: 'latency',
    title: 'Latency distribution',
    provenance: ['measured'],
    covers: `${latencies.length} ok requests${summary.sweep !== null && summary.sweep.levels.length > 1 ? ', all concurrency levels together' : ''}; failed requests left out`,
    caption: `End-to-end latency of each request on costbench's monotonic clock (send to last chunk). Median ${formatNumber(d?.median ?? null, 0)} ms, p95 ${formatNumber(d?.p95 ?? null, 0)} ms (vertical lines).`,
    data: hist === null || d === null ? null : { ...hist, medianMs: d.median, p95Ms: d.p95 },
    unavailable: hist === null ? 'no request succeeded' : null,
  };
}

const SWEEP_ESTIMATE_NOTE =
  'The output tokens/s is an ESTIMATE: output tokens counted one per streamed chunk (the server sent no usage).';

/** (d) Throughput against concurrency, when the run swept more than one level. Pure. */
export function buildSweepFigure(summary: RunSummary): Figure<SweepData> {
  // Open-loop levels have their own table (open-loop-section.ts): this figure is closed-loop concurrency.
  const all = summary.sweep;
  const sweep = all === null ? null : { ...all, levels: all.levels.filter((l) => l.openLoop === undefined) };
  const has = sweep !== null && sweep.levels.length > 1;
  const estimated = has && sweep.levels.some((l) => l.outputTokensEstimated);
  return {
    id: 'sweep',
    title: 'Throughput against concurrency',
    provenance: estimated ? ['measured', 'estimate'] : ['measured'],
    covers: has
      ? `levels ${sweep.levels.map((l) => l.concurrency).join(', ')}: the whole server, ok requests of each level's measured phase`
      : 'no sweep',
    caption: has
      ? `Tasks/s (left) and output tokens/s (right) = ok tasks or their output tokens ÷ the level's measured time. Best level (the cost model's capacity): ${sweep.best}; ${sweep.saturatedAt === null ? 'no level saturated' : `saturated at ${sweep.saturatedAt}`}.` +
        (estimated ? ` ${SWEEP_ESTIMATE_NOTE}` : '')
      : 'Run with --concurrency 1,2,4,8 to see it.',
    data: has
      ? {
          concurrency: sweep.levels.map((l) => l.concurrency),
          tasksPerS: sweep.levels.map((l) => l.tasksPerS),
          outputTokensPerS: sweep.levels.map((l) => l.outputTokensPerS),
          best: sweep.best,
          saturatedAt: sweep.saturatedAt,
        }
      : null,
    unavailable: has ? null : 'this run measured one concurrency level',
  };
}
