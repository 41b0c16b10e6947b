/**
 * Reads the price tables from files (the bundled litellm snapshot, the imported table, the
 * config's custom entries) and imports a litellm file: the I/O side of prices, for the cli.
 * The merge itself is pure (cost/price-merge.ts).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultDbPath } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ConfigError, NotFoundError, StoreError, describeError } from '../errors.js';
import { describeJsonError } from '../util/json-error.js';
import { packageRoot } from '../util/package-root.js';
import { customPriceEntries, mergePrices } from '../cost/price-merge.js';
import type { ApiPrice, PriceTable } from '../cost/price-types.js';
import {
  LITELLM_PRICES_URL,
  parseImportedPrices,
  parseLitellmPrices,
  parseLitellmSnapshotSource,
  type ImportedPricesSource,
} from '../cost/prices-parse.js';
import { stripByteOrderMark } from '../util/byte-order-mark.js';
import { ensureDirectory } from '../util/ensure-dir.js';

/** The imported table's file name inside the data directory. */
export const IMPORTED_PRICES_FILE = 'prices.json';

/** The bundled litellm snapshot, relative to the package root. */
export const BUNDLED_PRICES_FILE = join('data', 'api-prices.json');

type PriceSource = PriceTable['sources'][number];

/**
 * The data directory for a database path: the directory the database lives in. With no database
 * configured that is $XDG_DATA_HOME/costbench (~/.local/share/costbench), via defaultDbPath.
 */
export function priceDataDir(dbPath: string): string {
  return dirname(dbPath);
}

/** $XDG_DATA_HOME/costbench, else ~/.local/share/costbench: the default database's directory. */
export function defaultDataDir(env: NodeJS.ProcessEnv): string {
  return priceDataDir(defaultDbPath(env));
}

/** What `loadPriceTable` merges. */
export interface PriceTableOptions {
  /** Where the imported table (prices.json) lives; see priceDataDir. */
  dataDir: string;
  customPrices: Config['cost']['customPrices'];
  /** The config file the custom prices came from, for the table's sources. */
  configFile?: string | null;
}

/**
 * Loads the price table: the bundled litellm snapshot, overridden per model key by the imported
 * table (`<dataDir>/prices.json`, when present), overridden by the config's customPrices.
 */
export function loadPriceTable(options: PriceTableOptions): PriceTable {
  const bundled = readBundledPrices();
  const imported = readImportedPrices(join(options.dataDir, IMPORTED_PRICES_FILE));
  const custom = customPriceEntries(options.customPrices);
  const sources: PriceSource[] = [bundled.source];
  if (imported !== null) sources.push(imported.source);
  if (custom.length > 0) {
    const from =
      options.configFile === undefined || options.configFile === null ? '' : ` (from ${options.configFile})`;
    sources.push({
      kind: 'config',
      path: options.configFile ?? null,
      asOf: null,
      note: `${custom.length} custom entr${custom.length === 1 ? 'y' : 'ies'}${from}`,
    });
  }
  return { prices: mergePrices([bundled.prices, imported?.prices ?? [], custom]), sources };
}

/** Reads the litellm snapshot bundled with costbench (data/api-prices.json). */
function readBundledPrices(): { prices: ApiPrice[]; source: PriceSource } {
  const path = join(packageRoot(), BUNDLED_PRICES_FILE);
  const { json } = readJsonFile(
    path,
    'bundled price table',
    'Reinstall costbench: its data/ folder is incomplete.',
  );
  const snapshot = parseLitellmSnapshotSource(json);
  const asOf = snapshot?.contentAsOf ?? null;
  const { prices } = withFile(path, () => parseLitellmPrices(json, 'bundled', asOf));
  const commit =
    snapshot?.commit === null || snapshot?.commit === undefined
      ? 'commit unknown'
      : `commit ${snapshot.commit.slice(0, 7)}…`;
  // The license field reads "MIT (details…)": the first word names it.
  const license = snapshot?.license?.split(' (')[0] ?? 'license unknown';
  const note = `litellm snapshot as of ${asOf ?? 'an unknown date'} (${commit}, ${license} license)`;
  return { prices, source: { kind: 'bundled', path, asOf, note } };
}

/** Reads the imported table; null when there is none. */
function readImportedPrices(path: string): { prices: ApiPrice[]; source: PriceSource } | null {
  if (!existsSync(path)) return null;
  const { json } = readJsonFile(
    path,
    'imported price table',
    'Import the litellm file again, or delete this file to use the bundled table.',
  );
  const imported = withFile(path, () => parseImportedPrices(json));
  const s = imported.source;
  const importedOn = s.importedAt.slice(0, 10);
  const note = `${path} on ${importedOn} (from ${s.importedFrom}, ${s.entries} models, sha256 ${s.sha256.slice(0, 12)}…)`;
  const asOf = imported.prices[0]?.asOf ?? importedOn;
  return { prices: imported.prices, source: { kind: 'imported', path, asOf, note } };
}

/** What `importPrices` did. */
export interface ImportResult {
  imported: number;
  skipped: number;
  /** The table written: `<dataDir>/prices.json`. */
  path: string;
  source: ImportedPricesSource;
}

/**
 * Imports litellm's model_prices_and_context_window.json: keeps its chat models with input and output
 * prices and writes them to `<dataDir>/prices.json` (a temp file renamed into place).
 * Prices are dated with the file's own content date when it has one (the bundled wrapper), else the import date.
 */
export function importPrices(file: string, dataDir: string, now: Date): ImportResult {
  const from = resolve(file);
  const hint = `Download the file from ${LITELLM_PRICES_URL}`;
  const { json, bytes } = readJsonFile(from, 'price file', hint);
  const importedAt = now.toISOString();
  const asOf = parseLitellmSnapshotSource(json)?.contentAsOf ?? importedAt.slice(0, 10);
  const { prices, skipped } = withFile(from, () => parseLitellmPrices(json, 'imported', asOf));
  if (prices.length === 0) {
    throw new ConfigError(
      `${from}: no chat model with input and output prices among its ${skipped.length} entries`,
      hint,
    );
  }
  const source: ImportedPricesSource = {
    importedFrom: from,
    importedAt,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    entries: prices.length,
  };
  const models = Object.fromEntries(prices.map((p) => [p.model, p]));
  const path = join(dataDir, IMPORTED_PRICES_FILE);
  writeFileAtomically(path, JSON.stringify({ source, models }, null, 2) + '\n');
  return { imported: prices.length, skipped: skipped.length, path, source };
}

function readJsonFile(path: string, what: string, hint: string): { json: unknown; bytes: Buffer } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new NotFoundError(`${what} not found: ${path}`, hint);
    throw new ConfigError(`cannot read ${what} ${path}: ${describeError(error)}`, hint, error);
  }
  const text = stripByteOrderMark(bytes.toString('utf8'));
  try {
    return { json: JSON.parse(text) as unknown, bytes };
  } catch (error) {
    // V8 quotes the text around a bad token verbatim, line breaks included: escape them to keep one line.
    const message = describeJsonError(error, text).replace(/\p{Cc}/gu, (c) => JSON.stringify(c).slice(1, -1));
    throw new ConfigError(`${what} ${path}: ${message}`, hint, error);
  }
}

/** Runs a pure parse, prefixing its ConfigError with the file it read. */
function withFile<T>(path: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`, error.hint, error);
    throw error;
  }
}

function writeFileAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    ensureDirectory(dirname(path));
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new StoreError(
      `cannot write ${path}: ${describeError(error)}`,
      'Check that the directory is writable, or pass --db to put the data directory elsewhere.',
      error,
    );
  }
}
