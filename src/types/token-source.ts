/** How a run's local token counts were made: the server's tokenizer, or one token per streamed chunk (an ESTIMATE). */
export type TokenSource = 'server' | 'chunks';

/** Where the API side's token counts came from: the local counts (by how they were made), or a replay's billed usage. */
export type ApiTokenSource = TokenSource | 'billed';

/**
 * Where the share of API input billed at the cached-input price came from: cost.cachedInputShare, a
 * replay's billed usage, the local server's prompt cache, or nothing reported (0).
 */
export type CachedShareSource = 'config' | 'billed' | 'measured' | 'none';
