/**
 * The HTTP side: a node:http server on 127.0.0.1 with Ollama's routes, and a close() that
 * ends hung requests and keep-alive sockets at once instead of waiting for them.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleCompletion } from './completion.js';
import { FaultQueue } from './faults.js';
import { ModelLoader } from './load-state.js';
import { findModel, showPayload, tagsPayload } from './models.js';
import { resolveOptions } from './options.js';
import { parseJsonObject, parseShow, readBody } from './request-body.js';
import { writeError, writeJson, writeNotFound, writeText } from './responses.js';
import { SlotScheduler } from './scheduler.js';
import type { ServerState } from './state.js';
import type { FakeOllama, FakeOllamaOptions } from './types.js';

async function handleShow(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const text = await readBody(req);
  if (text === null) return;
  const body = parseJsonObject(text, 'ShowRequest');
  if (!body.ok) return writeError(res, body.status, body.message);
  const name = parseShow(body.value);
  if (!name.ok) return writeError(res, name.status, name.message);
  const model = findModel(state.options.models, name.value);
  if (model === undefined) return writeError(res, 404, `model '${name.value}' not found`);
  writeJson(res, 200, showPayload(model));
}

async function route(state: ServerState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
  const method = req.method ?? 'GET';
  const head = method === 'HEAD';
  const get = method === 'GET' || head;
  if (path === '/' && get) return writeText(res, 200, 'Ollama is running', head);
  if (path === '/api/version' && get) return writeJson(res, 200, { version: state.options.version }, head);
  if (path === '/api/tags' && get) return writeJson(res, 200, tagsPayload(state.options.models), head);
  if (path === '/api/ps' && method === 'GET') {
    return writeJson(res, 200, state.loader.psPayload(state.options.psContextLength));
  }
  if (path === '/api/show' && method === 'POST') return handleShow(state, req, res);
  if (path === '/api/chat' && method === 'POST') return handleCompletion(state, 'chat', req, res);
  if (path === '/api/generate' && method === 'POST') return handleCompletion(state, 'generate', req, res);
  req.resume();
  writeNotFound(res);
}

/**
 * Starts a fake Ollama on 127.0.0.1 (`port` 0, the default, picks a free one). It speaks the
 * native REST API with real, measured timing; see the notes in index.ts.
 */
export async function startFakeOllama(options?: FakeOllamaOptions, port = 0): Promise<FakeOllama> {
  const resolved = resolveOptions(options);
  const shutdown = new AbortController();
  const state: ServerState = {
    options: resolved,
    scheduler: new SlotScheduler(resolved.numParallel, resolved.maxQueue),
    loader: new ModelLoader(resolved.loadMs, shutdown.signal),
    faults: new FaultQueue(),
    records: [],
    serverSignal: shutdown.signal,
    decoding: 0,
    nextId: 1,
  };
  const server = createServer((req, res) => {
    route(state, req, res).catch((error: unknown) => {
      if (!res.headersSent) writeError(res, 500, error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    requests: state.records,
    injectFault: (fault, times) => state.faults.inject(fault, times),
    unloadAll: () => state.loader.unloadAll(),
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        shutdown.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
