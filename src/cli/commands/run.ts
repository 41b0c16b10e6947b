import type { Backend } from '../../backends/backend.js';
import { createBackend, threadLevels, type EmbeddedRun } from '../../backends/create.js';
import { EMBEDDED_HOST } from '../../backends/llama-cpp.js';
import { loadConfig, type ConfigFlags, type LoadedConfig } from '../../config/load.js';
import { EXIT } from '../../errors.js';
import { formatRunTable } from '../../report/format-table.js';
import { levelCount, planRequests } from '../../runner/plan.js';
import { resolveModel } from '../../runner/resolve-model.js';
import { openDb } from '../../store/db.js';
import { markInterruptedRuns } from '../../store/runs.js';
import { listRequests } from '../../store/requests.js';
import { prepareResume } from '../../runner/resume.js';
import type { PlannedRequest } from '../../runner/plan.js';
import type { Config } from '../../config/schema.js';
import { isProcessAlive } from '../../util/process-alive.js';
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { loadSuite } from '../../suites/load.js';
import { ConfigError } from '../../errors.js';
import { loadReplay } from '../../replay/load.js';
import type { Db } from '../../store/db.js';

type LoadedReplay = ReturnType<typeof loadReplay>;
import type { CpuFacts } from '../../telemetry/cpu-tdp.js';
import type { CliIo } from '../io.js';
import { readRunAnalysis } from '../run-analysis.js';
import { createProgress } from '../progress.js';
import type { RunSummary } from '../../analysis/summary.js';
import { formatThreadsSweep } from '../../report/format-threads-sweep.js';
import { analysisJson } from '../../report/format-json.js';
import { embeddedRunOf, engineFailureOf, recordEngine } from '../../runner/embedded.js';
import { resumedConfig } from '../../runner/resume-config.js';
import { measureRun } from '../../runner/measure-run.js';
import { restartRun, startNewRun, type StartedRun } from '../../runner/start-run.js';
import { createDownloadProgress } from '../download-progress.js';
import { checkRemoteRun, resolveRemoteRun } from '../../runner/remote-run.js';
import { openLoopPlanOf } from '../../runner/rate-sweep.js';
import { loadPriceTable, priceDataDir } from '../../tables/price-table-read.js';
import type { RemoteRun } from '../../types/run-rows.js';

export interface RunFlags extends ConfigFlags {
  json?: boolean;
  replay?: string;
  replayOutput?: string;
  /** Run id to resume: only its missing requests run. */
  resume?: string;
  /** Set by `costbench rerun`: the run whose settings this one repeats. */
  rerunOf?: number;
}

/** Where the suite (or replayed batch) came from, as absolute paths where they are files, so a rerun finds them anywhere. */
function recordedSources(
  flags: RunFlags,
  suiteRef: string,
  cwd: string,
): { suiteSource: string; replayOutput: string | null; kind: 'suite' | 'replay' } {
  const absolute = (ref: string): string => (existsSync(resolve(cwd, ref)) ? resolve(cwd, ref) : ref);
  return {
    kind: flags.replay === undefined ? 'suite' : 'replay',
    suiteSource: absolute(flags.replay ?? suiteRef),
    replayOutput: flags.replayOutput === undefined ? null : absolute(flags.replayOutput),
  };
}

type Stop = { signal: AbortSignal; code: () => number };

/** One run's outcome: its exit code and its report. */
interface RunOutcome {
  code: number;
  summary: RunSummary;
}

/**
 * `costbench run`: warm up, run every task x repeat, store each request as it completes, print
 * the report. Returns the exit code: 0 all ok, 1 some requests failed or the run failed,
 * 130 / 143 when stopped by SIGINT / SIGTERM. The embedded engine with several thread counts
 * (`--threads 1,2,4`) measures each apart, one run per count, and compares them at the end.
 */
