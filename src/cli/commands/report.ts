import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { ConfigError, EXIT } from '../../errors.js';
import { formatRunTable } from '../../report/format-table.js';
import { loadRunSummary } from '../../report/load-summary.js';
import { withCost } from '../../report/with-cost.js';
import { openDb } from '../../store/db.js';
import type { CliIo } from '../io.js';

export const REPORT_FORMATS = ['table', 'json'] as const;

export interface ReportFlags extends ConfigFlags {
  format?: string;
}

/** `costbench report [id|latest]`: recomputes a run's figures from its stored rows. */
export function reportCommand(ref: string, flags: ReportFlags, io: CliIo): number {
  const format = flags.format ?? 'table';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError(`--format ${format} is not a report format`, `Use one of: ${REPORT_FORMATS.join(', ')}.`);
  }
  const { config, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  const db = openDb(dbPath);
  try {
    const summary = withCost(loadRunSummary(db, ref), config, dbPath, file);
    io.stdout(format === 'json' ? JSON.stringify(summary, null, 2) + '\n' : formatRunTable(summary));
    return EXIT.ok;
  } finally {
    db.close();
  }
}
