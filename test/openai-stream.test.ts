import { describe, expect, it } from 'vitest';
import {
  emptyStreamState,
  readOpenAiStream,
  streamSucceeded,
  type StreamState,
} from '../src/backends/openai-stream.js';

/** A body that hands out these byte pieces, one per read. */
function body(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  const queue = [...pieces];
  return new ReadableStream({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

const event = (value: unknown): string => `data: ${JSON.stringify(value)}\n\n`;
const delta = (d: Record<string, unknown>, finish: string | null = null): unknown => ({
  choices: [{ index: 0, delta: d, finish_reason: finish }],
});

/** Reads `pieces` with a clock that advances 10 ms per reading, from a start at 0. */
async function read(pieces: Uint8Array[], apiKey: string | null = null) {
  let clockMs = 0;
  const state = emptyStreamState();
  const seen: string[] = [];
  const error = await readOpenAiStream(body(pieces), state, {
    now: () => (clockMs += 10),
    startedMs: 0,
    apiKey,
    onChunk: (text) => seen.push(text),
  });
  return { state, error, seen, clockMs };
}

const STREAM = new TextEncoder().encode(
  event(delta({ role: 'assistant', content: '' })) +
    event(delta({ reasoning_content: 'Let me see' })) +
    event(delta({ content: 'Hé' })) +
    'data: not json\n\n' +
    ': keep-alive\n\n' +
    event(delta({ content: '!' })) +
    event({ ...(delta({}, 'stop') as object), system_fingerprint: 'fp_1' }) +
    event({
      choices: [],
      usage: { prompt_tokens: 12, completion_tokens: 4, completion_tokens_details: { reasoning_tokens: 1 } },
    }) +
    'data: [DONE]\n\n' +
    event(delta({ content: 'after the end' })),
);

const EXPECTED: StreamState = {
  // one read: the clock reads 10 at the first chunk with reasoning or text (the role chunk has
  // neither), then 20 once after the read, for "Hé" and "!" in it
  ttftMs: 10,
  lastContentMs: 20,
  text: 'Hé!',
  // role, reasoning, "Hé", "!", finish, usage: 6 JSON chunks; [DONE] and the malformed event are not chunks
  chunks: 6,
  contentChunks: 3,
  malformedLines: 1,
  finishReason: 'stop',
  usage: { promptTokens: 12, completionTokens: 4, cachedTokens: null, reasoningTokens: 1 },
  timings: null,
  fingerprint: 'fp_1',
  sawDone: true,
};

describe('readOpenAiStream (each event parsed once, into the state)', () => {
  it('reads up to [DONE]: TTFT at the first reasoning token, text, counts, usage', async () => {
    const { state, error, seen } = await read([STREAM]);
    expect(error).toBeNull();
    expect(state).toEqual(EXPECTED);
    expect(seen, 'the listener gets answer text only, not reasoning; nothing after [DONE]').toEqual([
      'Hé',
      '!',
    ]);
  });

  it('the bytes cut in two at every offset give the same state (é split across reads too)', async () => {
    for (let cut = 0; cut <= STREAM.length; cut += 1) {
      const { state, error, clockMs } = await read([STREAM.slice(0, cut), STREAM.slice(cut)]);
      expect(error, `cut at ${cut}`).toBeNull();
      expect({ ...state, lastContentMs: 0 }, `cut at ${cut}`).toEqual({ ...EXPECTED, lastContentMs: 0 });
      // 20 when the later text chunks share a read, 30 when "Hé" and "!" come in two: always the last reading
      expect(state.lastContentMs, `cut at ${cut}: the clock's last reading`).toBe(clockMs);
    }
  });

  it('TTFT at the first text chunk; the last one timed once per network read, after its events', async () => {
    const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
    const paced = [
      encode(event(delta({ content: 'a' }))),
      encode(event(delta({ content: 'b' })) + event(delta({ content: 'c' }))),
      encode(event(delta({ content: 'd' }))),
      encode(event(delta({}, 'stop'))),
      encode('data: [DONE]\n\n'),
    ];
    const { state, clockMs } = await read(paced);
    expect(state.ttftMs, '"a": the first reading').toBe(10);
    expect(state.lastContentMs, 'after read 2 ("b", "c"): 20; after read 3 ("d"): 30').toBe(30);
    expect(clockMs, 'three readings: reads 4 and 5 carry no text').toBe(30);
    expect(state.contentChunks).toBe(4);
    expect(state.text).toBe('abcd');
  });

  it('an error event stops the read: its first line, the key redacted; what came before is kept', async () => {
    const text =
      event(delta({ content: 'a' })) +
      event({ error: { message: 'bad key sk-123\ndetail', type: 'server_error', code: 500 } }) +
      event(delta({ content: 'b' }));
    const { state, error, seen } = await read([new TextEncoder().encode(text)], 'sk-123');
    expect(error).toEqual({
      kind: 'stream',
      message: 'server error in stream: bad key [redacted]',
      status: null,
    });
    expect(state.text).toBe('a');
    expect(state.chunks, 'the error event is not a chunk').toBe(1);
    expect(seen).toEqual(['a']);
  });

  it('a stream that ends without usage or [DONE]: one output token per content chunk, an estimate', async () => {
    const text = event(delta({ content: 'x' })) + event(delta({ content: 'y' }, 'length'));
    const { state, error } = await read([new TextEncoder().encode(text)]);
    expect(error).toBeNull();
    expect(state.sawDone).toBe(false);
    expect(state.finishReason).toBe('length');
    const result = streamSucceeded(state, 99);
    expect(result.metricsSource).toBe('chunks');
    expect(result.metrics.outputTokens, '2 content chunks').toBe(2);
    expect(result.ttftMs, 'first reading of the 10 ms clock').toBe(10);
    expect(result.lastTokenMs, 'second reading').toBe(20);
    expect(result.latencyMs).toBe(99);
  });
});
