import type { EnergySummary } from './energy-types.js';
import type { RequestRow } from '../types/run-rows.js';
import type { Phase } from '../types/telemetry-rows.js';
import { levelKey, levelLabel, levelOf, sameLevel, type Level } from '../types/level.js';
import { clientDecodeTokensPerS, decodeTokensPerS, serverDecodeTokensPerS } from './decode-rate.js';

import { computeDistribution, type Distribution } from './stats.js';
import {
  computeOpenLoopFigures,
  computeRateCapacity,
  type OpenLoopFigures,
  type RateCapacity,
} from './open-loop-summary.js';
import { computeContextDepth, type ContextDepthSummary } from './context-depth.js';

/** A level whose throughput gains less than this over the previous one has saturated. */
export const SATURATION_GAIN = 0.05;
/** ...or whose p95 latency grew this many times while throughput gained under LATENCY_BLOWUP_GAIN. */
export const LATENCY_BLOWUP_RATIO = 3;
export const LATENCY_BLOWUP_GAIN = 0.25;
/** Median server load time (which includes queue wait) above this at a level > 1: requests queued. */
export const QUEUE_WAIT_MS = 50;
/**
 * Servers that report no queue time (OpenAI-compatible ones): a level > 1 whose median TTFT exceeds
 * this share of a one-at-a-time request's median latency had requests waiting for another to finish.
 */
export const QUEUE_TTFT_SHARE = 0.5;
/** A level whose last third of requests decodes this much slower than its first third has drifted. */
export const DRIFT_LIMIT = 0.05;

/** One level of a run. */
export interface LevelSummary extends Level {
  ok: number;
  failed: number;
  durationMs: number;
  /** ok tasks / measured time of the level. */
  tasksPerS: number;
  /** All output tokens of the level / its measured time: what the box delivers. */
  outputTokensPerS: number;
  /** Some of those output tokens were counted one per streamed chunk (LM Studio): outputTokensPerS is an ESTIMATE. */
  outputTokensEstimated: boolean;
  latencyMs: Distribution | null;
  ttftMs: Distribution | null;
  /** Per-stream decode speed (server eval_count / eval_duration). */
  generationTokensPerS: Distribution | null;
  /** Per-stream decode speed on the client clock (first to last streamed token). */
  clientDecodeTokensPerS: Distribution | null;
  /** Median server load time (Ollama counts queue wait in it). */
  medianLoadMs: number | null;
  energyPerTaskJ: number | null;
  marginalEnergyPerTaskJ: number | null;
  /** Throughput over the previous level's, minus 1. */
  gain: number | null;
  saturated: boolean;
  /** (first third - last third) / first third of per-request decode tok/s (the server's, else client-timed); positive = slowed down. */
  slowdown: number | null;
  /** Open-loop levels only (absent on closed-loop ones): see open-loop-summary.ts. */
  openLoop?: OpenLoopFigures;
}

export interface SweepSummary {
  levels: LevelSummary[];
  /** The lowest level within SATURATION_GAIN of the most tasks per second (more in flight only adds latency): the capacity the cost model uses. */
  best: number;
  /** The first saturated level, or null. */
  saturatedAt: number | null;
  flags: string[];
  /** Open-loop levels with a latency bound: the highest offered rate within it (absent without such levels). */
  rateCapacity?: RateCapacity | null;
  /** Rates at each context depth (run --context-depth); absent for a run without one. */
  contextDepth?: ContextDepthSummary;
}

function rate(r: RequestRow): number | null {
  return decodeTokensPerS(r)?.tokensPerS ?? null;
}

/** Slowdown between the first and last third of a level's requests, in the order they ran. */
export function computeSlowdown(rows: readonly RequestRow[]): number | null {
  const rates = [...rows]
    .sort((a, b) => a.startOffsetMs - b.startOffsetMs)
    .map(rate)
    .filter((r): r is number => r !== null);
  const third = Math.floor(rates.length / 3);
  if (third < 2) return null;
  const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
  const first = mean(rates.slice(0, third));
  return first === 0 ? null : (first - mean(rates.slice(-third))) / first;
}

