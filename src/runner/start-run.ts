import type { Backend } from '../backends/backend.js';
import type { Config } from '../config/schema.js';
import { inventoryOptionsFromEnv, readMachineInventory } from '../inventory/machine.js';
import { readMachineIdentity } from '../inventory/machine-identity.js';
import { readNvidiaGpuUuids } from '../inventory/gpu-uuids.js';
import { toolExecFromPath } from '../inventory/run-tool.js';
import { buildSettingsRecord } from '../record/settings-record.js';
import { readSoftware } from '../record/software.js';
import type { LoadedReplay } from '../replay/load.js';
import type { Db } from '../store/db.js';
import { insertMachine, insertModel } from '../store/inventory.js';
import { insertRecord } from '../store/records.js';
import { insertReplayReference } from '../store/replay.js';
import { addRunWarning, insertRun, reopenRun, setRemoteRun } from '../store/runs.js';
import type { RemoteRun } from '../types/run-rows.js';
import type { Suite } from '../suites/schema.js';
import type { CpuFacts } from '../telemetry/cpu-tdp.js';
import { packageVersion } from '../util/package-root.js';
import { markNoiseModel } from './embedded.js';
import { levelCount, type PlannedRequest } from './plan.js';
import { recordMachineState } from './record-state.js';
import { checkContextDepth } from './context-depth-check.js';
import type { ResolvedModel } from './resolve-model.js';
import type { ResumePlan } from './resume.js';

/** A run that has begun: its row, its time zero, and what the inventory knows of the CPU. */
export interface StartedRun {
  runId: number;
  /** The run's time zero on performance.now()'s scale. */
  originMs: number;
  /** undefined on a resume (the estimate then reads node:os). */
  cpu: CpuFacts | undefined;
}

/** What a new run records before it measures. */
export interface NewRunInput {
  db: Db;
  backend: Backend;
  config: Config;
  runSettings: Config['run'];
  host: string;
  suite: Suite;
  resolved: ResolvedModel;
  serverVersion: string | null;
  planned: readonly PlannedRequest[];
  engineThreads: number | 'auto';
  sweep: (number | 'auto')[] | null;
  /** Where the suite (or replayed batch) came from, as recorded. */
  sources: { suiteSource: string; replayOutput: string | null; kind: 'suite' | 'replay' };
  rerunOf: number | null;
  replay: LoadedReplay | null;
  env: NodeJS.ProcessEnv;
  /** Text for the user (stderr), whole lines. */
  say: (text: string) => void;
  /** A remote run's price and spend cap (stored with the run); null: a local run. */
  remote?: RemoteRun | null;
}

/**
 * Starts a new run: its row, its settings record, the machine and its state at the start, the
 * model, a replay's reference answers, and the warnings known before measuring.
 */
export async function startNewRun(c: NewRunInput): Promise<StartedRun> {
  const { db, backend, config, runSettings, suite, resolved, host } = c;
  const modelInfo = await backend.showModel(resolved.name);
  const tooDeep = checkContextDepth(runSettings.contextDepth, {
    backend: backend.kind,
    numCtx: suite.options.numCtx,
    engineContextSize: config.backend.contextSize,
    modelContextLength: modelInfo.contextLength,
  });
  if (tooDeep !== null) throw tooDeep;
  const inventory = await readMachineInventory(inventoryOptionsFromEnv(c.env));
  const { machineIdSha256 } = readMachineIdentity();
  // nvidia-smi is asked only where the inventory saw an NVIDIA GPU (no tool start elsewhere).
  const nvidia = inventory.gpus.some((g) => /nvidia/i.test(`${g.vendor} ${g.model}`));
  const gpuUuids = nvidia ? await readNvidiaGpuUuids(toolExecFromPath(c.env)) : [];
  const machine = {
    ...inventory,
    ...(machineIdSha256 === null ? {} : { machineIdSha256 }),
    ...(gpuUuids.length === 0 ? {} : { gpuUuids }),
  };
  const runId = insertRun(db, {
    startedAt: new Date().toISOString(),
    backend: backend.kind,
    host,
    model: resolved.name,
    suiteId: suite.id,
    suiteVersion: suite.version,
    repeatCount: runSettings.repeat,
    plannedRequests: c.planned.length * levelCount(runSettings),
    settings: {
      ...runSettings,
      backend: {
        ...config.backend,
        host,
        ...(backend.kind === 'llama-cpp' ? { threads: c.engineThreads } : {}),
      },
      ...(c.sweep === null ? {} : { threadsSweep: c.sweep }),
      suiteOptions: suite.options,
      modelChosenBecause: resolved.reason,
    },
    costbenchVersion: packageVersion(),
    pid: process.pid,
  });
  const originMs = performance.now();
  insertRecord(
    db,
    runId,
    buildSettingsRecord({
      config: { ...config, run: runSettings },
      suite,
      ...c.sources,
      rerunOf: c.rerunOf,
      engineThreads: backend.kind === 'llama-cpp' ? c.engineThreads : null,
      threadsSweep: c.sweep,
      software: readSoftware(),
    }),
  );
  if (c.remote != null) setRemoteRun(db, runId, c.remote);
  // This machine only sends requests in a remote run: it is recorded as the client, but its
  // state (GPU clocks, governor, load) says nothing about the machine that answered.
  insertMachine(db, runId, machine);
  if (c.remote == null) await recordMachineState(db, runId, 'start', c.env);
  insertModel(db, runId, {
    ...modelInfo,
    digest: resolved.listed?.digest ?? null,
    sizeBytes: resolved.listed?.sizeBytes ?? null,
    sizeVramBytes: null,
    serverVersion: c.serverVersion,
  });
  if (c.replay !== null) storeReplayReferences(db, runId, c.replay, config.run.storeOutputs);
  markNoiseModel(db, runId, backend, c.say);
  if (backend.kind !== 'ollama' && suite.options.numCtx !== undefined) {
    const warning =
      backend.kind === 'llama-cpp'
        ? `the suite sets numCtx ${suite.options.numCtx}; the embedded engine's context is backend.contextSize (--context-size), ${String(config.backend.contextSize)} tokens per sequence`
        : `the suite sets numCtx ${suite.options.numCtx}, which the OpenAI API cannot send: the server keeps the context it was started with (llama-server -c, vllm --max-model-len)`;
    addRunWarning(db, runId, warning);
    c.say(`warning: ${warning}\n`);
  }
  return { runId, originMs, cpu: machine.cpuFacts };
}

/** Reopens a resumed run; its time axis continues from its first start. */
export function restartRun(db: Db, resume: ResumePlan): StartedRun {
  const runId = resume.run.id;
  reopenRun(db, runId, process.pid);
  // Keep the run's time axis: offsets continue from its first start.
  const originMs = performance.now() - (Date.now() - Date.parse(resume.run.startedAt));
  return { runId, originMs, cpu: undefined };
}

function storeReplayReferences(db: Db, runId: number, replay: LoadedReplay, storeOutputs: boolean): void {
  for (const [taskId, answer] of replay.references ?? []) {
    insertReplayReference(db, runId, {
      taskId,
      customId: answer.customId,
      apiModel: replay.apiModel ?? answer.model,
      promptTokens: answer.promptTokens,
      completionTokens: answer.completionTokens,
      cachedTokens: answer.cachedTokens,
      answerText: storeOutputs ? answer.answer : null,
      statusCode: answer.statusCode,
      error: answer.error,
    });
  }
}
