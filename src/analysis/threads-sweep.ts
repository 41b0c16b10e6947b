import type { RunSummary } from './summary.js';
import { pickLevel, type Level } from '../types/level.js';

/**
 * One row of a threads sweep: a run (one thread count) at one of its levels. Its level has the
 * threads the engine computed with (as it reported them); none when the run never loaded.
 */
export interface ThreadsSweepRow extends Level {
  runId: number;
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
      ...pickLevel(l),
      ...(s.engine?.threads == null ? {} : { threads: s.engine.threads }),
      ok: l.ok,
      outputTokensPerS: l.durationMs > 0 ? l.outputTokensPerS : null,
      decodeTokensPerS: l.generationTokensPerS?.median ?? null,
      prefillTokensPerS: s.promptTokensPerS?.median ?? null,
      ttftMsMedian: l.ttftMs?.median ?? null,
    })),
  );
}
