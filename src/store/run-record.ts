import type { RunRecord } from '../types/run-record.js';
import type { ServerFacts } from '../types/server-facts.js';
import type { Db } from './db.js';
import { getEngine } from './engine.js';
import { getMachine, getModel } from './inventory.js';
import { listLoopLag } from './loop-lag.js';
import { getMachineStates } from './machine-states.js';
import { getRecord, listServerFacts } from './records.js';
import { listReplayReferences } from './replay.js';
import { getWarmup, listRequests } from './requests.js';
import { getRun } from './runs.js';
import { getDownsampledEnergy } from './bundle-downsample.js';
import {
  countTelemetryErrors,
  listChannels,
  listIdleSettles,
  listPhases,
  listSamples,
  listSources,
} from './telemetry.js';

/**
 * Reads everything stored for a run (`ref`: an id or `latest`) as one plain record. Throws
 * NotFoundError for an unknown run. The only I/O is the reads.
 */
export function readRunRecord(db: Db, ref: string): RunRecord {
  const run = getRun(db, ref);
  const channels = listChannels(db, run.id);
  return {
    run,
    requests: listRequests(db, run.id),
    warmup: getWarmup(db, run.id),
    channels,
    samples: new Map(channels.map((c) => [c.id, listSamples(db, c.id)])),
    phases: listPhases(db, run.id),
    sources: listSources(db, run.id),
    idleSettles: listIdleSettles(db, run.id),
    telemetryErrors: countTelemetryErrors(db, run.id),
    machine: getMachine(db, run.id),
    model: getModel(db, run.id),
    engine: getEngine(db, run.id),
    replayRefs: listReplayReferences(db, run.id),
    settings: getRecord(db, run.id),
    serverFacts: listServerFacts<ServerFacts>(db, run.id),
    machineStates: getMachineStates(db, run.id),
    loopLag: listLoopLag(db, run.id),
    downsampled: getDownsampledEnergy(db, run.id),
  };
}
