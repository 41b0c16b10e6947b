import type { LoopLagSummary } from '../analysis/loop-lag.js';
import type { LoopLagRow } from '../types/loop-lag.js';
import { formatNumber } from './format-number.js';

function levelWords(r: LoopLagRow): string {
  return r.levelKey === String(r.concurrency) ? `concurrency ${r.concurrency}` : r.levelKey;
}

/**
 * The client's event-loop lag as report lines: the worst level's p99 and max, and a flag naming
 * the levels whose TTFT and latency it makes late. Nothing for a run from before lag was measured
 * (not measured: absent), so such a run's report is unchanged. Pure.
 */
export function formatLoopLagLines(lag: LoopLagSummary | undefined): string[] {
  if (lag === undefined) return [];
  const w = lag.worst;
  const line = `Client event-loop lag: p99 ${formatNumber(w.p99Ms, 1)} ms, max ${formatNumber(w.maxMs, 1)} ms (worst level: ${levelWords(w)})`;
  if (lag.flaggedLevels.length === 0)
    return [
      `${line}; under ${formatNumber(lag.thresholdMs, 0)} ms at every level: the timings are the server's`,
    ];
  const flagged = lag.levels.filter((r) => lag.flaggedLevels.includes(r.levelKey)).map(levelWords);
  return [
    line,
    `FLAG: p99 lag over ${formatNumber(lag.thresholdMs, 0)} ms at ${flagged.join(', ')}: TTFT and latency there include the client's own delay`,
  ];
}
