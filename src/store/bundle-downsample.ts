import { BundleError } from '../errors.js';
import type { DownsampledEnergy } from '../types/telemetry-rows.js';
import type { RunRows, TableColumns } from './bundle-tables.js';
import { SAMPLE_CHANNEL_COLUMN } from './bundle-tables.js';
import type { Db } from './db-handle.js';

/** The table that records a run's thinning and its energy figures from every sample (migration 0018). */
export const DOWNSAMPLE_TABLE = 'run_downsampled_energy';

/** What `export --downsample-ms` needs for each run: the interval, and the run's energy summary as JSON. */
export interface DownsampleOptions {
  intervalMs: number;
  /** The run's energy summary computed from all its samples (null: it has none). Called only when needed. */
  energyJson: (runId: number) => string | null;
}

/** How a run's thinning went: kept as it was (and why), or thinned from `before` to `after` samples. */
export type DownsampleOutcome =
  | { state: 'thinned'; before: number; after: number }
  | { state: 'kept'; why: 'already-downsampled' | 'nothing-to-drop' };

/** A run's stored thinning, or null when its samples are all there. */
export function getDownsampledEnergy(db: Db, runId: number): DownsampledEnergy | null {
  const row = db
    .prepare(
      `SELECT interval_ms, samples_before, samples_after, energy_json FROM ${DOWNSAMPLE_TABLE} WHERE run_id = ?`,
    )
    .get(runId) as
    { interval_ms: number; samples_before: number; samples_after: number; energy_json: string } | undefined;
  if (row === undefined) return null;
  return {
    intervalMs: row.interval_ms,
    samplesBefore: row.samples_before,
    samplesAfter: row.samples_after,
    energyJson: row.energy_json,
  };
}

/**
 * Which sample rows to keep, per channel, in the rows' order: a channel's first reading, each one at
 * least `intervalMs` after the last kept, and its last (so a chart still spans the run). Pure.
 */
export function thinSampleRows(
  rows: readonly unknown[][],
  columns: readonly string[],
  intervalMs: number,
): boolean[] {
  const keyAt = columns.indexOf(SAMPLE_CHANNEL_COLUMN);
  const tAt = columns.indexOf('t_ms');
  const lastKeptMs = new Map<unknown, number>();
  const lastRow = new Map<unknown, number>();
  rows.forEach((row, i) => lastRow.set(row[keyAt], i));
  return rows.map((row, i) => {
    const key = row[keyAt];
    const tMs = Number(row[tAt]);
    const previous = lastKeptMs.get(key);
    const keep = previous === undefined || tMs - previous >= intervalMs || lastRow.get(key) === i;
    if (keep) lastKeptMs.set(key, tMs);
    return keep;
  });
}

/**
 * A run's rows with its samples thinned (see thinSampleRows) and a DOWNSAMPLE_TABLE row added that
 * carries its energy summary from every sample. A run already thinned, or one that would lose no
 * sample, keeps its rows as they are. Pure, but for `options.energyJson`.
 */
export function downsampleRun(
  runId: number,
  rows: RunRows,
  columns: TableColumns,
  options: DownsampleOptions,
): { rows: RunRows; outcome: DownsampleOutcome } {
  if ((rows[DOWNSAMPLE_TABLE] ?? []).length > 0)
    return { rows, outcome: { state: 'kept', why: 'already-downsampled' } };
  const samples = rows['samples'] ?? [];
  const keep = thinSampleRows(samples, columns['samples'] ?? [], options.intervalMs);
  const thinned = samples.filter((_, i) => keep[i]);
  const energyJson = thinned.length < samples.length ? options.energyJson(runId) : null;
  if (energyJson === null) return { rows, outcome: { state: 'kept', why: 'nothing-to-drop' } };
  const values: Record<string, unknown> = {
    interval_ms: options.intervalMs,
    samples_before: samples.length,
    samples_after: thinned.length,
    energy_json: energyJson,
  };
  const record = (columns[DOWNSAMPLE_TABLE] ?? []).map((c) => values[c] ?? null);
  return {
    rows: { ...rows, samples: thinned, [DOWNSAMPLE_TABLE]: [record] },
    outcome: { state: 'thinned', before: samples.length, after: thinned.length },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** The energy summary's parts a report reads, there with their types (so a report cannot crash on it). */
function wellFormedEnergy(json: unknown): boolean {
  if (typeof json !== 'string') return false;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return false;
  }
  return (
    isObject(value) &&
    isObject(value['total']) &&
    ['channels', 'perRequestJ', 'levels', 'idleSettles', 'sources', 'flags'].every((k) =>
      Array.isArray(value[k]),
    )
  );
}

/**
 * The interval a bundle's run was thinned at (null: all its samples are there). Throws BundleError
 * for a DOWNSAMPLE_TABLE that is not one costbench writes: more than one row, a bad interval or count,
 * an energy summary that is not one.
 */
export function bundledIntervalMs(
  rows: RunRows,
  columns: TableColumns,
  file: string,
  uuid: string,
): number | null {
  const cols = columns[DOWNSAMPLE_TABLE] ?? [];
  const list = rows[DOWNSAMPLE_TABLE] ?? [];
  if (list.length === 0) return null;
  const row = list[0] ?? [];
  const at = (name: string): unknown => row[cols.indexOf(name)];
  const interval = at('interval_ms');
  const counts = [at('samples_before'), at('samples_after')];
  if (
    list.length > 1 ||
    typeof interval !== 'number' ||
    !(interval > 0) ||
    !counts.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0) ||
    !wellFormedEnergy(at('energy_json'))
  )
    throw new BundleError(
      `bundle ${file} is corrupt: run ${uuid}'s ${DOWNSAMPLE_TABLE} is not one costbench writes`,
    );
  return interval;
}

const thinningWords = (intervalMs: number | null): string =>
  intervalMs === null ? 'with all its samples' : `downsampled to one sample per channel per ${intervalMs} ms`;

/**
 * Why a stored run and a bundle's copy of it differ, where one (or both) was thinned: the clause a
 * conflict message adds; '' when neither was.
 */
export function thinningConflict(storedMs: number | null, bundledMs: number | null): string {
  if (storedMs === null && bundledMs === null) return '';
  return `: it is stored ${thinningWords(storedMs)}, the bundle holds it ${thinningWords(bundledMs)}`;
}
