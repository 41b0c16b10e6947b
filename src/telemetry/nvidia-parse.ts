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
  /** Whether the chosen power field gave a number (false on MIG instances, some boards). */
  powerReadable: boolean;
}

/** One streamed line, parsed. Fields not queried, or reported unsupported, are null. */
export interface NvidiaReading {
  index: number;
  /** nvidia-smi's wall-clock timestamp ("2026/11/27 13:06:03.419"), kept for diagnostics only. */
  timestamp: string | null;
  powerW: number | null;
  utilizationPct: number | null;
  memoryUsedBytes: number | null;
  clockMhz: number | null;
  temperatureC: number | null;
}

/** A parse outcome: a value, or one line saying what was wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Fields of the probe-time GPU list, given the power field; `name` last so commas in it survive. */
export function gpuListFields(powerField: NvidiaPowerField): string[] {
  return ['index', 'uuid', 'pci.bus_id', 'power.limit', powerField, 'name'];
}

/** Fields of the streaming query, given the power field. */
export function streamFields(powerField: NvidiaPowerField): string[] {
  return ['timestamp', 'index', powerField, 'utilization.gpu', 'memory.used', 'clocks.sm', 'temperature.gpu'];
}

const MIB = 1024 * 1024;

type NumericKey = 'powerW' | 'utilizationPct' | 'memoryUsedBytes' | 'clockMhz' | 'temperatureC';

/** Query fields we map onto a reading, and the factor from nvidia-smi's unit to ours. */
const NUMERIC_FIELDS: ReadonlyMap<string, { key: NumericKey; scale: number }> = new Map([
  ['power.draw', { key: 'powerW', scale: 1 }],
  ['power.draw.instant', { key: 'powerW', scale: 1 }],
  ['power.draw.average', { key: 'powerW', scale: 1 }],
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

/** Parses the probe-time list (`gpuListFields` order), one GPU per line. */
export function parseNvidiaGpuList(csv: string): Parsed<NvidiaGpu[]> {
  const gpus: NvidiaGpu[] = [];
  for (const line of csv.split('\n')) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((c) => c.trim());
    if (cells.length < 6) return { ok: false, message: `expected 6 columns, got ${cells.length}: "${clip(line)}"` };
    const [indexRaw = '', uuid = '', pciBusId = '', limitRaw = '', powerRaw = ''] = cells;
    const index = parseNvidiaValue(indexRaw);
    const powerLimitW = parseNvidiaValue(limitRaw);
    const power = parseNvidiaValue(powerRaw);
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
      return { ok: false, message: `bad GPU index "${indexRaw}"` };
    }
    if (powerLimitW === undefined || power === undefined) {
      return { ok: false, message: `bad power value in "${clip(line)}"` };
    }
    const name = cells.slice(5).join(', ');
    gpus.push({ index, uuid, pciBusId, name, powerLimitW, powerReadable: power !== null });
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
    powerW: null,
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
  const numeric = NUMERIC_FIELDS.get(field);
  if (numeric === undefined) return null; // a field we query but do not map
  const value = parseNvidiaValue(cell);
  if (value === undefined) return `bad ${field} "${cell}"`;
  reading[numeric.key] = value === null ? null : value * numeric.scale;
  return null;
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
