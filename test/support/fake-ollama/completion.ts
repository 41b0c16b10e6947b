/**
 * POST /api/chat and /api/generate: validation and errors in Ollama's order, warm-up calls,
 * injected faults, then the generation itself.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AnswerWriter } from './answer-writer.js';
import { elapsedNs, nowMs, nowNs } from './clock.js';
import { isTokenFault } from './faults.js';
import { requestedNumCtx, runGeneration } from './generation.js';
import { findModel } from './models.js';
import { parseCompletion, parseJsonObject, readBody } from './request-body.js';
import type { CompletionRequest } from './request-body.js';
import { finalChunk, writeError, writeJson } from './responses.js';
import type { Endpoint } from './responses.js';
import { watchRequest } from './state.js';
import type { ServerState } from './state.js';
import { countPromptTokens } from './tokens.js';
import type { FakeModel, FakeRequestRecord } from './types.js';

/** Ollama's 503 text when OLLAMA_MAX_QUEUE requests already wait (two spaces, sic). */
export const QUEUE_FULL_MESSAGE = 'server busy, please try again.  maximum pending requests exceeded';

const GO_STRUCT: Record<Endpoint, string> = { chat: 'ChatRequest', generate: 'GenerateRequest' };

export async function handleCompletion(
  state: ServerState,
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const receivedNs = nowNs();
  const receivedAtMs = nowMs();
  const signal = watchRequest(res, state.serverSignal);
  const text = await readBody(req);
  if (text === null || signal.aborted) return;
  const body = parseJsonObject(text, GO_STRUCT[endpoint]);
  if (!body.ok) return writeError(res, body.status, body.message);
  const parsed = parseCompletion(endpoint, body.value);
  if (!parsed.ok) return writeError(res, parsed.status, parsed.message);
  const request = parsed.value;
  const model = findModel(state.options.models, request.model);
  if (model === undefined) {
    return writeError(res, 404, `model "${request.model}" not found, try pulling it first`);
  }
  if (request.wantsThinking) return writeError(res, 400, `"${request.model}" does not support thinking`);

  const record = newRecord(state, request, receivedAtMs);
  if (request.warmUp) return warmUp(state, request, model, record, res, signal, receivedNs);
  if (state.scheduler.isFull()) return writeError(res, 503, QUEUE_FULL_MESSAGE);

  const writer = new AnswerWriter(res, endpoint, request.model, request.stream);
  const fault = state.faults.take();
  record.fault = fault?.kind ?? null;
  state.records.push(record);
  if (fault?.kind === 'status') {
    record.totalDurationNs = elapsedNs(receivedNs);
    return writeError(res, fault.status, fault.error);
  }
  if (fault?.kind === 'hang') {
    signal.addEventListener('abort', () => (record.abortedAtMs = nowMs()), { once: true });
    writer.hang();
    return;
  }
  const slot = state.scheduler.request(signal);
  if (slot.kind === 'full') return writeError(res, 503, QUEUE_FULL_MESSAGE);
  const tokenFault = isTokenFault(fault) ? fault : undefined;
  await runGeneration({ state, request, model, record, writer, signal, receivedNs, fault: tokenFault }, slot);
}

function newRecord(state: ServerState, request: CompletionRequest, receivedAtMs: number): FakeRequestRecord {
  return {
    id: state.nextId++,
    endpoint: request.endpoint,
    model: request.model,
    stream: request.stream,
    promptTokens: request.warmUp ? 0 : countPromptTokens(request.renderedPrompt),
    evalCount: 0,
    loadDurationNs: 0,
    queueWaitNs: 0,
    promptEvalDurationNs: 0,
    evalDurationNs: 0,
    totalDurationNs: 0,
    firstTokenSentAtMs: null,
    receivedAtMs,
    doneAtMs: null,
    doneReason: null,
    fault: null,
    abortedAtMs: null,
    options: request.options,
  };
}

/**
 * Empty prompt / no messages: load the model (done_reason `load`) or, with keep_alive 0, unload
 * it (`unload`). One JSON object whatever `stream` says, with no metrics, as Ollama answers.
 */
async function warmUp(
  state: ServerState,
  request: CompletionRequest,
  model: FakeModel,
  record: FakeRequestRecord,
  res: ServerResponse,
  signal: AbortSignal,
  receivedNs: bigint,
): Promise<void> {
  state.records.push(record);
  let doneReason = 'unload';
  if (request.keepAlive.kind === 'unload') {
    state.loader.unload(model);
  } else {
    const loadNs = await state.loader.ensureLoaded(model, requestedNumCtx(request.options, model), signal);
    if (loadNs === null) {
      record.abortedAtMs = nowMs();
      return;
    }
    state.loader.touch(model, request.keepAlive);
    record.loadDurationNs = loadNs;
    doneReason = 'load';
  }
  record.totalDurationNs = elapsedNs(receivedNs);
  writeJson(res, 200, finalChunk(request.endpoint, request.model, '', doneReason, null));
  record.doneAtMs = nowMs();
  record.doneReason = doneReason;
}
