import type { Config } from '../config/schema.js';
import { loadPriceTable, priceDataDir } from '../cost/price-table.js';
import { computeRunCost } from './run-cost.js';
import type { RunSummary } from './summary.js';

/** Attaches the cost section (default comparison set from the config) to a run summary. Reads the price table. */
export function withCost(summary: RunSummary, config: Config, dbPath: string, configFile: string | null): RunSummary {
  if (summary.requests.ok === 0) return summary;
  const table = loadPriceTable({ dataDir: priceDataDir(dbPath), customPrices: config.cost.customPrices, configFile });
  return { ...summary, cost: computeRunCost(summary, config.cost, table.prices).cost };
}
