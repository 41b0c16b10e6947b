import { HOURS_IN_PROFILE } from '../cost/load-shape.js';

/**
 * What `costbench init` asks, as data: each question's config key, flag, words and parser. Pure.
 * The same parsers read a flag (unattended) and a typed answer (on a terminal).
 */

/** A parsed answer, or why the text is not one. */
export type Parsed = { value: unknown } | { error: string };

/** One question of `costbench init`. */
export interface Question {
  /** Dotted config path, e.g. "cost.hardware.purchasePrice"; "cost.load.*" keys are assembled into one load shape. */
  key: string;
  /** The flag that answers it unattended (commander's camelCase name). */
  flag: string;
  /** The flag as typed, e.g. "--hardware-price". */
  flagName: string;
  ask: string;
  parse: (text: string) => Parsed;
  /** Asked only when this holds for the answers so far (by key). */
  when?: (answers: ReadonlyMap<string, unknown>) => boolean;
}

function number(min: number, max: number, what: string): (text: string) => Parsed {
  return (text) => {
    const value = Number(text.trim());
    if (text.trim() === '' || !Number.isFinite(value))
      return { error: `${JSON.stringify(text)} is not a number (${what})` };
    if (value < min || value > max) return { error: `${value} is out of range: ${what}` };
    return { value };
  };
}

function integer(min: number, what: string): (text: string) => Parsed {
  return (text) => {
    const parsed = number(min, Number.MAX_SAFE_INTEGER, what)(text);
    return 'value' in parsed && !Number.isInteger(parsed.value)
      ? { error: `${text.trim()} is not a whole number (${what})` }
      : parsed;
  };
}

function machine(text: string): Parsed {
  const t = text.trim().toLowerCase();
  if (['o', 'owned', 'owned-idle', 'idle'].includes(t)) return { value: true };
  if (['b', 'bought'].includes(t)) return { value: false };
  return { error: `${JSON.stringify(text)}: answer owned-idle (o) or bought (b)` };
}

function shape(text: string): Parsed {
  const t = text.trim().toLowerCase();
  const shapes: Record<string, string> = {
    s: 'steady',
    steady: 'steady',
    p: 'peak-to-mean',
    'peak-to-mean': 'peak-to-mean',
    h: 'hourly',
    hourly: 'hourly',
  };
  const value = shapes[t];
  return value === undefined
    ? { error: `${JSON.stringify(text)}: answer steady (s), peak-to-mean (p) or hourly (h)` }
    : { value };
}

function weights(text: string): Parsed {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  const values = parts.map(Number);
  if (
    values.length !== HOURS_IN_PROFILE ||
    values.some((v) => !Number.isFinite(v) || v < 0) ||
    !values.some((v) => v > 0)
  ) {
    return {
      error: `expected ${HOURS_IN_PROFILE} weights >= 0 (hour 0 to 23, separated by commas), not all 0; got ${parts.length}`,
    };
  }
  return { value: values };
}

function optionalMs(text: string): Parsed {
  const t = text.trim().toLowerCase();
  if (t === 'none' || t === 'null') return { value: null };
  return number(1, 3_600_000, 'a p95 latency in ms, or "none"')(text);
}

const hoursSet = (answers: ReadonlyMap<string, unknown>): boolean =>
  answers.get('cost.engineering.setupHours') !== 0 ||
  answers.get('cost.engineering.maintenanceHoursPerMonth') !== 0;

/** The questions of `costbench init`, in the order asked. */
export const INIT_QUESTIONS: readonly Question[] = [
  {
    key: 'cost.electricityPerKwh',
    flag: 'kwhPrice',
    flagName: '--kwh-price',
    ask: 'Electricity price per kWh (in your currency)',
    parse: number(0, 100, 'a price per kWh >= 0'),
  },
  {
    key: 'cost.hardware.purchasePrice',
    flag: 'hardwarePrice',
    flagName: '--hardware-price',
    ask: 'What the machine cost (0 for a box that is truly free to use)',
    parse: number(0, 1e9, 'a price >= 0'),
  },
  {
    key: 'cost.hardware.amortizationMonths',
    flag: 'months',
    flagName: '--months',
    ask: 'Months to spread the purchase and set-up over',
    parse: integer(1, 'months >= 1'),
  },
  {
    key: 'cost.hardware.alreadyOwnedIdle',
    flag: 'machine',
    flagName: '--machine',
    ask: 'Is the machine already owned and otherwise idle (owned-idle), or bought for this work (bought)?',
    parse: machine,
  },
  {
    key: 'cost.hardware.workloadShare',
    flag: 'share',
    flagName: '--share',
    ask: 'Share of the machine given to this work (0-1]',
    parse: number(1e-9, 1, 'a share above 0, at most 1'),
  },
  {
    key: 'cost.engineering.setupHours',
    flag: 'setupHours',
    flagName: '--setup-hours',
    ask: 'Engineering hours to set it up (once)',
    parse: number(0, 1e6, 'hours >= 0'),
  },
  {
    key: 'cost.engineering.maintenanceHoursPerMonth',
    flag: 'upkeepHours',
    flagName: '--upkeep-hours',
    ask: 'Engineering hours a month to keep it running',
    parse: number(0, 1e4, 'hours >= 0'),
  },
  {
    key: 'cost.engineering.hourlyRate',
    flag: 'hourlyRate',
    flagName: '--hourly-rate',
    ask: 'Cost of an engineering hour',
    parse: number(0, 1e6, 'a rate >= 0'),
    when: hoursSet,
  },
  {
    key: 'cost.monthlyTasks',
    flag: 'volume',
    flagName: '--volume',
    ask: 'Tasks a month',
    parse: integer(0, 'tasks >= 0'),
  },
  {
    key: 'cost.load.shape',
    flag: 'load',
    flagName: '--load',
    ask: 'Load shape: steady (s), peak-to-mean (p) or hourly (h)?',
    parse: shape,
  },
  {
    key: 'cost.load.peakToMean',
    flag: 'peakToMean',
    flagName: '--peak-to-mean',
    ask: 'Peak rate / mean rate (e.g. 4)',
    parse: number(1, 10_000, 'a ratio >= 1'),
    when: (a) => a.get('cost.load.shape') === 'peak-to-mean',
  },
  {
    key: 'cost.load.hourlyWeights',
    flag: 'hourlyProfile',
    flagName: '--hourly-profile',
    ask: `Relative load of each hour, 0 to 23 (${HOURS_IN_PROFILE} numbers)`,
    parse: weights,
    when: (a) => a.get('cost.load.shape') === 'hourly',
  },
  {
    key: 'cost.load.p95LatencyBoundMs',
    flag: 'p95MaxMs',
    flagName: '--p95-max-ms',
    ask: 'p95 latency the work must meet, ms ("none" for no bound)',
    parse: optionalMs,
  },
];

/** The current value of a dotted key in a (parsed) config object, for the prompt's default. Pure. */
export function valueAt(config: Record<string, unknown>, key: string): unknown {
  let node: unknown = config;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** An answer shown back as text, for the prompt's default and the summary. Pure. */
export function formatAnswer(key: string, value: unknown): string {
  if (key === 'cost.hardware.alreadyOwnedIdle' && typeof value === 'boolean')
    return value ? 'owned-idle' : 'bought';
  if (Array.isArray(value)) return value.join(',');
  return value === null ? 'none' : String(value);
}
