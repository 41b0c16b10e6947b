import type { RunAnalysis } from '../analysis/analyze-run.js';
import type { ReadingKind } from '../types/readings.js';
import type { RunStatus } from '../types/run-rows.js';

/**
 * Prometheus's text exposition format (version 0.0.4) of the latest run of each series: HELP and
 * TYPE lines, base units in the names (seconds, joules), no label named `job` (a scrape renames it).
 * A figure the run did not measure is left out, never written as 0.
 */

/** The labels that name one series: what was measured, where, through what. */
export interface SeriesLabels {
  model: string;
  suite: string;
  machine: string;
  backend: string;
}

/** One run's figures, under its series' labels. */
export interface MetricsRun {
  labels: SeriesLabels;
  analysis: RunAnalysis;
}

interface Sample {
  labels: Record<string, string>;
  value: number;
}

interface Family {
  name: string;
  help: string;
  samples: (r: MetricsRun) => Sample[];
}

const STATUSES: readonly RunStatus[] = ['running', 'completed', 'failed', 'aborted', 'interrupted'];

/** The weakest kind among the channels an energy figure sums: an estimate anywhere makes it an estimate. */
function energyKind(kinds: readonly ReadingKind[]): ReadingKind {
  if (kinds.includes('estimate')) return 'estimate';
  if (kinds.includes('sampled')) return 'sampled';
  return 'counter';
}

function one(value: number | null | undefined, labels: Record<string, string> = {}): Sample[] {
  return value === null || value === undefined || !Number.isFinite(value) ? [] : [{ labels, value }];
}

function seconds(ms: number | null | undefined): number | null {
  return ms === null || ms === undefined ? null : ms / 1000;
}

const FAMILIES: readonly Family[] = [
  {
    name: 'costbench_run_id',
    help: 'Id of the latest run of the series in its database.',
    samples: (r) => one(r.analysis.run.id),
  },
  {
    name: 'costbench_run_status',
    help: 'Status of the latest run: 1 for its status, 0 for the others.',
    samples: (r) =>
      STATUSES.map((s) => ({ labels: { status: s }, value: r.analysis.run.status === s ? 1 : 0 })),
  },
  {
    name: 'costbench_run_end_timestamp_seconds',
    help: 'When the latest run finished, Unix time; absent while it runs.',
    samples: (r) =>
      one(r.analysis.run.finishedAt === null ? null : Date.parse(r.analysis.run.finishedAt) / 1000),
  },
  {
    name: 'costbench_requests',
    help: 'Requests of the latest run by outcome.',
    samples: (r) => {
      const q = r.analysis.requests;
      return [
        { labels: { state: 'ok' }, value: q.ok },
        { labels: { state: 'errored' }, value: q.errored },
        { labels: { state: 'aborted' }, value: q.aborted },
      ];
    },
  },
  {
    name: 'costbench_decode_tokens_per_second',
    help: 'Decode rate: all output tokens / all server decode time, over ok requests that report both.',
    samples: (r) => one(r.analysis.generationTokensPerSOverall),
  },
  {
    name: 'costbench_prefill_tokens_per_second',
    help: 'Prefill rate: median over ok requests of evaluated prompt tokens / prompt time.',
    samples: (r) => one(r.analysis.promptTokensPerS?.median),
  },
  {
    name: 'costbench_ttft_p95_seconds',
    help: 'Time to first token, 95th percentile over ok requests, client-measured.',
    samples: (r) => one(seconds(r.analysis.ttftMs?.p95)),
  },
  {
    name: 'costbench_latency_p95_seconds',
    help: 'Request latency, 95th percentile over ok requests, client-measured.',
    samples: (r) => one(seconds(r.analysis.latencyMs?.p95)),
  },
  {
    name: 'costbench_energy_per_task_joules',
    help: 'Machine energy per ok task: all of it (view=total) and above idle (view=marginal); kind: counter, sampled or estimate.',
    samples: (r) => {
      const t = r.analysis.energy?.total;
      if (t === undefined) return [];
      const kind = energyKind(t.kinds);
      return [
        ...one(t.perTaskJ, { view: 'total', kind }),
        ...one(t.perTaskMarginalJ, { view: 'marginal', kind }),
      ];
    },
  },
  {
    name: 'costbench_cost_per_task',
    help: 'Local cost per task in the currency labelled: full view (hardware, electricity, engineering) and marginal view (electricity above idle).',
    samples: (r) => {
      const c = r.analysis.cost;
      if (c === null) return [];
      const labels = (view: string): Record<string, string> => ({
        view,
        currency: c.currency,
        energy: c.energyIsEstimate ? 'estimate' : 'measured',
      });
      return [
        ...one(c.local.fullPerTask, labels('full')),
        ...one(c.local.marginalPerTask, labels('marginal')),
      ];
    },
  },
  {
    name: 'costbench_accuracy_ratio',
    help: 'Share of scored tasks answered correctly (0-1); absent when the suite has no expected answers.',
    samples: (r) => {
      const q = r.analysis.quality;
      return q === null || q.scored === 0 ? [] : one(q.accuracy);
    },
  },
];

/** A label value as the format wants it: backslash, double quote and newline escaped. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** A sample value: integers as written, others to 6 significant digits (no exponent below 1e21). */
function formatValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `{${parts.join(',')}}`;
}

/** The exposition text of these runs, one family after the other; families no run has are left out. */
export function formatPrometheus(runs: readonly MetricsRun[]): string {
  const lines: string[] = [];
  for (const family of FAMILIES) {
    const rows = runs.flatMap((r) =>
      family.samples(r).map((s) => ({ labels: { ...r.labels, ...s.labels }, value: s.value })),
    );
    if (rows.length === 0) continue;
    lines.push(`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`);
    for (const row of rows) lines.push(`${family.name}${formatLabels(row.labels)} ${formatValue(row.value)}`);
  }
  return lines.length === 0 ? '' : lines.join('\n') + '\n';
}
