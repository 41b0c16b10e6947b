import type { CachedPriceBasis } from '../cost/api-cost.js';
import type { ApiTokenSource, CachedShareSource, TokenSource } from '../types/token-source.js';

/** How the local counts were made, in the words the JSON reports carry (perTask.tokensCountedBy). Pure. */
export function tokenSourceWords(source: TokenSource): string {
  return source === 'server' ? 'server tokenizer' : 'stream chunks (ESTIMATE)';
}

/** Where the API side's counts came from, in the words the reports and JSON carry (apiTokens). Pure. */
export function apiTokenSourceWords(source: ApiTokenSource): string {
  if (source === 'billed') return 'billed usage (replay)';
  return source === 'server' ? 'local tokenizer' : 'local stream chunks (ESTIMATE)';
}

/** Where the cached-input share came from, in the words the JSON reports carry (cachedShare.source). Pure. */
export function cachedShareSourceWords(source: CachedShareSource): string {
  switch (source) {
    case 'config':
      return 'config';
    case 'billed':
      return 'billed usage (replay)';
    case 'measured':
      return 'measured (server prompt cache)';
    case 'none':
      return 'none reported (0)';
  }
}

/** Where an API's cached-input price came from, in the words the JSON reports carry (task.cachedPriceBasis). Pure. */
export function cachedPriceBasisWords(basis: CachedPriceBasis): string {
  switch (basis) {
    case 'table':
      return 'table';
    case 'batch-derived':
      return 'batch discount applied to the cached price';
    case 'input-price':
      return 'no cache discount (input price)';
  }
}
