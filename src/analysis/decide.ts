import type { Config } from '../config/schema.js';
import { combineBreakEvens, computeBreakEven } from '../cost/break-even.js';
import { atEnd } from '../cost/cost-range.js';
import { toLocalInputs, type CostSummary } from '../cost/cost-summary.js';
import type { BreakEven, MeasuredWork } from '../cost/cost-types.js';
import { chooseLevel } from '../cost/level-choice.js';
import type { BarResult, Cheaper, DecideMoney, DecideSide, Decision } from './decide-types.js';
import { describeBars, describeFlip, money, percent, tasks } from './decide-words.js';
import { computeRunCost, toMeasuredWork } from './run-cost.js';
import type { RunSummary } from './summary.js';
import { apiSide, localSide, per, replayPrice, type DecideOptions } from './decide-sides.js';
export type { Decision } from './decide-types.js';
export { apiSideKind, type DecideOptions } from './decide-sides.js';
type Side = 'local' | 'api' | null;
const pick = (l: number | null, a: number | null): Side =>
  l === null || a === null ? null : l <= a ? 'local' : 'api';

/** Which costs less per view; with an estimate range, the full view's verdict only where both ends agree. */
function cheaper(
  local: DecideMoney,
  api: DecideMoney,
  ends: { low: number | null; high: number | null } | null,
): Cheaper {
  const low = ends === null ? null : pick(ends.low, api.full);
  const full = ends === null ? pick(local.full, api.full) : low === pick(ends.high, api.full) ? low : null;
  return { full, marginal: pick(local.marginal, api.marginal) };
}

function localRangeOf(c: CostSummary, accuracy: number | null): Decision['localRange'] {
  if (c.range === null) return null;
  const low = c.range.low.local.fullPerTask;
  const high = c.range.high.local.fullPerTask;
  return {
    tdpLowW: c.range.tdp.lowW,
    tdpHighW: c.range.tdp.highW,
    fullPerTask: { low, high },
    fullPerCorrectTask: { low: per(low, accuracy), high: per(high, accuracy) },
  };
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
  const point = toMeasuredWork(local);
  const range = point.energyRange;
  // An estimate range: the break-even at each end, one verdict where they agree (as `costbench cost`).
  const search = (price: number): BreakEven => {
    const at = (work: MeasuredWork): BreakEven => {
      const chosen = chooseLevel(work.levels, cost.load.p95LatencyBoundMs);
      return computeBreakEven(toLocalInputs(work, chosen, cost, c.kwhPrice), price);
    };
    if (range === null) return at(point);
    return combineBreakEvens(at(atEnd(point, range.low)), at(atEnd(point, range.high)));
  };
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
          search((api * accL) / accA);
  return { perTask: search(api), perCorrectTask };
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
  for (const [name, side] of [
    ['local', local],
    ['the API', api],
  ] as const)
    if (side.accuracy === 0) out.push(`${name} cost per correct task (it answered no task correctly)`);
  return out;
}

function notMeasured(
  c: CostSummary,
  local: DecideSide,
  api: DecideSide,
  runs: { local: RunSummary; api: RunSummary },
): string[] {
  const out: string[] = [];
  const s = runs.local;
  if (s.energy === null) out.push('local energy (the run sampled no power)');
  if (c.energyIsEstimate) out.push('local energy is an estimate (CPU TDP x load), not a measurement');
  if (c.kwhPriceIsDefault) out.push(`the electricity price (${c.kwhPrice} ${c.currency}/kWh is a default)`);
  if (api.kind === 'replay') {
    out.push("the API's latency (a batch replay has none)");
    out.push(
      `the API's accuracy (no expected answers${api.agreement === null ? '' : `; local answers agree with the API's ${percent(api.agreement)}`})`,
    );
  }
  const stop = runs.api.remote?.price.stopReason ?? null;
  if (stop !== null)
    out.push(
      `the rest of the API run: it stopped early (${stop}) after ${runs.api.requests.ok} of ${runs.api.requests.planned} planned requests answered`,
    );
  if (local.scoredTasks > 0 || api.scoredTasks > 0)
    out.push(`accuracy rests on ${local.scoredTasks} local and ${api.scoredTasks} API scored tasks`);
  return out;
}

/** Both ends of an estimate range, e.g. "~0.000229–0.000281". */
function range(low: number | null, high: number | null): string {
  return `~${money(low ?? 0)}–${money(high ?? 0)}`;
}

function verdictText(d: Decision): string {
  const { local, api, currency, volume } = d;
  const r = d.localRange?.fullPerCorrectTask;
  const l = r === undefined ? money(local.perCorrectTask.full ?? 0) : range(r.low, r.high);
  const a = api.perCorrectTask.full ?? 0;
  const winner = d.cheaperPerCorrectTask.full === 'local' ? 'local' : 'the API';
  const parts = [
    `At ${tasks(volume)} tasks a month ${winner} is cheaper per correct task: local ${l} vs API ${money(a)} ${currency} (full view; per task ${money(local.perTask.full ?? 0)} vs ${money(api.perTask.full ?? 0)}, accuracy ${percent(local.accuracy ?? 0)} vs ${percent(api.accuracy ?? 0)}).`,
  ];
  if (d.cheaperPerTask.full !== d.cheaperPerCorrectTask.full)
    parts.push(
      `Per task alone ${d.cheaperPerTask.full === 'local' ? 'local' : 'the API'} is cheaper; the wrong answers turn it.`,
    );
  const flip = d.flip.perCorrectTask;
  parts.push(
    flip.kind === 'depends'
      ? `Per correct task, which option is cheaper ${describeFlip(flip)}.`
      : `Per correct task the cheaper option is ${describeFlip(flip)}.`,
  );
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
  const localRange = localRangeOf(c, sides.local.accuracy);
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
    localRange,
    cheaperPerTask: cheaper(sides.local.perTask, sides.api.perTask, localRange?.fullPerTask ?? null),
    cheaperPerCorrectTask: cheaper(
      sides.local.perCorrectTask,
      sides.api.perCorrectTask,
      localRange?.fullPerCorrectTask ?? null,
    ),
    flip: flips(local, cost, c, sides),
    bars,
    verdict: null,
    unknown: [],
    notMeasured: notMeasured(c, sides.local, sides.api, { local, api }),
  };
  const unknown = unknowns(c, sides.local, sides.api);
  const r = localRange?.fullPerCorrectTask;
  if (unknown.length === 0 && d.cheaperPerCorrectTask.full === null && r !== undefined)
    unknown.push(
      `which side is cheaper per correct task: it depends on the CPU's real power (local ${range(r.low, r.high)} ${c.currency} at CPU TDP ${localRange?.tdpLowW}–${localRange?.tdpHighW} W, an ESTIMATE range)`,
    );
  return unknown.length > 0 ? { ...d, unknown } : { ...d, verdict: verdictText(d) };
}
