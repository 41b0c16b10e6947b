/**
 * SSE framing exactly as the servers write it: `data: <json>\n\n` per event, `data: [DONE]\n\n`
 * at the end. The chunk builders follow the chat.completion.chunk shape.
 */
import type { ServerResponse } from 'node:http';

export function startSse(res: ServerResponse): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.flushHeaders();
}

export function writeEvent(res: ServerResponse, data: unknown): void {
  res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
}

export function writeDone(res: ServerResponse): void {
  res.end('data: [DONE]\n\n');
}

export interface ChunkIdentity {
  id: string;
  created: number;
  model: string;
  fingerprint: string | null;
}

export function chunk(
  who: ChunkIdentity,
  choices: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: who.id,
    object: 'chat.completion.chunk',
    created: who.created,
    model: who.model,
  };
  if (who.fingerprint !== null) base['system_fingerprint'] = who.fingerprint;
  return { ...base, choices, ...extra };
}

export function deltaChoice(
  delta: Record<string, unknown>,
  finishReason: string | null = null,
): Record<string, unknown> {
  return { index: 0, delta, logprobs: null, finish_reason: finishReason };
}

export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** OpenAI's error body. */
export function writeApiError(
  res: ServerResponse,
  status: number,
  message: string,
  type: string,
  code: string | number | null,
  param: string | null = null,
  headers: Record<string, string> = {},
): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  writeJson(res, status, { error: { message, type, param, code } });
}
