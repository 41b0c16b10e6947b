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

/** The API cost of one task, with the prices actually used. */
export interface ApiTaskCost {
  perTask: number;
  inputPerMTok: number;
  outputPerMTok: number;
  cachedInputPerMTok: number | null;
  /** Batch was asked for but the model has no batch price: the normal price is used. */
  batchUnavailable: boolean;
}

/**
 * The API cost of a task with `promptTokens` in and `outputTokens` out (local counts; scaled by
 * the token ratio). Pure: (prompt x ratio x ((1 - cached) x input + cached x cachedInput) +
 * output x ratio x output) / 1e6, in the user's currency.
 */
export function computeApiTaskCost(price: ApiPrice, promptTokens: number, outputTokens: number, billing: ApiBilling): ApiTaskCost {
  const useBatch = billing.batch && price.batchInputUsdPerMTok !== null && price.batchOutputUsdPerMTok !== null;
  const inputPerMTok = useBatch ? (price.batchInputUsdPerMTok as number) : price.inputUsdPerMTok;
  const outputPerMTok = useBatch ? (price.batchOutputUsdPerMTok as number) : price.outputUsdPerMTok;
  const cachedPerMTok = price.cachedInputUsdPerMTok ?? inputPerMTok;
  const share = billing.cachedInputShare;
  const inputUsd = promptTokens * billing.tokenRatio * ((1 - share) * inputPerMTok + share * cachedPerMTok);
  const outputUsd = outputTokens * billing.tokenRatio * outputPerMTok;
  return {
    perTask: ((inputUsd + outputUsd) / 1e6) * billing.currencyPerUsd,
    inputPerMTok,
    outputPerMTok,
    cachedInputPerMTok: price.cachedInputUsdPerMTok,
    batchUnavailable: billing.batch && !useBatch,
  };
}
