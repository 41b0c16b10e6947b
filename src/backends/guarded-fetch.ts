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
export function guardedFetch(
  counters: StreamCounters,
  signal: AbortSignal | undefined,
  base: Fetch = fetch,
): Fetch {
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
      return new Response(dropMalformedLines(response.body, counters), {
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

/**
 * Re-streams NDJSON bytes, dropping (and counting) lines that are not JSON. Only whole lines are
 * passed on; when every line of a read parses, the same bytes go on uncopied, so the common case
 * costs one JSON.parse per line (the library parses again downstream).
 */
export function dropMalformedLines(
  body: ReadableStream<Uint8Array>,
  counters: StreamCounters,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending: Uint8Array = new Uint8Array(0);
  const keepJson = (line: string): boolean => {
    if (line.trim() === '') return false;
    try {
      JSON.parse(line);
      return true;
    } catch {
      counters.malformedLines += 1;
      return false;
    }
  };
  const emit = (bytes: Uint8Array, controller: ReadableStreamDefaultController<Uint8Array>): void => {
    const lines = decoder.decode(bytes).split('\n');
    const kept = lines.filter(keepJson);
    const blank = lines.filter((l) => l.trim() === '').length;
    if (kept.length + blank === lines.length) controller.enqueue(bytes);
    else if (kept.length > 0) controller.enqueue(encoder.encode(kept.join('\n') + '\n'));
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          if (pending.length > 0) emit(pending, controller);
          controller.close();
          return;
        }
        const combined = pending.length === 0 ? value : concat(pending, value);
        const end = combined.lastIndexOf(0x0a) + 1;
        pending = combined.subarray(end);
        if (end > 0) {
          emit(combined.subarray(0, end), controller);
          return;
        }
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
