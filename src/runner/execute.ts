import type { Backend, ChatResult, WarmupResult } from '../backends/backend.js';
import type { Db } from '../store/db.js';
import { insertRequest, insertWarmup, type RequestRow } from '../store/requests.js';
import { addPlannedRequests, finishRun, type RunStatus } from '../store/runs.js';
import { insertIdleSettle, insertPhase, openPhaseWindow, type PhaseName } from '../store/telemetry.js';
import { SETTLE_MAX_MS, type WaitForSteadyPower } from '../telemetry/steady.js';
import { computeAgreement } from '../replay/agreement.js';
import { scoreAnswer } from '../suites/score.js';
import type { PlannedRequest } from './plan.js';
import { levelRequestKey } from './resume.js';
import { withContextFiller } from './context-filler.js';
import { levelKey, type Level } from '../types/level.js';
import { reserve, settle, withMaxOutput, type RemoteBilling } from './remote-billing.js';
export type { RemoteBilling } from './remote-billing.js';
import type { RateVerdict } from './rate-search.js';

/** 429 Too Many Requests: retries of one request, and the longest single wait (Retry-After beyond it is capped). */
export const RATE_LIMIT_RETRIES = 5;
export const RATE_LIMIT_MAX_WAIT_MS = 60_000;
/** Without Retry-After: 1 s, then twice as long each time. */
export const RATE_LIMIT_BACKOFF_MS = 1_000;

/** What the run loop tells the progress display. */
export type RunEvent =
  | { kind: 'warmup-start' }
  /** loadKnown: false when the server cannot say whether the model was loaded (then the warm-up may or may not include a load). */
  | { kind: 'warmup-done'; warmup: WarmupResult; alreadyLoaded: boolean; loadKnown: boolean }
  /** arrivalRatePerS: an open-loop level (concurrency: its cap on requests in flight); contextDepthTokens: filler before each prompt. */
  | { kind: 'level-start'; concurrency: number; arrivalRatePerS?: number; contextDepthTokens?: number }
  /** A rate sweep judged a level against its latency bound. */
  | { kind: 'rate-level-done'; verdict: RateVerdict }
  | { kind: 'request-start'; planned: PlannedRequest; index: number; total: number }
  | { kind: 'chunk'; text: string }
  | { kind: 'request-done'; row: RequestRow; index: number; total: number }
  /** settleMaxMs: an idle phase first waits up to this long for power to settle (absent: no wait). */
  | {
      kind: 'idle-start';
      phase: 'idle-before' | 'idle-after' | 'cooldown';
      durationMs: number;
      settleMaxMs?: number;
    }
  | { kind: 'retry'; taskId: string; attempt: number; delayMs: number; error: string }
  /** A request's attempt starts or ends now (the moments its start offset and latency are timed): counters are read here. */
  | { kind: 'attempt-start' }
  | { kind: 'attempt-done' }
  /** A phase ended (its endMs is now): energy counters are read at this edge. */
  | { kind: 'phase-done'; phase: PhaseName }
  /** An idle phase's power settled: its baseline starts now, so counters are read here too. */
  | { kind: 'idle-settled'; phase: 'idle-before' | 'idle-after' };

