import type { RunRecord } from '../../types/run-record.js';
import type { RequestRow } from '../../types/run-rows.js';
import type { Phase, StoredChannel } from '../../types/telemetry-rows.js';
import type { StoredSample } from '../../types/telemetry-rows.js';
import { GAP_INTERVALS, medianSpacingMs } from '../../analysis/energy-summary.js';
import { decodeTokensPerS, type DecodeTimedBy } from '../../analysis/decode-rate.js';

/** At most this many points per channel and series reach the page (bucket means beyond that). */
export const MAX_POINTS_PER_CHANNEL = 4_000;

/** [tMs, meanW, minW, maxW]: a reading (min = max = mean), or a bucket's mean and extremes; all null at a sensor gap. */
export type PowerPoint = [tMs: number, meanW: number | null, minW: number | null, maxW: number | null];
/** [tMs, utilization %] (a bucket mean when downsampled); null at a sensor gap. */
export type UtilPoint = [tMs: number, pct: number | null];
/**
 * One request: times on the run clock, decode rate (the server's, else client-timed; null when
 * neither), client latency, who timed the rate, and whether its tokens were counted one per
 * streamed chunk (the rate is then an ESTIMATE).
 */
export type RequestPoint = [
  startMs: number,
  endMs: number,
  decodeTokensPerS: number | null,
  latencyMs: number,
  concurrency: number,
  state: RequestRow['state'],
  timedBy: DecodeTimedBy | null,
  tokensEstimated: boolean,
];

/** One telemetry channel's readings, shaped for a chart. */
export interface HtmlChannelSeries {
  key: string;
  device: string;
  source: string;
  kind: StoredChannel['kind'];
  covers: StoredChannel['covers'];
  inTotal: boolean;
  /** The poll interval the channel was read at. */
  intervalMs: number;
  /** Readings stored (before downsampling). */
  rawPoints: number;
  /** Width of a bucket when the readings were downsampled; null when every reading is kept. */
  bucketMs: number | null;
  power: PowerPoint[];
  utilization: UtilPoint[];
}

/** The raw series an HTML report draws: power per channel, the phases, and every request. */
export interface HtmlSeries {
  channels: HtmlChannelSeries[];
  /** On the run clock (0 = run start), in time order. */
  phases: Phase[];
  /** Requests in the order they ran. */
  requests: RequestPoint[];
  maxPointsPerChannel: number;
}

type Reading = { tMs: number; v: number };

