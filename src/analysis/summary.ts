import type { RunRooflineResult } from './roofline-types.js';
import type { EnergySummary } from './energy-types.js';
import type { EngineInventory } from '../types/inventory-rows.js';
import type { MachineInventory, ModelInventory } from '../types/inventory-rows.js';
import type { RequestRow, WarmupRow } from '../types/run-rows.js';
import type { RunRow } from '../types/run-rows.js';
import type { CostSummary } from '../cost/cost-summary.js';

import type { ReplayReference } from '../types/run-rows.js';

import type { SweepSummary } from './levels.js';
import { clientDecodeTokensPerS, prefillTokensPerS, serverDecodeTokensPerS } from './decode-rate.js';
import { computeDistribution, type Distribution } from './stats.js';
import { computeTokenCounts, type TokenCounts } from './token-counts.js';
import { computeVmNotes } from './vm-notes.js';
import type { RecordView } from './record-view.js';
import type { LoopLagSummary } from './loop-lag.js';
import type { RemoteBilling } from './remote-billing.js';

/** A measured request that paid at least this much server load time had the model (re)loaded. */
export const RELOAD_THRESHOLD_MS = 100;

/** A replay's API side: the billed usage of the original API requests, per task. */
export interface ReplayUsage {
  /** The model the requests named (body.model), when they all named one. */
  apiModel: string | null;
  /** Requests with billed usage (answered by the API). */
  references: number;
  promptTokensPerTask: number;
  completionTokensPerTask: number;
  /** Cached prompt tokens / prompt tokens. */
  cachedShare: number;
}

/** Mean billed usage per task over the references the API answered. Pure; null when none has usage. */
export function computeReplayUsage(
  refs: readonly ReplayReference[],
  apiModel: string | null,
): ReplayUsage | null {
  const billed = refs.filter((r) => r.promptTokens !== null && r.completionTokens !== null);
  if (billed.length === 0) return null;
  const prompt = billed.reduce((acc, r) => acc + (r.promptTokens ?? 0), 0);
  const cached = billed.reduce((acc, r) => acc + (r.cachedTokens ?? 0), 0);
  return {
    apiModel,
    references: billed.length,
    promptTokensPerTask: prompt / billed.length,
    completionTokensPerTask: billed.reduce((acc, r) => acc + (r.completionTokens ?? 0), 0) / billed.length,
    cachedShare: prompt === 0 ? 0 : cached / prompt,
  };
}

/** How good the answers were. A failed request counts as a wrong answer. */
export interface Quality {
  scored: number;
  correct: number;
  /** correct / scored. */
  accuracy: number;
  /** Mean of the 0..1 scores (partial credit: fields right, F1, facts present). */
  meanScore: number;
  /** Replays: agreement with the API's own answers, over ok requests that had one. */
  agreement: { count: number; mean: number } | null;
  wrong: { seq: number; taskId: string; repeatIndex: number; detail: string }[];
}

/** Computes the quality figures from request rows. Pure. */
export function computeQuality(requests: readonly RequestRow[]): Quality | null {
  const scored = requests.filter((r) => r.score !== null);
  const agreed = requests.filter((r) => r.agreement !== null);
  if (scored.length === 0 && agreed.length === 0) return null;
  const correct = scored.filter((r) => r.correct === true).length;
  return {
    scored: scored.length,
    correct,
    accuracy: scored.length === 0 ? 0 : correct / scored.length,
    meanScore: scored.length === 0 ? 0 : scored.reduce((acc, r) => acc + (r.score ?? 0), 0) / scored.length,
    agreement:
      agreed.length === 0
        ? null
        : {
            count: agreed.length,
            mean: agreed.reduce((acc, r) => acc + (r.agreement ?? 0), 0) / agreed.length,
          },
    wrong: scored
      .filter((r) => r.correct === false)
      .map((r) => ({
        seq: r.seq,
        taskId: r.taskId,
        repeatIndex: r.repeatIndex,
        detail: r.scoreDetail ?? '',
      })),
  };
}