export interface ExecuteRunInput {
  db: Db;
  runId: number;
  backend: Backend;
  model: string;
  requests: PlannedRequest[];
  /** Requests in flight at each level; the suite runs once per level, in this order. */
  concurrencyLevels: readonly number[];
  /**
   * Tokens of filler context before each prompt (run --context-depth): every depth runs at every
   * concurrency, depth by depth. Absent or empty: no filler, and no depth in the levels.
   */
  contextDepths?: readonly number[];
  warmup: boolean;
  /** Unload the model first (keep_alive 0) so the warm-up measures a cold load. */
  coldStart: boolean;
  /** Whether the server listed the model as loaded before the warm-up. */
  alreadyLoaded: boolean;
  /** false when the server cannot say which models are loaded (then the warm-up may or may not include a load). Default true. */
  loadStateKnown?: boolean;
  keepAlive: string | number;
  timeoutMs: number;
  storeOutputs: boolean;
  /** Monotonic clock in ms. */
  now: () => number;
  /** The run's time zero on `now`'s scale: every stored offset (requests, samples, phases) is relative to it. */
  originMs: number;
  /** Idle measured with the model loaded, before and after the requests; 0 skips both. */
  idleBaselineMs: number;
  /**
   * Waits until power is flat before each idle baseline (from the telemetry session's live readings);
   * absent with telemetry off or no power channel: no wait.
   */
  waitForSteadyPower?: WaitForSteadyPower;
  /** Rest between concurrency levels, so heat from one does not slow the next; 0 for none. */
  cooldownMs: number;
  /** Waits before each retry of a request the server did not answer (connection refused) or refused as busy (503). */
  retryDelaysMs: readonly number[];
  /** Each level repeats whole passes of the planned requests until it has run at least this long; 0: one pass. */
  minDurationMs: number;
  /** Waits, returning early when the signal fires. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Wall clock, for the ISO timestamps stored beside monotonic offsets. */
  wallClock: () => Date;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Awaited once the model is loaded (after the warm-up, before the idle baseline): the server's facts are read then. */
  afterWarmup?: () => Promise<void>;
  /** Replay: the API's own answer for each task id, to score agreement against. */
  references?: ReadonlyMap<string, string>;
  /** Resume: requests the run already has (levelRequestKey), not run again. */
  done?: ReadonlySet<string>;
  /** A remote run's billing: cost per request and the spend cap. Absent: a local run. */
  remote?: RemoteBilling;
  /**
   * Runs the open-loop levels after the closed-loop ones (a rate, or a rate sweep: rate-sweep.ts),
   * given the closed-loop throughput and a rest between levels. Absent: closed loop only.
   */
  openLoop?: OpenLoopRunner;
}

/** The open-loop part of a run (rate-sweep.ts's runOpenLoop with its plan). */
export type OpenLoopRunner = (
  input: ExecuteRunInput,
  origin: number,
  closedTasksPerS: number | null,
  rest: () => Promise<void>,
) => Promise<Outcome>;

export interface ExecuteRunResult {
  status: Exclude<RunStatus, 'running'>;
  ok: number;
  failed: number;
  error: string | null;
  /** Why the run stopped before its plan without a signal (the spend cap); null otherwise. */
  stopReason?: string | null;
}

/** How one level ended. */
export type Outcome = {
  status: ExecuteRunResult['status'];
  ok: number;
  failed: number;
  error: string | null;
  stopReason?: string | null;
};

/**
 * Runs an optional unload, the warm-up, an idle baseline, then the planned requests at each
 * concurrency level (with an optional cooldown between levels), then idle again, writing each
 * request's row the moment it completes. A failed request is recorded and the run goes on. The
 * run row gets its final status: completed, failed (warm-up failed, or no request succeeded) or aborted.
 */
