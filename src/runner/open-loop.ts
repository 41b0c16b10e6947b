/**
 * One open-loop level: requests start on an arrival schedule (arrivals.ts) whether or not earlier
 * ones finished. Each row stores its offered rate and when it was due; the level stops early when
 * requests in flight grow without bound (analysis/over-saturation.ts).
 */
import { isOverSaturated } from './over-saturation.js';
import { insertRequest, type RequestRow } from '../store/requests.js';
import { addPlannedRequests } from '../store/runs.js';
import { openPhaseWindow } from '../store/telemetry.js';
import { arrivalOffsetsMs, type ArrivalSpec } from './arrivals.js';
import { chatWithRetry, toRow, type ExecuteRunInput, type Outcome } from './execute.js';
import type { PlannedRequest } from './plan.js';
import { OPEN_LOOP_MAX_IN_FLIGHT, type Level } from '../types/level.js';
import { levelRequestKey } from './resume.js';

/** Requests an open-loop level runs at least (enough for a p95 that is not just the maximum). */
export const MIN_OPEN_LEVEL_REQUESTS = 20;

/** An open-loop level's plan. */
export interface OpenLevel extends ArrivalSpec {
  /** The p95 latency bound a sweep judges it against, ms (stored with the phase); null: none. */
  latencyBoundMs: number | null;
  /** The p95 TTFT bound a sweep judges it against, ms (stored with the phase); null: none. */
  ttftBoundMs: number | null;
}

/** How an open-loop level ended, with its rows (the sweep judges them). */
export interface OpenOutcome extends Outcome {
  rows: RequestRow[];
  overSaturated: boolean;
}

/**
 * Requests of a level at `ratePerS`: whole passes of the planned requests, at least
 * MIN_OPEN_LEVEL_REQUESTS and at least the level's minimum duration x rate. Pure.
 */
export function openLevelCount(planned: number, ratePerS: number, minDurationMs: number): number {
  const wanted = Math.max(MIN_OPEN_LEVEL_REQUESTS, Math.ceil((ratePerS * minDurationMs) / 1000));
  const passes = Math.max(1, Math.ceil(wanted / Math.max(1, planned)));
  return passes * planned;
}

/** The i-th request of repeated passes over the plan (new seq and repeat index from the second pass). */
function nth(base: readonly PlannedRequest[], index: number): PlannedRequest {
  const pass = Math.floor(index / base.length);
  const planned = base[index % base.length] as PlannedRequest;
  const repeats = base.reduce((max, p) => Math.max(max, p.repeatIndex + 1), 1);
  if (pass === 0) return planned;
  return {
    ...planned,
    seq: planned.seq + pass * base.length,
    repeatIndex: planned.repeatIndex + pass * repeats,
  };
}

/**
 * Runs one open-loop level (at most OPEN_LOOP_MAX_IN_FLIGHT requests in flight, its stored concurrency). A request's client
 * queue wait is its start minus when it was due (the client's own lag; the server's queue is
 * inside its TTFT). Stops sending when the signal fires, the server is gone, or the level is
 * over-saturated (then marked so with its phase); requests already sent are awaited and stored.
 */
export async function measureOpenLevel(
  input: ExecuteRunInput,
  origin: number,
  spec: OpenLevel,
): Promise<OpenOutcome> {
  const { db, runId, now } = input;
  const rate = spec.ratePerS;
  const window = openPhaseWindow(db, runId, 'measure', OPEN_LOOP_MAX_IN_FLIGHT, now() - origin, {
    arrivalRatePerS: rate,
    latencyBoundMs: spec.latencyBoundMs,
    ttftBoundMs: spec.ttftBoundMs,
  });
  const store = db.transaction((row: RequestRow) => {
    insertRequest(db, runId, row);
    window.extendTo(now() - origin);
  });
  const base = input.requests;
  const count = base.length === 0 ? 0 : openLevelCount(base.length, rate, input.minDurationMs);
  const offsets = arrivalOffsetsMs(spec, count);
  const rows: RequestRow[] = [];
  const inFlightSamples: number[] = [];
  const sent: Promise<void>[] = [];
  let inFlight = 0;
  let onFree: (() => void) | null = null;
  let completed = 0;
  let serverGone: string | null = null;
  let firstError: string | null = null;
  let overSaturated = false;
  const levelStart = now();
  const send = async (planned: PlannedRequest, dueMs: number, index: number): Promise<void> => {
    input.onEvent?.({ kind: 'request-start', planned, index, total: count });
    const attempt = await chatWithRetry(input, planned, origin);
    const { result } = attempt;
    const row: RequestRow = {
      ...toRow(planned, result, attempt.startedAt, attempt.startOffsetMs, input.storeOutputs, undefined),
      concurrency: OPEN_LOOP_MAX_IN_FLIGHT,
      arrivalRatePerS: rate,
      scheduledOffsetMs: dueMs - origin,
    };
    store(row);
    rows.push(row);
    input.onEvent?.({ kind: 'request-done', row, index: completed, total: count });
    completed += 1;
    if (result.state !== 'ok') firstError ??= `${planned.taskId}: ${result.error}`;
    if (result.state === 'errored' && (result.errorKind === 'unreachable' || result.errorKind === 'crashed'))
      serverGone = result.error;
  };
  const level: Level = { concurrency: OPEN_LOOP_MAX_IN_FLIGHT, arrivalRatePerS: rate };
  for (let i = 0; i < count; i += 1) {
    const planned = nth(base, i);
    // A resumed run keeps the requests it has: their slots in the schedule stay empty.
    if (input.done?.has(levelRequestKey(level, planned.taskId, planned.repeatIndex)) === true) continue;
    const dueMs = levelStart + (offsets[i] ?? 0);
    const waitMs = dueMs - now();
    if (waitMs > 0) await input.sleep(waitMs, input.signal);
    if (input.signal?.aborted === true || serverGone !== null) break;
    if (completed > 0) {
      inFlightSamples.push(inFlight);
      if (isOverSaturated(inFlightSamples)) {
        overSaturated = true;
        break;
      }
    }
    // At the cap, the request waits for one to finish (its wait is client queue wait).
    while (inFlight >= OPEN_LOOP_MAX_IN_FLIGHT) await new Promise<void>((resolve) => (onFree = resolve));
    inFlight += 1;
    sent.push(
      send(planned, dueMs, i).finally(() => {
        inFlight -= 1;
        onFree?.();
      }),
    );
  }
  await Promise.all(sent);
  if (rows.length > 0) window.extendTo(now() - origin);
  if (overSaturated) window.markOverSaturated();
  addPlannedRequests(db, runId, count);
  const ok = rows.filter((r) => r.state === 'ok').length;
  const failed = rows.length - ok;
  if (input.signal?.aborted === true)
    return { status: 'aborted', ok, failed, error: 'stopped by a signal', rows, overSaturated };
  if (serverGone !== null)
    return {
      status: 'failed',
      ok,
      failed,
      error: `the server stopped answering (${serverGone})`,
      rows,
      overSaturated,
    };
  return { status: 'completed', ok, failed, error: firstError, rows, overSaturated };
}
