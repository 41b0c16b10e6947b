/**
 * One generation, in real time: wait for a slot, load the model if cold, evaluate the prompt,
 * then decode tokens on absolute deadlines so timer jitter does not accumulate. Durations are
 * measured, not computed, so the reported metrics agree with what a client observes.
 */
import type { AnswerWriter } from './answer-writer.js';
import { elapsedNs, nowMs, nowNs, sleepMs, sleepUntil } from './clock.js';
import type { TokenFault } from './faults.js';
import { defaultNumCtx } from './models.js';
import type { CompletionRequest } from './request-body.js';
import type { ServerState } from './state.js';
import { contextIds, countPromptTokens, defaultReply, splitOutputTokens } from './tokens.js';
import type { FakeModel, FakeRequestRecord } from './types.js';

export interface Generation {
  state: ServerState;
  request: CompletionRequest;
  model: FakeModel;
  record: FakeRequestRecord;
  writer: AnswerWriter;
  signal: AbortSignal;
  receivedNs: bigint;
  fault: TokenFault | undefined;
}

/** The requested num_ctx, or Ollama's default for the model. */
export function requestedNumCtx(options: Record<string, unknown>, model: FakeModel): number {
  const numCtx = options['num_ctx'];
  return typeof numCtx === 'number' && numCtx > 0 ? numCtx : defaultNumCtx(model);
}

/** The reply tokens and why generation stopped (num_predict reached -> `length`). */
export function planOutput(g: Pick<Generation, 'state' | 'request'>): {
  tokens: string[];
  doneReason: string;
} {
  const { respond, defaultOutputTokens } = g.state.options;
  const { model, prompt, messages, options } = g.request;
  const text = respond
    ? respond({ model, prompt, messages })
    : defaultReply(g.request.renderedPrompt, defaultOutputTokens);
  const tokens = splitOutputTokens(text);
  const numPredict = options['num_predict'];
  // Like the runner: the limit is checked after each token, before an end-of-sequence is sampled.
  if (typeof numPredict === 'number' && numPredict > 0 && numPredict <= tokens.length) {
    return { tokens: tokens.slice(0, numPredict), doneReason: 'length' };
  }
  return { tokens, doneReason: 'stop' };
}

/** Runs after the slot request was granted (possibly queued); releases the slot at the end. */
export async function runGeneration(
  g: Generation,
  slot: { queued: boolean; ready: Promise<boolean> },
): Promise<void> {
  const enqueuedNs = nowNs();
  if (!(await slot.ready)) return markAborted(g);
  try {
    g.record.queueWaitNs = slot.queued ? elapsedNs(enqueuedNs) : 0;
    const loadNs = await g.state.loader.ensureLoaded(
      g.model,
      requestedNumCtx(g.request.options, g.model),
      g.signal,
    );
    if (loadNs === null) return markAborted(g);
    g.record.loadDurationNs = g.record.queueWaitNs + loadNs;
    if (!(await evaluatePrompt(g))) return markAborted(g);
    const plan = planOutput(g);
    const outcome = await decode(g, plan.tokens);
    if (outcome === 'aborted') return markAborted(g);
    if (outcome === 'done') finish(g, plan.tokens, plan.doneReason);
  } finally {
    g.state.scheduler.release();
    g.state.loader.touch(g.model, g.request.keepAlive);
  }
}

async function evaluatePrompt(g: Generation): Promise<boolean> {
  const { promptTokensPerS, extraTtftMs } = g.state.options;
  const start = nowNs();
  if (!(await sleepMs((g.record.promptTokens / promptTokensPerS) * 1000, g.signal))) return false;
  g.record.promptEvalDurationNs = elapsedNs(start);
  return extraTtftMs > 0 ? sleepMs(extraTtftMs, g.signal) : true;
}

type DecodeOutcome = 'done' | 'aborted' | 'faulted';

/**
 * Token i is written at start + the sum of the first i+1 intervals (one decode step each), so
 * eval_count / eval_duration is the configured rate however late individual timers fire.
 */
async function decode(g: Generation, tokens: string[]): Promise<DecodeOutcome> {
  const { state, record, writer, fault } = g;
  const faultAt = fault === undefined ? -1 : Math.min(fault.afterTokens, tokens.length);
  const startNs = nowNs();
  let deadlineMs = nowMs();
  state.decoding++;
  state.options.onDecodingChange?.(state.decoding);
  try {
    for (let i = 0; i <= tokens.length; i++) {
      if (i === faultAt && fault !== undefined && applyFault(g, fault)) return 'faulted';
      const token = tokens[i];
      if (token === undefined) break;
      deadlineMs += 1000 / streamRate(g);
      if (!(await sleepUntil(deadlineMs, g.signal, i === tokens.length - 1))) return 'aborted';
      writer.token(token);
      record.evalCount = i + 1;
      record.evalDurationNs = elapsedNs(startNs);
      if (i === 0 && writer.stream) record.firstTokenSentAtMs = nowMs();
    }
    return 'done';
  } finally {
    state.decoding--;
    state.options.onDecodingChange?.(state.decoding);
  }
}

function streamRate(g: Generation): number {
  const rate = g.state.options.perStreamGenTokensPerS(g.state.decoding);
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new RangeError(`fake Ollama: perStreamGenTokensPerS(${g.state.decoding}) gave ${rate}`);
  }
  return rate;
}

/** Acts out a token fault; true when the answer is over. */
function applyFault(g: Generation, fault: TokenFault): boolean {
  g.record.totalDurationNs = elapsedNs(g.receivedNs);
  switch (fault.kind) {
    case 'close-mid-stream':
      g.writer.destroy();
      return true;
    case 'error-line':
      g.writer.errorLine(fault.message);
      return true;
    case 'malformed-line':
      g.writer.malformed();
      return false;
  }
}

function finish(g: Generation, tokens: string[], doneReason: string): void {
  const { record, request } = g;
  record.totalDurationNs = elapsedNs(g.receivedNs);
  const context =
    request.endpoint === 'generate'
      ? contextIds(request.renderedPrompt, countPromptTokens(request.renderedPrompt), tokens)
      : undefined;
  g.writer.finish(
    doneReason,
    {
      totalDurationNs: record.totalDurationNs,
      loadDurationNs: record.loadDurationNs,
      promptEvalCount: record.promptTokens,
      promptEvalDurationNs: record.promptEvalDurationNs,
      evalCount: record.evalCount,
      evalDurationNs: record.evalDurationNs,
    },
    context,
  );
  record.doneAtMs = nowMs();
  record.doneReason = doneReason;
  if (!g.writer.stream && record.evalCount > 0) record.firstTokenSentAtMs = record.doneAtMs;
}

function markAborted(g: Generation): void {
  g.record.abortedAtMs ??= nowMs();
}