export async function executeRun(input: ExecuteRunInput): Promise<ExecuteRunResult> {
  const { db, runId, backend, now, onEvent } = input;
  const origin = input.originMs;
  const phase = async (name: PhaseName, concurrency: number, work: () => Promise<void>): Promise<void> => {
    const startMs = now() - origin;
    await work();
    const endMs = now() - origin;
    onEvent?.({ kind: 'phase-done', phase: name });
    insertPhase(db, runId, { name, concurrency, startMs, endMs });
  };
  const wait = input.waitForSteadyPower;
  // An idle baseline starts where power settled; that point is stored with the phase.
  const settle = async (name: 'idle-before' | 'idle-after'): Promise<void> => {
    if (wait === undefined) return;
    const startMs = now() - origin;
    const r = await wait(SETTLE_MAX_MS, input.signal);
    const settledMs = now() - origin;
    onEvent?.({ kind: 'idle-settled', phase: name });
    insertIdleSettle(db, runId, {
      phase: name,
      startMs,
      settledMs,
      steady: r.steady,
      maxMs: SETTLE_MAX_MS,
      windowMs: r.windowMs,
      tolerance: r.tolerance,
    });
  };
  const rest = (
    name: 'idle-before' | 'idle-after' | 'cooldown',
    ms: number,
    concurrency = 0,
  ): Promise<void> =>
    phase(name, concurrency, async () => {
      const waits = wait !== undefined && name !== 'cooldown';
      const settleMax = waits ? { settleMaxMs: SETTLE_MAX_MS } : {};
      onEvent?.({ kind: 'idle-start', phase: name, durationMs: ms, ...settleMax });
      if (name !== 'cooldown') await settle(name);
      await input.sleep(ms, input.signal);
    });
  const finish = (
    status: ExecuteRunResult['status'],
    ok: number,
    failed: number,
    error: string | null,
  ): ExecuteRunResult => {
    finishRun(db, runId, status, input.wallClock().toISOString(), error);
    return { status, ok, failed, error };
  };

  if (input.coldStart) await phase('unload', 0, async () => void (await backend.unload(input.model)));
  if (input.warmup) {
    onEvent?.({ kind: 'warmup-start' });
    let warmup: WarmupResult | undefined;
    await phase('warmup', 0, async () => {
      const startOffsetMs = now() - origin;
      const firstOptions = input.requests[0]?.options ?? {};
      warmup = await backend.warmUp(input.model, firstOptions, input.keepAlive);
      insertWarmup(db, runId, {
        ...warmup,
        alreadyLoaded: input.alreadyLoaded && !input.coldStart,
        startOffsetMs,
      });
    });
    if (warmup === undefined) throw new Error('warm-up did not run');
    const alreadyLoaded = input.alreadyLoaded && !input.coldStart;
    onEvent?.({
      kind: 'warmup-done',
      warmup,
      alreadyLoaded,
      loadKnown: alreadyLoaded || (input.loadStateKnown ?? true),
    });
    if (warmup.state !== 'ok')
      return finish('failed', 0, 0, `warm-up failed: ${warmup.error ?? 'unknown error'}`);
  }
  if (input.signal?.aborted !== true) await input.afterWarmup?.();
  if (input.idleBaselineMs > 0 && input.signal?.aborted !== true)
    await rest('idle-before', input.idleBaselineMs);

  const total: Outcome = { status: 'completed', ok: 0, failed: 0, error: null };
  let closedTasksPerS: number | null = null;
  for (const [i, level] of runLevels(input.concurrencyLevels, input.contextDepths ?? []).entries()) {
    if (i > 0 && input.cooldownMs > 0 && input.signal?.aborted !== true)
      await rest('cooldown', input.cooldownMs, level.concurrency);
    onEvent?.({ kind: 'level-start', ...level });
    const levelStart = now();
    const outcome = await measureLevel(input, origin, level);
    const levelMs = now() - levelStart;
    // The rate sweep starts from the best closed-loop throughput at the lowest depth (none: the suite's own prompts).
    const depths = input.contextDepths ?? [];
    const lowestDepth = depths.length === 0 ? undefined : Math.min(...depths);
    if (levelMs > 0 && level.contextDepthTokens === lowestDepth)
      closedTasksPerS = Math.max(closedTasksPerS ?? 0, (outcome.ok / levelMs) * 1000);
    total.ok += outcome.ok;
    total.failed += outcome.failed;
    total.error ??= outcome.error;
    if (outcome.status === 'aborted') {
      const stopReason = outcome.stopReason ?? null;
      const done = finish('aborted', total.ok, total.failed, stopReason ?? 'stopped by a signal');
      return { ...done, stopReason };
    }
    if (outcome.status === 'failed') return finish('failed', total.ok, total.failed, outcome.error);
  }
  if (input.openLoop !== undefined && input.signal?.aborted !== true) {
    const cool = async (): Promise<void> => {
      if (input.cooldownMs > 0 && input.signal?.aborted !== true) await rest('cooldown', input.cooldownMs);
    };
    const open = await input.openLoop(input, origin, closedTasksPerS, cool);
    total.ok += open.ok;
    total.failed += open.failed;
    total.error ??= open.error;
    if (open.status === 'aborted') return finish('aborted', total.ok, total.failed, 'stopped by a signal');
    if (open.status === 'failed') return finish('failed', total.ok, total.failed, open.error);
  }
  if (total.ok === 0 && total.failed > 0)
    return finish('failed', 0, total.failed, `every request failed; first: ${total.error ?? 'unknown'}`);
  if (input.idleBaselineMs > 0 && input.signal?.aborted !== true)
    await rest('idle-after', input.idleBaselineMs);
  return finish('completed', total.ok, total.failed, null);
}

