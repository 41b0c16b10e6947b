/** Counters a guarded fetch fills in while a response streams. */
export interface StreamCounters {
  malformedLines: number;
}

type Fetch = typeof fetch;

/**
 * Wraps fetch for the ollama client so that (1) NDJSON lines that are not JSON are dropped and
 * counted, instead of being console.warn'ed by the library; (2) an error body that is not JSON
 * is handed on as `{"error": text}`, so the library neither logs nor loses the text; (3) an
 * extra signal (timeout, run abort) can cancel the request before the library's own iterator
 * exists.
 */
export function guardedFetch(counters: StreamCounters, signal: AbortSignal | undefined, base: Fetch = fetch): Fetch {
  return async (input, init) => {
    const signals = [init?.signal, signal].filter((s): s is AbortSignal => s !== undefined && s !== null);
    const combined = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const response = await base(input, { ...init, signal: combined });
    const type = response.headers.get('content-type') ?? '';
    if (!response.ok && !type.includes('application/json')) {
      const text = (await response.text()).trim();
      return jsonResponse({ error: text || `HTTP ${response.status} ${response.statusText}` }, response);
    }
    if (response.ok && type.includes('application/x-ndjson') && response.body !== null) {
      return new Response(response.body.pipeThrough(dropMalformedLines(counters)), {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
    return response;
  };
}

function jsonResponse(body: unknown, like: Response): Response {
  const headers = new Headers(like.headers);
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(JSON.stringify(body), { status: like.status, statusText: like.statusText, headers });
}

/** A byte stream transform that passes whole JSON lines and counts the rest. */
export function dropMalformedLines(counters: StreamCounters): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = '';
  const emit = (line: string, controller: TransformStreamDefaultController<Uint8Array>): void => {
    if (line.trim() === '') return;
    try {
      JSON.parse(line);
      controller.enqueue(encoder.encode(line + '\n'));
    } catch {
      counters.malformedLines += 1;
    }
  };
  return new TransformStream({
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) emit(line, controller);
    },
    flush(controller) {
      buffer += decoder.decode();
      emit(buffer, controller);
    },
  });
}
