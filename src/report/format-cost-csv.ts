import type { CostSummary } from '../cost/cost-summary.js';
import { formatBreakEven } from './cost-words.js';
import { formatCsvRow, type CsvValue } from './format-csv.js';

/** The header of `cost --format csv`: one row per volume of the table and API model. */
export const COST_CSV_HEADER: readonly string[] = [
  'tasks_per_month',
  'machines',
  'local_full',
  'local_marginal',
  'api_model',
  'api_monthly',
  'cheaper_full_view',
  'full_view_complete',
  'full_view_missing',
  'break_even_full',
  'level_concurrency',
  'load_shape',
  'currency',
];

/**
 * The cost table as CSV, header first. An incomplete full view leaves local_full and
 * cheaper_full_view empty (unknown, not zero) and names what is missing in every row. Pure.
 */
export function formatCostCsv(c: CostSummary): string {
  const missing = c.fullView.missing.map((m) => m.key).join('; ');
  const rows: CsvValue[][] = c.table.flatMap((row) =>
    row.apis.map((a): CsvValue[] => {
      const api = c.apis.find((x) => x.model === a.model);
      return [
        row.volume,
        row.machines,
        row.localFull,
        c.local.marginalBelowZero ? 0 : row.localMarginal,
        a.model,
        a.monthly,
        a.cheaper,
        c.fullView.complete,
        missing,
        api === undefined ? null : formatBreakEven(api.breakEvenFull),
        c.level?.concurrency ?? null,
        c.load.described,
        c.currency,
      ];
    }),
  );
  return [formatCsvRow(COST_CSV_HEADER), ...rows.map(formatCsvRow)].join('');
}
