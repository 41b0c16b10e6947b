/**
 * A fake OpenAI-compatible server (llama.cpp, vLLM or LM Studio flavored) on node:http,
 * 127.0.0.1, port 0 by default. Routes: GET /v1/models, POST /v1/chat/completions,
 * GET /props (llama.cpp), GET /version (vLLM), GET /api/v1/models and /api/v0/models[/{id}] (LM Studio).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nowMs } from '../fake-ollama/clock.js';
import {
  cachedTokensOf,
  promptTextOf,
  promptTokensOf,
  runCompletion,
  type DecodingCounter,
  type ResolvedOptions,
} from './generation.js';
import { lmStudioV0Model, lmStudioV1ModelsPayload, propsPayload } from './server-info.js';
import { writeApiError, writeJson } from './sse-writer.js';
import type { Fault, FakeOpenAi, FakeOpenAiOptions, FakeOpenAiReceived, FakeOpenAiRecord } from './types.js';

interface State {
  options: ResolvedOptions;
  records: FakeOpenAiRecord[];
  faults: { fault: Fault; remaining: number }[];
  shutdown: AbortSignal;
  /** Requests generating now, and the ones waiting for a slot (first in, first served). */
  busy: number;
  waiting: (() => void)[];
  decoding: DecodingCounter;
  /** Prompt texts seen, for the prompt cache. */
  prompts: string[];
  received: FakeOpenAiReceived[];
}

/** Waits for a generation slot when `parallel` limits them; false when the client left first. */
async function takeSlot(state: State, signal: AbortSignal): Promise<boolean> {
  const limit = state.options.parallel;
  if (limit <= 0 || state.busy < limit) {
    state.busy += 1;
    return true;
  }
  const granted = await new Promise<boolean>((done) => {
    const grant = (): void => {
      signal.removeEventListener('abort', leave);
      done(true);
    };
    const leave = (): void => {
      state.waiting = state.waiting.filter((w) => w !== grant);
      done(false);
    };
    state.waiting.push(grant);
    signal.addEventListener('abort', leave, { once: true });
  });
  return granted; // the releasing request handed its slot over: busy is unchanged
}

function releaseSlot(state: State): void {
  const next = state.waiting.shift();
  if (next === undefined) state.busy -= 1;
  else next();
}

function resolve(options: FakeOpenAiOptions): ResolvedOptions {
  return {
    models: ['qwen2.5-7b-instruct'],
    apiKey: '',
    genTokensPerS: 500,
    promptTokensPerS: 20_000,
    extraTtftMs: 0,
    defaultOutputTokens: 24,
    cachedPromptTokens: 0,
    promptCache: false,
    nCtx: 4096,
    nCtxTrain: 32_768,
    maxContextLength: 32_768,
    lmStudioApi: 'v1',
    parallel: 0,
    version: options.flavor === 'vllm' ? '0.11.0' : 'b6000-deadbee',
    ...options,
  };
}

function takeFault(state: State): Fault | undefined {
  const head = state.faults[0];
  if (head === undefined) return undefined;
  head.remaining -= 1;
  if (head.remaining === 0) state.faults.shift();
  return head.fault;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

function bearerOf(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') === true ? header.slice('Bearer '.length) : null;
}

/** 401 like OpenAI, echoing the key it got (a client must not pass that on). */
function authorized(state: State, req: IncomingMessage, res: ServerResponse): boolean {
  if (state.options.apiKey === '') return true;
  const bearer = bearerOf(req);
  if (bearer === state.options.apiKey) return true;
  writeApiError(
    res,
    401,
    `Incorrect API key provided: ${bearer ?? '(none)'}.`,
    'invalid_request_error',
    'invalid_api_key',
  );
  return false;
}

function modelsPayload(o: ResolvedOptions): unknown {
  const data = o.models.map((id) => {
    const entry: Record<string, unknown> = {
      id,
      object: 'model',
      created: 1_700_000_000,
      owned_by: o.flavor === 'vllm' ? 'vllm' : 'organization_owner',
    };
    if (o.flavor === 'llama.cpp') {
      entry['meta'] = {
        n_params: 7_615_616_512,
        size: 4_683_073_536,
        n_ctx_train: o.nCtxTrain,
        vocab_type: 2,
      };
    }
    if (o.flavor === 'vllm') Object.assign(entry, { root: id, parent: null, max_model_len: o.nCtx });
    return entry;
  });
  return { object: 'list', data };
}

function newRecord(state: State, body: Record<string, unknown>, req: IncomingMessage): FakeOpenAiRecord {
  const messages = Array.isArray(body['messages'])
    ? (body['messages'] as { role: string; content: string }[])
    : [];
  const promptTokens = promptTokensOf(messages);
  const text = promptTextOf(messages);
  const cachedTokens = state.options.promptCache
    ? cachedTokensOf(text, state.prompts)
    : Math.min(state.options.cachedPromptTokens, promptTokens - 1);
  state.prompts.push(text);
  const record: FakeOpenAiRecord = {
    id: state.records.length + 1,
    model: String(body['model'] ?? ''),
    stream: body['stream'] === true,
    body,
    bearer: bearerOf(req),
    status: 200,
    promptTokens,
    cachedTokens,
    completionTokens: 0,
    promptMs: 0,
    predictedMs: 0,
    receivedAtMs: nowMs(),
    queuedMs: 0,
    roleSentAtMs: null,
    firstTokenSentAtMs: null,
    lastTokenSentAtMs: null,
    doneAtMs: null,
    finishReason: null,
    sentUsageChunk: false,
    fault: null,
    abortedAtMs: null,
  };
  state.records.push(record);
  return record;
}

async function handleChat(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await readBody(req);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return writeApiError(res, 400, 'Invalid JSON body', 'invalid_request_error', null);
  }
  const record = newRecord(state, body, req);
  const messages = Array.isArray(body['messages'])
    ? (body['messages'] as { role: string; content: string }[])
    : [];
  if (!authorized(state, req, res)) return void (record.status = 401);
  if (!state.options.models.includes(record.model)) {
    record.status = 404;
    return writeApiError(
      res,
      404,
      `The model \`${record.model}\` does not exist.`,
      'NotFoundError',
      404,
      'model',
    );
  }
  const fault = takeFault(state);
  record.fault = fault?.kind ?? null;
  if (fault?.kind === 'status') {
    record.status = fault.status;
    return writeApiError(res, fault.status, fault.message, 'server_error', fault.status, null, fault.headers);
  }
  const client = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) client.abort();
  });
  const signal = AbortSignal.any([client.signal, state.shutdown]);
  if (fault?.kind === 'hang') {
    if (record.stream) res.writeHead(200, { 'content-type': 'text/event-stream' }).flushHeaders();
    await new Promise<void>((done) => signal.addEventListener('abort', () => done(), { once: true }));
    return;
  }
  const who = {
    id: `chatcmpl-${record.id}`,
    created: Math.floor(Date.now() / 1000),
    model: record.model,
    fingerprint: state.options.flavor === 'lmstudio' ? null : state.options.version,
  };
  if (!(await takeSlot(state, signal))) return void (record.abortedAtMs = nowMs());
  record.queuedMs = nowMs() - record.receivedAtMs;
  try {
    await runCompletion(
      { options: state.options, decoding: state.decoding, record, messages, res, signal, fault },
      who,
    );
  } finally {
    releaseSlot(state);
  }
}