/** The levels of a run in the order they run: each depth (where given) at every concurrency. Pure. */
export function runLevels(concurrencyLevels: readonly number[], contextDepths: readonly number[]): Level[] {
  if (contextDepths.length === 0) return concurrencyLevels.map((concurrency) => ({ concurrency }));
  return contextDepths.flatMap((contextDepthTokens) =>
    concurrencyLevels.map((concurrency) => ({ concurrency, contextDepthTokens })),
  );
}

/**
 * A planned request at a level with a context depth: its filler salted with the level and the
 * request's position, so the same run gives the same text and no two requests share a prefix.
 */
function atDepth(planned: PlannedRequest, level: Level): PlannedRequest {
  const depth = level.contextDepthTokens;
  if (depth === undefined || depth <= 0) return planned;
  const salt = `${levelKey(level)}#${planned.seq}`;
  return { ...planned, messages: withContextFiller(planned.messages, depth, salt) };
}

/**
 * Runs the planned requests with `concurrency` in flight (1: one after another), writing each
 * row as it completes, and with it the end of the level's measure phase (in one transaction), so
 * a run killed mid-level keeps the measured time of every request it kept. Stops taking new
 * requests once the signal fires.
 */
async function measureLevel(input: ExecuteRunInput, origin: number, level: Level): Promise<Outcome> {
  const { db, runId, now, onEvent } = input;
  const { concurrency, contextDepthTokens: depth } = level;
  const window = openPhaseWindow(db, runId, 'measure', concurrency, now() - origin, null, depth ?? null);
  const store = db.transaction((row: RequestRow) => {
    insertRequest(db, runId, row);
    window.extendTo(now() - origin);
  });
  let ok = 0;
  let failed = 0;
  let aborted = false;
  /** Set when the server stopped answering even after the retries: the level (and run) stops. */
  let serverGone: string | null = null;
  /** Set when the spend cap refused a request: no new request is sent. */
  let capped: string | null = null;
  let firstError: string | null = null;
  let next = 0;
  let done = 0;
  const base =
    input.done === undefined
      ? input.requests
      : input.requests.filter((p) => !input.done?.has(levelRequestKey(level, p.taskId, p.repeatIndex)));
  const repeatsPerPass = base.reduce((max, p) => Math.max(max, p.repeatIndex + 1), 1);
  let total = base.length;
  const levelStart = now();
  // Whole extra passes (new repeat indexes) while the level is shorter than the minimum duration.
  const take = (): PlannedRequest | null => {
    if (next >= total && base.length > 0 && now() - levelStart < input.minDurationMs) total += base.length;
    if (next >= total) return null;
    const index = next;
    next += 1;
    const pass = Math.floor(index / base.length);
    const planned = base[index % base.length] as PlannedRequest;
    return pass === 0
      ? planned
      : {
          ...planned,
          seq: planned.seq + pass * base.length,
          repeatIndex: planned.repeatIndex + pass * repeatsPerPass,
        };
  };
  const worker = async (): Promise<void> => {
    while (!aborted && serverGone === null && capped === null && input.signal?.aborted !== true) {
      const taken = take();
      if (taken === null) return;
      const planned = atDepth(withMaxOutput(taken, input.remote), level);
      const reservation = reserve(input.remote, planned);
      if (!reservation.ok) {
        capped = reservation.reason;
        input.remote?.onStop(reservation.reason);
        return;
      }
      const index = next - 1;
      onEvent?.({ kind: 'request-start', planned, index, total });
      const attempt = await chatWithRetry(input, planned, origin);
      const { result, retries, startedAt, startOffsetMs } = attempt;
      const costUsd = settle(input.remote, reservation.usd, result);
      const row = {
        ...toRow(
          planned,
          result,
          startedAt,
          startOffsetMs,
          input.storeOutputs,
          input.references?.get(planned.taskId),
        ),
        concurrency,
        ...(depth === undefined ? {} : { contextDepthTokens: depth }),
        ...(attempt.rateLimitRetries > 0
          ? { retries: attempt.rateLimitRetries, retryWaitMs: attempt.retryWaitMs }
          : {}),
        ...(result.reasoningTokens == null ? {} : { reasoningTokens: result.reasoningTokens }),
        ...(input.remote === undefined ? {} : { costUsd }),
      };
      if (retries > 0 && row.error !== null)
        row.error = `${row.error} (after ${retries} retr${retries === 1 ? 'y' : 'ies'})`;
      store(row);
      onEvent?.({ kind: 'request-done', row, index: done, total });
      done += 1;
      if (result.state === 'ok') ok += 1;
      else {
        failed += 1;
        firstError ??= `${planned.taskId}: ${result.error}`;
        if (result.state === 'aborted') aborted = true;
        if (
          result.state === 'errored' &&
          (result.errorKind === 'unreachable' || result.errorKind === 'crashed')
        )
          serverGone = result.error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (done > 0) window.extendTo(now() - origin);
  if (total > base.length) addPlannedRequests(db, runId, total - base.length);
  if (aborted || input.signal?.aborted === true)
    return { status: 'aborted', ok, failed, error: 'stopped by a signal' };
  if (capped !== null) return { status: 'aborted', ok, failed, error: capped, stopReason: capped };
  if (serverGone !== null) {
    return {
      status: 'failed',
      ok,
      failed,
      error: `the server stopped answering (${serverGone}) after ${ok + failed} requests; the finished ones are kept: continue with \`costbench run --resume <this run id>\``,
    };
  }
  return { status: 'completed', ok, failed, error: firstError };
}

/** The attempt that produced a request's row, and when it started (wall clock and run offset). */
export interface Attempt {
  result: ChatResult;
  /** Attempts before it. */
  retries: number;
  /** Of them, the retries after a 429, and the time waited for them, ms (not part of the measured latency). */
  rateLimitRetries: number;
  retryWaitMs: number;
  startedAt: string;
  startOffsetMs: number;
}

/**
 * Sends one request, retrying with the given waits while the server does not answer at all
 * (connection refused: it may be restarting) or answers 503 (its queue is full), and up to
 * RATE_LIMIT_RETRIES times after a 429, waiting as its Retry-After asks (at most
 * RATE_LIMIT_MAX_WAIT_MS; without one 1, 2, 4.. s). The start it returns is the last attempt's,
 * so the row's window (start + latency) and its TTFT and latency are that attempt's alone; the
 * waits are recorded apart (retryWaitMs).
 */
export async function chatWithRetry(
  input: ExecuteRunInput,
  planned: PlannedRequest,
  origin: number,
): Promise<Attempt> {
  const onChunk =
    input.onEvent === undefined
      ? undefined
      : (text: string): void => input.onEvent?.({ kind: 'chunk', text });
  let retryWaitMs = 0;
  let rateLimited = 0;
  for (let attempt = 0; ; attempt += 1) {
    const startedAt = input.wallClock().toISOString();
    const startOffsetMs = input.now() - origin;
    input.onEvent?.({ kind: 'attempt-start' });
    const result = await withRequestSignal(input.signal, (signal) =>
      input.backend.chat(
        {
          model: input.model,
          messages: planned.messages,
          options: planned.options,
          format: planned.format,
          keepAlive: input.keepAlive,
          timeoutMs: input.timeoutMs,
          signal,
        },
        onChunk,
      ),
    );
    input.onEvent?.({ kind: 'attempt-done' });
    const limited = result.state === 'errored' && result.status === 429 && rateLimited < RATE_LIMIT_RETRIES;
    const retriable =
      result.state === 'errored' && (result.errorKind === 'unreachable' || result.status === 503);
    const asked = result.state === 'errored' ? (result.retryAfterMs ?? null) : null;
    const delay = limited
      ? Math.min(asked ?? RATE_LIMIT_BACKOFF_MS * 2 ** rateLimited, RATE_LIMIT_MAX_WAIT_MS)
      : input.retryDelaysMs[attempt - rateLimited];
    if ((!retriable && !limited) || delay === undefined || input.signal?.aborted === true) {
      return {
        result,
        retries: attempt,
        rateLimitRetries: rateLimited,
        retryWaitMs,
        startedAt,
        startOffsetMs,
      };
    }
    if (limited) rateLimited += 1;
    const before = input.now();
    input.onEvent?.({
      kind: 'retry',
      taskId: planned.taskId,
      attempt: attempt + 1,
      delayMs: delay,
      error: result.error,
    });
    await input.sleep(delay, input.signal);
    // The wait asked for, or what passed of it when the run was stopped during it.
    if (limited) retryWaitMs += isAborted(input.signal) ? input.now() - before : delay;
  }
}

function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/**
 * Runs one request with its own signal that follows the run's. The backend combines the signal it
 * gets with AbortSignal.any, and Node 20 adds a WeakRef to each source signal per combination that
 * is never removed: given the run's signal, two dead WeakRefs per request stay for the whole run
 * (about 14 MB of heap per 100k requests; see bench/memory.ts). A listener removed afterwards
 * leaves nothing behind.
 */
async function withRequestSignal<T>(
  runSignal: AbortSignal | undefined,
  work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  if (runSignal === undefined) return work(undefined);
  const request = new AbortController();
  const forward = (): void => request.abort(runSignal.reason);
  if (runSignal.aborted) forward();
  else runSignal.addEventListener('abort', forward, { once: true });
  try {
    return await work(request.signal);
  } finally {
    runSignal.removeEventListener('abort', forward);
  }
}

/** The score against the expected answer: a failed request failed its task. */
function scoreOf(
  planned: PlannedRequest,
  result: ChatResult,
): Pick<RequestRow, 'score' | 'correct' | 'scoreDetail'> {
  if (planned.check === null) return { score: null, correct: null, scoreDetail: null };
  if (result.state !== 'ok') return { score: 0, correct: false, scoreDetail: `request ${result.state}` };
  const s = scoreAnswer(planned.check, planned.expected, result.text);
  return { score: s.score, correct: s.correct, scoreDetail: s.detail };
}

function agreementOf(
  result: ChatResult,
  reference: string | undefined,
): Pick<RequestRow, 'agreement' | 'agreementMethod'> {
  if (reference === undefined || result.state !== 'ok') return { agreement: null, agreementMethod: null };
  const a = computeAgreement(result.text, reference);
  return { agreement: a.score, agreementMethod: a.method };
}

/** A request's row from its plan and result (the level's fields are the caller's). */
export function toRow(
  planned: PlannedRequest,
  result: ChatResult,
  startedAt: string,
  startOffsetMs: number,
  storeOutputs: boolean,
  reference: string | undefined,
): Omit<RequestRow, 'concurrency'> {
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
    lastTokenMs: result.lastTokenMs,
    latencyMs: result.latencyMs,
    promptTokens: result.metrics.promptTokens,
    promptEvalMs: result.metrics.promptEvalMs,
    outputTokens: result.metrics.outputTokens,
    evalMs: result.metrics.evalMs,
    evalTokens: result.metrics.evalTokens ?? null,
    threads: result.threads ?? null,
    loadMs: result.metrics.loadMs,
    serverTotalMs: result.metrics.totalMs,
    metricsSource: result.metricsSource,
    cachedPromptTokens: result.cachedPromptTokens,
    doneReason: result.doneReason,
    chunks: result.chunks,
    malformedLines: result.malformedLines,
    outputText: storeOutputs ? result.text : null,
    error: result.state === 'ok' ? null : result.error,
  };
}
