import {
  analyzeRun,
  type AnalysisSettings,
  type AnalysisTables,
  type RunAnalysis,
} from '../analysis/analyze-run.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../store/db.js';
import { readRunRecord } from '../store/run-record.js';
import { loadHardwareTable } from '../tables/hardware-read.js';
import { loadPriceTable, priceDataDir } from '../tables/price-table-read.js';
import type { RunRecord } from '../types/run-record.js';

/**
 * The tables an analysis reads, from their files: the bundled hardware table now, the price table
 * (bundled, imported next to the database, the config's custom entries) when the analysis asks.
 */
export function readAnalysisTables(
  config: Config,
  dbPath: string,
  configFile: string | null,
): AnalysisTables {
  return {
    hardware: loadHardwareTable(),
    prices: () =>
      loadPriceTable({ dataDir: priceDataDir(dbPath), customPrices: config.cost.customPrices, configFile })
        .prices,
  };
}

/** The settings an analysis uses, from the loaded config. */
export function analysisSettingsOf(config: Config, configFile: string | null): AnalysisSettings {
  return { roofline: config.roofline, cost: config.cost, configFile };
}

/** Reads a run (`ref`: an id or `latest`) and its tables, and analyses it: the record and its figures. */
export function readRunAnalysis(
  db: Db,
  ref: string,
  config: Config,
  dbPath: string,
  configFile: string | null,
): { record: RunRecord; analysis: RunAnalysis } {
  const record = readRunRecord(db, ref);
  const analysis = analyzeRun(
    record,
    readAnalysisTables(config, dbPath, configFile),
    analysisSettingsOf(config, configFile),
  );
  return { record, analysis };
}
