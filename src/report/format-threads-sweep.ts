import type { RunSummary } from '../analysis/summary.js';
import { computeThreadsSweep } from '../analysis/threads-sweep.js';
import { formatNumber } from './format-number.js';

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
      [String(r.runId), r.threads === undefined ? '—' : String(r.threads), String(r.concurrency)]
        .map((c) => c.padEnd(8))
        .join('') + cells.map((c) => c.padStart(12)).join(''),
    );
  }
  lines.push(
    "decode and prefill: tok/s per request on the engine's clock; out tok/s: all output tokens / the level's measured time",
  );
  return lines.join('\n') + '\n';
}
