import { z } from 'zod';
import { ConfigError } from '../errors.js';
import type { ApiPrice } from './price-types.js';

/** Where users get the full table that `costbench prices import` reads. */
export const LITELLM_PRICES_URL =
  'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json';

/** The entry at the top of litellm's file that documents the format; not a model. */
export const LITELLM_SAMPLE_SPEC_KEY = 'sample_spec';

/** litellm prices are USD per token; costbench's are USD per 1M tokens. */
const TOKENS_PER_MTOK = 1e6;
/** Prices are rounded to 1e-9 USD per 1M tokens: far below any real price, far above float noise. */
const PRICE_SCALE = 1e9;

/** An entry of the source table that did not become a price, and why. */
export interface SkippedPrice {
  model: string;
  why: string;
}

/** The prices read from a litellm table, and the entries left out. */
export interface ParsedPrices {
  prices: ApiPrice[];
  skipped: SkippedPrice[];
}

/** What the bundled snapshot's `source` block says about itself. */
export interface LitellmSnapshotSource {
  commit: string | null;
  /** The date the content was true on (YYYY-MM-DD). */
  contentAsOf: string | null;
  license: string | null;
}

/** The `source` block of the imported table (`<dataDir>/prices.json`). */
export interface ImportedPricesSource {
  /** Absolute path of the litellm file that was imported. */
  importedFrom: string;
  /** ISO-8601 UTC instant of the import. */
  importedAt: string;
  /** SHA-256 (hex) of the imported file's bytes. */
  sha256: string;
  /** How many prices were written. */
  entries: number;
}

/** The imported table as written by `importPrices`. */
export interface ImportedPrices {
  source: ImportedPricesSource;
  prices: ApiPrice[];
}

/** Converts USD per token to USD per 1M tokens, rounded to 1e-9 so 1.5e-07 gives exactly 0.15. */
export function usdPerTokenToPerMTok(usdPerToken: number): number {
  return Math.round(usdPerToken * TOKENS_PER_MTOK * PRICE_SCALE) / PRICE_SCALE;
}

/**
 * Reads the chat-model prices out of litellm's model_prices_and_context_window.json, or out of the
 * bundled snapshot wrapping it (`{source, models}`). Pure. Entries that are not chat models or lack
 * an input or output price per token are returned in `skipped`, with the reason.
 * @throws ConfigError when the top level is not an object keyed by model name (callers add the file).
 */
export function parseLitellmPrices(
  json: unknown,
  source: ApiPrice['source'],
  asOf: string | null,
): ParsedPrices {
  const parsed: ParsedPrices = { prices: [], skipped: [] };
  for (const [model, entry] of Object.entries(litellmEntries(json))) {
    const price = parseLitellmEntry(model, entry, source, asOf);
    if (typeof price === 'string') parsed.skipped.push({ model, why: price });
    else parsed.prices.push(price);
  }
  return parsed;
}

/** The `source` block of the bundled snapshot; null for a plain litellm file. Pure. */
export function parseLitellmSnapshotSource(json: unknown): LitellmSnapshotSource | null {
  if (!isWrapper(json)) return null;
  const source = json['source'] as Record<string, unknown>;
  const text = (key: string): string | null => {
    const value = source[key];
    return typeof value === 'string' && value.trim() !== '' ? value : null;
  };
  return { commit: text('commit'), contentAsOf: text('content_as_of'), license: text('license') };
}

function litellmEntries(json: unknown): Record<string, unknown> {
  if (!isPlainObject(json)) {
    throw new ConfigError(
      `expected a JSON object keyed by model name (litellm's model_prices_and_context_window.json), found ${describeType(json)}`,
      `Download it from ${LITELLM_PRICES_URL}`,
    );
  }
  return isWrapper(json) ? (json['models'] as Record<string, unknown>) : json;
}

/** The bundled snapshot: `{source: {...}, models: {...}}`, where `models` is not itself a price entry. */
function isWrapper(json: unknown): json is Record<string, unknown> {
  if (!isPlainObject(json)) return false;
  const models = json['models'];
  return (
    isPlainObject(json['source']) &&
    isPlainObject(models) &&
    !('mode' in models) &&
    !('input_cost_per_token' in models)
  );
}

