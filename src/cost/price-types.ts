/** One API model's prices, in USD per 1M tokens. null: the provider has no such price. */
export interface ApiPrice {
  /** The price-table key, e.g. "gpt-4o-mini" or "gemini/gemini-2.5-flash". */
  model: string;
  /** e.g. "openai", "anthropic"; the key for cost.tokenRatio. */
  provider: string;
  inputUsdPerMTok: number;
  outputUsdPerMTok: number;
  cachedInputUsdPerMTok: number | null;
  batchInputUsdPerMTok: number | null;
  batchOutputUsdPerMTok: number | null;
  /** Where the price came from: the table bundled with costbench, the user's imported table, or the config. */
  source: 'bundled' | 'imported' | 'config';
  /** The date the prices were true on (the table's date), when known. */
  asOf: string | null;
}

/** A table of prices with where each part came from. */
export interface PriceTable {
  prices: ApiPrice[];
  /** Each source used, e.g. { kind: 'bundled', asOf: '2026-07-18', note: 'litellm commit 00035b69…' }. */
  sources: { kind: ApiPrice['source']; path: string | null; asOf: string | null; note: string }[];
}
