import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../config/load.js';
import { ConfigError, EXIT, describeError } from '../../errors.js';
import { metricsText } from './metrics.js';
import { formatSlurmScript } from '../../schedule/slurm-script.js';
import { k8sManifests } from '../../schedule/k8s-manifests.js';
import { toYamlDocuments } from '../../schedule/yaml-text.js';
import { packageVersion } from '../../util/package-root.js';
import { parseListenAddress, serveMetrics } from '../metrics-server.js';
import { runScheduler, nextFire, type RunOutcome } from '../../schedule/daemon.js';
import {
  DEFAULT_MAX_LOAD_PCT,
  DEFAULT_MAX_POSTPONES,
  DEFAULT_POSTPONE_MINUTES,
  sampleLoad,
  type IdlePolicy,
} from '../../schedule/idle-guard.js';
import { lockPathFor, tryAcquireLock } from '../../schedule/lock.js';
import { SCHEDULE_LOG_NAME, openScheduleLog } from '../../schedule/schedule-log.js';
import {
  carriedEnv,
  formatCrontabLine,
  formatSystemdUnits,
  runArgsFromFlags,
  shellQuote,
  type ScheduledCommand,
} from '../../schedule/unit-files.js';
import { openDb } from '../../store/db.js';
import { getRun } from '../../store/runs.js';
import { loadSuite } from '../../suites/load.js';
import { sleep } from '../../util/sleep.js';
import type { CliIo } from '../io.js';
import { runCommand, type RunFlags } from './run.js';

/** `costbench schedule` flags: every `run` flag, and the schedule's own. */
export interface ScheduleFlags extends RunFlags {
  cron?: string;
  log?: string;
  maxLoad?: string;
  postponeMinutes?: string;
  maxPostpones?: string;
  printCron?: boolean;
  printSystemd?: boolean;
  /** Serve GET /metrics (the newest runs, Prometheus text) on this address while the daemon runs. */
  metricsAddress?: string;
  printSlurm?: boolean;
  /** --print-slurm: array tasks, GPUs per task, partition, time limit, the shared directory. */
  tasks?: string;
  gres?: string;
  partition?: string;
  timeLimit?: string;
  sharedDir?: string;
  printK8s?: boolean;
  /** --print-k8s: the image, GPU vendor, node labels, results volume, namespace. */
  image?: string;
  gpu?: string;
  nodeSelector?: string;
  resultsPvc?: string;
  resultsHostPath?: string;
  namespace?: string;
}

/** The CLI entry point, built next to this file; what a crontab line or a service starts. */
const CLI_PATH = fileURLToPath(new URL('../main.js', import.meta.url));

/**
 * `costbench schedule --cron expr`: a foreground daemon that runs `costbench run` with the given
 * flags on the schedule, or with --print-cron / --print-systemd the equivalent crontab line or
 * systemd units. Returns 0 after printing, 130 / 143 when stopped by SIGINT / SIGTERM.
 */
