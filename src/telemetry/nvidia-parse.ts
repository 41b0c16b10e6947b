/**
 * Pure parsing of nvidia-smi output: the `--help-query-gpu` field list, the GPU list
 * queried at probe time, and the CSV lines streamed by `--query-gpu=... -lms N`
 * (always with `--format=csv,noheader,nounits`).
 */

/** The power fields we read, best first. */
export type NvidiaPowerField = 'power.draw.instant' | 'power.draw';

/** A GPU as listed at probe time. */
export interface NvidiaGpu {
  index: number;
  uuid: string;
  pciBusId: string;
  name: string;
  /** Enforced power limit, W; null when nvidia-smi reports it unsupported. */
  powerLimitW: number | null;
  /** The power field this GPU is read with: the first of those queried that gives it a number. */
  powerField: NvidiaPowerField;
  /** Whether that field gave a number (false on MIG instances, some boards). */
  powerReadable: boolean;
}

/** One streamed line, parsed. Fields not queried, or reported unsupported, are null. */
export interface NvidiaReading {
  index: number;
  /** nvidia-smi's own time of the reading, local wall clock ("2026/11/27 13:06:03.419"). */
  timestamp: string | null;
  /** Each power field queried, W (null: unsupported on this GPU, e.g. [N/A]). */
  power: Partial<Record<NvidiaPowerField, number | null>>;
  utilizationPct: number | null;
  memoryUsedBytes: number | null;
  clockMhz: number | null;
  temperatureC: number | null;
}

/** A parse outcome: a value, or one line saying what was wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** The power fields to query: power.draw.instant first where the help lists it, power.draw always. */
export function powerFieldsToQuery(fields: ReadonlySet<string>): NvidiaPowerField[] {
  return fields.has('power.draw.instant') ? ['power.draw.instant', 'power.draw'] : ['power.draw'];
}

function asList(fields: NvidiaPowerField | readonly NvidiaPowerField[]): readonly NvidiaPowerField[] {
  return typeof fields === 'string' ? [fields] : fields;
}

/** Fields of the probe-time GPU list, given the power fields; `name` last so commas in it survive. */
export function gpuListFields(powerFields: NvidiaPowerField | readonly NvidiaPowerField[]): string[] {
  return ['index', 'uuid', 'pci.bus_id', 'power.limit', ...asList(powerFields), 'name'];
}

/** Fields of the streaming query, given the power fields. */
export function streamFields(powerFields: NvidiaPowerField | readonly NvidiaPowerField[]): string[] {
  const rest = ['utilization.gpu', 'memory.used', 'clocks.sm', 'temperature.gpu'];
  return ['timestamp', 'index', ...asList(powerFields), ...rest];
}

const MIB = 1024 * 1024;

type NumericKey = 'utilizationPct' | 'memoryUsedBytes' | 'clockMhz' | 'temperatureC';

const POWER_FIELDS: ReadonlySet<string> = new Set<NvidiaPowerField>(['power.draw.instant', 'power.draw']);

/** Query fields we map onto a reading, and the factor from nvidia-smi's unit to ours. */
const NUMERIC_FIELDS: ReadonlyMap<string, { key: NumericKey; scale: number }> = new Map([
  ['utilization.gpu', { key: 'utilizationPct', scale: 1 }],
  ['memory.used', { key: 'memoryUsedBytes', scale: MIB }], // MiB with nounits
  ['clocks.sm', { key: 'clockMhz', scale: 1 }],
  ['clocks.current.sm', { key: 'clockMhz', scale: 1 }],
  ['temperature.gpu', { key: 'temperatureC', scale: 1 }],
]);

const NUMBER = /^-?\d+(\.\d+)?$/;
const TIMESTAMP = /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/;

/**
 * Reads one value: a number, or null for anything nvidia-smi prints in brackets
 * (`[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[Insufficient Permissions]`, ...).
 * Returns undefined when the value is neither.
 */
export function parseNvidiaValue(raw: string): number | null | undefined {
  const value = raw.trim();
  if (/^\[.*\]$/.test(value)) return null;
  return NUMBER.test(value) ? Number(value) : undefined;
}

/** The field names `nvidia-smi --help-query-gpu` lists (quoted names at the start of a line). */
export function parseQueryGpuHelp(text: string): Set<string> {
  const fields = new Set<string>();
  for (const line of text.split('\n')) {
    if (!line.trimStart().startsWith('"')) continue;
    for (const match of line.matchAll(/"([A-Za-z0-9_.]+)"/g)) {
      if (match[1] !== undefined) fields.add(match[1]);
    }
  }
  return fields;
}

/** Prefers the instantaneous reading; falls back to power.draw (a 1 s average on Ampere+). */
export function choosePowerField(fields: ReadonlySet<string>): NvidiaPowerField {
  return fields.has('power.draw.instant') ? 'power.draw.instant' : 'power.draw';
}

/**
 * Parses the probe-time list (`gpuListFields(powerFields)` order), one GPU per line. Each GPU is
 * read with the first power field that gives it a number: a GPU whose power.draw.instant reads
 * [N/A] while power.draw works falls back to power.draw, whatever the other GPUs do.
 */
