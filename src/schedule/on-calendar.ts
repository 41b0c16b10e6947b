/**
 * A cron expression as a systemd OnCalendar= value, for the common forms: numbers, lists, ranges
 * and steps in each field, names of months and weekdays, and the @daily family. Pure.
 */
import { ConfigError } from '../errors.js';

const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const CRON_DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
/** systemd's weekday names, Monday first (its week order), indexed by cron's number (0 = Sunday). */
const SYSTEMD_DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const SYSTEMD_WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
}
const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const MINUTE: FieldSpec = { name: 'minute', min: 0, max: 59 };
const HOUR: FieldSpec = { name: 'hour', min: 0, max: 23 };
const DAY: FieldSpec = { name: 'day of month', min: 1, max: 31 };
const MONTH: FieldSpec = { name: 'month', min: 1, max: 12 };

/**
 * Converts a 5-field (or 6-field, seconds first) cron expression to OnCalendar, e.g.
 * `0 9 * * 1-5` → `Mon..Fri *-*-* 09:00:00`. Throws ConfigError naming what cannot be converted.
 */
export function cronToOnCalendar(expression: string): string {
  const trimmed = expression.trim();
  const expanded = NICKNAMES[trimmed.toLowerCase()] ?? trimmed;
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    throw cannot(
      expression,
      fields.length === 7
        ? 'a year field is not supported'
        : `expected 5 fields (minute hour day month weekday), got ${fields.length}`,
    );
  }
  const [second = '0', minute = '', hour = '', day = '', month = '', weekday = ''] =
    fields.length === 6 ? fields : ['0', ...fields];
  if (day !== '*' && weekday !== '*') {
    throw cannot(
      expression,
      'cron runs when either the day of month or the weekday matches, OnCalendar only when both do',
    );
  }
  const dow = convertWeekdays(expression, weekday);
  const date = `*-${convertField(expression, replaceNames(month, MONTHS, 1), MONTH)}-${convertField(expression, day, DAY)}`;
  const time = [
    convertField(expression, hour, HOUR),
    convertField(expression, minute, MINUTE),
    convertField(expression, second, SECOND),
  ].join(':');
  return `${dow === null ? '' : `${dow} `}${date} ${time}`;
}

function convertField(expression: string, field: string, spec: FieldSpec): string {
  if (field === '*') return '*';
  return field
    .split(',')
    .map((item) => {
      const { from, to, step } = parseItem(expression, item, spec);
      const range = to === null ? pad(from) : `${pad(from)}..${pad(to)}`;
      return step === null ? range : `${range}/${step}`;
    })
    .join(',');
}

/** Weekdays in systemd's notation (ranges of 3 or more days as Mon..Fri), or null for every day. */
function convertWeekdays(expression: string, field: string): string | null {
  const days = new Set<number>();
  for (const item of replaceNames(field, CRON_DAYS, 0).split(',')) {
    const { from, to, step } = parseItem(expression, item, { name: 'weekday', min: 0, max: 7 });
    for (let d = from; d <= (to ?? (step === null ? from : 7)); d += step ?? 1) days.add(d % 7);
  }
  if (days.size === 7) return null;
  const ordered = SYSTEMD_WEEK_ORDER.filter((d) => days.has(d));
  const runs: number[][] = [];
  for (const d of ordered) {
    const last = runs[runs.length - 1];
    const previous = last?.[last.length - 1];
    if (
      last !== undefined &&
      previous !== undefined &&
      SYSTEMD_WEEK_ORDER.indexOf(d) === SYSTEMD_WEEK_ORDER.indexOf(previous) + 1
    )
      last.push(d);
    else runs.push([d]);
  }
  return runs
    .map((run) =>
      run.length >= 3
        ? `${SYSTEMD_DAYS[run[0] ?? 0]}..${SYSTEMD_DAYS[run[run.length - 1] ?? 0]}`
        : run.map((d) => SYSTEMD_DAYS[d]).join(','),
    )
    .join(',');
}

/** One list item: `*`+step, a number, a range, a range with a step. */
function parseItem(
  expression: string,
  item: string,
  spec: FieldSpec,
): { from: number; to: number | null; step: number | null } {
  const match = /^(\*|\d+)(?:-(\d+))?(?:\/(\d+))?$/.exec(item);
  if (match === null)
    throw cannot(expression, `the ${spec.name} field "${item}" uses syntax OnCalendar has no equivalent for`);
  const [, start = '', end, step] = match;
  if (start === '*' && end !== undefined)
    throw cannot(expression, `the ${spec.name} field "${item}" is not valid`);
  // `*/15` starts at the field's first value; systemd writes that as a start and a repetition.
  if (start === '*')
    return step === undefined
      ? { from: spec.min, to: spec.max, step: null }
      : { from: spec.min, to: null, step: Number(step) };
  const from = Number(start);
  const to = end === undefined ? null : Number(end);
  if (from < spec.min || from > spec.max || (to !== null && (to < from || to > spec.max))) {
    throw cannot(expression, `the ${spec.name} field "${item}" is out of range ${spec.min}-${spec.max}`);
  }
  return { from, to, step: step === undefined ? null : Number(step) };
}

function replaceNames(field: string, names: readonly string[], first: number): string {
  return field.toLowerCase().replace(/[a-z]+/g, (word) => {
    const index = names.indexOf(word);
    return index === -1 ? word : String(index + first);
  });
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function cannot(expression: string, why: string): ConfigError {
  return new ConfigError(
    `cannot convert cron "${expression}" to a systemd OnCalendar: ${why}`,
    'Use --print-cron, or write the OnCalendar= line by hand (see `man systemd.time`; check it with `systemd-analyze calendar`).',
  );
}
