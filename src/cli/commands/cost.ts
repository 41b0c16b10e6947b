import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { loadPriceTable, priceDataDir } from '../../tables/price-table-read.js';
import { costInputsNote } from '../../analysis/cost-inputs-note.js';
import { ConfigError, EXIT } from '../../errors.js';
import type { Config } from '../../config/schema.js';
import type { LoadShape } from '../../cost/load-shape.js';
import { formatCostCsv } from '../../report/format-cost-csv.js';
import { formatCostSection } from '../../report/format-cost.js';
import { costJson } from '../../report/format-json.js';
import { computeRunCost } from '../../analysis/run-cost.js';
import { openDb } from '../../store/db.js';
import { readRunRecord } from '../../store/run-record.js';
import { summarizeRun } from '../../analysis/analyze-run.js';
import type { CliIo } from '../io.js';

export interface CostFlags extends ConfigFlags {
  volume?: string;
  kwhPrice?: string;
  api?: string;
  format?: string;
  peakToMean?: string;
  p95MaxMs?: string;
}

/** The config's load shape with the command line's overrides. */
export function withLoadFlags(cost: Config['cost'], flags: CostFlags): Config['cost'] {
  const peak =
    flags.peakToMean === undefined ? undefined : parseNonNegative('peak-to-mean', flags.peakToMean, false);
  const p95 =
    flags.p95MaxMs === undefined ? undefined : parseNonNegative('p95-max-ms', flags.p95MaxMs, false);
  if (peak !== undefined && peak < 1)
    throw new ConfigError(
      `--peak-to-mean ${peak} is below 1`,
      'The peak rate is at least the mean rate: e.g. --peak-to-mean 4.',
    );
  if (p95 === 0) throw new ConfigError('--p95-max-ms 0 is not a latency bound', 'e.g. --p95-max-ms 2000');
  const bound = p95 ?? cost.load.p95LatencyBoundMs;
  const load: LoadShape =
    peak === undefined
      ? { ...cost.load, p95LatencyBoundMs: bound }
      : { shape: 'peak-to-mean', peakToMean: peak, p95LatencyBoundMs: bound };
  return { ...cost, load };
}

export function parseNonNegative(
  flag: string,
  text: string | undefined,
  integer: boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new ConfigError(
      `--${flag} ${JSON.stringify(text)} is not ${integer ? 'a whole number of tasks' : 'a price'} >= 0`,
      `e.g. --${flag} ${integer ? '50000' : '0.25'}`,
    );
  }
  return value;
}

/**
 * `costbench cost [id|latest]`: recomputes a run's cost from its stored measurements (no
 * re-run), at a volume, electricity price and set of API models given on the command line.
 */
export function costCommand(ref: string, flags: CostFlags, io: CliIo): number {
  const format = flags.format ?? 'table';
  if (format !== 'table' && format !== 'json' && format !== 'csv')
    throw new ConfigError(`--format ${format} is not a cost format`, 'Use table, json or csv.');
  const volume = parseNonNegative('volume', flags.volume, true);
  const kwhPrice = parseNonNegative('kwh-price', flags.kwhPrice, false);
  const models =
    flags.api === undefined
      ? undefined
      : flags.api
          .split(',')
          .map((m) => m.trim())
          .filter((m) => m !== '');
  const { config, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  const costSettings = withLoadFlags(config.cost, flags);
  const table = loadPriceTable({
    dataDir: priceDataDir(dbPath),
    customPrices: config.cost.customPrices,
    configFile: file,
  });
  if (models !== undefined) {
    const known = new Set(table.prices.map((p) => p.model));
    const unknown = models.filter((m) => !known.has(m));
    if (unknown.length > 0) {
      const first = unknown[0] ?? '';
      const close = table.prices
        .map((p) => p.model)
        .filter((m) => m.toLowerCase().includes(first.toLowerCase().split('/').pop() ?? first))
        .slice(0, 6);
      throw new ConfigError(
        `--api: ${unknown.map((m) => JSON.stringify(m)).join(', ')} not in the price table`,
        close.length > 0
          ? `Did you mean ${close.join(', ')}? (costbench prices list)`
          : 'See `costbench prices list`, or add a custom entry in cost.customPrices.',
      );
    }
  }
  const db = openDb(dbPath);
  try {
    const summary = summarizeRun(readRunRecord(db, ref));
    if (summary.remote !== undefined)
      throw new ConfigError(
        `run ${summary.run.id} ran against a remote API: it has no local cost, its cost is its bill`,
        `See the bill with \`costbench report ${summary.run.id}\`, or set it beside a local run: costbench decide <local-run> ${summary.run.id}`,
      );
    const computed = computeRunCost(summary, costSettings, table.prices, {
      ...(volume === undefined ? {} : { volume }),
      ...(kwhPrice === undefined ? {} : { kwhPrice }),
      ...(models === undefined ? {} : { models }),
    }).cost;
    // The inputs as used here: the config's, with what the flags override.
    const used = {
      ...costSettings,
      ...(volume === undefined ? {} : { monthlyTasks: volume }),
      ...(kwhPrice === undefined ? {} : { electricityPerKwh: kwhPrice }),
      ...(models === undefined ? {} : { compareWith: models }),
    };
    const cost = {
      ...computed,
      notes: [...computed.notes, costInputsNote(used, summary.recordView?.record ?? null, file)],
    };
    if (format === 'csv') {
      io.stdout(formatCostCsv(cost));
    } else if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            run: {
              id: summary.run.id,
              model: summary.run.model,
              suite: summary.run.suiteId,
              status: summary.run.status,
            },
            priceSources: table.sources,
            cost: costJson(cost),
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      io.stdout(
        `Run ${summary.run.id} · ${summary.run.model} · ${summary.run.suiteId} · ${summary.requests.ok} ok requests\n`,
      );
      io.stdout(formatCostSection(cost).join('\n') + '\n');
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}
