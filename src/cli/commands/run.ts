import type { Backend } from '../../backends/backend.js';
import { OllamaBackend } from '../../backends/ollama.js';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { EXIT } from '../../errors.js';
import { readMachineInventory } from '../../inventory/machine.js';
import { loadRunSummary } from '../../report/load-summary.js';
import { withCost } from '../../report/with-cost.js';
import { formatRunTable } from '../../report/format-table.js';
import { executeRun } from '../../runner/execute.js';
import { planRequests } from '../../runner/plan.js';
import { resolveModel } from '../../runner/resolve-model.js';
import { openDb } from '../../store/db.js';
import { insertMachine, insertModel, updateModelMemory } from '../../store/inventory.js';
import { addRunWarning, insertRun } from '../../store/runs.js';
import { loadSuite } from '../../suites/load.js';
import { ConfigError } from '../../errors.js';
import { loadReplay } from '../../replay/load.js';
import type { Db } from '../../store/db.js';
import { insertReplayReference } from '../../store/replay.js';

type LoadedReplay = ReturnType<typeof loadReplay>;
import { packageVersion } from '../../util/package-root.js';
import { sleep } from '../../util/sleep.js';
import { telemetryIoFromEnv } from '../../telemetry/build.js';
import { startTelemetry } from '../../telemetry/session.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';

export interface RunFlags extends ConfigFlags {
  json?: boolean;
  replay?: string;
  replayOutput?: string;
}

/**
 * `costbench run`: warm up, run every task x repeat, store each request as it completes, print
 * the report. Returns the exit code: 0 all ok, 1 some requests failed or the run failed,
 * 130 / 143 when stopped by SIGINT / SIGTERM.
 */
