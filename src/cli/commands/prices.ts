import { resolve } from 'node:path';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { importPrices, loadPriceTable, priceDataDir } from '../../tables/price-table-read.js';
import type { ApiPrice, PriceTable } from '../../cost/price-types.js';
import { EXIT } from '../../errors.js';
import type { CliIo } from '../io.js';

export interface PricesListFlags extends ConfigFlags {
  provider?: string;
  json?: boolean;
}

export interface PricesImportFlags extends ConfigFlags {
  json?: boolean;
}

const COLUMNS = [
  'model',
  'provider',
  'input',
  'output',
  'cached in',
  'batch in',
  'batch out',
  'source',
  'as of',
] as const;
/** Columns printed right-aligned (the prices). */
const NUMERIC_COLUMNS = new Set([2, 3, 4, 5, 6]);

/**
 * `costbench prices list`: the merged price table (bundled < imported < config), where each part
 * came from, and which cost.compareWith names are missing from it.
 */
export function pricesListCommand(flags: PricesListFlags, io: CliIo): number {
  const loaded = loadConfig(flags, io.env, io.cwd);
  const table = loadPriceTable({
    dataDir: priceDataDir(loaded.dbPath),
    customPrices: loaded.config.cost.customPrices,
    configFile: loaded.file,
  });
  const prices = [...table.prices].sort(byProviderThenModel);
  const wanted = flags.provider?.toLowerCase();
  const shown = wanted === undefined ? prices : prices.filter((p) => p.provider.toLowerCase() === wanted);
  const note =
    shown.length === 0 && flags.provider !== undefined
      ? `no prices for provider "${flags.provider}"; known providers: ${knownProviders(table).join(', ')}`
      : null;
  const names = new Set(table.prices.map((p) => p.model));
  const compareWithMissing = loaded.config.cost.compareWith.filter((m) => !names.has(m));
  if (flags.json === true) {
    io.stdout(
      JSON.stringify({ sources: table.sources, prices: shown, note, compareWithMissing }, null, 2) + '\n',
    );
    return EXIT.ok;
  }
  const lines = note === null ? formatPriceRows(shown) : [note];
  if (note === null) lines.unshift(`${shown.length} API prices, USD per 1M tokens (— : no such price)`);
  lines.push(
    '',
    'Sources (later override earlier, per model):',
    ...table.sources.map((s) => `  ${s.kind}: ${s.note}`),
  );
  if (compareWithMissing.length > 0)
    lines.push('', `cost.compareWith names models not in the table: ${compareWithMissing.join(', ')}`);
  io.stdout(lines.join('\n') + '\n');
  return EXIT.ok;
}

/** `costbench prices import <file>`: writes the litellm file's chat prices to the data directory. */
export function pricesImportCommand(
  file: string,
  flags: PricesImportFlags,
  io: CliIo,
  now: Date = new Date(),
): number {
  const loaded = loadConfig(flags, io.env, io.cwd);
  const result = importPrices(resolve(io.cwd, file), priceDataDir(loaded.dbPath), now);
  if (flags.json === true) {
    io.stdout(JSON.stringify(result, null, 2) + '\n');
    return EXIT.ok;
  }
  io.stdout(
    [
      `imported ${result.imported} chat model prices from ${result.source.importedFrom} (sha256 ${result.source.sha256.slice(0, 12)}…)`,
      `skipped ${result.skipped} entries: not chat models, or without input and output prices per token`,
      `→ ${result.path}`,
      'It overrides the bundled prices of the same models; `costbench prices list` shows the table.',
    ].join('\n') + '\n',
  );
  return EXIT.ok;
}

/** The table rows, columns padded to their widest cell. Pure. */
export function formatPriceRows(prices: readonly ApiPrice[]): string[] {
  const rows: string[][] = [
    [...COLUMNS],
    ...prices.map((p) => [
      p.model,
      p.provider,
      formatUsd(p.inputUsdPerMTok),
      formatUsd(p.outputUsdPerMTok),
      formatUsd(p.cachedInputUsdPerMTok),
      formatUsd(p.batchInputUsdPerMTok),
      formatUsd(p.batchOutputUsdPerMTok),
      p.source,
      p.asOf ?? '—',
    ]),
  ];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) =>
        NUMERIC_COLUMNS.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd(),
  );
}

/** A USD amount without float noise or trailing zeros ("0.075", "10"), "—" for no price. Pure. */
export function formatUsd(value: number | null): string {
  if (value === null) return '—';
  return value.toFixed(9).replace(/\.?0+$/, '');
}

function knownProviders(table: PriceTable): string[] {
  return [...new Set(table.prices.map((p) => p.provider))].sort();
}

function byProviderThenModel(a: ApiPrice, b: ApiPrice): number {
  if (a.provider !== b.provider) return a.provider < b.provider ? -1 : 1;
  if (a.model === b.model) return 0;
  return a.model < b.model ? -1 : 1;
}
