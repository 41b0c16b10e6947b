import type { Backend } from '../backends/backend.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../store/db.js';
import { getMachine, setGpuUuids, updateModelMemory } from '../store/inventory.js';
import { gpuUuidsOfChannels } from '../inventory/gpu-uuids.js';
import { listRequests } from '../store/requests.js';
import { addRunWarning, setRemoteRun } from '../store/runs.js';
import type { RemoteRun } from '../types/run-rows.js';
import { SpendGuard } from './spend-guard.js';
import { telemetrySink } from '../store/telemetry.js';
import { telemetryIoFromEnv } from '../telemetry/build.js';
import type { CpuFacts } from '../telemetry/cpu-tdp.js';
import { startTelemetry, type TelemetrySession } from '../telemetry/session.js';
import { sleep } from '../util/sleep.js';
import { executeRun, type ExecuteRunInput, type ExecuteRunResult, type RemoteBilling } from './execute.js';
import { spentBefore } from './remote-billing.js';
import type { PlannedRequest } from './plan.js';
import { startLoopLagMonitor } from './loop-lag.js';
import { recordMachineState, recordServerFacts } from './record-state.js';
import { insertLoopLag } from '../store/loop-lag.js';
import { openLoopPlanOf, runOpenLoop } from './rate-sweep.js';
import { describeDepthBeyondServer } from './context-depth-check.js';

/** Live machine power for a progress view: the counted channels' newest readings. */
export type LiveWatts = () => { watts: number; estimated: boolean } | null;

/** What one measured part of a run needs: the run row exists, its start is recorded. */
export interface MeasureRunInput {
  db: Db;
  runId: number;
  /** The run's time zero on performance.now()'s scale (a resumed run keeps its first start's). */
  originMs: number;
  backend: Backend;
  model: string;
  planned: PlannedRequest[];
  config: Config;
  runSettings: Config['run'];
  alreadyLoaded: boolean;
  loadStateKnown: boolean;
  coldStart: boolean;
  /** A replay's reference answers, by task. */
  references: ReadonlyMap<string, string> | undefined;
  /** A resumed run's finished requests. */
  done: ReadonlySet<string> | undefined;
  /** What the inventory knows of the CPU, for the estimate's TDP; undefined on a resume (node:os then). */
  cpu: CpuFacts | undefined;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** The progress view, given the live power once telemetry runs. */
  progress: (liveWatts: LiveWatts) => NonNullable<ExecuteRunInput['onEvent']>;
  /** Told which channels are measured, once telemetry started. */
  onTelemetry: (channels: TelemetrySession['channels']) => void;
  /** One sentence the user should see; the run goes on. */
  warn: (message: string) => void;
  /**
   * A remote API's price and spend cap: no power telemetry, no idle phases, no warm-up (it would
   * be billed, and a remote API loads nothing we could time), no machine end state; each request
   * is billed and the spend cap guards the run. null or absent: a local run.
   */
  remote?: RemoteRun | null;
}

/** A warning when the model does not sit wholly in GPU memory, or null when it does or is unknown. */
export function describeSpill(sizeBytes: number | null, sizeVramBytes: number | null): string | null {
  if (sizeBytes === null || sizeVramBytes === null || sizeBytes <= 0 || sizeVramBytes >= sizeBytes)
    return null;
  const gb = (b: number): string => (b / 1e9).toFixed(2);
  if (sizeVramBytes === 0) return `the model runs on the CPU only (0 of ${gb(sizeBytes)} GB in GPU memory)`;
  const share = Math.round((1 - sizeVramBytes / sizeBytes) * 100);
  return `the model spills into CPU memory: ${gb(sizeVramBytes)} of ${gb(sizeBytes)} GB in GPU memory, ${share}% on the CPU; generation will be slower than a full-GPU load`;
}

/** The events at a request's or a phase's edge. */
const BOUNDARY_EVENTS: ReadonlySet<string> = new Set([
  'warmup-start',
  'warmup-done',
  'idle-start',
  'level-start',
  'attempt-start',
  'attempt-done',
  'phase-done',
  'idle-settled',
]);

/**
 * Measures one part of a run: starts telemetry (readings to the store), runs warm-up, idle
 * phases and every level (execute.ts), stops telemetry, then records the machine's end state
 * and where the model sat in memory (a spill is a run warning).
 */
