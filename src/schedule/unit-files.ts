/**
 * What `--print-cron` and `--print-systemd` print: the same `costbench run` as a crontab line,
 * or as a systemd service and timer. Printed only, never installed. Pure.
 */
import type { ConfigFlags } from '../config/load.js';
import { ConfigError } from '../errors.js';
import { cronToOnCalendar } from './on-calendar.js';

/** The environment variables costbench reads, carried into the scheduled command when set. */
export const CARRIED_ENV = [
  'OLLAMA_HOST',
  'COSTBENCH_DB',
  'COSTBENCH_CONFIG',
  'XDG_DATA_HOME',
  'COSTBENCH_SYS_ROOT',
  'COSTBENCH_PROC_ROOT',
] as const;

/** The command a scheduler starts: `cd cwd && [env] node cli run args`, its output appended to the log. */
export interface ScheduledCommand {
  cwd: string;
  /** Absolute path of node. */
  nodePath: string;
  /** Absolute path of the CLI entry point. */
  cliPath: string;
  /** Everything after `run`. */
  runArgs: readonly string[];
  env: readonly (readonly [string, string])[];
  logPath: string;
}

/** The run flags, as given, to pass on to `costbench run`. */
export type RunArgFlags = ConfigFlags & { json?: boolean; replay?: string; replayOutput?: string };

const VALUE_FLAGS: readonly [keyof RunArgFlags, string][] = [
  ['model', '--model'],
  ['suite', '--suite'],
  ['repeat', '--repeat'],
  ['idle', '--idle'],
  ['concurrency', '--concurrency'],
  ['contextDepth', '--context-depth'],
  ['minDuration', '--min-duration'],
  ['cooldown', '--cooldown'],
  ['replay', '--replay'],
  ['replayOutput', '--replay-output'],
  ['host', '--host'],
  ['backend', '--backend'],
  ['db', '--db'],
  ['config', '--config'],
  ['threads', '--threads'],
  ['gpuLayers', '--gpu-layers'],
  ['contextSize', '--context-size'],
  ['batchSize', '--batch-size'],
  ['flashAttention', '--flash-attention'],
  ['kvCacheType', '--kv-cache-type'],
  ['seed', '--seed'],
  ['maxSpend', '--max-spend'],
  ['maxOutputTokens', '--max-output-tokens'],
  ['priceModel', '--price-model'],
  ['rate', '--rate'],
  ['arrival', '--arrival'],
  ['arrivalSeed', '--arrival-seed'],
  ['maxP95Latency', '--max-p95-latency'],
  ['maxP95Ttft', '--max-p95-ttft'],
  ['rateResolution', '--rate-resolution'],
];

/**
 * Every `costbench run` option {@link runArgsFromFlags} passes on. A run option missing here would
 * be dropped from a printed crontab line or unit without a word; a test compares it with `run --help`.
 */
export const PASSED_RUN_OPTIONS: readonly string[] = [
  ...VALUE_FLAGS.map(([, flag]) => flag),
  '--cold-start',
  '--no-store-outputs',
  '--no-mmap',
  '--rate-sweep',
  '--json',
  '--remote',
  '--no-remote',
  '--allow-insecure',
  '--batch',
];

/** The `costbench run` arguments that reproduce these flags. Pure. */
export function runArgsFromFlags(flags: RunArgFlags): string[] {
  const args: string[] = [];
  for (const [key, flag] of VALUE_FLAGS) {
    const value = flags[key];
    if (value !== undefined && typeof value !== 'boolean') args.push(flag, String(value));
  }
  if (flags.coldStart === true) args.push('--cold-start');
  if (flags.storeOutputs === false) args.push('--no-store-outputs');
  if (flags.mmap === false) args.push('--no-mmap');
  if (flags.rateSweep === true) args.push('--rate-sweep');
  if (flags.json === true) args.push('--json');
  if (flags.remote === true) args.push('--remote');
  if (flags.remote === false) args.push('--no-remote');
  if (flags.allowInsecure === true) args.push('--allow-insecure');
  if (flags.batch === true) args.push('--batch');
  return args;
}

/** The variables of {@link CARRIED_ENV} set in `env`, in that order. */
export function carriedEnv(env: NodeJS.ProcessEnv): [string, string][] {
  return CARRIED_ENV.flatMap((name) => {
    const value = env[name];
    return value === undefined || value === '' ? [] : [[name, value] as [string, string]];
  });
}

/**
 * One crontab line, e.g. `0 2 * * * cd /home/me && /usr/bin/node /…/main.js run --idle 0 >> /…/schedule.log 2>&1`.
 * `%` is escaped (cron reads it as a newline). A cron with seconds cannot be written: crontab has minutes.
 */
export function formatCrontabLine(cron: string, command: ScheduledCommand): string {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5 && !(fields.length === 1 && fields[0]?.startsWith('@') === true)) {
    throw new ConfigError(
      `cannot write cron "${cron}" as a crontab line: crontab takes 5 fields (minute hour day month weekday)`,
      'Give a 5-field expression, or run `costbench schedule` as a daemon for second-level schedules.',
    );
  }
  const env = command.env.map(([name, value]) => `${name}=${shellQuote(value)} `).join('');
  const shell = `cd ${shellQuote(command.cwd)} && ${env}${[command.nodePath, command.cliPath, 'run', ...command.runArgs].map(shellQuote).join(' ')} >> ${shellQuote(command.logPath)} 2>&1`;
  return `${fields.join(' ')} ${shell.replaceAll('%', '\\%')}\n`;
}

/** A `costbench.service` (oneshot) and a `costbench.timer` with the cron's schedule as OnCalendar. */
export function formatSystemdUnits(cron: string, command: ScheduledCommand): string {
  const onCalendar = cronToOnCalendar(cron);
  const exec = [command.nodePath, command.cliPath, 'run', ...command.runArgs].map(systemdQuote).join(' ');
  return [
    '# costbench.service',
    '[Unit]',
    'Description=costbench scheduled run',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    `WorkingDirectory=${systemdEscape(command.cwd)}`,
    ...command.env.map(([name, value]) => `Environment=${systemdQuote(`${name}=${value}`)}`),
    `ExecStart=${exec}`,
    `StandardOutput=append:${systemdEscape(command.logPath)}`,
    `StandardError=append:${systemdEscape(command.logPath)}`,
    '# 75: skipped because another run held the lock; not a failure of this unit',
    'SuccessExitStatus=75',
    '',
    '# costbench.timer',
    '[Unit]',
    `Description=costbench scheduled run (cron "${systemdEscape(cron.trim())}")`,
    '',
    '[Timer]',
    `OnCalendar=${onCalendar}`,
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

/** Quotes for a POSIX shell, only when needed. */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Quotes one ExecStart/Environment word for systemd (double quotes, C escapes), `%` and `$` escaped. */
function systemdQuote(value: string): string {
  const escaped = systemdEscape(value).replaceAll('$', '$$$$');
  if (/^[A-Za-z0-9_@%+=:,./$-]+$/.test(escaped)) return escaped;
  return `"${escaped.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** systemd expands `%` specifiers in most settings. */
function systemdEscape(value: string): string {
  return value.replaceAll('%', '%%');
}