/** Per-level throughput, latency, energy, saturation and drift. Pure. */
export function computeSweep(
  requests: readonly RequestRow[],
  phases: readonly Phase[],
  energy: EnergySummary | null,
  backend = 'ollama',
): SweepSummary | null {
  const measures = phases.filter((p) => p.name === 'measure').sort((a, b) => a.startMs - b.startMs);
  if (measures.length === 0) return null;
  // A resumed run has several measured phases per level: their times add up.
  const byLevel = new Map<string, { level: Level; durationMs: number; phases: Phase[] }>();
  for (const m of measures) {
    const level = levelOf(m);
    const was = byLevel.get(levelKey(level));
    const durationMs = (was?.durationMs ?? 0) + (m.endMs - m.startMs);
    byLevel.set(levelKey(level), { level, durationMs, phases: [...(was?.phases ?? []), m] });
  }
  const levels: LevelSummary[] = [];
  for (const { level, durationMs, phases: levelPhases } of byLevel.values()) {
    const rows = requests.filter((r) => sameLevel(levelOf(r), level));
    const ok = rows.filter((r) => r.state === 'ok');
    const tasksPerS = durationMs > 0 ? (ok.length / durationMs) * 1000 : 0;
    // Gain and saturation compare closed-loop levels with one another, at the same depth; open-loop ones stand apart.
    const open = level.arrivalRatePerS !== undefined;
    const prev = open
      ? undefined
      : levels.findLast(
          (l) => l.arrivalRatePerS === undefined && l.contextDepthTokens === level.contextDepthTokens,
        );
    const gain = prev === undefined || prev.tasksPerS === 0 ? null : tasksPerS / prev.tasksPerS - 1;
    const latencyMs = computeDistribution(ok.map((r) => r.latencyMs));
    const blowup =
      prev?.latencyMs != null &&
      latencyMs !== null &&
      latencyMs.p95 > LATENCY_BLOWUP_RATIO * prev.latencyMs.p95;
    const e = energy?.levels.find((l) => sameLevel(l, level));
    levels.push({
      ...level,
      ok: ok.length,
      failed: rows.length - ok.length,
      durationMs,
      tasksPerS,
      outputTokensPerS:
        durationMs > 0 ? (ok.reduce((a, r) => a + (r.outputTokens ?? 0), 0) / durationMs) * 1000 : 0,
      outputTokensEstimated: ok.some((r) => r.metricsSource === 'chunks'),
      latencyMs,
      ttftMs: computeDistribution(ok.map((r) => r.ttftMs)),
      generationTokensPerS: computeDistribution(ok.map(serverDecodeTokensPerS)),
      clientDecodeTokensPerS: computeDistribution(ok.map(clientDecodeTokensPerS)),
      medianLoadMs: computeDistribution(ok.map((r) => r.loadMs))?.median ?? null,
      energyPerTaskJ: e?.perTaskJ ?? null,
      marginalEnergyPerTaskJ: e?.perTaskMarginalJ ?? null,
      gain,
      saturated: gain !== null && (gain < SATURATION_GAIN || (blowup && gain < LATENCY_BLOWUP_GAIN)),
      slowdown: computeSlowdown(ok),
      ...(open ? { openLoop: computeOpenLoopFigures(rows, levelPhases, level.arrivalRatePerS ?? 0) } : {}),
    });
  }
  const closed = levels.filter((l) => l.arrivalRatePerS === undefined);
  const ranked = closed.length > 0 ? closed : levels;
  // With context depths, the capacity is the lowest depth's (normally 0: the tasks as they are).
  const lowest = Math.min(...ranked.map((l) => l.contextDepthTokens ?? 0));
  const first = ranked.filter((l) => (l.contextDepthTokens ?? 0) === lowest);
  const top = Math.max(...first.map((l) => l.tasksPerS));
  const best =
    [...first]
      .sort((a, b) => a.concurrency - b.concurrency)
      .find((l) => l.tasksPerS >= (1 - SATURATION_GAIN) * top) ?? (levels[0] as LevelSummary);
  const depth = computeContextDepth(requests);
  return {
    levels,
    best: best.concurrency,
    saturatedAt: first.find((l) => l.saturated)?.concurrency ?? null,
    flags: [...sweepFlags(closed, backend), ...(depth?.flags ?? [])],
    ...(closed.length < levels.length ? { rateCapacity: computeRateCapacity(levels) } : {}),
    ...(depth === null ? {} : { contextDepth: depth }),
  };
}

/** Why requests in flight together wait for one another, by backend. */
function waitCause(backend: string, concurrency: number): string {
  return backend === 'llama-cpp'
    ? `the embedded engine decodes its ${concurrency} sequences in one batch on the same threads, so prompt processing or the threads saturated`
    : `fewer server slots than ${concurrency} (llama-server -np, LM Studio's parallel requests) or prompt processing saturated`;
}

function sweepFlags(levels: readonly LevelSummary[], backend: string): string[] {
  const flags: string[] = [];
  for (const l of levels) {
    const single =
      levels.find((o) => o.concurrency === 1 && o.contextDepthTokens === l.contextDepthTokens)?.latencyMs
        ?.median ?? null;
    if (l.concurrency > 1 && l.medianLoadMs !== null && l.medianLoadMs > QUEUE_WAIT_MS) {
      flags.push(
        `${levelLabel(l)}: requests waited in Ollama's queue (median ${l.medianLoadMs.toFixed(0)} ms load/queue time): OLLAMA_NUM_PARALLEL is probably below ${l.concurrency}, so they queued instead of running together`,
      );
    } else if (
      l.concurrency > 1 &&
      l.medianLoadMs === null &&
      single !== null &&
      l.ttftMs !== null &&
      l.ttftMs.median > QUEUE_TTFT_SHARE * single
    ) {
      flags.push(
        `${levelLabel(l)}: median TTFT ${l.ttftMs.median.toFixed(0)} ms is over half of a one-at-a-time request's latency (${single.toFixed(0)} ms): ` +
          `requests probably waited for one another — ${waitCause(backend, l.concurrency)}`,
      );
    }
    if (l.slowdown !== null && l.slowdown > DRIFT_LIMIT) {
      flags.push(
        `${levelLabel(l)}: the last third of requests decoded ${(l.slowdown * 100).toFixed(1)}% slower than the first (limit ${DRIFT_LIMIT * 100}%): thermal or clock drift? (temperatures and clocks are in the samples)`,
      );
    }
  }
  return flags;
}
