/**
 * Pure parsing of AMD tool output: `amd-smi metric -p -u -E --json`, `amd-smi static --asic
 * --bus --json` and `rocm-smi --showpower --showuse --showbus --json`. Both amd-smi shapes are
 * accepted (a bare list, and `{"gpu_data": [...]}` from newer versions); values may be numbers,
 * strings ("35.0", "10 W", "N/A") or `{value, unit}` objects.
 */

import type { Parsed } from './nvidia-parse.js';

export type { Parsed };

/** One GPU's reading from `amd-smi metric`. */
export interface AmdSmiMetric {
  gpu: number;
  powerW: number | null;
  /** Which power key gave the reading (socket_power, current_socket_power, average_socket_power). */
  powerField: string | null;
  utilizationPct: number | null;
  /** total_energy_consumption, J (cumulative). */
  energyJ: number | null;
}

/** What `amd-smi static --asic --bus` says about one GPU, for naming and matching devices. */
export interface AmdSmiStatic {
  gpu: number;
  name: string | null;
  bdf: string | null;
}

/** One card from `rocm-smi --json`. */
export interface RocmSmiCard {
  /** "card0" */
  card: string;
  index: number;
  powerW: number | null;
  powerField: string | null;
  /** The secondary die of a dual-die GPU (MI250-style): its power is counted on the primary. */
  secondaryDie: boolean;
  utilizationPct: number | null;
  pciBus: string | null;
}

/** amd-smi power keys, best first (newer versions report socket_power). */
export const AMD_SMI_POWER_KEYS = ['socket_power', 'current_socket_power', 'average_socket_power'] as const;
/** rocm-smi power keys, best first. */
export const ROCM_SMI_POWER_KEYS = [
  'Current Socket Graphics Package Power (W)',
  'Average Graphics Package Power (W)',
] as const;

