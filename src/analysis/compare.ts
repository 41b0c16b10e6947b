import { differingSettings, settingsWarnings, type SettingDiff } from './compare-settings.js';
import { REMOTE_FIGURES, type REMOTE_FIGURE_KEYS } from './compare-remote.js';
import { toMeasuredWork } from './run-cost.js';
import { briefTokenSources, hasEstimatedCounts } from './token-counts.js';
import { ciOverlap, type Distribution, type Interval } from './stats.js';
import type { RunSummary } from './summary.js';
import { gpuNamesOf } from './analyze-run.js';
import { describeRateBounds } from './open-loop-summary.js';

/** What a run is: the facts that decide whether its figures can be set beside another's. */
export interface ComparedRun {
  id: number;
  status: RunSummary['run']['status'];
  model: string;
  quantization: string | null;
  parameterSize: string | null;
  /** The machine's host name from its inventory; null when none was recorded. */
  hostname: string | null;
  cpu: string | null;
  /** GPU names as the power tools (nvidia-smi, …) and then the inventory reported them. */
  gpus: string[];
  suite: string;
  suiteVersion: string;
  /** The concurrency levels run; the best one (most tasks/s) is the one the figures and cost use. */
  concurrency: number[];
  bestConcurrency: number | null;
  okRequests: number;
  /** The server: backend kind and its version as recorded ("ollama 0.12.3", "openai b6123"). */
  server: string;
  /** Where the run's token counts came from, briefly: "server", "usage", "chunks (ESTIMATE)", or several joined by "+". */
  tokenSources: string;
}

/** One run's value of a figure, with its change against the first run. */
export interface ComparedValue {
  value: number | null;
  /** 95% confidence interval of the mean, where the figure is a distribution with n >= 2. */
  ci95: Interval | null;
  /** The value includes an estimate (modelled CPU power), never a measurement. */
  estimate: boolean;
  /** value − the first run's value, and that over the first run's value; null for the first run or when either is unknown. */
  delta: { absolute: number; relative: number | null } | null;
  /**
   * Whether this run's 95% interval overlaps the first run's: false = the means differ,
   * true = these intervals cannot tell them apart; null when either has no interval.
   */
  ciOverlap: boolean | null;
}

export type FigureKey =
  | 'ttftMedianMs'
  | 'latencyMedianMs'
  | 'generationTokensPerSMedian'
  | 'clientDecodeTokensPerSMedian'
  | 'tasksPerS'
  | 'energyPerTaskJ'
  | 'marginalEnergyPerTaskJ'
  | 'accuracy'
  | 'fullCostPerTask'
  | 'marginalCostPerTask'
  | 'rateCapacityPerS'
  | 'rateCapacityP95LatencyMs'
  | 'rateCapacityP95TtftMs'
  | 'rateCapacityLatencyBoundMs'
  | 'rateCapacityTtftBoundMs'
  | (typeof REMOTE_FIGURE_KEYS)[number];

export interface ComparedFigure {
  key: FigureKey;
  label: string;
  unit: string;
  /** Which way is better, so a formatter can say so; the deltas themselves are signed plainly. */
  better: 'lower' | 'higher';
  values: ComparedValue[];
}

export interface Comparison {
  runs: ComparedRun[];
  /**
   * Settings (the settings record, flattened: `telemetry.intervalMs`), server facts (`server.version`)
   * and machine-state fields (`machine.cpu.governors`) whose values differ, those that move results first.
   */
  settingsDiffer: SettingDiff[];
  figures: ComparedFigure[];
  /** The monthly volume the costs per task are computed at (the first run's; the config's cost.monthlyTasks). */
  volume: number | null;
  /** Why figures may not be comparable: different suites, machines, currencies; runs that did not complete. */
  warnings: string[];
}

function bestLevel(s: RunSummary) {
  return s.sweep?.levels.find((l) => l.concurrency === s.sweep?.best) ?? null;
}

