import type { ApiPrice } from './price-types.js';

/** How API calls are billed in a comparison. */
export interface ApiBilling {
  /** Share of input tokens billed at the cached-input price (0-1). */
  cachedInputShare: number;
  /** Use batch prices where the model has them. */
  batch: boolean;
  /** API tokens per local token for this provider (tokenizers differ). */
  tokenRatio: number;
  /** Units of the user's currency per USD. */
  currencyPerUsd: number;
}

/**
 * Where the cached-input price used came from: the price table; under batch billing, the cached
 * price x the batch input discount (the table has no batch cached price); or, for a model with no
 * cached price, the input price. The reports write it in words (report/source-words.ts).
 */
export type CachedPriceBasis = 'table' | 'batch-derived' | 'input-price';

/** The API cost of one task, with the prices actually used. */
export interface ApiTaskCost {
  perTask: number;
  inputPerMTok: number;
  outputPerMTok: number;
  /** The cached-input price used, USD per 1M tokens, and where it came from. */
  cachedInputPerMTok: number;
  cachedPriceBasis: CachedPriceBasis;
  /** Batch was asked for but the model has no batch price: the normal price is used. */
  batchUnavailable: boolean;
}

/**
 * The cached-input price under batch billing. The table (litellm) has no batch cached price, so it
 * is derived as the batch discount applied to the cached price: cached x batch input / input (the
 * discounts stack, as Anthropic documents; the report names the derivation). Pure.
 */
function cachedPrice(
  price: ApiPrice,
  useBatch: boolean,
  inputPerMTok: number,
): { perMTok: number; basis: CachedPriceBasis } {
  const cached = price.cachedInputUsdPerMTok;
  if (cached === null) return { perMTok: inputPerMTok, basis: 'input-price' };
  if (!useBatch || price.inputUsdPerMTok === 0) return { perMTok: cached, basis: 'table' };
  return {
    perMTok: (cached * inputPerMTok) / price.inputUsdPerMTok,
    basis: 'batch-derived',
  };
}

/**
 * The API cost of a task with `promptTokens` in (every prompt token, cached ones included) and
 * `outputTokens` out (local counts; scaled by the token ratio). Pure: (prompt x ratio x
 * ((1 - cached) x input + cached x cachedInput) + output x ratio x output) / 1e6, in the user's currency.
 */
export function computeApiTaskCost(
  price: ApiPrice,
  promptTokens: number,
  outputTokens: number,
  billing: ApiBilling,
): ApiTaskCost {
  const useBatch =
    billing.batch && price.batchInputUsdPerMTok !== null && price.batchOutputUsdPerMTok !== null;
  const inputPerMTok = useBatch ? (price.batchInputUsdPerMTok as number) : price.inputUsdPerMTok;
  const outputPerMTok = useBatch ? (price.batchOutputUsdPerMTok as number) : price.outputUsdPerMTok;
  const cached = cachedPrice(price, useBatch, inputPerMTok);
  const share = billing.cachedInputShare;
  const inputUsd = promptTokens * billing.tokenRatio * ((1 - share) * inputPerMTok + share * cached.perMTok);
  const outputUsd = outputTokens * billing.tokenRatio * outputPerMTok;
  return {
    perTask: ((inputUsd + outputUsd) / 1e6) * billing.currencyPerUsd,
    inputPerMTok,
    outputPerMTok,
    cachedInputPerMTok: cached.perMTok,
    cachedPriceBasis: cached.basis,
    batchUnavailable: billing.batch && !useBatch,
  };
}