async function route(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const method = req.method ?? 'GET';
  const o = state.options;
  state.received.push({ method, path, headers: { ...req.headers } });
  if (o.redirectTo !== undefined && path.startsWith('/v1/')) {
    req.resume();
    res.writeHead(307, { location: `${o.redirectTo}${path.slice('/v1'.length)}` });
    return void res.end();
  }
  if (path === '/props' && method === 'GET' && o.flavor === 'llama.cpp')
    return writeJson(res, 200, propsPayload(o));
  if (path === '/version' && method === 'GET' && o.flavor === 'vllm')
    return writeJson(res, 200, { version: o.version });
  if (o.flavor === 'lmstudio' && method === 'GET' && routeLmStudio(o, path, res)) return;
  if (path.startsWith('/v1/') && !authorized(state, req, res)) return void req.resume();
  if (path === '/v1/models' && method === 'GET') return writeJson(res, 200, modelsPayload(o));
  if (path === '/v1/chat/completions' && method === 'POST') return handleChat(state, req, res);
  req.resume();
  writeApiError(res, 404, `File Not Found: ${path}`, 'not_found_error', 404);
}

/** LM Studio's native model routes; false when `path` is none of them (or not in this API version). */
function routeLmStudio(o: ResolvedOptions, path: string, res: ServerResponse): boolean {
  const raw = /^\/api\/v0\/models\/(.+)$/.exec(path)?.[1];
  const id = raw === undefined ? undefined : decodeURIComponent(raw);
  if (path === '/api/v1/models' && o.lmStudioApi === 'v1') writeJson(res, 200, lmStudioV1ModelsPayload(o));
  else if (path === '/api/v0/models') {
    writeJson(res, 200, { object: 'list', data: o.models.map((m) => lmStudioV0Model(o, m)) });
  } else if (id === undefined) return false;
  else if (o.models.includes(id)) writeJson(res, 200, lmStudioV0Model(o, id));
  else writeApiError(res, 404, `Model "${id}" not found`, 'invalid_request_error', 'model_not_found');
  return true;
}

/** Starts the fake server; see types.ts for what it can be told and what it records. */
export async function startFakeOpenAi(options: FakeOpenAiOptions, port = 0): Promise<FakeOpenAi> {
  const shutdown = new AbortController();
  const state: State = {
    options: resolve(options),
    records: [],
    faults: [],
    shutdown: shutdown.signal,
    busy: 0,
    waiting: [],
    decoding: { streams: 0 },
    prompts: [],
    received: [],
  };
  const server = createServer((req, res) => {
    route(state, req, res).catch((error: unknown) => {
      if (!res.headersSent)
        writeApiError(res, 500, error instanceof Error ? error.message : String(error), 'server_error', 500);
      else res.destroy();
    });
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done());
  });
  const { port: actual } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actual}`,
    baseUrl: `http://127.0.0.1:${actual}/v1`,
    port: actual,
    requests: state.records,
    received: state.received,
    injectFault: (fault, times = 1) => void state.faults.push({ fault, remaining: times }),
    close: () => {
      closing ??= new Promise<void>((done) => {
        shutdown.abort();
        server.close(() => done());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
