import type { Config } from '../config/schema.js';
import type { ApiPrice } from '../cost/price-types.js';
import type { HardwareTable } from '../roofline/hardware.js';
import type { RunRecord } from '../types/run-record.js';
import { costInputsNote } from './cost-inputs-note.js';
import { storedEnergySummary } from './downsampled-energy.js';
import { computeEnergySummary, type EnergySummary } from './energy-summary.js';
import { computeSweep } from './levels.js';
import { computeLoopLag } from './loop-lag.js';
import { computeRecordView } from './record-view.js';
import { computeRunRoofline } from './roofline-for-run.js';
import { computeRemoteBilling } from './remote-billing.js';
import { computeRunCost } from './run-cost.js';
import { computeReplayUsage, computeRunSummary, type RunSummary } from './summary.js';

/** A run's figures: its summary with cost and roofline attached. Its JSON is `report --format json`. */
export type RunAnalysis = RunSummary;

/** The tables an analysis reads; the caller reads them from files (tables/). */
export interface AnalysisTables {
  hardware: HardwareTable;
  /** The API price table: asked for only when the run has answered requests (a run without any needs no prices). */
  prices: () => readonly ApiPrice[];
}

/** The settings an analysis uses: today's config, and the file it came from (named in the cost notes). */
export interface AnalysisSettings {
  roofline: Config['roofline'];
  cost: Config['cost'];
  configFile: string | null;
}

/** The GPU names a run saw, best first: the power tools' names (nvidia-smi's), then the inventory's. */
export function gpuNamesOf(s: RunSummary): { name: string; vramBytes: number | null }[] {
  const fromTools = (s.energy?.channels ?? [])
    .filter((c) => c.covers === 'gpu-board' || c.covers === 'apu-package')
    .map((c) => ({ name: c.device, vramBytes: null }));
  const fromInventory = (s.machine?.gpus ?? []).map((g) => ({ name: g.model, vramBytes: g.vramBytes }));
  return [...fromTools, ...fromInventory];
}

/**
 * A run's energy: computed from its samples, or, for a run whose samples were thinned on export, the
 * summary computed from all of them before (stored with it). Null without telemetry. Pure.
 */
export function energyOf(record: RunRecord): EnergySummary | null {
  const { requests, channels, sources, phases } = record;
  if (record.downsampled != null) return storedEnergySummary(record.downsampled);
  return channels.length === 0 && sources.length === 0
    ? null
    : computeEnergySummary(channels, record.samples, phases, requests, sources, record.idleSettles);
}

/** A run's summary from its record, without cost or roofline (those need tables). Pure. */
export function summarizeRun(record: RunRecord): RunSummary {
  const { run, requests, phases } = record;
  const measures = phases.filter((p) => p.name === 'measure');
  const energy = energyOf(record);
  const measureMs =
    measures.length === 0 ? null : measures.reduce((acc, m) => acc + (m.endMs - m.startMs), 0);
  const apiModels = [
    ...new Set(record.replayRefs.map((r) => r.apiModel).filter((m): m is string => m !== null)),
  ];
  const replay = computeReplayUsage(
    record.replayRefs,
    apiModels.length === 1 ? (apiModels[0] ?? null) : null,
  );
  const sweep = computeSweep(requests, phases, energy, run.backend);
  const summary = computeRunSummary(
    run,
    requests,
    record.warmup,
    record.model,
    record.machine,
    energy,
    record.telemetryErrors,
    measureMs,
    replay,
    sweep,
  );
  const recordView = computeRecordView({
    record: record.settings,
    serverFacts: record.serverFacts,
    machineStates: record.machineStates,
    backend: run.backend,
    pid: null,
    cpuCores: summary.machine?.cpuCores ?? null,
  });
  const remote =
    run.remote == null
      ? {}
      : {
          remote: computeRemoteBilling(
            run.remote,
            requests,
            summary.quality === null || summary.quality.scored === 0 ? null : summary.quality.accuracy,
          ),
        };
  const loopLag = computeLoopLag(record.loopLag);
  return {
    ...summary,
    engine: record.engine,
    recordView,
    ...remote,
    ...(loopLag === null ? {} : { loopLag }),
  };
}

/**
 * A run's figures: its summary, the roofline (hardware table) and, when it answered requests,
 * its cost against today's cost inputs (price table, config), with a note saying which inputs
 * those were. Pure: no files, no database, no clock.
 */
export function analyzeRun(
  record: RunRecord,
  tables: AnalysisTables,
  settings: AnalysisSettings,
): RunAnalysis {
  const summary = summarizeRun(record);
  // A remote run has no machine of its own: no roofline, no local cost; its cost is its bill (summary.remote).
  if (summary.remote !== undefined) {
    const { currency, currencyPerUsd: perUsd } = settings.cost;
    const inCurrency = currency === 'USD' ? null : { name: currency, perUsd };
    return { ...summary, roofline: null, remote: { ...summary.remote, currency: inCurrency } };
  }
  const roofline = computeRunRoofline(summary, tables.hardware, settings.roofline, gpuNamesOf(summary));
  if (summary.requests.ok === 0) return { ...summary, roofline };
  const cost = computeRunCost(summary, settings.cost, tables.prices()).cost;
  const inputs = costInputsNote(settings.cost, summary.recordView?.record ?? null, settings.configFile);
  return { ...summary, cost: cost === null ? null : { ...cost, notes: [...cost.notes, inputs] }, roofline };
}
