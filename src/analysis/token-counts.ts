import type { MetricsSource } from '../types/model-info.js';
import type { RequestRow } from '../types/run-rows.js';

/** A run's token counts over its ok requests, and where they came from. */
export interface TokenCounts {
  prompt: number;
  output: number;
  /** Ok requests missing the prompt or the output count. */
  requestsWithoutCounts: number;
  /**
   * Mean prompt / output tokens over the ok requests that have that count; null when none has it.
   * Prompt tokens are all the tokens the request sent, cached ones included: what an API bills.
   */
  promptPerRequest: number | null;
  outputPerRequest: number | null;
  /** Ok requests by the source of their counts; 'unknown': stored before sources were recorded. */
  sources: Record<MetricsSource | 'unknown', number>;
  /** Prompt tokens the server took from its cache, over the requests that reported it; null when none did. */
  cachedPrompt: number | null;
  /** Mean cached prompt tokens over the ok requests that reported a cached count; null when none did. */
  cachedPromptPerRequest: number | null;
  /**
   * Cached / all prompt tokens over the ok requests that reported both counts (the share an API's
   * cached-input price would apply to); null when none did.
   */
  cachedShare: number | null;
}

/** Counts tokens over ok rows. Pure. */
export function computeTokenCounts(ok: readonly RequestRow[]): TokenCounts {
  const sources: TokenCounts['sources'] = { server: 0, usage: 0, chunks: 0, unknown: 0 };
  for (const r of ok) sources[r.metricsSource ?? 'unknown'] += 1;
  const prompts = ok.flatMap((r) => (r.promptTokens === null ? [] : [r.promptTokens]));
  const outputs = ok.flatMap((r) => (r.outputTokens === null ? [] : [r.outputTokens]));
  const cached = ok.flatMap((r) => (r.cachedPromptTokens === null ? [] : [r.cachedPromptTokens]));
  const sum = (xs: number[]): number => xs.reduce((a, x) => a + x, 0);
  return {
    prompt: sum(prompts),
    output: sum(outputs),
    requestsWithoutCounts: ok.filter((r) => r.promptTokens === null || r.outputTokens === null).length,
    promptPerRequest: prompts.length === 0 ? null : sum(prompts) / prompts.length,
    outputPerRequest: outputs.length === 0 ? null : sum(outputs) / outputs.length,
    sources,
    cachedPrompt: cached.length === 0 ? null : sum(cached),
    cachedPromptPerRequest: cached.length === 0 ? null : sum(cached) / cached.length,
    cachedShare: computeCachedShare(ok),
  };
}

function computeCachedShare(ok: readonly RequestRow[]): number | null {
  const both = ok.filter((r) => r.promptTokens !== null && r.cachedPromptTokens !== null);
  const prompt = both.reduce((a, r) => a + (r.promptTokens ?? 0), 0);
  return prompt === 0 ? null : both.reduce((a, r) => a + (r.cachedPromptTokens ?? 0), 0) / prompt;
}

/** The client-timed decode row's label when output tokens were counted one per chunk (30 characters: the table's label column). */
export const ESTIMATED_DECODE_LABEL = 'Decode tok/s (client) ESTIMATE';

/** True when some output counts are chunk counts: estimates, not the server's tokenizer. */
export function hasEstimatedCounts(t: TokenCounts): boolean {
  return t.sources.chunks > 0;
}

/** Where a run's token counts came from, in words for a report line. Pure. */
export function describeTokenSources(t: TokenCounts): string {
  const total = t.sources.server + t.sources.usage + t.sources.chunks + t.sources.unknown;
  if (total === 0) return 'no ok request';
  const parts: string[] = [];
  if (t.sources.server > 0)
    parts.push(
      `${t.sources.server === total ? '' : `${t.sources.server} requests: `}counted and timed by the server`,
    );
  if (t.sources.usage > 0)
    parts.push(
      `${t.sources.usage === total ? '' : `${t.sources.usage} requests: `}counted by the server's tokenizer (usage), not timed`,
    );
  if (t.sources.chunks > 0) {
    parts.push(
      `${t.sources.chunks === total ? '' : `${t.sources.chunks} requests: `}ESTIMATED, one output token per streamed chunk (the server sent no usage; prompt tokens unknown)`,
    );
  }
  if (t.sources.unknown > 0)
    parts.push(`${t.sources.unknown === total ? '' : `${t.sources.unknown} requests: `}source not recorded`);
  return parts.join('; ');
}

/** Where a run's counts came from in a word or two, for a column: "server", "usage", "chunks (ESTIMATE)", joined by "+". Pure. */
export function briefTokenSources(t: TokenCounts): string {
  const names = {
    server: 'server',
    usage: 'usage',
    chunks: 'chunks (ESTIMATE)',
    unknown: 'not recorded',
  } as const;
  const present = (Object.keys(names) as (keyof typeof names)[])
    .filter((k) => t.sources[k] > 0)
    .map((k) => names[k]);
  return present.length === 0 ? '—' : present.join(' + ');
}

/** The report line about token counts (table and Markdown alike). Pure. */
export function formatTokensLine(t: TokenCounts): string {
  const share = t.cachedShare === null ? '' : `: ${Math.round(t.cachedShare * 100)}%`;
  const cached = t.cachedPrompt === null ? '' : ` (${t.cachedPrompt} from the server's prompt cache${share})`;
  const missing =
    t.requestsWithoutCounts > 0
      ? `; ${t.requestsWithoutCounts} requests without a prompt or output count`
      : '';
  return `Tokens: ${t.prompt} prompt${cached}, ${t.output} output; ${describeTokenSources(t)}${missing}`;
}
