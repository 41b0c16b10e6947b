import type { Backend, ChatResult, WarmupResult } from '../backends/backend.js';
import type { Db } from '../store/db.js';
import { insertRequest, insertWarmup, type RequestRow } from '../store/requests.js';
import { finishRun, type RunStatus } from '../store/runs.js';
import { insertPhase, type PhaseName } from '../store/telemetry.js';
import { computeAgreement } from '../replay/agreement.js';
import { scoreAnswer } from '../suites/score.js';
import type { PlannedRequest } from './plan.js';

/** What the run loop tells the progress display. */
export type RunEvent =
  | { kind: 'warmup-start' }
  | { kind: 'warmup-done'; warmup: WarmupResult; alreadyLoaded: boolean }
  | { kind: 'request-start'; planned: PlannedRequest; index: number; total: number }
  | { kind: 'chunk'; text: string }
  | { kind: 'request-done'; row: RequestRow; index: number; total: number }
  | { kind: 'idle-start'; phase: 'idle-before' | 'idle-after'; durationMs: number };

export interface ExecuteRunInput {
  db: Db;
  runId: number;
  backend: Backend;
  model: string;
  requests: PlannedRequest[];
  warmup: boolean;
  /** Whether the server listed the model as loaded before the warm-up. */
  alreadyLoaded: boolean;
  keepAlive: string | number;
  timeoutMs: number;
  storeOutputs: boolean;
  /** Monotonic clock in ms. */
  now: () => number;
  /** The run's time zero on `now`'s scale: every stored offset (requests, samples, phases) is relative to it. */
  originMs: number;
  /** Idle measured with the model loaded, before and after the requests; 0 skips both. */
  idleBaselineMs: number;
  /** Waits, returning early when the signal fires. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Wall clock, for the ISO timestamps stored beside monotonic offsets. */
  wallClock: () => Date;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Replay: the API's own answer for each task id, to score agreement against. */
  references?: ReadonlyMap<string, string>;
}

export interface ExecuteRunResult {
  status: Exclude<RunStatus, 'running'>;
  ok: number;
  failed: number;
  error: string | null;
}

/**
 * Runs the warm-up, then every planned request one after another, writing each request's row
 * the moment it completes. A failed request is recorded and the run goes on. The run row gets
 * its final status: completed, failed (warm-up failed, or no request succeeded) or aborted.
 */
export async function executeRun(input: ExecuteRunInput): Promise<ExecuteRunResult> {
  const { db, runId, backend, now, onEvent } = input;
  const origin = input.originMs;
  const phase = async (name: PhaseName, work: () => Promise<void>): Promise<void> => {
    const startMs = now() - origin;
    await work();
    insertPhase(db, runId, { name, startMs, endMs: now() - origin });
  };
  const idle = (name: 'idle-before' | 'idle-after'): Promise<void> =>
    phase(name, async () => {
      onEvent?.({ kind: 'idle-start', phase: name, durationMs: input.idleBaselineMs });
      await input.sleep(input.idleBaselineMs, input.signal);
    });
  const finish = (status: ExecuteRunResult['status'], ok: number, failed: number, error: string | null): ExecuteRunResult => {
    finishRun(db, runId, status, input.wallClock().toISOString(), error);
    return { status, ok, failed, error };
  };

  if (input.warmup) {
    onEvent?.({ kind: 'warmup-start' });
    let warmup: WarmupResult | undefined;
    await phase('warmup', async () => {
      const startOffsetMs = now() - origin;
      const firstOptions = input.requests[0]?.options ?? {};
      warmup = await backend.warmUp(input.model, firstOptions, input.keepAlive);
      insertWarmup(db, runId, { ...warmup, alreadyLoaded: input.alreadyLoaded, startOffsetMs });
    });
    if (warmup === undefined) throw new Error('warm-up did not run');
    onEvent?.({ kind: 'warmup-done', warmup, alreadyLoaded: input.alreadyLoaded });
    if (warmup.state !== 'ok') return finish('failed', 0, 0, `warm-up failed: ${warmup.error ?? 'unknown error'}`);
  }
  if (input.idleBaselineMs > 0 && input.signal?.aborted !== true) await idle('idle-before');

  let outcome: Outcome = { status: 'completed', ok: 0, failed: 0, error: null };
  await phase('measure', async () => {
    outcome = await measureRequests(input, origin);
  });
  if (outcome.status === 'completed' && input.idleBaselineMs > 0 && input.signal?.aborted !== true) await idle('idle-after');
  return finish(outcome.status, outcome.ok, outcome.failed, outcome.error);
}

