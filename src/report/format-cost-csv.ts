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
  'local_full_low',
  'local_full_high',
  'local_marginal_low',
  'local_marginal_high',
  'cheaper_depends_on_cpu_power',
  'energy_estimate',
  'full_view_fix',
];

/** What the energy of the cost rests on when it includes an estimate: "ESTIMATE: CPU TDP 50–200 W (basis)". */
function estimateCell(c: CostSummary): string | null {
  if (c.range !== null)
    return `ESTIMATE: CPU TDP ${c.range.tdp.lowW}–${c.range.tdp.highW} W (${c.range.tdp.basis})`;
  return c.energyIsEstimate ? 'ESTIMATE: CPU TDP x load' : null;
}

/**
 * The cost table as CSV, header first. An incomplete full view leaves local_full and
 * cheaper_full_view empty (unknown, not zero) and names what is missing in every row. With an
 * estimate range, local_full and local_marginal are at its point, the _low and _high columns at its
 * ends, and cheaper_full_view is empty where the ends disagree (cheaper_depends_on_cpu_power). Pure.
 */
export function formatCostCsv(c: CostSummary): string {
  const missing = c.fullView.missing.map((m) => m.key).join('; ');
  const estimate = estimateCell(c);
  const fix = c.fullView.missing.map((m) => `${m.key}: ${m.fix}`).join('; ');
  const ends = (i: number, key: 'localFull' | 'localMarginal'): CsvValue[] => [
    c.range?.low.table[i]?.[key] ?? null,
    c.range?.high.table[i]?.[key] ?? null,
  ];
  const rows: CsvValue[][] = c.table.flatMap((row, i) =>
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
        ...ends(i, 'localFull'),
        ...ends(i, 'localMarginal'),
        a.dependsOnPower,
        estimate,
        fix,
      ];
    }),
  );
  return [formatCsvRow(COST_CSV_HEADER), ...rows.map(formatCsvRow)].join('');
}