function describeRun(s: RunSummary): ComparedRun {
  return {
    id: s.run.id,
    status: s.run.status,
    model: s.run.model,
    quantization: s.model?.quantization ?? null,
    parameterSize: s.model?.parameterSize ?? null,
    hostname: s.machine?.hostname ?? null,
    cpu: s.machine === null ? null : `${s.machine.cpuModel} (${s.machine.cpuCores} cores)`,
    gpus: [...new Set(gpuNamesOf(s).map((g) => g.name))],
    suite: s.run.suiteId,
    suiteVersion: s.run.suiteVersion,
    concurrency: s.sweep?.levels.map((l) => l.concurrency) ?? [],
    bestConcurrency: s.sweep?.best ?? null,
    okRequests: s.requests.ok,
    server: `${s.run.backend}${s.model?.serverVersion == null ? '' : ` ${s.model.serverVersion}`}`,
    tokenSources: briefTokenSources(s.tokens),
  };
}

type Pick = (s: RunSummary) => { value: number | null; dist?: Distribution | null; estimate?: boolean };

/** Runs with open-loop levels (docs/load.md): the rate each held within its latency bound, and the p95 there. */
const RATE_FIGURES: readonly (Omit<ComparedFigure, 'values'> & { pick: Pick })[] = [
  {
    key: 'rateCapacityPerS',
    label: 'capacity within the latency bound',
    unit: 'tasks/s',
    better: 'higher',
    pick: (s) => ({ value: s.sweep?.rateCapacity?.ratePerS ?? null }),
  },
  {
    key: 'rateCapacityP95LatencyMs',
    label: 'p95 latency at that capacity',
    unit: 'ms',
    better: 'lower',
    pick: (s) => ({ value: s.sweep?.rateCapacity?.p95LatencyMs ?? null }),
  },
];

/**
 * When a compared run's sweep had a TTFT bound (docs/load.md): which bounds each capacity is within
 * (an empty value: that bound was not given), and the p95 TTFT there. A bound is better lower: stricter.
 */
const TTFT_RATE_FIGURES: readonly (Omit<ComparedFigure, 'values'> & { pick: Pick })[] = [
  {
    key: 'rateCapacityP95TtftMs',
    label: 'p95 TTFT at that capacity',
    unit: 'ms',
    better: 'lower',
    pick: (s) => ({ value: s.sweep?.rateCapacity?.p95TtftMs ?? null }),
  },
  {
    key: 'rateCapacityLatencyBoundMs',
    label: 'its p95 latency bound',
    unit: 'ms',
    better: 'lower',
    pick: (s) => ({ value: s.sweep?.rateCapacity?.latencyBoundMs ?? null }),
  },
  {
    key: 'rateCapacityTtftBoundMs',
    label: 'its p95 TTFT bound',
    unit: 'ms',
    better: 'lower',
    pick: (s) => ({ value: s.sweep?.rateCapacity?.ttftBoundMs ?? null }),
  },
];

/** The open-loop figures for these runs: the capacity is "within" the bounds their sweeps had. */
function rateFigures(summaries: readonly RunSummary[]): (Omit<ComparedFigure, 'values'> & { pick: Pick })[] {
  if (!summaries.some((s) => s.sweep?.rateCapacity !== undefined)) return [];
  const ttft = summaries.some((s) => s.sweep?.rateCapacity?.ttftBoundMs != null);
  if (!ttft) return [...RATE_FIGURES];
  const [capacity, ...rest] = RATE_FIGURES;
  const words = new Set(
    summaries.flatMap((s) => {
      const c = s.sweep?.rateCapacity;
      return c == null ? [] : [describeRateBounds(c.latencyBoundMs, c.ttftBoundMs)];
    }),
  );
  const label =
    words.size === 1 ? `capacity within ${[...words].join('')}` : "capacity within each run's bounds";
  return [...(capacity === undefined ? [] : [{ ...capacity, label }]), ...rest, ...TTFT_RATE_FIGURES];
}

