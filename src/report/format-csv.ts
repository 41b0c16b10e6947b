import type { RequestRow } from '../types/run-rows.js';
import type { StoredChannel } from '../types/telemetry-rows.js';
import type { StoredSample } from '../types/telemetry-rows.js';
import {
  clientDecodeTokensPerS,
  prefillTokensPerS,
  serverDecodeTokensPerS,
} from '../analysis/decode-rate.js';
import { clientQueueWaitMsOf } from '../analysis/open-loop-summary.js';

/**
 * What `report --format csv` dumps: one row per request, one row per raw telemetry sample, or one
 * row per recorded setting, server fact and machine-state field (settings-csv.ts). The first two
 * end with the run's settings digest: the rows say how they were made, `--csv settings` says all of it.
 */
export const CSV_KINDS = ['requests', 'samples', 'settings'] as const;
export type CsvKind = (typeof CSV_KINDS)[number];

/** RFC 4180 ends every record with CRLF (spreadsheets and pandas read it; so do line-based tools). */
export const CSV_EOL = '\r\n';

/** A cell: numbers stay numbers, null is an empty cell (unknown, not zero). */
export type CsvValue = string | number | boolean | null;

/**
 * Text starting with one of these is run as a formula by spreadsheets (CSV/formula injection):
 * `=`, `+`, `-`, `@`, and tab / carriage return, which some of them strip before looking.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV cell. Pure.
 * - numbers are written as numbers (a negative number is data, never guarded); non-finite ones are empty;
 * - booleans are `true` / `false`; null is empty;
 * - text that a spreadsheet would run as a formula gets a leading `'` (the OWASP advice), so an
 *   error message like `=HYPERLINK(…)` from a server shows as text; the quote is visible to
 *   other readers, which is the price of opening the file safely in Excel or LibreOffice;
 * - then RFC 4180 quoting: a cell with `"`, `,`, CR or LF is wrapped in quotes, inner quotes doubled.
 */
