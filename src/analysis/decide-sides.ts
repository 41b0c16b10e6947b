import type { Config } from '../config/schema.js';
import { computeApiTaskCost } from '../cost/api-cost.js';
import type { CostSummary } from '../cost/cost-summary.js';
import type { ApiPrice } from '../cost/price-types.js';
import type { DecideMoney, DecideSide } from './decide-types.js';
import type { RunSummary } from './summary.js';

/** The two sides of a decision, each from its run: local from its cost summary, the API from its bill. */

/** What a decision needs beyond the two runs. */
export interface DecideOptions {
  /** The cost inputs (config with the command line's load overrides). */
  cost: Config['cost'];
  volume: number;
  kwhPrice?: number;
  /** The price table: a replay's API side is its billed usage x its model's price here. */
  prices: readonly ApiPrice[];
  minAccuracy: number | null;
  /** Also the latency bound of the local level choice: the level the cost uses must meet it. */
  maxP95LatencyMs: number | null;
}

/** Which kind of API side a run can be: a remote run, a replay (its references), or none (a plain local run). */
export function apiSideKind(s: RunSummary): 'remote' | 'replay' | null {
  if (s.remote !== undefined) return 'remote';
  return s.replay !== null ? 'replay' : null;
}

export const per = (x: number | null, acc: number | null): number | null =>
  x === null || acc === null || acc === 0 ? null : x / acc;
const perMoney = (m: DecideMoney, acc: number | null): DecideMoney => ({
  full: per(m.full, acc),
  marginal: per(m.marginal, acc),
});
const times = (x: number | null, v: number): number | null => (x === null ? null : x * v);

export function localSide(s: RunSummary, c: CostSummary): DecideSide {
  const q = s.quality;
  const accuracy = c.local.accuracy;
  const perTask = { full: c.local.fullPerTask, marginal: c.local.marginalPerTask };
  return {
    runId: s.run.id,
    model: s.run.model,
    kind: 'local',
    costBasis: 'measured energy and machine time x the cost inputs',
    okTasks: s.requests.ok,
    accuracy,
    scoredTasks: q?.scored ?? 0,
    correctTasks: q?.correct ?? 0,
    agreement: q?.agreement?.mean ?? null,
    p95LatencyMs: c.level?.p95LatencyMs ?? null,
    perTask,
    perCorrectTask: perMoney(perTask, accuracy),
    monthly: { full: c.local.full, marginal: c.local.marginal },
  };
}

/** The API price of a replay's model, from the table; null when the table lacks it. */
export function replayPrice(s: RunSummary, prices: readonly ApiPrice[]): ApiPrice | null {
  const model = s.replay?.apiModel ?? null;
  return prices.find((p) => p.model === model) ?? null;
}

function apiPerTask(s: RunSummary, o: DecideOptions): number | null {
  if (s.remote !== undefined)
    return s.remote.perTaskUsd === null ? null : s.remote.perTaskUsd * o.cost.currencyPerUsd;
  const r = s.replay;
  const price = replayPrice(s, o.prices);
  if (r === null || price === null) return null;
  const billing = {
    cachedInputShare: r.cachedShare,
    batch: o.cost.batch,
    tokenRatio: 1,
    currencyPerUsd: o.cost.currencyPerUsd,
  };
  return computeApiTaskCost(price, r.promptTokensPerTask, r.completionTokensPerTask, billing).perTask;
}

export function apiSide(s: RunSummary, o: DecideOptions): DecideSide {
  const remote = s.remote;
  const x = apiPerTask(s, o);
  const perTask = { full: x, marginal: x };
  const accuracy = remote === undefined ? null : remote.accuracy;
  return {
    runId: s.run.id,
    model: remote?.price.priceModel ?? s.replay?.apiModel ?? s.run.model,
    kind: remote === undefined ? 'replay' : 'remote',
    costBasis:
      remote === undefined
        ? "the batch file's billed usage x today's price table"
        : 'billed usage x the price the run ran under (total spend / answered tasks)',
    okTasks: remote === undefined ? (s.replay?.references ?? 0) : s.requests.ok,
    accuracy,
    scoredTasks: remote === undefined ? 0 : (s.quality?.scored ?? 0),
    correctTasks: remote === undefined ? 0 : (s.quality?.correct ?? 0),
    agreement: remote === undefined ? (s.quality?.agreement?.mean ?? null) : null,
    p95LatencyMs: remote === undefined ? null : (s.latencyMs?.p95 ?? null),
    perTask,
    perCorrectTask: perMoney(perTask, accuracy),
    monthly: { full: times(x, o.volume), marginal: times(x, o.volume) },
  };
}