type Outcome = { status: ExecuteRunResult['status']; ok: number; failed: number; error: string | null };

/** Runs the planned requests one after another, writing each row as it completes. */
async function measureRequests(input: ExecuteRunInput, origin: number): Promise<Outcome> {
  const { db, runId, backend, now, onEvent } = input;
  let ok = 0;
  let failed = 0;
  let firstError: string | null = null;
  const total = input.requests.length;
  for (const [index, planned] of input.requests.entries()) {
    if (input.signal?.aborted === true) return { status: 'aborted', ok, failed, error: 'stopped by a signal' };
    onEvent?.({ kind: 'request-start', planned, index, total });
    const startedAt = input.wallClock().toISOString();
    const startOffsetMs = now() - origin;
    const result = await backend.chat(
      {
        model: input.model,
        messages: planned.messages,
        options: planned.options,
        format: planned.format,
        keepAlive: input.keepAlive,
        timeoutMs: input.timeoutMs,
        signal: input.signal,
      },
      onEvent === undefined ? undefined : (text) => onEvent({ kind: 'chunk', text }),
    );
    const row = toRow(planned, result, startedAt, startOffsetMs, input.storeOutputs, input.references?.get(planned.taskId));
    insertRequest(db, runId, row);
    onEvent?.({ kind: 'request-done', row, index, total });
    if (result.state === 'ok') ok += 1;
    else {
      failed += 1;
      firstError ??= `${planned.taskId}: ${result.error}`;
      if (result.state === 'aborted') return { status: 'aborted', ok, failed, error: 'stopped by a signal' };
    }
  }
  if (ok === 0 && total > 0) return { status: 'failed', ok, failed, error: `every request failed; first: ${firstError ?? 'unknown'}` };
  return { status: 'completed', ok, failed, error: null };
}

/** The score against the expected answer: a failed request failed its task. */
function scoreOf(planned: PlannedRequest, result: ChatResult): Pick<RequestRow, 'score' | 'correct' | 'scoreDetail'> {
  if (planned.check === null) return { score: null, correct: null, scoreDetail: null };
  if (result.state !== 'ok') return { score: 0, correct: false, scoreDetail: `request ${result.state}` };
  const s = scoreAnswer(planned.check, planned.expected, result.text);
  return { score: s.score, correct: s.correct, scoreDetail: s.detail };
}

function agreementOf(result: ChatResult, reference: string | undefined): Pick<RequestRow, 'agreement' | 'agreementMethod'> {
  if (reference === undefined || result.state !== 'ok') return { agreement: null, agreementMethod: null };
  const a = computeAgreement(result.text, reference);
  return { agreement: a.score, agreementMethod: a.method };
}

function toRow(planned: PlannedRequest, result: ChatResult, startedAt: string, startOffsetMs: number, storeOutputs: boolean, reference: string | undefined): RequestRow {
  return {
    ...scoreOf(planned, result),
    ...agreementOf(result, reference),
    seq: planned.seq,
    taskId: planned.taskId,
    repeatIndex: planned.repeatIndex,
    state: result.state,
    startedAt,
    startOffsetMs,
    ttftMs: result.ttftMs,
    latencyMs: result.latencyMs,
    promptTokens: result.metrics.promptTokens,
    promptEvalMs: result.metrics.promptEvalMs,
    outputTokens: result.metrics.outputTokens,
    evalMs: result.metrics.evalMs,
    loadMs: result.metrics.loadMs,
    serverTotalMs: result.metrics.totalMs,
    doneReason: result.doneReason,
    chunks: result.chunks,
    malformedLines: result.malformedLines,
    outputText: storeOutputs ? result.text : null,
    error: result.state === 'ok' ? null : result.error,
  };
}