export function formatCsvCell(value: CsvValue): string {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** One CSV record, with its line ending. Pure. */
export function formatCsvRow(values: readonly CsvValue[]): string {
  return values.map(formatCsvCell).join(',') + CSV_EOL;
}

/** The request columns: every stored column (units in the names), three rates computed from them, the answer text last. */
const REQUEST_COLUMNS: readonly [string, (r: RequestRow) => CsvValue][] = [
  ['concurrency', (r) => r.concurrency],
  ['seq', (r) => r.seq],
  ['task_id', (r) => r.taskId],
  ['repeat_index', (r) => r.repeatIndex],
  ['state', (r) => r.state],
  ['started_at', (r) => r.startedAt],
  ['start_offset_ms', (r) => r.startOffsetMs],
  ['ttft_ms', (r) => r.ttftMs],
  ['last_token_ms', (r) => r.lastTokenMs],
  ['latency_ms', (r) => r.latencyMs],
  ['prompt_tokens', (r) => r.promptTokens],
  ['prompt_eval_ms', (r) => r.promptEvalMs],
  ['prompt_tokens_per_s', prefillTokensPerS],
  ['output_tokens', (r) => r.outputTokens],
  ['eval_ms', (r) => r.evalMs],
  // The tokens eval_ms covers when not every output token (the embedded engine: output_tokens - 1).
  ['eval_tokens', (r) => r.evalTokens ?? null],
  ['generation_tokens_per_s', serverDecodeTokensPerS],
  ['client_decode_tokens_per_s', clientDecodeTokensPerS],
  ['metrics_source', (r) => r.metricsSource],
  // Counted one token per streamed chunk (LM Studio): output_tokens and the rates from them are ESTIMATES.
  ['tokens_estimated', (r) => (r.metricsSource === null ? null : r.metricsSource === 'chunks')],
  ['cached_prompt_tokens', (r) => r.cachedPromptTokens],
  ['load_ms', (r) => r.loadMs],
  ['server_total_ms', (r) => r.serverTotalMs],
  // The embedded engine's CPU threads for this request; empty for model servers.
  ['threads', (r) => r.threads ?? null],
  ['done_reason', (r) => r.doneReason],
  ['chunks', (r) => r.chunks],
  ['malformed_lines', (r) => r.malformedLines],
  ['score', (r) => r.score],
  ['correct', (r) => r.correct],
  ['score_detail', (r) => r.scoreDetail],
  ['agreement', (r) => r.agreement],
  ['agreement_method', (r) => r.agreementMethod],
  ['error', (r) => r.error],
  ['output_text', (r) => r.outputText],
];

/**
 * Columns added after the first release of the header: appended after settings_digest, so a reader
 * that picks columns by position keeps working. Empty on a closed-loop request, or one without filler.
 */
const LATER_REQUEST_COLUMNS: readonly [string, (r: RequestRow) => CsvValue][] = [
  // Open loop (docs/load.md): the level's offered rate, when the request was due on the run's clock,
  // and its start minus that (the client's own queue wait, as the report's open-loop table counts it).
  ['arrival_rate_per_s', (r) => r.arrivalRatePerS ?? null],
  ['scheduled_offset_ms', (r) => r.scheduledOffsetMs ?? null],
  ['client_queue_wait_ms', clientQueueWaitMsOf],
  // The tokens of filler context before the prompt (run --context-depth).
  ['context_depth_tokens', (r) => r.contextDepthTokens ?? null],
];

/** The header of the requests CSV. */
export const REQUEST_CSV_HEADER: readonly string[] = [
  'run_id',
  ...REQUEST_COLUMNS.map(([name]) => name),
  'settings_digest',
  ...LATER_REQUEST_COLUMNS.map(([name]) => name),
];

/** The requests CSV, header first, one record per request, yielded one at a time. `settingsDigest`: null for a run without a record. Pure. */
export function* generateRequestsCsv(
  runId: number,
  requests: Iterable<RequestRow>,
  settingsDigest: string | null = null,
): Generator<string> {
  yield formatCsvRow(REQUEST_CSV_HEADER);
  for (const r of requests)
    yield formatCsvRow([
      runId,
      ...REQUEST_COLUMNS.map(([, get]) => get(r)),
      settingsDigest,
      ...LATER_REQUEST_COLUMNS.map(([, get]) => get(r)),
    ]);
}

/** The header of the samples CSV: the channel's identity, then the reading (null fields were not reported). */
export const SAMPLE_CSV_HEADER: readonly string[] = [
  'run_id',
  'channel_key',
  'source',
  'device',
  'kind',
  'covers',
  'in_total',
  't_ms',
  'power_w',
  'energy_j',
  'utilization_pct',
  'memory_used_bytes',
  'clock_mhz',
  'temperature_c',
  'settings_digest',
];

/**
 * The samples CSV, header first, channel by channel in time order. `samplesOf` is called once per
 * channel, when its rows are due, so only one channel's readings are held at a time. `kind` says
 * `estimate` for a modelled power: an estimate is never dumped as if it were a reading.
 */
export function* generateSamplesCsv(
  runId: number,
  channels: readonly StoredChannel[],
  samplesOf: (channel: StoredChannel) => Iterable<StoredSample>,
  settingsDigest: string | null = null,
): Generator<string> {
  yield formatCsvRow(SAMPLE_CSV_HEADER);
  for (const c of channels) {
    for (const s of samplesOf(c)) {
      yield formatCsvRow([
        runId,
        c.key,
        c.source,
        c.device,
        c.kind,
        c.covers,
        c.inTotal,
        s.tMs,
        s.powerW,
        s.energyJ,
        s.utilizationPct,
        s.memoryUsedBytes,
        s.clockMhz,
        s.temperatureC,
        settingsDigest,
      ]);
    }
  }
}
