/** What a figure shows, how it was obtained, and the data its chart draws. Shared by the builders and the page. */

/**
 * How a figure's numbers were obtained: measured (a clock or the server's counts), sampled
 * (power readings), counter (an energy counter), estimate (a model, never a measurement), or
 * computed (arithmetic over the others and configured prices).
 */
export type Provenance = 'measured' | 'sampled' | 'counter' | 'estimate' | 'computed';

/** One figure of the page; `data` is null when the run has nothing to draw (then `unavailable` says why). */
export interface Figure<T> {
  id: string;
  title: string;
  provenance: Provenance[];
  /** What the figure covers (devices, requests, the view of cost). */
  covers: string;
  /** How the numbers were obtained and how to read the chart. */
  caption: string;
  data: T | null;
  unavailable: string | null;
}

/** A line drawn against seconds on the run clock. */
export interface TimeLine {
  label: string;
  /** An estimate: drawn dashed and labelled ESTIMATE. */
  estimate: boolean;
  xs: number[];
  ys: (number | null)[];
}

export interface PowerData {
  /** Power per channel; `min`/`max` are the bucket extremes when downsampled (a band), else null. */
  channels: (TimeLine & { min: (number | null)[] | null; max: (number | null)[] | null })[];
  utilization: TimeLine[];
  idle: { label: string; estimate: boolean; w: number }[];
  phases: { name: string; label: string; startS: number; endS: number }[];
  xRange: [number, number];
}

export interface RateData {
  levels: TimeLine[];
}

export interface HistogramData {
  /** Left edges, ms; every bin is widthMs wide. */
  startsMs: number[];
  widthMs: number;
  counts: number[];
  medianMs: number;
  p95Ms: number;
}

export interface SweepData {
  concurrency: number[];
  tasksPerS: number[];
  outputTokensPerS: number[];
  best: number;
  saturatedAt: number | null;
}

export interface BarsData {
  labels: string[];
  groups: { label: string; estimate: boolean; values: (number | null)[] }[];
  unit: string;
  /** A log y axis (values spanning orders of magnitude). */
  log: boolean;
}

export interface VolumeData {
  volumes: number[];
  lines: { label: string; estimate: boolean; values: (number | null)[] }[];
  breakEvens: { label: string; volume: number }[];
  currency: string;
  chosenVolume: number;
}

/** The data block of the page: each figure's data by id. */
export interface PageData {
  power: PowerData | null;
  rate: RateData | null;
  latency: HistogramData | null;
  sweep: SweepData | null;
  cost: BarsData | null;
  volume: VolumeData | null;
  accuracy: BarsData | null;
}

/** The provenance of readings of these kinds, estimate last. */
export function provenanceOfKinds(kinds: readonly ('counter' | 'sampled' | 'estimate')[]): Provenance[] {
  return (['sampled', 'counter', 'estimate'] as const).filter((k) => kinds.includes(k));
}