export async function measureRun(c: MeasureRunInput): Promise<ExecuteRunResult> {
  const { config, db, runId } = c;
  const remote = c.remote ?? null;
  const openLoop = openLoopPlanOf(c.runSettings, config.cost, remote !== null);
  const telemetry =
    config.telemetry.enabled && remote === null
      ? await startTelemetry({
          sink: telemetrySink(db, runId),
          telemetry: config.telemetry,
          io: telemetryIoFromEnv(c.env),
          originMs: c.originMs,
          guestSide: getMachine(db, runId)?.virtualization?.isVm === true,
          ...(c.cpu === undefined ? {} : { cpu: c.cpu }),
          onWarning: c.warn,
        })
      : null;
  if (telemetry !== null) {
    c.onTelemetry(telemetry.channels);
    // NVML names each GPU's UUID: it fills in where nvidia-smi could not at the start (fleet identity).
    setGpuUuids(db, runId, gpuUuidsOfChannels(telemetry.channels), true);
  }
  const progress = c.progress(() => telemetry?.liveWatts() ?? null);
  // The client's event-loop lag over each level's requests (not its idle phases): loop-lag.ts.
  const lag = startLoopLagMonitor((row) => insertLoopLag(db, runId, row));
  const onEvent: typeof progress = (event) => {
    // Counters (NVML, RAPL) are read at every request's and phase's edge: energy there is a counter delta.
    if (BOUNDARY_EVENTS.has(event.kind)) telemetry?.markBoundary();
    if (event.kind === 'level-start') lag.begin(event);
    else if (event.kind === 'idle-start' || event.kind === 'warmup-start') lag.end();
    progress(event);
  };
  const result = await executeRun({
    db,
    runId,
    backend: c.backend,
    model: c.model,
    requests: c.planned,
    warmup: c.runSettings.warmup && remote === null,
    concurrencyLevels: c.runSettings.concurrency,
    contextDepths: c.runSettings.contextDepth,
    coldStart: c.coldStart,
    cooldownMs: c.runSettings.cooldownS * 1000,
    minDurationMs: c.runSettings.minDurationS * 1000,
    retryDelaysMs: Array.from(
      { length: config.backend.retries },
      (_, i) => config.backend.retryBaseMs * 2 ** i,
    ),
    alreadyLoaded: c.alreadyLoaded,
    loadStateKnown: c.loadStateKnown,
    keepAlive: config.backend.keepAlive,
    timeoutMs: config.backend.requestTimeoutMs,
    storeOutputs: c.runSettings.storeOutputs,
    now: () => performance.now(),
    originMs: c.originMs,
    idleBaselineMs: config.telemetry.enabled && remote === null ? config.telemetry.idleBaselineS * 1000 : 0,
    ...(telemetry?.waitForSteadyPower == null ? {} : { waitForSteadyPower: telemetry.waitForSteadyPower }),
    sleep,
    wallClock: () => new Date(),
    signal: c.signal,
    ...(c.references === undefined ? {} : { references: c.references }),
    ...(c.done === undefined ? {} : { done: c.done }),
    ...(remote === null
      ? {}
      : { remote: remoteBilling(db, runId, remote, c.runSettings.maxOutputTokens, c.planned) }),
    ...(openLoop === undefined
      ? {}
      : {
          openLoop: (input, origin, closedTasksPerS, rest) =>
            runOpenLoop(input, origin, openLoop, closedTasksPerS, rest),
        }),
    onEvent,
    afterWarmup: () =>
      recordServerFacts(db, runId, c.backend, c.model, c.signal)
        .then((facts) => {
          const tooDeep = describeDepthBeyondServer(c.runSettings.contextDepth, facts.contextLength);
          if (tooDeep === null) return;
          addRunWarning(db, runId, tooDeep);
          c.warn(tooDeep);
        })
        .catch((error: unknown) => {
          if (!c.signal.aborted)
            c.warn(
              `the server's facts were not recorded: ${error instanceof Error ? error.message : String(error)}`,
            );
        }),
  }).finally(() => {
    lag.end();
    return telemetry?.stop();
  });

  if (remote !== null) return result;
  await recordMachineState(db, runId, 'end', c.env);
  const inMemory = (await c.backend.loadedModels().catch(() => null))?.find((m) => m.name === c.model);
  if (inMemory !== undefined) updateModelMemory(db, runId, inMemory.sizeBytes, inMemory.sizeVramBytes);
  // The embedded engine says where its layers went (recordEngine); a byte count would call a CPU run a spill.
  const spill =
    c.backend.kind === 'llama-cpp'
      ? null
      : describeSpill(inMemory?.sizeBytes ?? null, inMemory?.sizeVramBytes ?? null);
  if (spill !== null) {
    addRunWarning(db, runId, spill);
    c.warn(spill);
  }
  return result;
}

/**
 * A remote run's billing: its stored price, a spend guard that counts what the run's stored
 * requests already cost (a resumed run), and the stop reason stored with the run when the cap stops it.
 */
function remoteBilling(
  db: Db,
  runId: number,
  remote: RemoteRun,
  maxOutputTokens: number,
  planned: readonly PlannedRequest[],
): RemoteBilling {
  const spentUsd = spentBefore(listRequests(db, runId), planned, remote, maxOutputTokens);
  // A resumed run's cap may have changed, and its old stop reason no longer holds.
  setRemoteRun(db, runId, remote);
  return {
    price: remote,
    guard: new SpendGuard(remote.maxSpendUsd, spentUsd),
    maxOutputTokens,
    onStop: (stopReason) => setRemoteRun(db, runId, { ...remote, stopReason }),
  };
}