/** Splits time-ordered readings at gaps wider than `maxGapMs`. */
function splitAtGaps(readings: readonly Reading[], maxGapMs: number): Reading[][] {
  const segments: Reading[][] = [];
  let current: Reading[] = [];
  for (const r of readings) {
    const last = current[current.length - 1];
    if (last !== undefined && r.tMs - last.tMs > maxGapMs) {
      segments.push(current);
      current = [];
    }
    current.push(r);
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/** Mean, min and max of the readings in each `bucketMs`-wide bucket from `originMs`, at the mean time of the bucket. */
function bucketize(segment: readonly Reading[], originMs: number, bucketMs: number): PowerPoint[] {
  const out: PowerPoint[] = [];
  let i = 0;
  while (i < segment.length) {
    const bucket = Math.floor(((segment[i] as Reading).tMs - originMs) / bucketMs);
    let sumT = 0,
      sumV = 0,
      min = Infinity,
      max = -Infinity,
      n = 0;
    for (
      ;
      i < segment.length && Math.floor(((segment[i] as Reading).tMs - originMs) / bucketMs) === bucket;
      i += 1
    ) {
      const r = segment[i] as Reading;
      sumT += r.tMs;
      sumV += r.v;
      min = Math.min(min, r.v);
      max = Math.max(max, r.v);
      n += 1;
    }
    out.push([sumT / n, sumV / n, min, max]);
  }
  return out;
}

/**
 * Downsamples time-ordered readings to at most about `maxPoints` by bucket mean (keeping each
 * bucket's min and max), with a null point at every gap wider than `maxGapMs` so a chart does
 * not draw a line across missing readings. Pure. bucketMs is null when nothing was merged.
 */
export function downsample(
  readings: readonly Reading[],
  maxGapMs: number,
  maxPoints: number,
): { points: PowerPoint[]; bucketMs: number | null } {
  const first = readings[0];
  const last = readings[readings.length - 1];
  if (first === undefined || last === undefined) return { points: [], bucketMs: null };
  const segments = splitAtGaps(readings, maxGapMs);
  // Leave room for the gap markers, then size buckets so the whole span fits.
  const budget = Math.max(1, maxPoints - (segments.length - 1));
  const bucketMs = readings.length > budget ? (last.tMs - first.tMs) / (budget - 1 || 1) : null;
  const points: PowerPoint[] = [];
  for (const [i, segment] of segments.entries()) {
    if (i > 0)
      points.push([
        ((segment[0] as Reading).tMs + (points[points.length - 1] as PowerPoint)[0]) / 2,
        null,
        null,
        null,
      ]);
    points.push(
      ...(bucketMs === null
        ? segment.map((r): PowerPoint => [r.tMs, r.v, r.v, r.v])
        : bucketize(segment, first.tMs, bucketMs)),
    );
  }
  return { points, bucketMs };
}

function readingsOf(samples: readonly StoredSample[], field: 'powerW' | 'utilizationPct'): Reading[] {
  return samples.flatMap((s) => (s[field] === null ? [] : [{ tMs: s.tMs, v: s[field] as number }]));
}

/** One channel's samples shaped for the page. Pure. */
export function shapeChannel(
  channel: StoredChannel,
  samples: readonly StoredSample[],
  maxPoints = MAX_POINTS_PER_CHANNEL,
): HtmlChannelSeries {
  const periodMs = Math.max(channel.intervalMs, medianSpacingMs(samples) ?? 0);
  const maxGapMs = periodMs * GAP_INTERVALS;
  const power = downsample(readingsOf(samples, 'powerW'), maxGapMs, maxPoints);
  const util = downsample(readingsOf(samples, 'utilizationPct'), maxGapMs, maxPoints);
  return {
    key: channel.key,
    device: channel.device,
    source: channel.source,
    kind: channel.kind,
    covers: channel.covers,
    inTotal: channel.inTotal,
    intervalMs: channel.intervalMs,
    rawPoints: samples.length,
    bucketMs: power.bucketMs ?? util.bucketMs,
    power: power.points,
    utilization: util.points.map(([t, v]): UtilPoint => [t, v]),
  };
}

/** A request row as a chart point. Pure. */
export function toRequestPoint(r: RequestRow): RequestPoint {
  const rate = r.state === 'ok' ? decodeTokensPerS(r) : null;
  return [
    r.startOffsetMs,
    r.startOffsetMs + r.latencyMs,
    rate?.tokensPerS ?? null,
    r.latencyMs,
    r.concurrency,
    r.state,
    rate?.timedBy ?? null,
    r.metricsSource === 'chunks',
  ];
}

/** Shapes a run's stored rows into the series the HTML report draws. Pure. */
export function shapeHtmlSeries(
  channels: readonly StoredChannel[],
  samplesByChannel: ReadonlyMap<number, readonly StoredSample[]>,
  phases: readonly Phase[],
  requests: readonly RequestRow[],
  maxPoints = MAX_POINTS_PER_CHANNEL,
): HtmlSeries {
  return {
    channels: channels.map((c) => shapeChannel(c, samplesByChannel.get(c.id) ?? [], maxPoints)),
    phases: [...phases].sort((a, b) => a.startMs - b.startMs),
    requests: [...requests].sort((a, b) => a.startOffsetMs - b.startOffsetMs).map(toRequestPoint),
    maxPointsPerChannel: maxPoints,
  };
}

/** The series of a run's record, as the HTML report draws them. Pure. */
export function htmlSeriesOf(record: RunRecord, maxPoints = MAX_POINTS_PER_CHANNEL): HtmlSeries {
  return shapeHtmlSeries(record.channels, record.samples, record.phases, record.requests, maxPoints);
}
