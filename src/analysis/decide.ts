import type { Config } from '../config/schema.js';
import { computeApiTaskCost } from '../cost/api-cost.js';
import { computeBreakEven } from '../cost/break-even.js';
import { toLocalInputs, type CostSummary } from '../cost/cost-summary.js';
import type { BreakEven } from '../cost/cost-types.js';
import { chooseLevel } from '../cost/level-choice.js';
import type { ApiPrice } from '../cost/price-types.js';
import type { BarResult, Cheaper, DecideMoney, DecideSide, Decision } from './decide-types.js';
import { describeBars, describeFlip, money, percent, tasks } from './decide-words.js';
import { computeRunCost, toMeasuredWork } from './run-cost.js';
import type { RunSummary } from './summary.js';
export type { Decision } from './decide-types.js';

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

const per = (x: number | null, acc: number | null): number | null =>
  x === null || acc === null || acc === 0 ? null : x / acc;
const perMoney = (m: DecideMoney, acc: number | null): DecideMoney => ({
  full: per(m.full, acc),
  marginal: per(m.marginal, acc),
});
const times = (x: number | null, v: number): number | null => (x === null ? null : x * v);

function localSide(s: RunSummary, c: CostSummary): DecideSide {
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
function replayPrice(s: RunSummary, prices: readonly ApiPrice[]): ApiPrice | null {
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

function apiSide(s: RunSummary, o: DecideOptions): DecideSide {
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

function cheaper(local: DecideMoney, api: DecideMoney): Cheaper {
  const pick = (l: number | null, a: number | null): 'local' | 'api' | null =>
    l === null || a === null ? null : l <= a ? 'local' : 'api';
  return { full: pick(local.full, api.full), marginal: pick(local.marginal, api.marginal) };
}

function barOf(
  value: number | null,
  bound: number | null,
  pass: (v: number, b: number) => boolean,
): BarResult {
  if (bound === null) return 'none';
  return value === null ? 'unknown' : pass(value, bound) ? 'pass' : 'fail';
}

function unknownBreakEven(reason: string): BreakEven {
  return { kind: 'unknown', reason, missing: [] };
}

function flips(
  local: RunSummary,
  cost: Config['cost'],
  c: CostSummary,
  sides: { local: DecideSide; api: DecideSide },
): Decision['flip'] {
  const work = toMeasuredWork(local);
  const inputs = toLocalInputs(work, chooseLevel(work.levels, cost.load.p95LatencyBoundMs), cost, c.kwhPrice);
  const api = sides.api.perTask.full;
  const accL = sides.local.accuracy;
  const accA = sides.api.accuracy;
  if (api === null) {
    const none = unknownBreakEven('the API cost per task is unknown');
    return { perTask: none, perCorrectTask: none };
  }
  const perCorrectTask =
    accL === null || accA === null
      ? unknownBreakEven(`${accL === null ? 'local' : 'the API'} accuracy was not measured`)
      : accL === 0 || accA === 0
        ? unknownBreakEven(`${accL === 0 ? 'local' : 'the API'} answered no task correctly`)
        : // local full(V) / accL <= V x api / accA  <=>  local full(V) <= V x (api x accL / accA)
          computeBreakEven(inputs, (api * accL) / accA);
  return { perTask: computeBreakEven(inputs, api), perCorrectTask };
}

/** The figures the verdict needs that are unknown. */
function unknowns(c: CostSummary, local: DecideSide, api: DecideSide): string[] {
  const out: string[] = [];
  if (local.perTask.full === null) {
    const keys = c.fullView.missing.map((m) => m.key);
    out.push(`the local full-view cost${keys.length > 0 ? ` (${keys.join(', ')} unknown)` : ''}`);
  }
  if (local.accuracy === null) out.push('local accuracy (the suite has no expected answers)');
  if (api.perTask.full === null)
    out.push(
      api.kind === 'replay'
        ? "the API cost per task (the replay's model is not in the price table, or no request was billed)"
        : 'the API cost per task (an answered request reported no usage)',
    );
  if (api.accuracy === null)
    out.push(
      api.kind === 'replay'
        ? "the API's accuracy (a replayed batch file has no expected answers)"
        : "the API's accuracy (the suite has no expected answers)",
    );
  return out;
}

function notMeasured(c: CostSummary, local: DecideSide, api: DecideSide, s: RunSummary): string[] {
  const out: string[] = [];
  if (s.energy === null) out.push('local energy (the run sampled no power)');
  if (c.energyIsEstimate) out.push('local energy is an estimate (CPU TDP x load), not a measurement');
  if (c.kwhPriceIsDefault) out.push(`the electricity price (${c.kwhPrice} ${c.currency}/kWh is a default)`);
  if (api.kind === 'replay') {
    out.push("the API's latency (a batch replay has none)");
    out.push(
      `the API's accuracy (no expected answers${api.agreement === null ? '' : `; local answers agree with the API's ${percent(api.agreement)}`})`,
    );
  }
  if (local.scoredTasks > 0 || api.scoredTasks > 0)
    out.push(`accuracy rests on ${local.scoredTasks} local and ${api.scoredTasks} API scored tasks`);
  return out;
}

function verdictText(d: Decision): string {
  const { local, api, currency, volume } = d;
  const l = local.perCorrectTask.full ?? 0;
  const a = api.perCorrectTask.full ?? 0;
  const winner = d.cheaperPerCorrectTask.full === 'local' ? 'local' : 'the API';
  const parts = [
    `At ${tasks(volume)} tasks a month ${winner} is cheaper per correct task: local ${money(l)} vs API ${money(a)} ${currency} (full view; per task ${money(local.perTask.full ?? 0)} vs ${money(api.perTask.full ?? 0)}, accuracy ${percent(local.accuracy ?? 0)} vs ${percent(api.accuracy ?? 0)}).`,
  ];
  if (d.cheaperPerTask.full !== d.cheaperPerCorrectTask.full)
    parts.push(
      `Per task alone ${d.cheaperPerTask.full === 'local' ? 'local' : 'the API'} is cheaper; the wrong answers turn it.`,
    );
  parts.push(`Per correct task the cheaper option is ${describeFlip(d.flip.perCorrectTask)}.`);
  const bars = describeBars(d);
  if (bars !== '') parts.push(bars);
  if (d.notMeasured.length > 0) parts.push(`Not measured: ${d.notMeasured.join('; ')}.`);
  return parts.join(' ');
}

/**
 * `costbench decide`: a local run against an API run (a remote run's bill, or a replay's billed
 * usage), per task and per correct task, at a volume, in both views; the volume where the cheaper
 * option per correct task flips; the quality and latency bars; a verdict only from known figures. Pure.
 */
export function computeDecision(local: RunSummary, api: RunSummary, o: DecideOptions): Decision {
  const cost =
    o.maxP95LatencyMs === null
      ? o.cost
      : { ...o.cost, load: { ...o.cost.load, p95LatencyBoundMs: o.maxP95LatencyMs } };
  const c = computeRunCost(local, cost, [], {
    volume: o.volume,
    models: [],
    ...(o.kwhPrice === undefined ? {} : { kwhPrice: o.kwhPrice }),
  }).cost;
  const sides = { local: localSide(local, c), api: apiSide(api, o) };
  const price = api.remote?.price ?? replayPrice(api, o.prices);
  const atLeast = (v: number, b: number): boolean => v >= b;
  const atMost = (v: number, b: number): boolean => v <= b;
  const bars = {
    minAccuracy: o.minAccuracy,
    maxP95LatencyMs: o.maxP95LatencyMs,
    local: {
      accuracy: barOf(sides.local.accuracy, o.minAccuracy, atLeast),
      latency: barOf(sides.local.p95LatencyMs, o.maxP95LatencyMs, atMost),
    },
    api: {
      accuracy: barOf(sides.api.accuracy, o.minAccuracy, atLeast),
      latency: barOf(sides.api.p95LatencyMs, o.maxP95LatencyMs, atMost),
    },
  };
  const suiteOf = (s: RunSummary): string => `${s.run.suiteId} v${s.run.suiteVersion}`;
  const d: Decision = {
    currency: c.currency,
    volume: o.volume,
    suite: { local: suiteOf(local), api: suiteOf(api), same: suiteOf(local) === suiteOf(api) },
    ...sides,
    apiPrice:
      price === null
        ? null
        : {
            model: 'priceModel' in price ? price.priceModel : price.model,
            inputUsdPerMTok: price.inputUsdPerMTok,
            outputUsdPerMTok: price.outputUsdPerMTok,
            cachedInputUsdPerMTok: price.cachedInputUsdPerMTok,
            source: 'priceSource' in price ? price.priceSource : price.source,
            asOf: 'priceAsOf' in price ? price.priceAsOf : price.asOf,
          },
    cheaperPerTask: cheaper(sides.local.perTask, sides.api.perTask),
    cheaperPerCorrectTask: cheaper(sides.local.perCorrectTask, sides.api.perCorrectTask),
    flip: flips(local, cost, c, sides),
    bars,
    verdict: null,
    unknown: unknowns(c, sides.local, sides.api),
    notMeasured: notMeasured(c, sides.local, sides.api, local),
  };
  return d.unknown.length > 0 ? d : { ...d, verdict: verdictText(d) };
}
