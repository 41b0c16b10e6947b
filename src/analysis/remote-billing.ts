import type { RemoteRun, RequestRow } from '../types/run-rows.js';

/**
 * What a run against a remote API was billed, from each request's billed usage x the run's price
 * (RequestRow.costUsd, computed by the runner). In USD: the report converts to the user's currency.
 */
export interface RemoteBilling {
  /** The price the run ran under, and the spend cap and why it stopped early (null: it did not). */
  price: RemoteRun;
  /** Requests with billed usage, failed ones included (a failed request that was billed is money spent). */
  requestsBilled: number;
  /** Answered requests that reported no usage: their cost is unknown, so the per-task cost is too. */
  okUnbilled: number;
  okTasks: number;
  /** Sum of every billed request's cost, failed ones included. */
  totalSpendUsd: number;
  /** Of it, spent on requests that failed. */
  failedSpendUsd: number;
  /**
   * Total spend / answered tasks: what a task costs once the failures it took are paid for. null with
   * no answered task, or when an answered request reported no usage.
   */
  perTaskUsd: number | null;
  /** Per task / accuracy (a wrong answer still costs); null without scoring or with no correct answer. */
  perCorrectTaskUsd: number | null;
  accuracy: number | null;
  /** Means over answered requests that reported them; null: none did. */
  reasoningTokensPerTask: number | null;
  cachedPromptTokensPerTask: number | null;
  /** 429 answers retried, and the time waited for them, over all requests. */
  retries: number;
  retryWaitMs: number;
  /** The user's currency, when it is not USD (attached with the settings by analyzeRun); null: USD only. */
  currency: { name: string; perUsd: number } | null;
}

function meanOf(values: readonly (number | null | undefined)[]): number | null {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length === 0 ? null : known.reduce((acc, v) => acc + v, 0) / known.length;
}

/** The billed figures of a remote run. Pure. */
export function computeRemoteBilling(
  price: RemoteRun,
  requests: readonly RequestRow[],
  /** The run's accuracy (correct / scored); null: nothing was scored. */
  accuracy: number | null,
): RemoteBilling {
  const ok = requests.filter((r) => r.state === 'ok');
  const billed = requests.filter((r) => typeof r.costUsd === 'number');
  const totalSpendUsd = billed.reduce((acc, r) => acc + (r.costUsd ?? 0), 0);
  const failedSpendUsd = billed.filter((r) => r.state !== 'ok').reduce((acc, r) => acc + (r.costUsd ?? 0), 0);
  const okUnbilled = ok.filter((r) => typeof r.costUsd !== 'number').length;
  const perTaskUsd = ok.length === 0 || okUnbilled > 0 ? null : totalSpendUsd / ok.length;
  return {
    price,
    requestsBilled: billed.length,
    okUnbilled,
    okTasks: ok.length,
    totalSpendUsd,
    failedSpendUsd,
    perTaskUsd,
    perCorrectTaskUsd:
      perTaskUsd === null || accuracy === null || accuracy === 0 ? null : perTaskUsd / accuracy,
    accuracy,
    reasoningTokensPerTask: meanOf(ok.map((r) => r.reasoningTokens)),
    cachedPromptTokensPerTask: meanOf(ok.map((r) => r.cachedPromptTokens)),
    retries: requests.reduce((acc, r) => acc + (r.retries ?? 0), 0),
    retryWaitMs: requests.reduce((acc, r) => acc + (r.retryWaitMs ?? 0), 0),
    currency: null,
  };
}
