import type { MachineInventory, ModelInventory } from '../store/inventory.js';
import type { RequestRow, WarmupRow } from '../store/requests.js';
import type { RunRow } from '../store/runs.js';
import type { CostSummary } from '../cost/cost-summary.js';
import type { EnergySummary } from './energy-summary.js';
import { computeDistribution, type Distribution } from './stats.js';

/** A measured request that paid at least this much server load time had the model (re)loaded. */
export const RELOAD_THRESHOLD_MS = 100;

/** Everything a report shows about one run, computed from stored rows only. */
export interface RunSummary {
  run: RunRow;
  model: ModelInventory | null;
  machine: MachineInventory | null;
  requests: { planned: number; ok: number; errored: number; aborted: number; notRun: number; truncated: number; malformedLines: number };
  /** The warm-up: cold load, apart from every measured figure. */
  warmup: { state: WarmupRow['state']; alreadyLoaded: boolean; latencyMs: number; serverLoadMs: number | null } | null;
  /** Client-measured, over ok requests. */
  ttftMs: Distribution | null;
  latencyMs: Distribution | null;
  /** Server-measured per request: prompt_eval_count / prompt_eval_duration. */
  promptTokensPerS: Distribution | null;
  /** Server-measured per request: eval_count / eval_duration. */
  generationTokensPerS: Distribution | null;
  /** All output tokens / all eval time, over requests that report both. */
  generationTokensPerSOverall: number | null;
  tokens: { prompt: number; output: number; requestsWithoutCounts: number };
  /** Measured requests whose server load time says the model was (re)loaded mid-run. */
  reloadsDuringRun: number;
  failures: { seq: number; taskId: string; repeatIndex: number; state: RequestRow['state']; error: string }[];
  /** Power and energy; null when the run sampled nothing (telemetry off). */
  energy: EnergySummary | null;
  /** Sampler errors by source and channel (gaps in the readings). */
  telemetryErrors: { source: string; channelKey: string | null; count: number; firstMessage: string }[];
  /** Duration of the measured phase (the requests back to back), ms; null for runs without phases. */
  measureMs: number | null;
  /** Local cost against API prices; attached by the commands that know the prices (null otherwise). */
  cost: CostSummary | null;
}

function rate(tokens: number | null, ms: number | null): number | null {
  return tokens !== null && ms !== null && ms > 0 ? (tokens / ms) * 1000 : null;
}

/** Computes a run's summary. Pure: every figure comes from the rows passed in. */
export function computeRunSummary(
  run: RunRow,
  requests: readonly RequestRow[],
  warmup: WarmupRow | null,
  model: ModelInventory | null,
  machine: MachineInventory | null,
  energy: EnergySummary | null = null,
  telemetryErrors: RunSummary['telemetryErrors'] = [],
  measureMs: number | null = null,
): RunSummary {
  const ok = requests.filter((r) => r.state === 'ok');
  const withGen = ok.filter((r) => r.outputTokens !== null && r.evalMs !== null && r.evalMs > 0);
  const evalMs = withGen.reduce((acc, r) => acc + (r.evalMs ?? 0), 0);
  const genTokens = withGen.reduce((acc, r) => acc + (r.outputTokens ?? 0), 0);
  return {
    run,
    model,
    machine,
    requests: {
      planned: run.plannedRequests,
      ok: ok.length,
      errored: requests.filter((r) => r.state === 'errored').length,
      aborted: requests.filter((r) => r.state === 'aborted').length,
      notRun: Math.max(0, run.plannedRequests - requests.length),
      truncated: ok.filter((r) => r.doneReason === 'length').length,
      malformedLines: requests.reduce((acc, r) => acc + r.malformedLines, 0),
    },
    warmup: warmup === null ? null : { state: warmup.state, alreadyLoaded: warmup.alreadyLoaded, latencyMs: warmup.latencyMs, serverLoadMs: warmup.loadMs },
    ttftMs: computeDistribution(ok.map((r) => r.ttftMs)),
    latencyMs: computeDistribution(ok.map((r) => r.latencyMs)),
    promptTokensPerS: computeDistribution(ok.map((r) => rate(r.promptTokens, r.promptEvalMs))),
    generationTokensPerS: computeDistribution(ok.map((r) => rate(r.outputTokens, r.evalMs))),
    generationTokensPerSOverall: evalMs > 0 ? (genTokens / evalMs) * 1000 : null,
    tokens: {
      prompt: ok.reduce((acc, r) => acc + (r.promptTokens ?? 0), 0),
      output: ok.reduce((acc, r) => acc + (r.outputTokens ?? 0), 0),
      requestsWithoutCounts: ok.filter((r) => r.promptTokens === null || r.outputTokens === null).length,
    },
    reloadsDuringRun: ok.filter((r) => (r.loadMs ?? 0) >= RELOAD_THRESHOLD_MS).length,
    failures: requests
      .filter((r) => r.state !== 'ok')
      .map((r) => ({ seq: r.seq, taskId: r.taskId, repeatIndex: r.repeatIndex, state: r.state, error: r.error ?? 'unknown error' })),
    energy,
    telemetryErrors,
    measureMs,
    cost: null,
  };
}