export async function scheduleCommand(
  flags: ScheduleFlags,
  io: CliIo,
  stop: { signal: AbortSignal; code: () => number },
): Promise<number> {
  if (flags.printSlurm === true) return printSlurm(flags, io);
  const cron = (flags.cron ?? '').trim();
  if (cron === '')
    throw new ConfigError(
      'schedule needs --cron',
      'Give when to run, e.g. --cron "0 2 * * *"; or --print-slurm for a Slurm array job.',
    );
  validateCron(cron);
  if (flags.printK8s === true) return printK8s(cron, flags, io);
  // Bad run flags fail now, not at 2 am.
  const { config, dbPath } = loadConfig(flags, io.env, io.cwd);
  if (flags.replay === undefined) loadSuite(config.run.suite, io.cwd);
  const policy = parsePolicy(flags);
  const logPath =
    flags.log === undefined ? join(dirname(dbPath), SCHEDULE_LOG_NAME) : resolve(io.cwd, flags.log);
  const runArgs = runArgsFromFlags(flags);

  if (flags.printCron === true || flags.printSystemd === true) {
    const command: ScheduledCommand = {
      cwd: io.cwd,
      nodePath: process.execPath,
      cliPath: CLI_PATH,
      runArgs,
      env: carriedEnv(io.env),
      logPath,
    };
    io.stdout(
      flags.printCron === true ? formatCrontabLine(cron, command) : formatSystemdUnits(cron, command),
    );
    return EXIT.ok;
  }

  const metrics =
    flags.metricsAddress === undefined
      ? null
      : await serveMetrics(parseListenAddress(flags.metricsAddress), () => metricsText(flags, io));
  const describeRun = ['costbench', 'run', ...runArgs].map(shellQuote).join(' ');
  const log = openScheduleLog(
    logPath,
    `scheduler started (pid ${process.pid}): cron "${cron}" runs \`${describeRun}\`, log ${logPath}`,
    io.stderr,
  );
  if (metrics !== null) log(`serving Prometheus metrics at http://${metrics.url}/metrics`);
  await runScheduler({
    cron,
    policy,
    describeRun,
    log,
    sampleLoad: (signal) =>
      sampleLoad({ procRoot: io.env['COSTBENCH_PROC_ROOT'] ?? '/proc', env: io.env }, signal),
    acquireLock: () => tryAcquireLock(lockPathFor(dbPath), `costbench schedule --cron "${cron}"`),
    runOnce: (signal) => runOnce(flags, io, dbPath, signal, stop.code),
    sleep,
    now: () => new Date(),
    stop: stop.signal,
  });
  await metrics?.close();
  log(`stopped (exit ${stop.code()})`);
  return stop.code();
}

/** Checks the expression with croner; its message names what is wrong. */
function validateCron(cron: string): void {
  let first: Date | null;
  try {
    first = nextFire(cron);
  } catch (error) {
    throw new ConfigError(
      `bad cron expression "${cron}": ${describeError(error).replace(/^CronPattern: /, '')}`,
      'Five fields: minute hour day-of-month month weekday, e.g. "0 2 * * *" (a sixth, first, for seconds).',
    );
  }
  if (first === null)
    throw new ConfigError(`cron expression "${cron}" never fires`, 'Give a schedule with a future time.');
}

function parsePolicy(flags: ScheduleFlags): IdlePolicy & { postponeMs: number } {
  const maxLoadPct = numberFlag(
    '--max-load',
    flags.maxLoad,
    DEFAULT_MAX_LOAD_PCT,
    (n) => n >= 0 && n <= 100,
    'a percentage from 0 to 100',
  );
  const minutes = numberFlag(
    '--postpone-minutes',
    flags.postponeMinutes,
    DEFAULT_POSTPONE_MINUTES,
    (n) => n >= 0,
    'minutes, 0 or more',
  );
  const maxPostpones = numberFlag(
    '--max-postpones',
    flags.maxPostpones,
    DEFAULT_MAX_POSTPONES,
    (n) => Number.isInteger(n) && n >= 0,
    'a whole number, 0 or more',
  );
  return { maxLoadPct, maxPostpones, postponeMs: minutes * 60_000 };
}

function numberFlag(
  name: string,
  value: string | undefined,
  fallback: number,
  valid: (n: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback;
  const n = /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!valid(n))
    throw new ConfigError(
      `${name} ${JSON.stringify(value)}: expected ${expected}`,
      `See \`costbench schedule --help\`.`,
    );
  return n;
}

/** One `costbench run`, in this process, with its own AbortController tied to the daemon's stop. */
async function runOnce(
  flags: ScheduleFlags,
  io: CliIo,
  dbPath: string,
  stop: AbortSignal,
  stopCode: () => number,
): Promise<RunOutcome> {
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  stop.addEventListener('abort', abort, { once: true });
  let runId: number | null = null;
  const runIo: CliIo = {
    ...io,
    stderr: (text) => {
      const match = runId === null ? /^run (\d+): /m.exec(text) : null;
      if (match !== null) runId = Number(match[1]);
      io.stderr(text);
    },
  };
  try {
    const code = await runCommand(flags, runIo, { signal: controller.signal, code: stopCode });
    return { runId, status: runId === null ? null : readStatus(dbPath, runId), code };
  } finally {
    stop.removeEventListener('abort', abort);
  }
}