/** Everything a report shows about one run, computed from stored rows only. */
export interface RunSummary {
  run: RunRow;
  model: ModelInventory | null;
  machine: MachineInventory | null;
  requests: {
    planned: number;
    ok: number;
    errored: number;
    aborted: number;
    notRun: number;
    truncated: number;
    malformedLines: number;
  };
  /** The warm-up: cold load, apart from every measured figure. */
  warmup: {
    state: WarmupRow['state'];
    alreadyLoaded: boolean;
    latencyMs: number;
    serverLoadMs: number | null;
  } | null;
  /** Client-measured, over ok requests. */
  ttftMs: Distribution | null;
  latencyMs: Distribution | null;
  /** Server-measured per request: evaluated prompt tokens (cached ones left out where known) / prompt duration. */
  promptTokensPerS: Distribution | null;
  /** Server-measured per request: eval_count / eval_duration (llama.cpp: predicted_n / predicted_ms). */
  generationTokensPerS: Distribution | null;
  /** All output tokens / all eval time, over requests that report both. */
  generationTokensPerSOverall: number | null;
  /**
   * Client-timed per request: tokens after the first / first-to-last streamed token. The decode
   * speed of servers that time nothing (vLLM, LM Studio); beside the server's figure otherwise.
   */
  clientDecodeTokensPerS: Distribution | null;
  tokens: TokenCounts;
  /** Measured requests whose server load time says the model was (re)loaded mid-run. */
  reloadsDuringRun: number;
  failures: { seq: number; taskId: string; repeatIndex: number; state: RequestRow['state']; error: string }[];
  /** Replays: the API's billed usage, the API side of the cost; null for suite runs. */
  replay: ReplayUsage | null;
  /** Answers checked against expected answers (and, for replays, against the API's answers); null when nothing was scored. */
  quality: Quality | null;
  /** Power and energy; null when the run sampled nothing (telemetry off). */
  energy: EnergySummary | null;
  /** Sampler errors by source and channel (gaps in the readings). */
  telemetryErrors: { source: string; channelKey: string | null; count: number; firstMessage: string }[];
  /** Duration of the measured phases (the requests back to back), ms; null for runs without phases. */
  measureMs: number | null;
  /** Throughput, latency and energy per concurrency level, saturation and drift; null without phases. */
  sweep: SweepSummary | null;
  /** Local cost against API prices; attached by the commands that know the prices (null otherwise). */
  cost: CostSummary | null;
  /** Decode speed against the memory-bandwidth ceiling; attached with the cost (null otherwise). */
  roofline: RunRooflineResult | null;
  /** How the embedded engine ran the model (threads, layers, context, cold start); absent or null for model servers. */
  engine?: EngineInventory | null;
  /**
   * How the run was made: its settings record (digest and all of it), the server's facts, the
   * machine's state at start and end with warnings; absent or null where not loaded.
   */
  recordView?: RecordView | null;
  /** A run against a remote API: what it was billed (absent for local runs, so their JSON is unchanged). */
  remote?: RemoteBilling;
  /**
   * The client's event-loop lag per level, and which levels' TTFT and latency it flags (loop-lag.ts);
   * absent for a run from before it was measured, so that run's JSON is unchanged ("not measured").
   */
  loopLag?: LoopLagSummary;
  /** Run in a VM: what a guest cannot see, what can, and its guest-side estimates (vm-notes.ts); else []. */
  vmNotes: string[];
}

/** The keys of a run's estimate channels. */
function estimateKeys(energy: EnergySummary | null): string[] {
  return (energy?.channels ?? []).filter((c) => c.kind === 'estimate').map((c) => c.key);
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
  replay: ReplayUsage | null = null,
  sweep: SweepSummary | null = null,
): RunSummary {
  const ok = requests.filter((r) => r.state === 'ok');
  const withGen = ok.filter((r) => r.outputTokens !== null && r.evalMs !== null && r.evalMs > 0);
  const evalMs = withGen.reduce((acc, r) => acc + (r.evalMs ?? 0), 0);
  const genTokens = withGen.reduce((acc, r) => acc + (r.evalTokens ?? r.outputTokens ?? 0), 0);
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
    warmup:
      warmup === null
        ? null
        : {
            state: warmup.state,
            alreadyLoaded: warmup.alreadyLoaded,
            latencyMs: warmup.latencyMs,
            serverLoadMs: warmup.loadMs,
          },
    ttftMs: computeDistribution(ok.map((r) => r.ttftMs)),
    latencyMs: computeDistribution(ok.map((r) => r.latencyMs)),
    promptTokensPerS: computeDistribution(ok.map(prefillTokensPerS)),
    generationTokensPerS: computeDistribution(ok.map(serverDecodeTokensPerS)),
    generationTokensPerSOverall: evalMs > 0 ? (genTokens / evalMs) * 1000 : null,
    clientDecodeTokensPerS: computeDistribution(ok.map(clientDecodeTokensPerS)),
    tokens: computeTokenCounts(ok),
    reloadsDuringRun: ok.filter((r) => (r.loadMs ?? 0) >= RELOAD_THRESHOLD_MS).length,
    failures: requests
      .filter((r) => r.state !== 'ok')
      .map((r) => ({
        seq: r.seq,
        taskId: r.taskId,
        repeatIndex: r.repeatIndex,
        state: r.state,
        error: r.error ?? 'unknown error',
      })),
    quality: computeQuality(requests),
    replay,
    energy,
    telemetryErrors,
    measureMs,
    sweep,
    cost: null,
    roofline: null,
    vmNotes: computeVmNotes(machine?.virtualization, estimateKeys(energy)),
  };
}
