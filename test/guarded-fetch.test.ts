import { describe, expect, it } from 'vitest';
import { dropMalformedLines, guardedFetch } from '../src/backends/guarded-fetch.js';

function streamOf(parts: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(typeof part === 'string' ? encoder.encode(part) : part);
      controller.close();
    },
  });
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe('dropMalformedLines', () => {
  it('passes whole JSON lines through, across chunk boundaries', async () => {
    const counters = { malformedLines: 0 };
    const out = await readAll(
      dropMalformedLines(streamOf(['{"a":', '1}\n{"b"', ':2}\n', '{"c":3}']), counters),
    );
    expect(out).toBe('{"a":1}\n{"b":2}\n{"c":3}');
    expect(counters.malformedLines).toBe(0);
  });

  it('drops and counts lines that are not JSON, keeping the rest', async () => {
    const counters = { malformedLines: 0 };
    const out = await readAll(
      dropMalformedLines(streamOf(['{"a":1}\nnot json\n{"b"', ':2}\n{oops\n']), counters),
    );
    expect(out).toBe('{"a":1}\n{"b":2}\n');
    expect(counters.malformedLines).toBe(2);
  });

  it('keeps a multi-byte character split between reads intact', async () => {
    const bytes = new TextEncoder().encode('{"t":"é€"}\n');
    const counters = { malformedLines: 0 };
    const out = await readAll(
      dropMalformedLines(streamOf([bytes.subarray(0, 8), bytes.subarray(8)]), counters),
    );
    expect(out).toBe('{"t":"é€"}\n');
    expect(counters.malformedLines).toBe(0);
  });
});

describe('guardedFetch', () => {
  it('hands a non-JSON error body on as {"error": text} with the same status', async () => {
    const base: typeof fetch = () =>
      Promise.resolve(
        new Response('404 page not found', { status: 404, headers: { 'content-type': 'text/plain' } }),
      );
    const response = await guardedFetch({ malformedLines: 0 }, undefined, base)('http://x/api/nope');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: '404 page not found' });
  });
});
