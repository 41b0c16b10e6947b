/**
 * Parsing `powermetrics` text output (pure). A sample is a block that starts with
 * `*** Sampled system activity (...) ***`; the lines read here are
 *
 *   CPU Power: 823 mW
 *   GPU Power: 26 mW
 *   ANE Power: 323 mW
 *   Combined Power (CPU + GPU + ANE): 1172 mW      (older macOS: Package Power: 1473 mW)
 *
 * Other lines (frequencies, residencies, DRAM Power on old versions) are ignored.
 */

/** The power rails powermetrics reports on Apple silicon; 'combined' is CPU + GPU + ANE. */
export type AppleRail = 'cpu' | 'gpu' | 'ane' | 'combined';

/** One parsed power line. */
export interface AppleRailReading {
  rail: AppleRail;
  powerW: number;
}

const POWER_LINE =
  /^\s*(CPU Power|GPU Power|ANE Power|Combined Power \(CPU \+ GPU \+ ANE\)|Package Power):\s*(\d+(?:\.\d+)?)\s*(mW|W)\s*$/;
const HEADER = /^\*\*\* Sampled system activity/;

const RAIL_OF_LABEL: Readonly<Record<string, AppleRail>> = {
  'CPU Power': 'cpu',
  'GPU Power': 'gpu',
  'ANE Power': 'ane',
  'Combined Power (CPU + GPU + ANE)': 'combined',
  'Package Power': 'combined',
};

/** True for the line that opens a new sample block. */
export function isPowermetricsHeader(line: string): boolean {
  return HEADER.test(line);
}

/** Parses one power line into watts (mW / 1000), or null for any other line. */
export function parsePowermetricsLine(line: string): AppleRailReading | null {
  const match = POWER_LINE.exec(line);
  if (match === null) return null;
  const [, label = '', value = '', unit] = match;
  const rail = RAIL_OF_LABEL[label];
  if (rail === undefined) return null;
  const number = Number(value);
  return { rail, powerW: unit === 'mW' ? number / 1000 : number };
}

/**
 * Parses the power lines of one block (or any text holding one sample). A rail printed twice
 * (GPU Power appears in the processor and in the GPU section) keeps its first value.
 */
export function parsePowermetricsBlock(text: string): Map<AppleRail, number> {
  const readings = new Map<AppleRail, number>();
  for (const line of text.split('\n')) {
    const reading = parsePowermetricsLine(line.replace(/\r$/, ''));
    if (reading !== null && !readings.has(reading.rail)) readings.set(reading.rail, reading.powerW);
  }
  return readings;
}

/** Why a powermetrics run failed, from what it (or sudo) printed. */
export type PowermetricsFailure = 'sudo-password' | 'not-superuser' | 'not-found' | null;

/** Recognizes the known refusals in sudo / powermetrics output. */
export function classifyPowermetricsFailure(output: string): PowermetricsFailure {
  if (/a password is required/i.test(output)) return 'sudo-password';
  if (/must be invoked as the superuser/i.test(output)) return 'not-superuser';
  if (/powermetrics: (?:command )?not found/i.test(output)) return 'not-found';
  return null;
}

/** Where macOS keeps powermetrics; sudoers names commands by full path. */
export const POWERMETRICS_PATH = '/usr/bin/powermetrics';

/** powermetrics' arguments for the probe's single sample (run as `sudo -n powermetrics ...`). */
export const POWERMETRICS_PROBE_ARGS: readonly string[] = ['--samplers', 'cpu_power', '-i', '100', '-n', '1'];

/** powermetrics' arguments for the long-lived sampler, one sample every intervalMs. */
export function powermetricsRunArgs(intervalMs: number): string[] {
  return ['--samplers', 'cpu_power,gpu_power', '-i', String(intervalMs)];
}

/** One command with its arguments for sudoers: `,` `:` `=` and `\` escaped with a backslash. Pure. */
export function sudoersCommand(path: string, args: readonly string[]): string {
  return [path, ...args.map((a) => a.replace(/[,:=\\]/g, (c) => `\\${c}`))].join(' ');
}

/**
 * The sudoers line that lets `user` run, without a password (sudo -n), exactly the two
 * powermetrics command lines costbench runs and no other arguments (sudoers matches arguments
 * exactly when they are given). To be added with `sudo visudo -f /etc/sudoers.d/costbench`.
 */
export function sudoersLine(user: string, intervalMs: number): string {
  const probe = sudoersCommand(POWERMETRICS_PATH, POWERMETRICS_PROBE_ARGS);
  const run = sudoersCommand(POWERMETRICS_PATH, powermetricsRunArgs(intervalMs));
  return `${user} ALL=(root) NOPASSWD: ${probe}, ${run}`;
}
