/**
 * The schedule log: one timestamped line per start, skip, postponement, finish, lock recovery
 * and error, appended (never truncated), so a night nobody watched can be read in the morning.
 */
import { appendFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, describeError } from '../errors.js';
import { ensureDirectory } from '../util/ensure-dir.js';

/** The log's name, next to the database, when `--log` is not given. */
export const SCHEDULE_LOG_NAME = 'schedule.log';

/** Local time with its UTC offset, to the millisecond: `2025-03-01T02:00:00.004+01:00`. Pure. */
export function formatLocalTime(date: Date): string {
  const offsetMin = -date.getTimezoneOffset();
  const two = (n: number): string => String(n).padStart(2, '0');
  const sign = offsetMin >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMin);
  return (
    `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}` +
    `T${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}` +
    `${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`
  );
}

/** Writes a message as a log line. */
export type ScheduleLog = (message: string) => void;

/**
 * Opens the log for appending and writes `first` to it, so an unwritable log fails at start
 * (ConfigError), not at 2 am. Each line is also echoed; a later write failure is echoed as a
 * warning and the schedule goes on.
 */
export function openScheduleLog(
  path: string,
  first: string,
  echo: (line: string) => void,
  now: () => Date = () => new Date(),
): ScheduleLog {
  const write = (message: string): string => {
    const line = `${formatLocalTime(now())} ${message}\n`;
    appendFileSync(path, line);
    return line;
  };
  try {
    ensureDirectory(dirname(path));
    echo(write(first));
  } catch (error) {
    throw new ConfigError(
      `cannot write the schedule log ${path}: ${describeError(error)}`,
      'Choose a writable file with --log.',
    );
  }
  return (message) => {
    try {
      echo(write(message));
    } catch (error) {
      echo(
        `${formatLocalTime(now())} ${message}\nwarning: cannot write the schedule log ${path}: ${describeError(error)}\n`,
      );
    }
  };
}
