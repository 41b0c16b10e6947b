import { formatNumber } from '../report/format-number.js';
import type { RunSummary } from './summary.js';

/** One row of a threads sweep: a run (one thread count) at one concurrency level. */
export interface ThreadsSweepRow {
  runId: number;
  /** The threads the engine computed with (as it reported them); null when the run never loaded. */
  threads: number | null;
  concurrency: number;
  ok: number;
  outputTokensPerS: number | null;
  /** Median per-request decode rate on the engine's clock. */
  decodeTokensPerS: number | null;
  /** Median per-request prefill rate on the engine's clock (the whole run). */
  prefillTokensPerS: number | null;
  ttftMsMedian: number | null;
}

/** The rows of a threads sweep: each run's levels, in the order they ran. Pure. */
export function computeThreadsSweep(runs: readonly RunSummary[]): ThreadsSweepRow[] {
  return runs.flatMap((s) =>
    (s.sweep?.levels ?? []).map((l) => ({
      runId: s.run.id,
      threads: s.engine?.threads ?? null,
      concurrency: l.concurrency,
      ok: l.ok,
      outputTokensPerS: l.durationMs > 0 ? l.outputTokensPerS : null,
      decodeTokensPerS: l.generationTokensPerS?.median ?? null,
      prefillTokensPerS: s.promptTokensPerS?.median ?? null,
      ttftMsMedian: l.ttftMs?.median ?? null,
    })),
  );
}

/** The threads sweep table printed after its runs' reports. Pure. */
export function formatThreadsSweep(runs: readonly RunSummary[]): string {
  const ids = runs.map((s) => s.run.id).join(' ');
  const header = ['run', 'threads', 'level', 'ok', 'out tok/s', 'decode p50', 'prefill p50', 'TTFT p50 ms'];
  const lines = [
    '',
    `Threads sweep: one run per thread count, each measured apart (side by side: costbench compare ${ids})`,
    header.map((h, i) => (i < 3 ? h.padEnd(8) : h.padStart(12))).join(''),
  ];
  for (const r of computeThreadsSweep(runs)) {
    const cells = [
      formatNumber(r.ok, 0),
      formatNumber(r.outputTokensPerS),
      formatNumber(r.decodeTokensPerS),
      formatNumber(r.prefillTokensPerS),
      formatNumber(r.ttftMsMedian),
    ];
    lines.push(
      [String(r.runId), r.threads === null ? '—' : String(r.threads), String(r.concurrency)]
        .map((c) => c.padEnd(8))
        .join('') + cells.map((c) => c.padStart(12)).join(''),
    );
  }
  lines.push(
    "decode and prefill: tok/s per request on the engine's clock; out tok/s: all output tokens / the level's measured time",
  );
  return lines.join('\n') + '\n';
}
