import type { StreamCounters } from './guarded-fetch.js';

type Fetch = typeof fetch;

/** An HTTP error from Ollama, shaped like the ollama package's ResponseError (see classifyOllamaError). */
export class OllamaResponseError extends Error {
  override readonly name = 'ResponseError';
  constructor(
    readonly error: string,
    readonly status_code: number,
  ) {
    super(error);
  }
}

/**
 * POSTs a streaming request the way the ollama package does (JSON body and headers) and hands back
 * the body. A non-2xx answer throws OllamaResponseError with Ollama's {"error"} text, or the body
 * text when it is not JSON (what guardedFetch hands the package), so errors classify as before.
 */
export async function postOllamaStream(
  fetchImpl: Fetch,
  url: string,
  body: unknown,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const response = await fetchImpl(url, {
    method: 'POST',
    body: JSON.stringify(body),
    signal,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
  });
  if (!response.ok) throw new OllamaResponseError(await errorText(response), response.status);
  if (response.body === null) throw new Error('Missing body');
  return response.body;
}

async function errorText(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text();
  if (!type.includes('application/json')) {
    return text.trim() || `HTTP ${response.status} ${response.statusText}`;
  }
  const fallback = `Error ${response.status}: ${response.statusText}`;
  try {
    const parsed = JSON.parse(text) as { error?: unknown } | null;
    return typeof parsed?.error === 'string' && parsed.error !== '' ? parsed.error : fallback;
  } catch {
    return fallback;
  }
}

/** Handed each JSON object of the stream; returns true to stop reading (the final chunk came). */
export type NdjsonHandler = (message: Record<string, unknown>) => boolean;

/**
 * Reads an NDJSON body, parsing each line once and handing the object on. Blank lines are skipped;
 * a line that is not a JSON object is dropped and counted in `counters.malformedLines`. A line
 * with an `error` key throws Error(error), as the ollama package does. Resolves true when the
 * handler stopped the read (the rest of the body is cancelled), false when the body ended first.
 * One decode, one split and one JSON.parse per line, no per-line promise: the client's hot path.
 */
export async function readNdjson(
  body: ReadableStream<Uint8Array>,
  counters: StreamCounters,
  onMessage: NdjsonHandler,
): Promise<boolean> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const deliver = (line: string): boolean => {
    const message = parseObject(line, counters);
    if (message === undefined) return false;
    if ('error' in message) throw new Error(String(message.error));
    return onMessage(message);
  };
  for (;;) {
    const { done, value } = await reader.read();
    const text = buffered + (done ? decoder.decode() : decoder.decode(value, { stream: true }));
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const line = text.slice(start, end);
      start = end + 1;
      if (deliver(line)) {
        reader.cancel().catch(() => undefined);
        return true;
      }
    }
    buffered = start === 0 ? text : text.slice(start);
    if (done) return deliver(buffered);
  }
}

function parseObject(line: string, counters: StreamCounters): Record<string, unknown> | undefined {
  if (line.trim() === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // counted below
  }
  counters.malformedLines += 1;
  return undefined;
}
