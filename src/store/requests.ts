import type { Db } from './db.js';
import { prepared } from './prepared.js';
import type { RequestRow, WarmupRow } from '../types/run-rows.js';
export type { RequestRow, WarmupRow } from '../types/run-rows.js';

const COLUMNS = `concurrency, seq, task_id, repeat_index, state, started_at, start_offset_ms, ttft_ms, latency_ms, prompt_tokens,
  prompt_eval_ms, output_tokens, eval_ms, load_ms, server_total_ms, done_reason, chunks, malformed_lines, output_text, error,
  score, correct, score_detail, agreement, agreement_method, metrics_source, cached_prompt_tokens, last_token_ms,
  eval_tokens, threads, reasoning_tokens, retries, retry_wait_ms, cost_usd, arrival_rate_per_s, scheduled_offset_ms,
  context_depth_tokens`;

/** Writes one request row; called as each request completes so nothing finished is lost. */
export function insertRequest(db: Db, runId: number, r: RequestRow): void {
  prepared(
    db,
    `INSERT INTO requests (run_id, ${COLUMNS}) VALUES (${Array.from({ length: 38 }, () => '?').join(', ')})`,
  ).run(
    runId,
    r.concurrency,
    r.seq,
    r.taskId,
    r.repeatIndex,
    r.state,
    r.startedAt,
    r.startOffsetMs,
    r.ttftMs,
    r.latencyMs,
    r.promptTokens,
    r.promptEvalMs,
    r.outputTokens,
    r.evalMs,
    r.loadMs,
    r.serverTotalMs,
    r.doneReason,
    r.chunks,
    r.malformedLines,
    r.outputText,
    r.error,
    r.score,
    r.correct === null ? null : r.correct ? 1 : 0,
    r.scoreDetail,
    r.agreement,
    r.agreementMethod,
    r.metricsSource,
    r.cachedPromptTokens,
    r.lastTokenMs,
    r.evalTokens ?? null,
    r.threads ?? null,
    r.reasoningTokens ?? null,
    r.retries ?? 0,
    r.retryWaitMs ?? 0,
    r.costUsd ?? null,
    r.arrivalRatePerS ?? null,
    r.scheduledOffsetMs ?? null,
    r.contextDepthTokens ?? null,
  );
}

/** A run's requests in the order they were planned. */
export function listRequests(db: Db, runId: number): RequestRow[] {
  const rows = db
    .prepare(
      `SELECT concurrency, seq, task_id AS taskId, repeat_index AS repeatIndex, state, started_at AS startedAt, start_offset_ms AS startOffsetMs,
         ttft_ms AS ttftMs, latency_ms AS latencyMs, prompt_tokens AS promptTokens, prompt_eval_ms AS promptEvalMs,
         output_tokens AS outputTokens, eval_ms AS evalMs, load_ms AS loadMs, server_total_ms AS serverTotalMs,
         done_reason AS doneReason, chunks, malformed_lines AS malformedLines, output_text AS outputText, error,
         score, correct, score_detail AS scoreDetail, agreement, agreement_method AS agreementMethod,
         metrics_source AS metricsSource, cached_prompt_tokens AS cachedPromptTokens, last_token_ms AS lastTokenMs,
         eval_tokens AS evalTokens, threads, reasoning_tokens AS reasoningTokens, retries,
         retry_wait_ms AS retryWaitMs, cost_usd AS costUsd, arrival_rate_per_s AS arrivalRatePerS,
         scheduled_offset_ms AS scheduledOffsetMs, context_depth_tokens AS contextDepthTokens
       FROM requests WHERE run_id = ? ORDER BY concurrency, arrival_rate_per_s, context_depth_tokens, seq`,
    )
    .all(runId) as (Omit<RequestRow, 'correct'> & { correct: number | null })[];
  return rows.map((r) =>
    remoteFieldsOnlyWhenSet({ ...r, correct: r.correct === null ? null : r.correct === 1 }),
  );
}

/**
 * The remote-API and open-loop fields are absent on rows that lack them, and the context depth on a
 * row without filler (they are optional in RequestRow): older runs' records and reports stay as they were.
 */
function remoteFieldsOnlyWhenSet(r: RequestRow): RequestRow {
  const {
    reasoningTokens,
    retries,
    retryWaitMs,
    costUsd,
    arrivalRatePerS,
    scheduledOffsetMs,
    contextDepthTokens,
    ...rest
  } = r;
  return {
    ...rest,
    ...(arrivalRatePerS == null ? {} : { arrivalRatePerS }),
    ...(scheduledOffsetMs == null ? {} : { scheduledOffsetMs }),
    ...(contextDepthTokens == null ? {} : { contextDepthTokens }),
    ...(reasoningTokens == null ? {} : { reasoningTokens }),
    ...(retries === undefined || retries === 0 ? {} : { retries }),
    ...(retryWaitMs === undefined || retryWaitMs === 0 ? {} : { retryWaitMs }),
    ...(costUsd == null ? {} : { costUsd }),
  };
}

export function insertWarmup(db: Db, runId: number, w: WarmupRow): void {
  db.prepare(
    // OR IGNORE: a resumed run keeps the warm-up of its first start (its cold load).
    'INSERT OR IGNORE INTO warmups (run_id, state, already_loaded, start_offset_ms, latency_ms, load_ms, done_reason, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    runId,
    w.state,
    w.alreadyLoaded ? 1 : 0,
    w.startOffsetMs,
    w.latencyMs,
    w.loadMs,
    w.doneReason,
    w.error,
  );
}

export function getWarmup(db: Db, runId: number): WarmupRow | null {
  const row = db
    .prepare(
      `SELECT state, already_loaded AS alreadyLoaded, start_offset_ms AS startOffsetMs, latency_ms AS latencyMs, load_ms AS loadMs, done_reason AS doneReason, error
       FROM warmups WHERE run_id = ?`,
    )
    .get(runId);
  if (row === undefined) return null;
  const stored = row as Omit<WarmupRow, 'alreadyLoaded'> & { alreadyLoaded: number };
  return { ...stored, alreadyLoaded: stored.alreadyLoaded === 1 };
}

/** Counts of a run's requests by state, for the runs list. */
export function countRequests(db: Db, runId: number): { ok: number; failed: number } {
  const row = db
    .prepare(`SELECT SUM(state = 'ok') AS ok, SUM(state != 'ok') AS failed FROM requests WHERE run_id = ?`)
    .get(runId) as { ok: number | null; failed: number | null };
  return { ok: row.ok ?? 0, failed: row.failed ?? 0 };
}
