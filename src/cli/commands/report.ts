import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { ConfigError, EXIT, describeError } from '../../errors.js';
import { generateSettingsCsv } from '../../report/settings-csv.js';
import { CSV_KINDS, generateRequestsCsv, generateSamplesCsv, type CsvKind } from '../../report/format-csv.js';
import { formatRunMarkdown } from '../../report/format-markdown.js';
import { formatRunTable } from '../../report/format-table.js';
import { analysisJson } from '../../report/format-json.js';
import type { RunAnalysis } from '../../analysis/analyze-run.js';
import { openDb, type Db } from '../../store/db.js';
import { getMachineStates } from '../../store/machine-states.js';
import { getRecord, listServerFacts } from '../../store/records.js';
import { listRequests } from '../../store/requests.js';
import { getRun } from '../../store/runs.js';
import { listChannels, listSamples } from '../../store/telemetry.js';
import type { RunRecord } from '../../types/run-record.js';
import type { CliIo } from '../io.js';
import { readRunAnalysis } from '../run-analysis.js';
import { ensureDirectory } from '../../util/ensure-dir.js';

export const REPORT_FORMATS = ['table', 'json', 'csv', 'md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** CSV records gathered into one write: few system calls, and never the whole file in memory. */
const CSV_LINES_PER_WRITE = 512;

export interface ReportFlags extends ConfigFlags {
  format?: string;
  out?: string;
  csv?: string;
}

/** Where the report goes: stdout, or a file opened once and written chunk by chunk. */
interface Sink {
  write: (chunk: string) => void;
  close: () => void;
}

function openSink(path: string | null, io: CliIo): Sink {
  if (path === null) return { write: io.stdout, close: () => undefined };
  let fd: number;
  try {
    ensureDirectory(dirname(path));
    fd = openSync(path, 'w');
  } catch (error) {
    throw new ConfigError(
      `--out ${path}: cannot write it (${describeError(error)})`,
      'Choose a writable file path.',
      error,
    );
  }
  return {
    write: (chunk) => {
      writeSync(fd, chunk);
    },
    close: () => closeSync(fd),
  };
}

/** Writes lines in batches, so a 36k-row CSV is never one string. */
function writeBatched(lines: Iterable<string>, sink: Sink): void {
  let batch: string[] = [];
  for (const line of lines) {
    batch.push(line);
    if (batch.length >= CSV_LINES_PER_WRITE) {
      sink.write(batch.join(''));
      batch = [];
    }
  }
  if (batch.length > 0) sink.write(batch.join(''));
}

function resolveFormat(flags: ReportFlags): { format: ReportFormat; csv: CsvKind } {
  const format = flags.format ?? (flags.csv === undefined ? 'table' : 'csv');
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new ConfigError(
      `--format ${format} is not a report format`,
      `Use one of: ${REPORT_FORMATS.join(', ')}.`,
    );
  }
  const csv = flags.csv ?? 'requests';
  if (!(CSV_KINDS as readonly string[]).includes(csv))
    throw new ConfigError(`--csv ${csv} is not a CSV dump`, `Use one of: ${CSV_KINDS.join(', ')}.`);
  if (flags.csv !== undefined && format !== 'csv')
    throw new ConfigError(
      `--csv applies to --format csv, not --format ${format}`,
      `e.g. costbench report latest --format csv --csv ${csv}`,
    );
  return { format: format as ReportFormat, csv: csv as CsvKind };
}

/**
 * The raw rows of a run as CSV records: its requests, every telemetry sample of every channel, or
 * its settings. Only the rows the dump needs are read; samples one channel at a time, when due.
 */
function csvLines(db: Db, runId: number, kind: CsvKind): Iterable<string> {
  const record = getRecord(db, runId);
  const digest = record?.digest ?? null;
  if (kind === 'requests') return generateRequestsCsv(runId, listRequests(db, runId), digest);
  if (kind === 'settings')
    return generateSettingsCsv(runId, record, listServerFacts(db, runId), getMachineStates(db, runId));
  return generateSamplesCsv(runId, listChannels(db, runId), (c) => listSamples(db, c.id), digest);
}

async function renderSummary(
  format: Exclude<ReportFormat, 'csv'>,
  summary: RunAnalysis,
  record: RunRecord,
): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(analysisJson(summary), null, 2) + '\n';
    case 'md':
      return formatRunMarkdown(summary);
    case 'html': {
      const [{ renderHtmlReport }, { htmlSeriesOf }] = await Promise.all([
        import('../html-report.js'),
        import('../../report/html/series.js'),
      ]);
      return renderHtmlReport(summary, htmlSeriesOf(record));
    }
    case 'table':
      return formatRunTable(summary);
  }
}

/**
 * `costbench report [id|latest]`: recomputes a run's figures from its stored rows, as a table,
 * JSON, Markdown or an HTML page; or dumps its raw requests or samples as CSV. `--out` writes a
 * file (parent directories created, an existing file overwritten) instead of stdout.
 */
export async function reportCommand(ref: string, flags: ReportFlags, io: CliIo): Promise<number> {
  const { format, csv } = resolveFormat(flags);
  const { config, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  const out = flags.out === undefined ? null : resolve(io.cwd, flags.out);
  const db = openDb(dbPath);
  try {
    // Read everything before opening the output, so a missing run leaves no empty file behind.
    let lines: Iterable<string>;
    if (format === 'csv') {
      lines = csvLines(db, getRun(db, ref).id, csv);
    } else {
      const { record, analysis } = readRunAnalysis(db, ref, config, dbPath, file);
      lines = [await renderSummary(format, analysis, record)];
    }
    const sink = openSink(out, io);
    try {
      writeBatched(lines, sink);
    } finally {
      sink.close();
    }
    if (out !== null) io.stderr(`wrote ${out}\n`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}
