import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { ConfigError, EXIT } from '../../errors.js';
import { compareRuns } from '../../analysis/compare.js';
import { formatCompareMarkdown, formatCompareTable } from '../../report/format-compare.js';
import { openDb } from '../../store/db.js';
import type { CliIo } from '../io.js';
import { readRunAnalysis } from '../run-analysis.js';

export const COMPARE_FORMATS = ['table', 'json', 'md'] as const;

export interface CompareFlags extends ConfigFlags {
  format?: string;
}

/**
 * `costbench compare <id> <id>...`: sets stored runs side by side, the first as the baseline,
 * with cost at the configuration's volume. Every id is looked up before anything is printed.
 */
export function compareCommand(refs: readonly string[], flags: CompareFlags, io: CliIo): number {
  const format = flags.format ?? 'table';
  if (!(COMPARE_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError(
      `--format ${format} is not a compare format`,
      `Use one of: ${COMPARE_FORMATS.join(', ')}.`,
    );
  }
  if (refs.length < 2) {
    throw new ConfigError(
      `compare needs at least two runs, got ${refs.length === 0 ? 'none' : `only ${refs[0] ?? ''}`}`,
      'Give two or more run ids from `costbench runs`, the baseline first: e.g. costbench compare 3 5',
    );
  }
  const { config, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  const db = openDb(dbPath);
  try {
    const comparison = compareRuns(
      refs.map((ref) => readRunAnalysis(db, ref, config, dbPath, file).analysis),
    );
    if (format === 'json') io.stdout(JSON.stringify(comparison, null, 2) + '\n');
    else io.stdout(format === 'md' ? formatCompareMarkdown(comparison) : formatCompareTable(comparison));
    return EXIT.ok;
  } finally {
    db.close();
  }
}