const FIGURES: readonly (Omit<ComparedFigure, 'values' | 'unit'> & {
  unit: string | ((s: RunSummary) => string);
  pick: Pick;
})[] = [
  {
    key: 'ttftMedianMs',
    label: 'TTFT median',
    unit: 'ms',
    better: 'lower',
    pick: (s) => ({ value: s.ttftMs?.median ?? null, dist: s.ttftMs }),
  },
  {
    key: 'latencyMedianMs',
    label: 'latency median',
    unit: 'ms',
    better: 'lower',
    pick: (s) => ({ value: s.latencyMs?.median ?? null, dist: s.latencyMs }),
  },
  {
    key: 'generationTokensPerSMedian',
    label: 'generation median',
    unit: 'tok/s',
    better: 'higher',
    pick: (s) => ({ value: s.generationTokensPerS?.median ?? null, dist: s.generationTokensPerS }),
  },
  // Timed the same way on every backend: the figure to compare servers that time decode differently (or not at all).
  {
    key: 'clientDecodeTokensPerSMedian',
    label: 'decode median, client-timed',
    unit: 'tok/s',
    better: 'higher',
    pick: (s) => ({ value: s.clientDecodeTokensPerS?.median ?? null, dist: s.clientDecodeTokensPerS }),
  },
  {
    key: 'tasksPerS',
    label: 'throughput at the best level',
    unit: 'tasks/s',
    better: 'higher',
    pick: (s) => ({ value: bestLevel(s)?.tasksPerS ?? null }),
  },
  {
    key: 'energyPerTaskJ',
    label: 'energy per task, total',
    unit: 'J',
    better: 'lower',
    pick: (s) => ({
      value: toMeasuredWork(s).totalJPerTask,
      estimate: s.energy?.total.includesEstimate ?? false,
    }),
  },
  {
    key: 'marginalEnergyPerTaskJ',
    label: 'energy per task, marginal',
    unit: 'J',
    better: 'lower',
    pick: (s) => ({
      value: toMeasuredWork(s).marginalJPerTask,
      estimate: s.energy?.total.includesEstimate ?? false,
    }),
  },
  {
    key: 'accuracy',
    label: 'accuracy',
    unit: 'fraction',
    better: 'higher',
    pick: (s) => ({ value: s.quality === null || s.quality.scored === 0 ? null : s.quality.accuracy }),
  },
  {
    key: 'fullCostPerTask',
    label: 'local cost per task, full',
    unit: (s) => s.cost?.currency ?? '',
    better: 'lower',
    pick: (s) => ({
      value: s.cost?.local.fullPerTask ?? null,
      estimate: (s.cost?.local.electricityKnown ?? false) && (s.energy?.total.includesEstimate ?? false),
    }),
  },
  {
    key: 'marginalCostPerTask',
    label: 'local cost per task, marginal',
    unit: (s) => s.cost?.currency ?? '',
    better: 'lower',
    pick: (s) => ({
      value: s.cost?.local.marginalPerTask ?? null,
      estimate: s.energy?.total.includesEstimate ?? false,
    }),
  },
];

function compareValues(summaries: readonly RunSummary[], pick: Pick): ComparedValue[] {
  const picked = summaries.map(pick);
  const first = picked[0];
  return picked.map((p, i) => {
    const ci95 = p.dist?.ci95 ?? null;
    const base = first?.value ?? null;
    const delta =
      i === 0 || p.value === null || base === null
        ? null
        : { absolute: p.value - base, relative: base === 0 ? null : (p.value - base) / base };
    return {
      value: p.value,
      ci95,
      estimate: p.value !== null && p.estimate === true,
      delta,
      ciOverlap: i === 0 ? null : ciOverlap(first?.dist?.ci95 ?? null, ci95),
    };
  });
}

/** The machine as its inventory describes it (not the power tools, which a run may or may not have used). */
function machineKey(s: RunSummary): string {
  const m = s.machine;
  return JSON.stringify(
    m === null ? [null] : [m.hostname, m.cpuModel, m.cpuCores, m.memoryBytes, m.gpus.map((g) => g.model)],
  );
}

