import type { RunSummary } from './summary.js';

/** The figures `compare` adds when a run went to a remote API: its bill per task and per correct task. */
export const REMOTE_FIGURE_KEYS = ['billedCostPerTask', 'billedCostPerCorrectTask'] as const;

interface RemoteFigureSpec {
  key: (typeof REMOTE_FIGURE_KEYS)[number];
  label: string;
  unit: (s: RunSummary) => string;
  better: 'lower';
  /** null for a local run (it has no bill: "—", never 0). */
  pick: (s: RunSummary) => { value: number | null };
}

const unit = (s: RunSummary): string => (s.remote === undefined ? '' : (s.remote.currency?.name ?? 'USD'));
const inCurrency = (s: RunSummary, usd: number | null | undefined): number | null =>
  usd == null ? null : usd * (s.remote?.currency?.perUsd ?? 1);

export const REMOTE_FIGURES: readonly RemoteFigureSpec[] = [
  {
    key: 'billedCostPerTask',
    label: 'API billed cost per task',
    unit,
    better: 'lower',
    pick: (s) => ({ value: inCurrency(s, s.remote?.perTaskUsd) }),
  },
  {
    key: 'billedCostPerCorrectTask',
    label: 'API billed cost per correct task',
    unit,
    better: 'lower',
    pick: (s) => ({ value: inCurrency(s, s.remote?.perCorrectTaskUsd) }),
  },
];
