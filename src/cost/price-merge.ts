import type { Config } from '../config/schema.js';
import type { ApiPrice } from './price-types.js';

/** Later layers override earlier ones per model key; order is first appearance. Pure. */
export function mergePrices(layers: readonly (readonly ApiPrice[])[]): ApiPrice[] {
  const byModel = new Map<string, ApiPrice>();
  for (const layer of layers) for (const price of layer) byModel.set(price.model, price);
  return [...byModel.values()];
}

/** The config's customPrices as table entries (source 'config', no date). Pure. */
export function customPriceEntries(customPrices: Config['cost']['customPrices']): ApiPrice[] {
  return customPrices.map((c) => ({
    model: c.model,
    provider: c.provider,
    inputUsdPerMTok: c.inputPerMTok,
    outputUsdPerMTok: c.outputPerMTok,
    cachedInputUsdPerMTok: c.cachedInputPerMTok,
    batchInputUsdPerMTok: null,
    batchOutputUsdPerMTok: null,
    source: 'config',
    asOf: null,
  }));
}