export async function runCommand(
  flags: RunFlags,
  io: CliIo,
  stop: Stop,
  preset?: LoadedConfig,
): Promise<number> {
  const loaded = preset ?? loadConfig(flags, io.env, io.cwd);
  const levels: (number | 'auto' | null)[] =
    loaded.config.backend.kind === 'llama-cpp' && flags.resume === undefined
      ? threadLevels(loaded.config.backend)
      : [null];
  const sweep = levels.length > 1 ? levels.filter((t): t is number | 'auto' => t !== null) : null;
  const outcomes: RunOutcome[] = [];
  for (const threads of levels) {
    if (outcomes.length > 0 && stop.signal.aborted) break;
    const outcome = await runOnce(flags, io, stop, loaded, threads, sweep);
    outcomes.push(outcome);
    if (flags.json !== true) io.stdout(formatRunTable(outcome.summary));
  }
  const summaries = outcomes.map((o) => o.summary);
  if (flags.json === true) {
    const json = summaries.map(analysisJson);
    io.stdout(JSON.stringify(levels.length > 1 ? json : json[0], null, 2) + '\n');
  } else if (levels.length > 1) io.stdout(formatThreadsSweep(summaries));
  return outcomes.reduce((code, o) => (o.code !== EXIT.ok ? o.code : code), EXIT.ok as number);
}

/** One run: `threads` is this run's thread count for the embedded engine (null for servers); `sweep` all of them. */
async function runOnce(
  flags: RunFlags,
  io: CliIo,
  stop: Stop,
  loaded: LoadedConfig,
  threads: number | 'auto' | null,
  sweep: (number | 'auto')[] | null,
): Promise<RunOutcome> {
  const { config: today, dbPath, file } = loaded;
  if (flags.replayOutput !== undefined && flags.replay === undefined)
    throw new ConfigError(
      '--replay-output needs --replay <requests.jsonl>',
      'Give the batch input file too.',
    );
  if (flags.resume !== undefined && flags.replay !== undefined)
    throw new ConfigError(
      '--resume and --replay do not go together',
      'Resume a suite run; run a replay again.',
    );
  const replay = flags.replay === undefined ? null : loadReplay(flags.replay, flags.replayOutput, io.cwd);
  const db = openDb(dbPath);
  try {
    const interrupted = markInterruptedRuns(db, hostname(), isProcessAlive, new Date().toISOString());
    if (interrupted.length > 0)
      io.stderr(
        `run${interrupted.length > 1 ? 's' : ''} ${interrupted.join(', ')}: marked interrupted (the process ended without finishing); resume with --resume <id>\n`,
      );
    const resume = flags.resume === undefined ? null : prepareResume(db, flags.resume);
    const runSettings = resume?.runSettings ?? today.run;
    // A resumed run keeps every setting it started with (its record); cost is today's.
    const resumed =
      resume === null ? null : resumedConfig(resume, flags, today, (line) => io.stderr(`${line}\n`));
    const config = resumed?.config ?? today;
    const embedded = config.backend.kind === 'llama-cpp';
    const host = embedded ? EMBEDDED_HOST : loaded.host;
    const suite = replay?.suite ?? loadSuite(runSettings.suite, io.cwd);
    if (resume !== null && (suite.id !== resume.run.suiteId || suite.version !== resume.run.suiteVersion)) {
      throw new ConfigError(
        `run ${resume.run.id} ran suite ${resume.run.suiteId} v${resume.run.suiteVersion}, but "${runSettings.suite}" is now ${suite.id} v${suite.version}`,
        'A changed suite cannot be resumed: start a new run.',
      );
    }
    if (replay !== null) describeReplay(replay, io);
    // Before anything is sent: a remote run is https (or --allow-insecure), and only with backend openai.
    const remote = checkRemoteRun(config.backend, host);
    // And the open-loop settings (a sweep's bounds), so a usage error stores no run.
    openLoopPlanOf(runSettings, config.cost, remote);
    const engineThreads = resumed?.engineThreads ?? threads ?? threadLevels(config.backend)[0] ?? 'auto';
    const backend: Backend = createBackend(
      config.backend,
      host,
      io.env,
      embedded
        ? { ...embeddedRunOf(runSettings, io.cwd, engineThreads), ...downloadView(io, stop.signal) }
        : undefined,
    );
    try {
      return await startAndMeasure({
        flags,
        io,
        stop,
        config,
        file,
        dbPath,
        db,
        backend,
        runSettings,
        replay,
        resume,
        suite,
        host,
        sweep,
        engineThreads,
        remote,
      });
    } finally {
      await backend.close?.();
    }
  } finally {
    db.close();
  }
}

type StartContext = Pick<
  MeasureContext,
  'flags' | 'io' | 'stop' | 'config' | 'file' | 'dbPath' | 'db' | 'backend' | 'runSettings' | 'replay'
