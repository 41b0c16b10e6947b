import { BundleError, describeError } from '../errors.js';
import { runDigest, sha256Hex } from './bundle-hash.js';
import type { MachineIdentity } from '../inventory/machine-identity.js';
import type { RunRows, TableColumns } from './bundle-tables.js';

/** The format name a bundle's first line carries. */
export const BUNDLE_FORMAT = 'costbench-bundle';
/** The bundle layout this build writes and the highest it reads. */
export const BUNDLE_FORMAT_VERSION = 1;
/** A bundle file's name ends with this; `costbench import <dir>` takes the files that do. */
export const BUNDLE_EXTENSION = '.costbench.jsonl.gz';

export type { MachineIdentity } from '../inventory/machine-identity.js';

/** A run as the header lists it. */
export interface BundleRunEntry {
  uuid: string;
  /** runDigest of its rows: checked on import. */
  sha256: string;
  startedAt: string;
  model: string;
  /** The machine that ran it (its run_machines hostname); null for a run without one. */
  hostname: string | null;
}

/** A bundle's first line: what wrote it, and how to read the rest. */
export interface BundleHeader {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  /** The highest migration of the database it was exported from. */
  schemaVersion: number;
  costbenchVersion: string;
  createdAt: string;
  exportedBy: MachineIdentity;
  /** Each table's columns, in the order a row lists its values. */
  tables: TableColumns;
  runs: BundleRunEntry[];
}

/** A run line: its rows by table. */
export interface BundleRun {
  uuid: string;
  rows: RunRows;
}

/** The last line: how many runs came before it, and the sha256 of every line before it. */
export interface BundleEnd {
  end: true;
  runs: number;
  sha256: string;
}

/** A bundle: header and runs. */
export interface Bundle {
  header: BundleHeader;
  runs: BundleRun[];
}

/** A bundle read back, with the sha256 its end line carries (of every line before it). */
export interface ParsedBundle extends Bundle {
  sha256: string;
}

/** The bundle as NDJSON text: header, one line per run, end line. Pure. */
export function encodeBundle(bundle: Bundle): string {
  const lines = [JSON.stringify(bundle.header), ...bundle.runs.map((r) => JSON.stringify(r))];
  const body = lines.map((l) => `${l}\n`).join('');
  const end: BundleEnd = { end: true, runs: bundle.runs.length, sha256: sha256Hex(body) };
  return `${body}${JSON.stringify(end)}\n`;
}

/** What this build can read. */
export interface BundleLimits {
  formatVersion: number;
  schemaVersion: number;
  costbenchVersion: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

function parseLine(line: string, file: string, n: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new BundleError(`bundle ${file} is corrupt: line ${n} is not JSON (${describeError(error)})`);
  }
  if (!isObject(value)) throw new BundleError(`bundle ${file} is corrupt: line ${n} is not an object`);
  return value;
}

/** A value SQLite stores as it is: what a bundle's row holds. */
const isCell = (v: unknown): boolean => v === null || typeof v === 'string' || typeof v === 'number';

const isStringList = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((c) => typeof c === 'string') && new Set(v).size === v.length;

/** The header's fields have the types costbench writes: what import reads of it is safe to use. */
function wellFormedHeader(h: Record<string, unknown>): boolean {
  const { tables, runs, exportedBy } = h;
  return (
    typeof h['costbenchVersion'] === 'string' &&
    typeof h['createdAt'] === 'string' &&
    isObject(exportedBy) &&
    typeof exportedBy['hostname'] === 'string' &&
    (exportedBy['machineIdSha256'] === null || typeof exportedBy['machineIdSha256'] === 'string') &&
    isObject(tables) &&
    Object.values(tables).every(isStringList) &&
    isStringList(tables['runs']) &&
    tables['runs'].includes('uuid') &&
    Array.isArray(runs) &&
    runs.every((r) => isObject(r) && typeof r['uuid'] === 'string' && typeof r['sha256'] === 'string')
  );
}

