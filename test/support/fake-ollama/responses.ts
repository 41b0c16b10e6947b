/**
 * What goes on the wire: status lines, content types and the JSON shapes of chat/generate
 * answers, in the key order Ollama's Go structs marshal them (metrics are omitempty).
 */
import type { ServerResponse } from 'node:http';
import { epochNowNs, formatRfc3339Nano } from './clock.js';

export type Endpoint = 'chat' | 'generate';

const JSON_TYPE = 'application/json; charset=utf-8';
export const NDJSON_TYPE = 'application/x-ndjson';

/** A complete application/json answer (gin's c.JSON). */
export function writeJson(res: ServerResponse, status: number, body: unknown, head = false): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(text) });
  res.end(head ? undefined : text);
}

/** `{"error":message}`, Ollama's error body for every status. */
export function writeError(res: ServerResponse, status: number, message: string): void {
  writeJson(res, status, { error: message });
}

export function writeText(
  res: ServerResponse,
  status: number,
  text: string,
  head = false,
  contentType = 'text/plain; charset=utf-8',
): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(head ? undefined : text);
}

/** What gin answers for an unknown route or method (its default 404, plain text). */
export function writeNotFound(res: ServerResponse): void {
  writeText(res, 404, '404 page not found', false, 'text/plain');
}

/** Durations in ns; a zero is left out of the JSON, as with Go's omitempty. */
export interface Metrics {
  totalDurationNs: number;
  loadDurationNs: number;
  promptEvalCount: number;
  promptEvalDurationNs: number;
  evalCount: number;
  evalDurationNs: number;
}

export function metricsFields(m: Metrics): Record<string, number> {
  const fields: [string, number][] = [
    ['total_duration', m.totalDurationNs],
    ['load_duration', m.loadDurationNs],
    ['prompt_eval_count', m.promptEvalCount],
    ['prompt_eval_duration', m.promptEvalDurationNs],
    ['eval_count', m.evalCount],
    ['eval_duration', m.evalDurationNs],
  ];
  return Object.fromEntries(fields.filter(([, value]) => value !== 0));
}

function createdAt(): string {
  return formatRfc3339Nano(epochNowNs());
}

/** A streamed piece of output (done:false). */
export function contentChunk(endpoint: Endpoint, model: string, text: string): Record<string, unknown> {
  return endpoint === 'chat'
    ? { model, created_at: createdAt(), message: { role: 'assistant', content: text }, done: false }
    : { model, created_at: createdAt(), response: text, done: false };
}

/** The last object: empty content when streaming, the full text with stream:false. */
export function finalChunk(
  endpoint: Endpoint,
  model: string,
  content: string,
  doneReason: string,
  metrics: Metrics | null,
  context?: number[],
): Record<string, unknown> {
  const tail = metrics === null ? {} : metricsFields(metrics);
  if (endpoint === 'chat') {
    return {
      model,
      created_at: createdAt(),
      message: { role: 'assistant', content },
      done_reason: doneReason,
      done: true,
      ...tail,
    };
  }
  return {
    model,
    created_at: createdAt(),
    response: content,
    done: true,
    done_reason: doneReason,
    ...(context === undefined ? {} : { context }),
    ...tail,
  };
}

/** A line that is not JSON: the first half of a real chunk, as a broken proxy might cut it. */
export function malformedLine(endpoint: Endpoint, model: string): string {
  const whole = JSON.stringify(contentChunk(endpoint, model, ' '));
  return whole.slice(0, Math.floor(whole.length / 2));
}