> & {
  resume: ReturnType<typeof prepareResume> | null;
  suite: ReturnType<typeof loadSuite>;
  host: string;
  sweep: (number | 'auto')[] | null;
  engineThreads: number | 'auto';
  /** A run against a remote, per-token-billed API (checkRemoteRun). */
  remote: boolean;
};

/** Checks the model, creates (or reopens) the run row, then measures. */
async function startAndMeasure(c: StartContext): Promise<RunOutcome> {
  const { io, config, db, backend, runSettings, replay, resume, suite, host, dbPath } = c;
  if (runSettings.coldStart && backend.kind === 'openai') {
    throw new ConfigError(
      '--cold-start needs a server costbench can unload a model from (Ollama); an OpenAI-compatible server has no unload',
      'llama.cpp server and vLLM load the model when they start: restart the server and time that, or run without --cold-start.',
    );
  }
  const serverVersion = await backend.version();
  const resolved = await resolveModel(backend, runSettings.model);
  if (resolved.reason !== 'requested') {
    io.stderr(
      `model: ${resolved.name} (${resolved.reason === 'loaded' ? `the model ${backend.kind === 'ollama' ? 'Ollama' : 'the server'} has loaded` : 'the first installed model'}; choose another with --model)\n`,
    );
  }
  const loaded = await backend.loadedModels();
  const alreadyLoaded = loaded?.some((m) => m.name === resolved.name) ?? false;
  const loadStateKnown = loaded !== null;
  const planned = planRequests(suite, runSettings.repeat);
  // The price is resolved before any request is sent: an unknown one stops here.
  // A resumed run keeps its price; its cap is today's (resume-config.ts), counted against what it spent.
  const stored = resume?.run.remote ?? null;
  const remote = !c.remote
    ? null
    : stored === null
      ? remotePrice(c, resolved.name)
      : { ...stored, maxSpendUsd: config.run.maxSpendUsd, stopReason: null };
  let started: StartedRun;
  if (resume === null) {
    started = await startNewRun({
      db,
      backend,
      config,
      runSettings,
      host,
      suite,
      resolved,
      serverVersion,
      planned,
      engineThreads: c.engineThreads,
      sweep: c.sweep,
      sources: recordedSources(c.flags, runSettings.suite, io.cwd),
      rerunOf: c.flags.rerunOf ?? null,
      replay,
      env: io.env,
      say: io.stderr,
      remote,
    });
    const threadsNote =
      backend.kind === 'llama-cpp' && c.sweep !== null ? `, threads ${String(c.engineThreads)}` : '';
    io.stderr(
      `run ${started.runId}: ${resolved.name} × ${suite.id} (${planned.length * levelCount(runSettings)} requests${threadsNote}) → ${dbPath}\n`,
    );
  } else {
    started = restartRun(db, resume);
    io.stderr(
      `run ${started.runId}: resuming, ${resume.done.size} of ${resume.run.plannedRequests} requests already done → ${dbPath}\n`,
    );
  }
  const { runId, originMs, cpu } = started;
  return await measureAndReport({
    ...c,
    runId,
    originMs,
    model: resolved.name,
    planned,
    alreadyLoaded,
    loadStateKnown,
    coldStart: resume === null && runSettings.coldStart,
    done: resume?.done,
    cpu,
    remote,
  });
}

/** The price table's price for a remote run's host and model (a note on stderr when --batch has none). */
function remotePrice(c: StartContext, model: string): RemoteRun {
  const table = loadPriceTable({
    dataDir: priceDataDir(c.dbPath),
    customPrices: c.config.cost.customPrices,
    configFile: c.file,
  });
  const { remote, note } = resolveRemoteRun(c.config, c.host, model, table);
  if (note !== null) c.io.stderr(`note: ${note}\n`);
  const cached =
    remote.cachedInputUsdPerMTok === null ? '' : `, cached input ${remote.cachedInputUsdPerMTok}`;
  c.io.stderr(
    `remote API: billed at ${remote.priceModel}${remote.batch ? ' (batch)' : ''}: input ${remote.inputUsdPerMTok}${cached}, output ${remote.outputUsdPerMTok} USD per 1M tokens; spend cap ${remote.maxSpendUsd.toFixed(2)} USD\n`,
  );
  return remote;
}

