import type { Config } from '../config/schema.js';
import { loadPriceTable, priceDataDir } from '../cost/price-table.js';
import { computeRunRoofline } from '../roofline/for-run.js';
import { loadHardwareTable } from '../roofline/hardware.js';
import { computeRunCost } from './run-cost.js';
import { costInputsNote } from './cost-inputs-note.js';
import type { RunSummary } from './summary.js';

/** The GPU names a run saw, best first: the power tools' names (nvidia-smi's), then the inventory's. */
export function gpuNamesOf(s: RunSummary): { name: string; vramBytes: number | null }[] {
  const fromTools = (s.energy?.channels ?? []).filter((c) => c.covers === 'gpu-board' || c.covers === 'apu-package').map((c) => ({ name: c.device, vramBytes: null }));
  const fromInventory = (s.machine?.gpus ?? []).map((g) => ({ name: g.model, vramBytes: g.vramBytes }));
  return [...fromTools, ...fromInventory];
}

/**
 * Attaches what needs bundled tables to a run summary: the cost section (price table, default
 * comparison set from the config) and the roofline (hardware table). Reads those tables.
 */
export function withCost(summary: RunSummary, config: Config, dbPath: string, configFile: string | null): RunSummary {
  const roofline = computeRunRoofline(summary, loadHardwareTable(), config.roofline, gpuNamesOf(summary));
  if (summary.requests.ok === 0) return { ...summary, roofline };
  const table = loadPriceTable({ dataDir: priceDataDir(dbPath), customPrices: config.cost.customPrices, configFile });
  const cost = computeRunCost(summary, config.cost, table.prices).cost;
  const inputs = costInputsNote(config.cost, summary.recordView?.record ?? null, configFile);
  return { ...summary, cost: cost === null ? null : { ...cost, notes: [...cost.notes, inputs] }, roofline };
}