function readStatus(dbPath: string, runId: number): string | null {
  try {
    const db = openDb(dbPath);
    try {
      return getRun(db, String(runId)).status;
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

/** `--print-slurm`: the sbatch script of an array job running these run flags (see slurm-script.ts). */
function printSlurm(flags: ScheduleFlags, io: CliIo): number {
  const { config } = loadConfig(flags, io.env, io.cwd);
  if (flags.replay === undefined) loadSuite(config.run.suite, io.cwd);
  const tasks = flags.tasks === undefined ? 1 : Number(flags.tasks);
  if (!Number.isInteger(tasks) || tasks < 1 || tasks > 10_000)
    throw new ConfigError(
      `--tasks ${flags.tasks ?? ''} is not a number of array tasks`,
      'Give a whole number from 1, e.g. --tasks 4 (one per node).',
    );
  if (flags.gres !== undefined && !/^[A-Za-z0-9_:.-]+$/.test(flags.gres))
    throw new ConfigError(
      `--gres ${flags.gres} is not a Slurm GRES`,
      'Give e.g. --gres gpu:1 (one GPU per task).',
    );
  const sharedDir = resolve(io.cwd, flags.sharedDir ?? 'costbench-bundles');
  if (!existsSync(sharedDir))
    io.stderr(
      `note: ${sharedDir} does not exist yet; create it before sbatch (Slurm opens the tasks' output files there): mkdir -p ${shellQuote(sharedDir)}\n`,
    );
  io.stdout(
    formatSlurmScript({
      cwd: io.cwd,
      nodePath: process.execPath,
      cliPath: CLI_PATH,
      runArgs: runArgsFromFlags(flags),
      env: carriedEnv(io.env).filter(([name]) => name !== 'COSTBENCH_DB'),
      tasks,
      gres: flags.gres ?? null,
      partition: flags.partition ?? null,
      timeLimit: flags.timeLimit ?? null,
      sharedDir,
    }),
  );
  return EXIT.ok;
}

/** `--node-selector a=b,c=d` as labels. */
function parseSelector(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const match = /^([A-Za-z0-9./_-]+)=([A-Za-z0-9._-]*)$/.exec(part.trim());
    if (match === null)
      throw new ConfigError(
        `--node-selector ${text}: "${part}" is not label=value`,
        'Give labels as key=value, comma-separated, e.g. --node-selector nvidia.com/gpu.product=NVIDIA-L4',
      );
    out[match[1] as string] = match[2] as string;
  }
  return out;
}

/** `--print-k8s`: a CronJob on the schedule and a one-off Job, as YAML (see k8s-manifests.ts). */
function printK8s(cron: string, flags: ScheduleFlags, io: CliIo): number {
  const { config } = loadConfig(flags, io.env, io.cwd);
  if (flags.replay === undefined) loadSuite(config.run.suite, io.cwd);
  if (cron.split(/\s+/).length !== 5)
    throw new ConfigError(
      `a CronJob's schedule has 5 fields; "${cron}" has not`,
      'Give minute hour day month weekday, e.g. --cron "0 2 * * *".',
    );
  const gpu = flags.gpu ?? 'nvidia';
  if (gpu !== 'nvidia' && gpu !== 'amd' && gpu !== 'none')
    throw new ConfigError(`--gpu ${gpu} is not a GPU vendor`, 'Use nvidia, amd, or none (a CPU-only node).');
  if (flags.resultsPvc !== undefined && flags.resultsHostPath !== undefined)
    throw new ConfigError(
      '--results-pvc and --results-host-path do not go together',
      'Give one volume for the bundles.',
    );
  const { cronJob, job } = k8sManifests({
    cron,
    image: flags.image ?? `costbench:${packageVersion()}`,
    namespace: flags.namespace ?? null,
    runArgs: runArgsFromFlags(flags),
    env: carriedEnv(io.env).filter(([name]) => name !== 'COSTBENCH_DB'),
    gpu,
    nodeSelector: flags.nodeSelector === undefined ? null : parseSelector(flags.nodeSelector),
    results:
      flags.resultsHostPath !== undefined
        ? { hostPath: flags.resultsHostPath }
        : { pvc: flags.resultsPvc ?? 'costbench-results' },
  });
  io.stdout(toYamlDocuments([cronJob, job]));
  return EXIT.ok;
}