function checkHeader(h: Record<string, unknown>, file: string, limits: BundleLimits): BundleHeader {
  if (h['format'] !== BUNDLE_FORMAT)
    throw new BundleError(
      `${file} is not a costbench bundle (its first line has no format "${BUNDLE_FORMAT}")`,
    );
  const formatVersion = Number(h['formatVersion']);
  const schemaVersion = Number(h['schemaVersion']);
  if (formatVersion > limits.formatVersion || schemaVersion > limits.schemaVersion)
    throw new BundleError(
      `bundle ${file} was written by a newer costbench (${String(h['costbenchVersion'])}: bundle format ` +
        `${formatVersion}, schema ${schemaVersion}); this is ${limits.costbenchVersion} ` +
        `(format ${limits.formatVersion}, schema ${limits.schemaVersion})`,
      'Upgrade costbench on this machine, then import again.',
    );
  if (!wellFormedHeader(h))
    throw new BundleError(`bundle ${file} is corrupt: its header is not one costbench writes`);
  return h as unknown as BundleHeader;
}

/**
 * Reads a bundle's NDJSON text, checking the whole-file sha256 in its end line and each run's
 * sha256 in the header. Throws BundleError (one line: what, which file) on anything else. Pure.
 */
export function parseBundle(text: string, file: string, limits: BundleLimits): ParsedBundle {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const first = lines[0];
  if (first === undefined) throw new BundleError(`bundle ${file} is empty`);
  const header = checkHeader(parseLine(first, file, 1), file, limits);
  const last = parseLine(lines.at(-1) ?? '', file, lines.length);
  if (last['end'] !== true)
    throw new BundleError(`bundle ${file} is truncated: it has no end line`, 'Export it again.');
  const body = lines
    .slice(0, -1)
    .map((l) => `${l}\n`)
    .join('');
  const sha256 = sha256Hex(body);
  if (last['sha256'] !== sha256 || last['runs'] !== lines.length - 2)
    throw new BundleError(
      `bundle ${file} fails its sha256 check: it was altered or damaged`,
      'Export it again.',
    );
  const runs = lines.slice(1, -1).map((l, i) => parseLine(l, file, i + 2) as unknown as BundleRun);
  runs.forEach((run, i) => checkRun(run, header.runs[i], header.tables, file));
  if (header.runs.length !== runs.length)
    throw new BundleError(
      `bundle ${file} is corrupt: its header lists ${header.runs.length} runs, it holds ${runs.length}`,
    );
  return { header, runs, sha256 };
}

function checkRun(
  run: BundleRun,
  entry: BundleRunEntry | undefined,
  tables: TableColumns,
  file: string,
): void {
  const uuidAt = tables['runs']?.indexOf('uuid') ?? -1;
  const runRows = isObject(run.rows) ? run.rows['runs'] : undefined;
  if (
    typeof run.uuid !== 'string' ||
    run.uuid === '' ||
    entry?.uuid !== run.uuid ||
    runRows?.length !== 1 ||
    runRows[0]?.[uuidAt] !== run.uuid
  )
    throw new BundleError(
      `bundle ${file} is corrupt: run ${String(run.uuid)} is not the one its header lists`,
    );
  for (const [table, rows] of Object.entries(run.rows)) {
    const width = tables[table]?.length;
    if (
      !Array.isArray(rows) ||
      !rows.every((row) => Array.isArray(row) && row.length === width && row.every(isCell))
    )
      throw new BundleError(
        `bundle ${file} is corrupt: run ${run.uuid}'s ${table} rows do not match the header's columns`,
      );
  }
  if (runDigest(run.rows, tables) !== entry.sha256)
    throw new BundleError(
      `bundle ${file}: run ${run.uuid} fails its sha256 check: its rows were altered or damaged`,
      'Export it again.',
    );
}