const POWER_UNITS: Readonly<Record<string, number>> = { W: 1, mW: 1e-3, uW: 1e-6, µW: 1e-6 };
const ENERGY_UNITS: Readonly<Record<string, number>> = { J: 1, kJ: 1e3, mJ: 1e-3, uJ: 1e-6, µJ: 1e-6 };
const PERCENT_UNITS: Readonly<Record<string, number>> = { '%': 1 };

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a tool's stdout as JSON, skipping banner or warning lines printed before it
 * (e.g. "WARNING: ..." or amd-smi's watch-mode prompt).
 */
export function parseJsonOutput(text: string): Parsed<unknown> {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*[[{]/.test(l));
  if (start < 0) return { ok: false, message: `no JSON in output: "${clip(text.trim())}"` };
  try {
    return { ok: true, value: JSON.parse(lines.slice(start).join('\n')) };
  } catch (err: unknown) {
    return { ok: false, message: `bad JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/**
 * Reads a quantity in the unit the table names 1: a number (already in that unit), a string
 * ("35.0", "10 W", "N/A"), or `{value, unit}`. null for N/A; undefined when unreadable.
 */
export function parseQuantity(
  raw: unknown,
  units: Readonly<Record<string, number>>,
): number | null | undefined {
  if (isRecord(raw)) {
    const value = parseQuantity(raw['value'], units);
    if (value === null || value === undefined) return value;
    const unit = typeof raw['unit'] === 'string' ? raw['unit'] : '';
    const scale = unit === '' ? 1 : units[unit];
    return scale === undefined ? undefined : value * scale;
  }
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== 'string') return raw === null ? null : undefined;
  const text = raw.trim();
  if (/^N\/A\b/i.test(text)) return null;
  const match = /^(-?\d+(?:\.\d+)?)\s*([A-Za-zµ%]*)$/.exec(text);
  if (match === null) return undefined;
  const scale = match[2] === undefined || match[2] === '' ? 1 : units[match[2]];
  return scale === undefined ? undefined : Number(match[1]) * scale;
}

/** The GPU list of either amd-smi shape. */
function amdSmiRows(json: unknown): Parsed<Json[]> {
  const rows = isRecord(json) ? json['gpu_data'] : json;
  if (!Array.isArray(rows))
    return { ok: false, message: 'expected a JSON list of GPUs or {"gpu_data": [...]}' };
  if (!rows.every(isRecord)) return { ok: false, message: 'a GPU entry is not an object' };
  return { ok: true, value: rows };
}

function gpuIndex(row: Json): number | undefined {
  const raw = row['gpu'];
  const index = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined;
}

/** Reads `section.key` as a quantity; a missing section or key is null. */
function quantityAt(
  row: Json,
  section: string,
  key: string,
  units: Readonly<Record<string, number>>,
): number | null | undefined {
  const block = row[section];
  return isRecord(block) && key in block ? parseQuantity(block[key], units) : null;
}

/** Parses `amd-smi metric -p -u -E --json` output (already JSON-decoded), either shape. */
export function parseAmdSmiMetric(json: unknown): Parsed<AmdSmiMetric[]> {
  const rows = amdSmiRows(json);
  if (!rows.ok) return rows;
  const metrics: AmdSmiMetric[] = [];
  for (const row of rows.value) {
    const gpu = gpuIndex(row);
    if (gpu === undefined)
      return { ok: false, message: `bad or missing "gpu" index: ${clip(JSON.stringify(row['gpu']))}` };
    const power = readAmdSmiPower(row);
    if (power === undefined)
      return { ok: false, message: `GPU ${gpu}: unreadable power: ${clip(JSON.stringify(row['power']))}` };
    // Power is what we are here for: an unreadable power value fails the run. Utilization and
    // energy vary by version and partition mode; an unexpected shape there only loses that field.
    const utilizationPct = quantityAt(row, 'usage', 'gfx_activity', PERCENT_UNITS) ?? null;
    const energyJ = quantityAt(row, 'energy', 'total_energy_consumption', ENERGY_UNITS) ?? null;
    metrics.push({ gpu, ...power, utilizationPct, energyJ });
  }
  return { ok: true, value: metrics };
}

/** The first power key with a number wins; undefined when a present value is unreadable. */
function readAmdSmiPower(row: Json): { powerW: number | null; powerField: string | null } | undefined {
  const block = row['power'];
  if (!isRecord(block)) return { powerW: null, powerField: null };
  let firstPresent: string | null = null;
  for (const key of AMD_SMI_POWER_KEYS) {
    if (!(key in block)) continue;
    firstPresent ??= key;
    const powerW = parseQuantity(block[key], POWER_UNITS);
    if (powerW === undefined) return undefined;
    if (powerW !== null) return { powerW, powerField: key };
  }
  return { powerW: null, powerField: firstPresent };
}

/** Parses `amd-smi static --asic --bus --json`: market name and PCI address per GPU. */
export function parseAmdSmiStatic(json: unknown): Parsed<AmdSmiStatic[]> {
  const rows = amdSmiRows(json);
  if (!rows.ok) return rows;
  const gpus: AmdSmiStatic[] = [];
  for (const row of rows.value) {
    const gpu = gpuIndex(row);
    if (gpu === undefined) return { ok: false, message: 'bad or missing "gpu" index' };
    gpus.push({
      gpu,
      name: stringAt(row, 'asic', 'market_name'),
      bdf: stringAt(row, 'bus', 'bdf') ?? stringField(row['bdf']),
    });
  }
  return { ok: true, value: gpus };
}

function stringAt(row: Json, section: string, key: string): string | null {
  const block = row[section];
  return isRecord(block) ? stringField(block[key]) : null;
}

function stringField(raw: unknown): string | null {
  return typeof raw === 'string' && raw.trim() !== '' && !/^N\/A\b/i.test(raw.trim()) ? raw.trim() : null;
}

/** Parses `rocm-smi --showpower --showuse --showbus --json`: `{"card0": {...}, ...}`, other keys ignored. */
export function parseRocmSmi(json: unknown): Parsed<RocmSmiCard[]> {
  if (!isRecord(json)) return { ok: false, message: 'expected a JSON object keyed by card' };
  const cards: RocmSmiCard[] = [];
  for (const [card, body] of Object.entries(json)) {
    const match = /^card(\d+)$/.exec(card);
    if (match === null) continue; // e.g. "system"
    if (!isRecord(body)) return { ok: false, message: `${card} is not an object` };
    const parsed = parseRocmCard(card, Number(match[1]), body);
    if (!parsed.ok) return parsed;
    cards.push(parsed.value);
  }
  cards.sort((a, b) => a.index - b.index);
  return { ok: true, value: cards };
}

function parseRocmCard(card: string, index: number, body: Json): Parsed<RocmSmiCard> {
  let powerW: number | null = null;
  let powerField: string | null = null;
  let secondaryDie = false;
  for (const key of ROCM_SMI_POWER_KEYS) {
    if (!(key in body) || powerW !== null) continue;
    const raw = body[key];
    if (typeof raw === 'string' && /secondary die/i.test(raw)) secondaryDie = true;
    const value = parseQuantity(raw, POWER_UNITS);
    if (value === undefined)
      return { ok: false, message: `${card}: unreadable "${key}": ${clip(JSON.stringify(raw))}` };
    powerField ??= key;
    if (value !== null) [powerW, powerField] = [value, key];
  }
  // Utilization is secondary: an unexpected value only loses it.
  const utilizationPct = parseQuantity(body['GPU use (%)'], PERCENT_UNITS) ?? null;
  const pciBus = stringField(body['PCI Bus']);
  return { ok: true, value: { card, index, powerW, powerField, secondaryDie, utilizationPct, pciBus } };
}

function clip(text: string | undefined): string {
  const t = text ?? 'undefined';
  return t.length > 120 ? `${t.slice(0, 117)}...` : t;
}
