/**
 * A remote run's billing, per request: the max output it always carries, the worst case reserved
 * on the spend guard before it is sent, and its billed cost once it finished (see spend-guard.ts).
 */
import type { ChatResult } from '../backends/backend.js';
import type { RequestRow } from '../types/run-rows.js';
import type { PlannedRequest } from './plan.js';
import {
  computeRequestCostUsd,
  promptBytesOf,
  worstCaseCostUsd,
  type BilledPrice,
  type Reservation,
  type SpendGuard,
} from './spend-guard.js';

/** A remote, per-token-billed API: each request's billed cost, and the spend cap. */
export interface RemoteBilling {
  price: BilledPrice;
  guard: SpendGuard;
  /** Output tokens each request may produce at most (its numPredict is set to this when unset). */
  maxOutputTokens: number;
  /** Called once when the cap stops the run, with why. */
  onStop: (reason: string) => void;
}

/** A remote request always carries a max output (it bounds its cost): the task's, else the run's default. */
export function withMaxOutput(planned: PlannedRequest, remote: RemoteBilling | undefined): PlannedRequest {
  if (remote === undefined || (planned.options.numPredict ?? 0) > 0) return planned;
  return { ...planned, options: { ...planned.options, numPredict: remote.maxOutputTokens } };
}

export function reserve(remote: RemoteBilling | undefined, planned: PlannedRequest): Reservation {
  if (remote === undefined) return { ok: true, usd: 0 };
  const maxOutput = planned.options.numPredict ?? remote.maxOutputTokens;
  return remote.guard.reserve(worstCaseCostUsd(promptBytesOf(planned.messages), maxOutput, remote.price));
}

/**
 * The request's billed cost (null: no usage reported), spent on the guard: without usage, the
 * whole reservation, except an HTTP error before any output, which is not billed.
 */
export function settle(
  remote: RemoteBilling | undefined,
  reservedUsd: number,
  result: ChatResult,
): number | null {
  if (remote === undefined) return null;
  const costUsd = computeRequestCostUsd(
    {
      promptTokens: result.metrics.promptTokens,
      cachedPromptTokens: result.cachedPromptTokens,
      outputTokens: result.metrics.outputTokens,
    },
    remote.price,
  );
  const refused = result.state !== 'ok' && result.errorKind === 'http' && result.chunks === 0;
  remote.guard.settle(reservedUsd, costUsd ?? (refused ? 0 : reservedUsd));
  return costUsd;
}

/** An HTTP error before any output: refused, not billed (as `settle` counts it). */
function refusedRow(row: RequestRow): boolean {
  return row.state !== 'ok' && row.chunks === 0 && /^HTTP \d{3}\b/.test(row.error ?? '');
}

/**
 * What a resumed run's stored requests already cost against its cap, as `settle` counted them
 * while it ran: each billed cost; for a request without usage, the worst case it reserved (it may
 * have been billed), rebuilt from its task's planned messages (a context depth's filler: 4 bytes a
 * token, its words with their spaces); nothing for an HTTP error before any output. Pure.
 */
export function spentBefore(
  rows: readonly RequestRow[],
  planned: readonly PlannedRequest[],
  price: BilledPrice,
  maxOutputTokens: number,
): number {
  const byTask = new Map(planned.map((p) => [p.taskId, p]));
  let usd = 0;
  for (const row of rows) {
    if (row.costUsd != null) usd += row.costUsd;
    else if (!refusedRow(row)) {
      const task = byTask.get(row.taskId);
      if (task === undefined) continue;
      const bytes = promptBytesOf(task.messages) + 4 * (row.contextDepthTokens ?? 0);
      const maxOutput = task.options.numPredict ?? maxOutputTokens;
      usd += worstCaseCostUsd(bytes, maxOutput > 0 ? maxOutput : maxOutputTokens, price);
    }
  }
  return usd;
}
