import type { Db } from '../store/db.js';
import type { ServerFacts } from '../types/server-facts.js';
import { getEngine } from '../store/engine.js';
import { getMachineStates } from '../store/machine-states.js';
import { getRecord, listServerFacts } from '../store/records.js';
import { computeRecordView } from './record-view.js';
import { getMachine, getModel } from '../store/inventory.js';
import { getWarmup, listRequests } from '../store/requests.js';
import { getRun } from '../store/runs.js';
import { countTelemetryErrors, listChannels, listIdleSettles, listPhases, listSamples, listSources } from '../store/telemetry.js';
import { computeEnergySummary } from './energy-summary.js';
import { computeSweep } from './levels.js';
import { listReplayReferences } from '../store/replay.js';
import { computeReplayUsage, computeRunSummary, type RunSummary } from './summary.js';

/** Reads everything stored for a run and computes its summary (the only I/O is the reads). */
export function loadRunSummary(db: Db, ref: string): RunSummary {
  const run = getRun(db, ref);
  const requests = listRequests(db, run.id);
  const channels = listChannels(db, run.id);
  const sources = listSources(db, run.id);
  const phases = listPhases(db, run.id);
  const measures = phases.filter((p) => p.name === 'measure');
  const energy =
    channels.length === 0 && sources.length === 0
      ? null
      : computeEnergySummary(channels, new Map(channels.map((c) => [c.id, listSamples(db, c.id)])), phases, requests, sources, listIdleSettles(db, run.id));
  const measureMs = measures.length === 0 ? null : measures.reduce((acc, m) => acc + (m.endMs - m.startMs), 0);
  const refs = listReplayReferences(db, run.id);
  const apiModels = [...new Set(refs.map((r) => r.apiModel).filter((m): m is string => m !== null))];
  const replay = computeReplayUsage(refs, apiModels.length === 1 ? (apiModels[0] ?? null) : null);
  const summary = computeRunSummary(run, requests, getWarmup(db, run.id), getModel(db, run.id), getMachine(db, run.id), energy, countTelemetryErrors(db, run.id), measureMs, replay, computeSweep(requests, phases, energy));
  const recordView = computeRecordView({
    record: getRecord(db, run.id), serverFacts: listServerFacts<ServerFacts>(db, run.id), machineStates: getMachineStates(db, run.id),
    backend: run.backend, pid: null, cpuCores: summary.machine?.cpuCores ?? null,
  });
  return { ...summary, engine: getEngine(db, run.id), recordView };
}