/** An ApiPrice, or why the entry is left out. */
function parseLitellmEntry(
  model: string,
  entry: unknown,
  source: ApiPrice['source'],
  asOf: string | null,
): ApiPrice | string {
  if (model === LITELLM_SAMPLE_SPEC_KEY) return "litellm's description of the format, not a model";
  if (!isPlainObject(entry)) return `expected an object, found ${describeType(entry)}`;
  const mode = entry['mode'];
  if (mode === undefined) return 'no mode, so not known to be a chat model';
  if (mode !== 'chat') return `mode ${stringifyValue(mode)}, not chat`;
  const missing = missingPrice(entry, 'input_cost_per_token') ?? missingPrice(entry, 'output_cost_per_token');
  if (missing !== null) return missing;
  return {
    model,
    provider: providerOf(model, entry),
    inputUsdPerMTok: usdPerTokenToPerMTok(entry['input_cost_per_token'] as number),
    outputUsdPerMTok: usdPerTokenToPerMTok(entry['output_cost_per_token'] as number),
    cachedInputUsdPerMTok: optionalPrice(entry, 'cache_read_input_token_cost'),
    batchInputUsdPerMTok: optionalPrice(entry, 'input_cost_per_token_batches'),
    batchOutputUsdPerMTok: optionalPrice(entry, 'output_cost_per_token_batches'),
    source,
    asOf,
  };
}

function missingPrice(entry: Record<string, unknown>, key: string): string | null {
  const value = entry[key];
  if (value === undefined) return `no ${key}`;
  return isPrice(value) ? null : `${key} is not a price: ${stringifyValue(value)}`;
}

/** An optional price: anything but a non-negative number counts as "no such price". */
function optionalPrice(entry: Record<string, unknown>, key: string): number | null {
  const value = entry[key];
  return isPrice(value) ? usdPerTokenToPerMTok(value) : null;
}

function providerOf(model: string, entry: Record<string, unknown>): string {
  const provider = entry['litellm_provider'];
  if (typeof provider === 'string' && provider.trim() !== '') return provider;
  const slash = model.indexOf('/');
  return slash > 0 ? model.slice(0, slash) : 'unknown';
}

/** A number that stays finite per 1M tokens: a huge one would be Infinity, written to the table as null. */
function isPrice(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && Number.isFinite(usdPerTokenToPerMTok(value));
}

/** JSON of a value for a skip reason; a deeply nested one overflows JSON.stringify. */
function stringifyValue(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '(a value nested too deeply to show)';
  }
}

const priceSchema = z.number().min(0);
const apiPriceSchema = z.object({
  model: z.string().min(1),
  provider: z.string().min(1),
  inputUsdPerMTok: priceSchema,
  outputUsdPerMTok: priceSchema,
  cachedInputUsdPerMTok: priceSchema.nullable(),
  batchInputUsdPerMTok: priceSchema.nullable(),
  batchOutputUsdPerMTok: priceSchema.nullable(),
  asOf: z.string().nullable(),
});
const importedPricesSchema = z.object({
  source: z.object({
    importedFrom: z.string().min(1),
    importedAt: z.string().min(1),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    entries: z.number().int().min(0),
  }),
  models: z.record(z.string(), apiPriceSchema),
});

/**
 * Validates the imported table (`<dataDir>/prices.json`). Pure. Every entry comes back with
 * source 'imported' and the key as its model name.
 * @throws ConfigError naming the first problem's key path (callers add the file).
 */
export function parseImportedPrices(json: unknown): ImportedPrices {
  const result = importedPricesSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where =
      issue === undefined || issue.path.length === 0 ? 'top level' : issue.path.map(String).join('.');
    throw new ConfigError(
      `imported price table: ${where}: ${issue?.message ?? 'invalid'}`,
      'Import the litellm file again (`costbench prices import <file>`), or delete this file to use the bundled table.',
    );
  }
  const prices = Object.entries(result.data.models).map(([model, price]): ApiPrice => ({
    ...price,
    model,
    source: 'imported',
  }));
  return { source: result.data.source, prices };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
