import { describe, expect, it } from 'vitest';
import { OllamaResponseError, postOllamaStream, readNdjson } from '../src/backends/ollama-stream.js';

/** A body that hands out these pieces, one per read. */
function body(...pieces: string[]): ReadableStream<Uint8Array> {
  const bytes = pieces.map((p) => new TextEncoder().encode(p));
  return new ReadableStream({
    pull(controller) {
      const next = bytes.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

describe('readNdjson (the Ollama stream, parsed once)', () => {
  it('joins lines across reads, skips blank lines, counts lines that are not a JSON object', async () => {
    const counters = { malformedLines: 0 };
    const seen: unknown[] = [];
    const stopped = await readNdjson(
      body('{"n":1}\n{"n"', ':2}\n\n[3]\nnot json\n', '{"n":"é"}\n{"n":4}'),
      counters,
      (m) => (seen.push(m), false),
    );
    expect(seen, 'the objects, in order; the last line needs no newline').toEqual([
      { n: 1 },
      { n: 2 },
      { n: 'é' },
      { n: 4 },
    ]);
    expect(counters.malformedLines, '[3] and "not json"; the blank line is not counted').toBe(2);
    expect(stopped, 'the body ended').toBe(false);
  });

  it('stops at the chunk the handler says is the last, and throws on an error line', async () => {
    const seen: unknown[] = [];
    const stop = await readNdjson(
      body('{"done":false}\n{"done":true}\n{"late":1}\n'),
      { malformedLines: 0 },
      (m) => {
        seen.push(m);
        return m['done'] === true;
      },
    );
    expect([stop, seen], 'nothing after the final chunk').toEqual([true, [{ done: false }, { done: true }]]);
    await expect(
      readNdjson(body('{"n":1}\n{"error":"model crashed"}\n'), { malformedLines: 0 }, () => false),
    ).rejects.toThrow('model crashed');
  });

  it("a non-2xx answer is a ResponseError with Ollama's text, or the body text when it is not JSON", async () => {
    const answer = (text: string, status: number, type: string) => () =>
      Promise.resolve(new Response(text, { status, headers: { 'content-type': type } }));
    const errorOf = (fetchImpl: () => Promise<Response>) =>
      postOllamaStream(fetchImpl as typeof fetch, 'http://x/api/chat', {}, new AbortController().signal).then(
        () => {
          throw new Error('expected an HTTP error');
        },
        (e: unknown) => {
          if (e instanceof OllamaResponseError) return e;
          throw e;
        },
      );
    const json = await errorOf(answer('{"error":"model \\"ghost\\" not found"}', 404, 'application/json'));
    expect([json.name, json.status_code, json.error]).toEqual([
      'ResponseError',
      404,
      'model "ghost" not found',
    ]);
    const text = await errorOf(answer(' upstream down \n', 502, 'text/plain'));
    expect([text.status_code, text.error], 'trimmed body text').toEqual([502, 'upstream down']);
  });
});