function comparisonWarnings(summaries: readonly RunSummary[], runs: readonly ComparedRun[]): string[] {
  const warnings: string[] = [];
  if (new Set(runs.map((r) => `${r.suite} v${r.suiteVersion}`)).size > 1) {
    warnings.push(
      `the suites differ (${runs.map((r) => `run ${r.id}: ${r.suite} v${r.suiteVersion}`).join('; ')}): different prompts, so the figures are not comparable`,
    );
  }
  const first = summaries[0];
  const elsewhere =
    first === undefined
      ? []
      : summaries.filter((s) => machineKey(s) !== machineKey(first)).map((s) => s.run.id);
  if (first !== undefined && elsewhere.length > 0) {
    warnings.push(
      `the machines differ (run${elsewhere.length > 1 ? 's' : ''} ${elsewhere.join(', ')} vs run ${first.run.id}): the differences include the hardware, not only the model or settings`,
    );
  }
  if (new Set(summaries.map((s) => s.run.backend)).size > 1) {
    warnings.push(
      `the servers differ (${summaries.map((s) => `run ${s.run.id}: ${s.run.backend}`).join('; ')}): each times generation its own way (or not at all), ` +
        'so compare "decode median, client-timed", which costbench times the same way on every server',
    );
  }
  const chunkCounted = summaries.filter((s) => hasEstimatedCounts(s.tokens)).map((s) => s.run.id);
  if (chunkCounted.length > 0)
    warnings.push(
      `the output tokens of run ${chunkCounted.join(', ')} were counted one per streamed chunk (ESTIMATE): its token-based figures and API costs are estimates`,
    );
  const currencies = new Set(summaries.map((s) => s.cost?.currency).filter((c) => c !== undefined));
  if (currencies.size > 1)
    warnings.push(
      `the costs are in different currencies (${[...currencies].join(', ')}): their deltas mean nothing`,
    );
  for (const r of runs.filter((x) => x.status !== 'completed'))
    warnings.push(`run ${r.id} is ${r.status}: its figures cover only the requests it finished`);
  for (const r of runs.filter((x) => x.okRequests === 0))
    warnings.push(`run ${r.id} has no successful request: it has no figures`);
  if (summaries.some((s) => s.cost?.kwhPriceIsDefault === true))
    warnings.push(
      'electricity is priced at the default (a US average), not your price: set cost.electricityPerKwh',
    );
  const estimated = summaries.filter((s) => s.energy?.total.includesEstimate === true).map((s) => s.run.id);
  if (estimated.length > 0)
    warnings.push(
      `the energy of run ${estimated.join(', ')} includes an ESTIMATE (CPU TDP x load), marked ~`,
    );
  return warnings;
}

/**
 * Sets runs side by side: what each one was (model, quantization, machine, suite, differing
 * settings, concurrency) and its headline figures, each with its change against the first run and,
 * where both have a 95% interval, whether the intervals overlap. Pure: cost must already be attached
 * (withCost), at the volume of the configuration.
 */
export function compareRuns(summaries: readonly RunSummary[]): Comparison {
  const runs = summaries.map(describeRun);
  const specs = [
    ...FIGURES,
    ...rateFigures(summaries),
    ...(summaries.some((s) => s.remote !== undefined) ? REMOTE_FIGURES : []),
  ];
  const figures = specs.map(({ pick, unit, ...f }) => ({
    ...f,
    unit: typeof unit === 'string' ? unit : (summaries.map(unit).find((u) => u !== '') ?? ''),
    values: compareValues(summaries, pick),
  }));
  const volume = summaries.find((s) => s.cost !== null)?.cost?.volume ?? null;
  const settingsDiffer = differingSettings(summaries);
  return {
    runs,
    settingsDiffer,
    figures,
    volume,
    warnings: [...settingsWarnings(summaries, settingsDiffer), ...comparisonWarnings(summaries, runs)],
  };
}
