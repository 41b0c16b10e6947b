/**
 * Reading and validating chat/generate/show bodies, with the error texts Ollama's Go handlers
 * produce for the same mistakes.
 */
import type { IncomingMessage } from 'node:http';
import { parseKeepAlive } from './load-state.js';
import type { KeepAlive } from './load-state.js';
import type { Endpoint } from './responses.js';

export type Result<T> = { ok: true; value: T } | { ok: false; status: number; message: string };

/** A chat or generate request reduced to what the fake needs. */
export interface CompletionRequest {
  endpoint: Endpoint;
  /** As the client spelled it; echoed in every answer. */
  model: string;
  /** Absent means true, as on the server. */
  stream: boolean;
  messages: { role: string; content: string }[];
  /** generate: the prompt; chat: the last message's content. */
  prompt: string;
  /** The text the prompt tokens are counted from. */
  renderedPrompt: string;
  options: Record<string, unknown>;
  keepAlive: KeepAlive;
  /** Empty prompt / no messages: load (or unload) the model only. */
  warmUp: boolean;
  wantsThinking: boolean;
}

const GO_STRUCT: Record<Endpoint, string> = { chat: 'ChatRequest', generate: 'GenerateRequest' };

export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(req.complete ? Buffer.concat(chunks).toString('utf8') : null));
  });
}

function goTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

const bad = (message: string): { ok: false; status: number; message: string } => ({
  ok: false,
  status: 400,
  message,
});

/** Parses a JSON object body; Go's messages for empty, broken or non-object bodies. */
export function parseJsonObject(text: string, goType: string): Result<Record<string, unknown>> {
  if (text.trim() === '') return bad('missing request body');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    if (/end of JSON/i.test(message)) return bad('unexpected EOF');
    const first = text.trimStart().charAt(0);
    return /[{["\-\dtfn]/.test(first)
      ? bad(`invalid character in JSON body: ${message}`)
      : bad(`invalid character '${first}' looking for beginning of value`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return bad(`json: cannot unmarshal ${goTypeOf(value)} into Go value of type api.${goType}`);
  }
  return { ok: true, value: value as Record<string, unknown> };
}

function typeError(endpoint: Endpoint, field: string, value: unknown, want: string): Result<never> {
  const got = goTypeOf(value);
  return bad(
    `json: cannot unmarshal ${got} into Go struct field ${GO_STRUCT[endpoint]}.${field} of type ${want}`,
  );
}

function parseMessages(endpoint: Endpoint, raw: unknown): Result<{ role: string; content: string }[]> {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  if (!Array.isArray(raw)) return typeError(endpoint, 'messages', raw, '[]api.Message');
  const messages: { role: string; content: string }[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return typeError(endpoint, 'messages', item, 'api.Message');
    }
    const { role = '', content = '' } = item as Record<string, unknown>;
    if (typeof role !== 'string') return typeError(endpoint, 'messages.role', role, 'string');
    if (typeof content !== 'string') return typeError(endpoint, 'messages.content', content, 'string');
    messages.push({ role, content });
  }
  return { ok: true, value: messages };
}

/** Field types first (400 like Go's decoder), then the endpoint's own rules. */
export function parseCompletion(
  endpoint: Endpoint,
  body: Record<string, unknown>,
): Result<CompletionRequest> {
  const { model = '', prompt = '', system = '', stream = true, options = {}, think } = body;
  for (const [field, value] of [
    ['model', model],
    ['prompt', prompt],
    ['system', system],
  ] as const) {
    if (typeof value !== 'string') return typeError(endpoint, field, value, 'string');
  }
  if (typeof stream !== 'boolean') return typeError(endpoint, 'stream', stream, 'bool');
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return typeError(endpoint, 'options', options, 'map[string]interface {}');
  }
  const messages = parseMessages(endpoint, body['messages']);
  if (!messages.ok) return messages;
  const keepAlive = parseKeepAlive(body['keep_alive']);
  if (keepAlive === undefined) return bad(`time: invalid duration "${String(body['keep_alive'])}"`);
  const m = String(model);
  if (endpoint === 'chat' && m === '') return bad('model is required');
  if (endpoint === 'generate' && m === '') return { ok: false, status: 404, message: "model '' not found" };

  const isChat = endpoint === 'chat';
  const chatMessages = messages.value;
  const generateMessages = [
    ...(system === '' ? [] : [{ role: 'system', content: String(system) }]),
    { role: 'user', content: String(prompt) },
  ];
  return {
    ok: true,
    value: {
      endpoint,
      model: m,
      stream: stream !== false,
      messages: isChat ? chatMessages : generateMessages,
      prompt: isChat ? (chatMessages.at(-1)?.content ?? '') : String(prompt),
      renderedPrompt: isChat
        ? chatMessages.map((x) => x.content).join('')
        : `${String(system)}${String(prompt)}`,
      options: options as Record<string, unknown>,
      keepAlive,
      warmUp: isChat ? chatMessages.length === 0 : prompt === '',
      wantsThinking: think === true || (typeof think === 'string' && think !== ''),
    },
  };
}

/** POST /api/show: `model` (or the deprecated `name`). */
export function parseShow(body: Record<string, unknown>): Result<string> {
  const { model, name } = body;
  const chosen = typeof model === 'string' && model !== '' ? model : name;
  if (typeof chosen !== 'string' || chosen === '') return bad('model is required');
  return { ok: true, value: chosen };
}