interface MeasureContext {
  flags: RunFlags;
  io: CliIo;
  stop: Stop;
  config: Config;
  file: string | null;
  dbPath: string;
  db: Db;
  runId: number;
  originMs: number;
  backend: Backend;
  model: string;
  planned: PlannedRequest[];
  runSettings: Config['run'];
  alreadyLoaded: boolean;
  loadStateKnown: boolean;
  coldStart: boolean;
  replay: LoadedReplay | null;
  done: ReadonlySet<string> | undefined;
  /** What the inventory knows of the CPU, for the estimate's TDP; undefined on a resume (node:os then). */
  cpu: CpuFacts | undefined;
  /** A remote run's price and spend cap; null: a local run. */
  remote: RemoteRun | null;
}

/** Measures the run (runner/measure-run.ts), records the engine's facts, and analyses the stored run for its report and exit code. */
async function measureAndReport(c: MeasureContext): Promise<RunOutcome> {
  const { config, db, runId, io } = c;
  const result = await measureRun({
    db,
    runId,
    originMs: c.originMs,
    backend: c.backend,
    model: c.model,
    planned: c.planned,
    config,
    runSettings: c.runSettings,
    alreadyLoaded: c.alreadyLoaded,
    loadStateKnown: c.loadStateKnown,
    coldStart: c.coldStart,
    references: c.replay?.references == null ? undefined : answersByTask(c.replay.references),
    done: c.done,
    cpu: c.cpu,
    remote: c.remote,
    env: io.env,
    signal: c.stop.signal,
    progress: (liveWatts) => createProgress(io.stderr, io.isTty, liveWatts),
    onTelemetry: (channels) => io.stderr(describeTelemetry(channels)),
    warn: (message) => io.stderr(`warning: ${message}\n`),
  });
  recordEngine(db, runId, c.backend, io.stderr);
  const failure = engineFailureOf(c.backend, runId);
  if (failure !== null) throw failure;
  if (result.stopReason != null) io.stderr(`run ${runId} stopped: ${result.stopReason}\n`);
  if (c.remote !== null) {
    const billedUsd = listRequests(db, runId).reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    io.stderr(
      `remote API: ${billedUsd.toFixed(4)} USD billed (usage × price) of the ${c.remote.maxSpendUsd.toFixed(2)} USD cap\n`,
    );
  }
  const summary = readRunAnalysis(db, String(runId), config, c.dbPath, c.file).analysis;
  if (result.status === 'aborted') return { code: c.stop.code(), summary };
  // The whole run counts: a resumed run keeps the failures of its first part.
  const failed = summary.requests.errored + summary.requests.aborted;
  return { code: result.status === 'completed' && failed === 0 ? EXIT.ok : EXIT.runFailed, summary };
}

function describeReplay(replay: LoadedReplay, io: CliIo): void {
  io.stderr(
    `replay: ${replay.suite.description}${replay.apiModel === null ? '' : `, sent to ${replay.apiModel}`}\n`,
  );
  if (replay.missing.length > 0)
    io.stderr(
      `replay: ${replay.missing.length} requests have no line in the output file: no API usage or reference for them\n`,
    );
  if (replay.unmatched.length > 0)
    io.stderr(`replay: ${replay.unmatched.length} output lines match no request and are ignored\n`);
}

function answersByTask(references: ReadonlyMap<string, { answer: string | null }>): Map<string, string> {
  return new Map(
    [...references].flatMap(([taskId, a]) =>
      a.answer === null ? [] : [[taskId, a.answer] as [string, string]],
    ),
  );
}

/** One line naming what is measured, and how. */
export function describeTelemetry(
  channels: readonly { key: string; kind: string; inTotal: boolean; covers: string }[],
): string {
  const powered = channels.filter((c) => c.covers !== 'none');
  if (powered.length === 0)
    return 'power: no source can be read here; energy will be unknown (see `costbench doctor`)\n';
  return `power: ${powered.map((c) => `${c.key} (${c.kind === 'estimate' ? 'ESTIMATE' : c.kind}${c.inTotal ? '' : ', not in total'})`).join(', ')}\n`;
}

/** A model download's progress on stderr (a bar on a terminal, lines in a log), stopped by the run's signal. */
function downloadView(
  io: CliIo,
  signal: AbortSignal,
): Pick<EmbeddedRun, 'onDownloadProgress' | 'onDownloadDone' | 'signal'> {
  const view = createDownloadProgress(io.stderr, io.isTty);
  return { onDownloadProgress: view.onProgress, onDownloadDone: view.finish, signal };
}
