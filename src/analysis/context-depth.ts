import type { RequestRow } from '../types/run-rows.js';
import { levelKey, levelLabel, levelOf, type Level } from '../types/level.js';
import { decodeTokensPerS, prefillTokensPerS } from './decode-rate.js';
import { computeDistribution, type Distribution } from './stats.js';

/** A measured depth further than this share from the requested one is flagged. */
export const DEPTH_MISMATCH_SHARE = 0.1;
/** A level at depth whose server took more than this share of the prompt tokens from its cache is flagged. */
export const MOSTLY_CACHED_SHARE = 0.5;

/** One level of a run with a context depth (run --context-depth): the rates at that depth. */
export interface DepthLevel extends Level {
  contextDepthTokens: number;
  ok: number;
  /** Median prompt tokens per request as the server counted them: filler and the task's own prompt. */
  promptTokensMedian: number | null;
  /** Mean prompt and output tokens per request, which size the KV cache read per decoded token. */
  promptTokensMean: number | null;
  outputTokensMean: number | null;
  /**
   * The depth the server counted: the median over requests of their prompt tokens less the same
   * task's median prompt tokens at depth 0. null when the run has no depth 0 to subtract.
   */
  measuredDepthTokens: number | null;
  /** Per-request prefill speed (prompt tokens not from the cache / prompt time). */
  prefillTokensPerS: Distribution | null;
  /** Per-request decode speed, the server's where it timed one, else the client's. */
  decodeTokensPerS: Distribution | null;
  ttftMs: Distribution | null;
  /** Cached prompt tokens / prompt tokens over the requests whose server said; null: none said. */
  cachedShare: number | null;
}

export interface ContextDepthSummary {
  levels: DepthLevel[];
  flags: string[];
}

function median(xs: readonly number[]): number | null {
  return computeDistribution(xs)?.median ?? null;
}

/** Each task's median prompt tokens at depth 0: what its own prompt counts without filler. */
function basePromptTokens(ok: readonly RequestRow[]): Map<string, number> {
  const byTask = new Map<string, number[]>();
  for (const r of ok) {
    if (r.contextDepthTokens !== 0 || r.promptTokens === null) continue;
    byTask.set(r.taskId, [...(byTask.get(r.taskId) ?? []), r.promptTokens]);
  }
  const base = new Map<string, number>();
  for (const [task, counts] of byTask) base.set(task, median(counts) ?? 0);
  return base;
}

function mean(xs: readonly (number | null)[]): number | null {
  const known = xs.filter((x): x is number => x !== null);
  return known.length === 0 ? null : known.reduce((a, x) => a + x, 0) / known.length;
}

function cachedShareOf(rows: readonly RequestRow[]): number | null {
  const both = rows.filter((r) => r.promptTokens !== null && r.cachedPromptTokens !== null);
  const prompt = both.reduce((a, r) => a + (r.promptTokens ?? 0), 0);
  return both.length === 0 || prompt === 0
    ? null
    : both.reduce((a, r) => a + (r.cachedPromptTokens ?? 0), 0) / prompt;
}

/**
 * Prefill and decode rates, TTFT and the measured depth of each level with a context depth, by
 * depth then concurrency; null for a run without --context-depth. Flags a measured depth more
 * than DEPTH_MISMATCH_SHARE off the requested one and a level mostly served from a prompt cache. Pure.
 */
export function computeContextDepth(requests: readonly RequestRow[]): ContextDepthSummary | null {
  const ok = requests.filter((r) => r.state === 'ok');
  const base = basePromptTokens(ok);
  const byLevel = new Map<string, { level: Level; rows: RequestRow[] }>();
  for (const r of requests) {
    if (r.contextDepthTokens === undefined) continue;
    const level = levelOf(r);
    const entry = byLevel.get(levelKey(level)) ?? { level, rows: [] };
    entry.rows.push(r);
    byLevel.set(levelKey(level), entry);
  }
  if (byLevel.size === 0) return null;
  const levels: DepthLevel[] = [];
  for (const { level, rows } of byLevel.values()) {
    const good = rows.filter((r) => r.state === 'ok');
    const depths = good.flatMap((r) => {
      const own = base.get(r.taskId);
      return own === undefined || r.promptTokens === null ? [] : [r.promptTokens - own];
    });
    levels.push({
      ...level,
      contextDepthTokens: level.contextDepthTokens ?? 0,
      ok: good.length,
      promptTokensMedian: median(good.flatMap((r) => (r.promptTokens === null ? [] : [r.promptTokens]))),
      promptTokensMean: mean(good.map((r) => r.promptTokens)),
      outputTokensMean: mean(good.map((r) => r.outputTokens)),
      measuredDepthTokens: median(depths),
      prefillTokensPerS: computeDistribution(good.map(prefillTokensPerS)),
      decodeTokensPerS: computeDistribution(good.map((r) => decodeTokensPerS(r)?.tokensPerS ?? null)),
      ttftMs: computeDistribution(good.map((r) => r.ttftMs)),
      cachedShare: cachedShareOf(good),
    });
  }
  levels.sort((a, b) => a.contextDepthTokens - b.contextDepthTokens || a.concurrency - b.concurrency);
  return { levels, flags: depthFlags(levels) };
}

function depthFlags(levels: readonly DepthLevel[]): string[] {
  const flags: string[] = [];
  for (const l of levels) {
    const asked = l.contextDepthTokens;
    const measured = l.measuredDepthTokens;
    if (asked > 0 && measured !== null && Math.abs(measured - asked) > DEPTH_MISMATCH_SHARE * asked) {
      const off = ((measured - asked) / asked) * 100;
      flags.push(
        `${levelLabel(l)}: the server counted ${measured.toFixed(0)} tokens of filler, ${off >= 0 ? '+' : ''}${off.toFixed(0)}% from the ${asked} requested (its tokenizer splits the filler words otherwise): read the rates at the measured depth`,
      );
    }
    if (asked > 0 && l.cachedShare !== null && l.cachedShare > MOSTLY_CACHED_SHARE) {
      flags.push(
        `${levelLabel(l)}: the server took ${(l.cachedShare * 100).toFixed(0)}% of the prompt tokens from its cache, so the depth's prefill was mostly not paid`,
      );
    }
  }
  return flags;
}