export async function runCommand(flags: RunFlags, io: CliIo, stop: { signal: AbortSignal; code: () => number }): Promise<number> {
  const { config, host, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  if (flags.replayOutput !== undefined && flags.replay === undefined) throw new ConfigError('--replay-output needs --replay <requests.jsonl>', 'Give the batch input file too.');
  const replay = flags.replay === undefined ? null : loadReplay(flags.replay, flags.replayOutput, io.cwd);
  const suite = replay?.suite ?? loadSuite(config.run.suite, io.cwd);
  if (replay !== null) describeReplay(replay, io);
  const backend: Backend = new OllamaBackend({ host });
  const serverVersion = await backend.version();
  const resolved = await resolveModel(backend, config.run.model);
  if (resolved.reason !== 'requested') {
    io.stderr(`model: ${resolved.name} (${resolved.reason === 'loaded' ? 'the model Ollama has loaded' : 'the first installed model'}; choose another with --model)\n`);
  }
  const modelInfo = await backend.showModel(resolved.name);
  const listed = resolved.listed;
  const machine = await readMachineInventory();
  const alreadyLoaded = (await backend.loadedModels()).some((m) => m.name === resolved.name);
  const planned = planRequests(suite, config.run.repeat);

  const db = openDb(dbPath);
  try {
    const runId = insertRun(db, {
      startedAt: new Date().toISOString(),
      backend: backend.kind,
      host,
      model: resolved.name,
      suiteId: suite.id,
      suiteVersion: suite.version,
      repeatCount: config.run.repeat,
      plannedRequests: planned.length * config.run.concurrency.length,
      settings: { ...config.run, ...config.backend, host, suiteOptions: suite.options, modelChosenBecause: resolved.reason },
      costbenchVersion: packageVersion(),
      pid: process.pid,
    });
    const originMs = performance.now();
    insertMachine(db, runId, machine);
    insertModel(db, runId, { ...modelInfo, digest: listed?.digest ?? null, sizeBytes: listed?.sizeBytes ?? null, sizeVramBytes: null, serverVersion });
    if (replay !== null) storeReplayReferences(db, runId, replay, config.run.storeOutputs);
    io.stderr(`run ${runId}: ${resolved.name} × ${suite.id} (${planned.length} requests) → ${dbPath}\n`);

    const telemetry = config.telemetry.enabled
      ? await startTelemetry({
          db, runId, telemetry: config.telemetry, io: telemetryIoFromEnv(io.env), originMs, cpuModel: machine.cpuModel,
          onWarning: (message) => io.stderr(`warning: ${message}\n`),
        })
      : null;
    if (telemetry !== null) io.stderr(describeTelemetry(telemetry.channels));

    const result = await executeRun({
      db,
      runId,
      backend,
      model: resolved.name,
      requests: planned,
      warmup: config.run.warmup,
      concurrencyLevels: config.run.concurrency,
      coldStart: config.run.coldStart,
      cooldownMs: config.run.cooldownS * 1000,
      minDurationMs: config.run.minDurationS * 1000,
      alreadyLoaded,
      keepAlive: config.backend.keepAlive,
      timeoutMs: config.backend.requestTimeoutMs,
      storeOutputs: config.run.storeOutputs,
      now: () => performance.now(),
      originMs,
      idleBaselineMs: config.telemetry.enabled ? config.telemetry.idleBaselineS * 1000 : 0,
      sleep,
      wallClock: () => new Date(),
      signal: stop.signal,
      ...(replay?.references == null ? {} : { references: answersByTask(replay.references) }),
      onEvent: createProgress(io.stderr, io.isTty, () => telemetry?.liveWatts() ?? null),
    }).finally(() => telemetry?.stop());

    const loaded = await backend.loadedModels().catch(() => []);
    const inMemory = loaded.find((m) => m.name === resolved.name);
    if (inMemory !== undefined) updateModelMemory(db, runId, inMemory.sizeBytes, inMemory.sizeVramBytes);
    const spill = describeSpill(inMemory?.sizeBytes ?? null, inMemory?.sizeVramBytes ?? null);
    if (spill !== null) {
      addRunWarning(db, runId, spill);
      io.stderr(`warning: ${spill}\n`);
    }

    const summary = withCost(loadRunSummary(db, String(runId)), config, dbPath, file);
    io.stdout(flags.json === true ? JSON.stringify(summary, null, 2) + '\n' : formatRunTable(summary));
    if (result.status === 'aborted') return stop.code();
    return result.status === 'completed' && result.failed === 0 ? EXIT.ok : EXIT.runFailed;
  } finally {
    db.close();
  }
}

function describeReplay(replay: LoadedReplay, io: CliIo): void {
  io.stderr(`replay: ${replay.suite.description}${replay.apiModel === null ? '' : `, sent to ${replay.apiModel}`}\n`);
  if (replay.missing.length > 0) io.stderr(`replay: ${replay.missing.length} requests have no line in the output file: no API usage or reference for them\n`);
  if (replay.unmatched.length > 0) io.stderr(`replay: ${replay.unmatched.length} output lines match no request and are ignored\n`);
}

function storeReplayReferences(db: Db, runId: number, replay: LoadedReplay, storeOutputs: boolean): void {
  for (const [taskId, answer] of replay.references ?? []) {
    insertReplayReference(db, runId, {
      taskId, customId: answer.customId, apiModel: replay.apiModel ?? answer.model, promptTokens: answer.promptTokens, completionTokens: answer.completionTokens,
      cachedTokens: answer.cachedTokens, answerText: storeOutputs ? answer.answer : null, statusCode: answer.statusCode, error: answer.error,
    });
  }
}

function answersByTask(references: ReadonlyMap<string, { answer: string | null }>): Map<string, string> {
  return new Map([...references].flatMap(([taskId, a]) => (a.answer === null ? [] : [[taskId, a.answer] as [string, string]])));
}

/** One line naming what is measured, and how. */
export function describeTelemetry(channels: readonly { key: string; kind: string; inTotal: boolean; covers: string }[]): string {
  const powered = channels.filter((c) => c.covers !== 'none');
  if (powered.length === 0) return 'power: no source can be read here; energy will be unknown (see `costbench doctor`)\n';
  return `power: ${powered.map((c) => `${c.key} (${c.kind === 'estimate' ? 'ESTIMATE' : c.kind}${c.inTotal ? '' : ', not in total'})`).join(', ')}\n`;
}

/** A warning when the model does not sit wholly in GPU memory, or null when it does or is unknown. */
export function describeSpill(sizeBytes: number | null, sizeVramBytes: number | null): string | null {
  if (sizeBytes === null || sizeVramBytes === null || sizeBytes <= 0 || sizeVramBytes >= sizeBytes) return null;
  const gb = (b: number): string => (b / 1e9).toFixed(2);
  if (sizeVramBytes === 0) return `the model runs on the CPU only (0 of ${gb(sizeBytes)} GB in GPU memory)`;
  const share = Math.round((1 - sizeVramBytes / sizeBytes) * 100);
  return `the model spills into CPU memory: ${gb(sizeVramBytes)} of ${gb(sizeBytes)} GB in GPU memory, ${share}% on the CPU; generation will be slower than a full-GPU load`;
}