export function parseNvidiaGpuList(
  csv: string,
  powerFields: readonly NvidiaPowerField[] = ['power.draw.instant'],
): Parsed<NvidiaGpu[]> {
  const gpus: NvidiaGpu[] = [];
  const columns = 5 + powerFields.length;
  for (const line of csv.split('\n')) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < columns) {
      return { ok: false, message: `expected ${columns} columns, got ${cells.length}: "${clip(line)}"` };
    }
    const [indexRaw = '', uuid = '', pciBusId = '', limitRaw = ''] = cells;
    const index = parseNvidiaValue(indexRaw);
    const powerLimitW = parseNvidiaValue(limitRaw);
    const powers = powerFields.map((_, i) => parseNvidiaValue(cells[4 + i] ?? ''));
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      return { ok: false, message: `bad GPU index "${indexRaw}"` };
    }
    if (powerLimitW === undefined || powers.some((p) => p === undefined)) {
      return { ok: false, message: `bad power value in "${clip(line)}"` };
    }
    const readable = powers.findIndex((p) => p !== null);
    const powerField = powerFields[Math.max(0, readable)] ?? 'power.draw';
    const name = cells.slice(4 + powerFields.length).join(', ');
    gpus.push({ index, uuid, pciBusId, name, powerLimitW, powerField, powerReadable: readable >= 0 });
  }
  return { ok: true, value: gpus };
}

/**
 * Parses one streamed CSV line whose columns are `fields` (which must include `index`).
 * Unsupported values become null; a wrong column count, a non-numeric value or a bad
 * timestamp makes the whole line an error.
 */
export function parseNvidiaLine(line: string, fields: readonly string[]): Parsed<NvidiaReading> {
  const cells = line.split(',').map((c) => c.trim());
  if (cells.length !== fields.length) {
    return { ok: false, message: `expected ${fields.length} columns, got ${cells.length}: "${clip(line)}"` };
  }
  const reading: NvidiaReading = {
    index: -1,
    timestamp: null,
    power: {},
    utilizationPct: null,
    memoryUsedBytes: null,
    clockMhz: null,
    temperatureC: null,
  };
  for (const [i, field] of fields.entries()) {
    const problem = applyCell(reading, field, cells[i] ?? '');
    if (problem !== null) return { ok: false, message: `${problem}: "${clip(line)}"` };
  }
  if (reading.index < 0) return { ok: false, message: `no GPU index in "${clip(line)}"` };
  return { ok: true, value: reading };
}

/** Writes one cell into the reading; returns what was wrong with it, or null. */
function applyCell(reading: NvidiaReading, field: string, cell: string): string | null {
  if (field === 'timestamp') {
    if (!TIMESTAMP.test(cell)) return `bad timestamp "${cell}"`;
    reading.timestamp = cell;
    return null;
  }
  if (field === 'index') {
    const index = parseNvidiaValue(cell);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) return `bad GPU index "${cell}"`;
    reading.index = index;
    return null;
  }
  if (POWER_FIELDS.has(field)) {
    const value = parseNvidiaValue(cell);
    if (value === undefined) return `bad ${field} "${cell}"`;
    reading.power[field as NvidiaPowerField] = value;
    return null;
  }
  const numeric = NUMERIC_FIELDS.get(field);
  if (numeric === undefined) return null; // a field we query but do not map
  const value = parseNvidiaValue(cell);
  if (value === undefined) return `bad ${field} "${cell}"`;
  reading[numeric.key] = value === null ? null : value * numeric.scale;
  return null;
}

/**
 * nvidia-smi's timestamp ("2018/10/10 13:06:03.419", local time) as epoch milliseconds, or null
 * when it does not parse.
 */
export function parseNvidiaTimestamp(text: string): number | null {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(text.trim());
  if (m === null) return null;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  const epochMs = new Date(y, mo - 1, d, h, mi, sec).getTime() + ms;
  return Number.isFinite(epochMs) ? epochMs : null;
}

/** A timestamp more than this behind its line's arrival is not trusted (a clock step, DST): arrival is used. */
export const TIMESTAMP_MAX_DELAY_MS = 10_000;
/** ...and one more than this ahead of it (the wall clock has millisecond steps; more is a clock step). */
export const TIMESTAMP_MAX_AHEAD_MS = 50;

/**
 * Where a reading belongs on the run's monotonic clock: nvidia-smi's own timestamp mapped through
 * `wallMinusMonoMs` (wall clock minus monotonic clock, taken when the lines were collected), when
 * it is plausible against the line's arrival time; else the arrival time. Pure.
 */
export function readingTimeMs(
  timestamp: string | null,
  arrivalMs: number,
  wallMinusMonoMs: number,
): { tMs: number; from: 'timestamp' | 'arrival' } {
  const epochMs = timestamp === null ? null : parseNvidiaTimestamp(timestamp);
  if (epochMs === null) return { tMs: arrivalMs, from: 'arrival' };
  const tMs = epochMs - wallMinusMonoMs;
  const delayMs = arrivalMs - tMs;
  const plausible = delayMs <= TIMESTAMP_MAX_DELAY_MS && delayMs >= -TIMESTAMP_MAX_AHEAD_MS;
  if (!plausible) return { tMs: arrivalMs, from: 'arrival' };
  return { tMs, from: 'timestamp' };
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
