import { summarizeRun } from '../../analysis/analyze-run.js';
import { apiSideKind, computeDecision } from '../../analysis/decide.js';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { ConfigError, EXIT } from '../../errors.js';
import { formatDecideHtml } from '../../report/format-decide-html.js';
import { formatDecideMarkdown, formatDecideTable } from '../../report/format-decide.js';
import { openDb } from '../../store/db.js';
import { readRunRecord } from '../../store/run-record.js';
import { loadPriceTable, priceDataDir } from '../../tables/price-table-read.js';
import type { CliIo } from '../io.js';
import { parseNonNegative, withLoadFlags } from './cost.js';

export const DECIDE_FORMATS = ['table', 'json', 'md', 'html'] as const;

export interface DecideFlags extends ConfigFlags {
  volume?: string;
  kwhPrice?: string;
  peakToMean?: string;
  minAccuracy?: string;
  maxP95Latency?: string;
  format?: string;
  allowSuiteMismatch?: boolean;
}

function parseBars(flags: DecideFlags): { minAccuracy: number | null; maxP95LatencyMs: number | null } {
  const acc = parseNonNegative('min-accuracy', flags.minAccuracy, false) ?? null;
  if (acc !== null && acc > 1)
    throw new ConfigError(
      `--min-accuracy ${acc} is above 1`,
      'A share of tasks answered correctly: e.g. --min-accuracy 0.9',
    );
  const p95 = parseNonNegative('max-p95-latency', flags.maxP95Latency, false) ?? null;
  if (p95 === 0)
    throw new ConfigError('--max-p95-latency 0 is not a latency bound', 'In ms: e.g. --max-p95-latency 2000');
  return { minAccuracy: acc, maxP95LatencyMs: p95 };
}

/**
 * `costbench decide <local-run> <api-run>`: the local run against the API (a remote run's bill, or
 * a replay's billed usage) per task and per correct task, at a monthly volume, with the quality and
 * latency bars and the volume where the cheaper option flips.
 */
export function decideCommand(localRef: string, apiRef: string, flags: DecideFlags, io: CliIo): number {
  const format = flags.format ?? 'table';
  if (!(DECIDE_FORMATS as readonly string[]).includes(format))
    throw new ConfigError(
      `--format ${format} is not a decide format`,
      `Use one of: ${DECIDE_FORMATS.join(', ')}.`,
    );
  const volumeFlag = parseNonNegative('volume', flags.volume, true);
  const kwhPrice = parseNonNegative('kwh-price', flags.kwhPrice, false);
  const bars = parseBars(flags);
  const { config, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  const cost = withLoadFlags(config.cost, {
    ...(flags.peakToMean === undefined ? {} : { peakToMean: flags.peakToMean }),
  });
  const db = openDb(dbPath);
  try {
    const local = summarizeRun(readRunRecord(db, localRef));
    const api = summarizeRun(readRunRecord(db, apiRef));
    if (local.remote !== undefined)
      throw new ConfigError(
        `run ${local.run.id} ran against a remote API: it cannot be the local side`,
        `Give the local run first, the API run second: costbench decide <local-run> ${local.run.id}`,
      );
    if (apiSideKind(api) === null)
      throw new ConfigError(
        `run ${api.run.id} is a local run: the API side must be a remote run (costbench run --remote) or a replay`,
        `Give the API run second: costbench decide ${local.run.id} <api-run>`,
      );
    for (const s of [local, api])
      if (s.requests.ok === 0)
        throw new ConfigError(
          `run ${s.run.id} has no answered request: there is nothing to cost`,
          'Pick a run with ok requests (costbench runs).',
        );
    const suite = (s: typeof local): string => `${s.run.suiteId} v${s.run.suiteVersion}`;
    if (suite(local) !== suite(api) && flags.allowSuiteMismatch !== true)
      throw new ConfigError(
        `run ${local.run.id} ran ${suite(local)}, run ${api.run.id} ran ${suite(api)}: not the same tasks`,
        'Run the same suite on both sides, or pass --allow-suite-mismatch to compare anyway.',
      );
    const prices = loadPriceTable({
      dataDir: priceDataDir(dbPath),
      customPrices: config.cost.customPrices,
      configFile: file,
    }).prices;
    const decision = computeDecision(local, api, {
      cost,
      volume: volumeFlag ?? cost.monthlyTasks,
      ...(kwhPrice === undefined ? {} : { kwhPrice }),
      prices,
      ...bars,
    });
    if (format === 'json') io.stdout(JSON.stringify(decision, null, 2) + '\n');
    else if (format === 'md') io.stdout(formatDecideMarkdown(decision));
    else if (format === 'html') io.stdout(formatDecideHtml(decision));
    else io.stdout(formatDecideTable(decision));
    return EXIT.ok;
  } finally {
    db.close();
  }
}
