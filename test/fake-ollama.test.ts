import { performance } from 'node:perf_hooks';
import { Ollama } from 'ollama';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  QUEUE_FULL_MESSAGE,
  countPromptTokens,
  defaultReply,
  startFakeOllama,
} from './support/fake-ollama/index.js';
import type { FakeOllama, FakeOllamaOptions } from './support/fake-ollama/index.js';
import { postRaw, waitFor } from './support/fake-ollama/testing.js';

const RFC3339_NANO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
const MS = 1e6;
/**
 * Timing tolerances for a busy 2-core machine. Nothing can be early, so lower bounds are
 * tight; lateness comes from timers and scheduling, more so where the client's side counts.
 */
const TOL_MS = 25;
const CLIENT_TOL_MS = 50;
/**
 * Tests whose assertions are about timing get retries: on a starved CPU a timer can fire tens
 * of ms late, which the fake reports truthfully. Logic failures fail every attempt.
 */
const TIMING = { retry: 2 };

const servers: FakeOllama[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  vi.restoreAllMocks();
});

async function start(options: FakeOllamaOptions = {}): Promise<{ server: FakeOllama; ollama: Ollama }> {
  const server = await startFakeOllama({ loadMs: 50, genTokensPerS: 5000, ...options });
  servers.push(server);
  return { server, ollama: new Ollama({ host: server.url }) };
}

const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
const ask = (content: string): { role: string; content: string }[] => [{ role: 'user', content }];

describe('info endpoints', () => {
  it('serves /, version, tags, show and ps like Ollama', async () => {
    const { server, ollama } = await start({ version: '0.13.0' });
    const root = await fetch(`${server.url}/`);
    expect(await root.text(), 'GET /').toBe('Ollama is running');
    expect((await fetch(server.url, { method: 'HEAD' })).status, 'HEAD /').toBe(200);
    expect(await ollama.version(), 'version').toEqual({ version: '0.13.0' });

    const tags = (await (await fetch(`${server.url}/api/tags`)).json()) as { models: unknown[] };
    expect(tags.models).toHaveLength(2);
    expect(tags.models[0], 'tags[0]').toEqual({
      name: 'llama3.2:latest',
      model: 'llama3.2:latest',
      modified_at: '2025-06-01T12:00:00.123456789Z',
      size: 2019393189,
      digest: 'a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72',
      details: {
        parent_model: '',
        format: 'gguf',
        family: 'llama',
        families: ['llama'],
        parameter_size: '3.2B',
        quantization_level: 'Q4_K_M',
      },
    });

    const show = await ollama.show({ model: 'llama3.2' });
    const info = show.model_info as unknown as Record<string, unknown>;
    expect(info['general.architecture'], 'architecture').toBe('llama');
    expect(info['general.parameter_count'], 'parameter_count').toBe(3212749888);
    expect(info['llama.context_length'], 'context_length').toBe(131072);
    expect(info['llama.block_count'], 'block_count').toBe(28);
    expect(info['llama.attention.head_count_kv'], 'head_count_kv').toBe(8);
    expect(info['llama.attention.key_length'], 'key_length').toBe(128);
    expect(show.capabilities, 'capabilities').toEqual(['completion']);
    expect(show.details.quantization_level, 'quantization').toBe('Q4_K_M');
    expect(show.modelfile, 'modelfile').toContain('FROM ');

    expect(await ollama.ps(), 'ps before any load').toEqual({ models: [] });
    await ollama.chat({ model: 'llama3.2', messages: ask('hi') });
    const ps = (await (await fetch(`${server.url}/api/ps`)).json()) as { models: Record<string, unknown>[] };
    // loaded: 2019393189 of weights + 28 layers x 8 KV heads x (128 + 128) x 2 bytes x 4096 tokens (469762048)
    // + 268435456 of compute buffers = 2757590693; all of it in GPU memory
    expect(ps.models.map((m) => [m['name'], m['size'], m['size_vram'], m['context_length']])).toEqual([
      ['llama3.2:latest', 2757590693, 2757590693, 4096],
    ]);
    const expiresInS = (Date.parse(String(ps.models[0]?.['expires_at'])) - Date.now()) / 1000;
    expect(expiresInS, 'default keep_alive 5m').toBeGreaterThan(295);
    expect(expiresInS).toBeLessThanOrEqual(300);
  });

  it('answers unknown routes and methods with Go’s plain 404', async () => {
    const { server } = await start();
    for (const [path, method] of [
      ['/api/nope', 'GET'],
      ['/api/chat', 'GET'],
      ['/api/tags', 'POST'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`, { method });
      expect([res.status, await res.text()], `${method} ${path}`).toEqual([404, '404 page not found']);
    }
  });
});

describe('streaming answers', () => {
  it('streams one token per NDJSON chunk, then a final chunk with metrics', TIMING, async () => {
    const { server, ollama } = await start({ loadMs: 200, defaultOutputTokens: 12 });
    const prompt = 'Why is the sky blue?';
    const first = await postRaw(`${server.url}/api/chat`, { model: 'llama3.2', messages: ask(prompt) });
    expect(first.status).toBe(200);
    expect(first.contentType, 'content type').toBe('application/x-ndjson');
    const chunks = first.lines as Record<string, unknown>[];
    expect(chunks, '12 tokens + final').toHaveLength(13);
    for (const chunk of chunks) {
      expect(chunk['model'], 'model echoed as sent').toBe('llama3.2');
      expect(String(chunk['created_at'])).toMatch(RFC3339_NANO_UTC);
    }
    const text = chunks.map((c) => (c['message'] as { content: string }).content).join('');
    expect(text, 'reply').toBe(defaultReply(prompt, 12));
    const final = chunks[12] ?? {};
    expect(Object.keys(final), 'final keys in Go order').toEqual([
      'model',
      'created_at',
      'message',
      'done_reason',
      'done',
      'total_duration',
      'load_duration',
      'prompt_eval_count',
      'prompt_eval_duration',
      'eval_count',
      'eval_duration',
    ]);
    expect([final['done'], final['done_reason'], final['eval_count']]).toEqual([true, 'stop', 12]);
    expect(final['prompt_eval_count'], 'ceil(20 chars / 4)').toBe(countPromptTokens(prompt));
    expect(final['prompt_eval_count']).toBe(5);
    const loadMs = Number(final['load_duration']) / MS;
    expect(loadMs, 'cold load').toBeGreaterThanOrEqual(200);
    expect(loadMs).toBeLessThan(200 + TOL_MS);

    const warm = await ollama.chat({ model: 'llama3.2', messages: ask(prompt), stream: true });
    const parts = [];
    for await (const part of warm) parts.push(part);
    const done = parts.at(-1) ?? {};
    expect('load_duration' in done, 'warm request: load_duration omitted').toBe(false);
    expect(Object.keys(done)).toContain('eval_duration');
    expect(server.requests.map((r) => [r.endpoint, r.evalCount, r.doneReason])).toEqual([
      ['chat', 12, 'stop'],
      ['chat', 12, 'stop'],
    ]);
  });

  it('decodes at the configured rate and reports durations that match wall time', TIMING, async () => {
    const { server, ollama } = await start({
      genTokensPerS: 400,
      promptTokensPerS: 1000,
      extraTtftMs: 40,
      respond: () => words(400),
    });
    await ollama.chat({ model: 'llama3.2', messages: [] }); // warm-up
    const prompt = 'x'.repeat(400); // 100 prompt tokens -> 100 ms
    const answer = await postRaw(`${server.url}/api/generate`, { model: 'llama3.2', prompt });
    const final = answer.lines.at(-1) as Record<string, number>;
    expect(final['eval_count']).toBe(400);
    expect(final['load_duration'], 'warm: omitted').toBeUndefined();
    const rate = ((final['eval_count'] ?? 0) / (final['eval_duration'] ?? 1)) * 1e9;
    expect(Math.abs(rate - 400) / 400, `rate ${rate}`).toBeLessThan(0.01);
    expect(Number(final['prompt_eval_duration']) / MS, 'prompt eval').toBeGreaterThanOrEqual(100);
    expect(Number(final['prompt_eval_duration']) / MS).toBeLessThan(100 + TOL_MS);

    const record = server.requests.at(-1);
    const serverTtftMs = (record?.firstTokenSentAtMs ?? 0) - (record?.receivedAtMs ?? 0);
    expect(serverTtftMs, 'server-side ttft').toBeGreaterThanOrEqual(100 + 40 + 2.5);
    expect(serverTtftMs).toBeLessThan(100 + 40 + 2.5 + TOL_MS);
    const firstAt = answer.lineAtMs[0] ?? 0;
    const ttftMs = firstAt - answer.sentAtMs;
    expect(ttftMs, 'ttft = prompt + extra + one token').toBeGreaterThanOrEqual(100 + 40 + 2.5 - 1);
    expect(ttftMs).toBeLessThan(100 + 40 + 2.5 + CLIENT_TOL_MS);
    expect(
      Math.abs((record?.firstTokenSentAtMs ?? 0) - firstAt),
      'server vs client first token',
    ).toBeLessThan(CLIENT_TOL_MS);
    const wallMs = (answer.lineAtMs.at(-1) ?? 0) - answer.sentAtMs;
    expect(Math.abs(Number(final['total_duration']) / MS - wallMs), 'total vs wall').toBeLessThan(
      CLIENT_TOL_MS,
    );
  });

  it('truncates at num_predict with done_reason length; stream:false returns one object', async () => {
    const { server, ollama } = await start({ respond: () => 'one two three four five' });
    const cut = await ollama.generate({ model: 'llama3.2', prompt: 'count', options: { num_predict: 3 } });
    expect([cut.response, cut.done_reason, cut.eval_count]).toEqual(['one two three', 'length', 3]);
    expect(cut.context, 'context = prompt + output ids').toHaveLength(2 + 3);
    const full = await ollama.chat({
      model: 'llama3.2',
      messages: ask('count'),
      options: { num_predict: 10 },
    });
    expect([full.message.content, full.done_reason, full.eval_count]).toEqual([
      'one two three four five',
      'stop',
      5,
    ]);
    const raw = await postRaw(`${server.url}/api/chat`, {
      model: 'llama3.2',
      messages: ask('a'),
      stream: false,
    });
    expect(raw.contentType).toBe('application/json; charset=utf-8');
    expect(raw.lines).toHaveLength(1);
    expect(server.requests.map((r) => [r.stream, r.evalCount, r.doneReason])).toEqual([
      [false, 3, 'length'],
      [false, 5, 'stop'],
      [false, 5, 'stop'],
    ]);
  });
});

describe('model load state', () => {
  it('warm-up loads without metrics; keep_alive 0 unloads; num_ctx change and unloadAll reload', async () => {
    const { server, ollama } = await start({ loadMs: 60 });
    const url = `${server.url}/api/chat`;
    const load = await postRaw(url, { model: 'llama3.2', messages: [] });
    expect(load.contentType).toBe('application/json; charset=utf-8');
    expect(Object.keys(load.lines[0] as object), 'warm-up: no metrics').toEqual([
      'model',
      'created_at',
      'message',
      'done_reason',
      'done',
    ]);
    expect((load.lines[0] as { done_reason: string }).done_reason).toBe('load');
    const loadDuration = (body: object): number | undefined =>
      (body as { load_duration?: number }).load_duration;
    const chat = async (extra: object): Promise<number | undefined> =>
      loadDuration(await ollama.chat({ model: 'llama3.2', messages: ask('hi'), ...extra }));

    expect(await chat({}), 'after warm-up').toBeUndefined();
    expect(await chat({ options: { num_ctx: 8192 } }), 'num_ctx change reloads').toBeGreaterThanOrEqual(
      60 * MS,
    );
    expect(
      (await ollama.ps()).models.map((m) => [
        m.name,
        (m as unknown as { context_length: number }).context_length,
      ]),
    ).toEqual([['llama3.2:latest', 8192]]);
    expect(await chat({ options: { num_ctx: 8192 } }), 'same num_ctx: warm').toBeUndefined();
    await ollama.generate({ model: 'qwen2.5:0.5b', prompt: 'hi' });
    expect((await ollama.ps()).models.map((m) => m.name).sort(), 'both stay loaded').toEqual([
      'llama3.2:latest',
      'qwen2.5:0.5b',
    ]);

    const unload = await postRaw(url, { model: 'llama3.2', messages: [], keep_alive: 0 });
    expect((unload.lines[0] as { done_reason: string }).done_reason).toBe('unload');
    expect((await ollama.ps()).models.map((m) => m.name)).toEqual(['qwen2.5:0.5b']);
    expect(await chat({}), 'after unload').toBeGreaterThanOrEqual(60 * MS);
    server.unloadAll();
    expect(await chat({}), 'after unloadAll').toBeGreaterThanOrEqual(60 * MS);
    expect(server.requests.map((r) => r.doneReason)).toEqual([
      'load',
      'stop',
      'stop',
      'stop',
      'stop',
      'unload',
      'stop',
      'stop',
    ]);
  });
});

describe('errors', () => {
  it('uses Ollama’s statuses and messages', async () => {
    const { server, ollama } = await start();
    const cases: [string, unknown, number, string][] = [
      [
        '/api/chat',
        { model: 'nope', messages: ask('x') },
        404,
        'model "nope" not found, try pulling it first',
      ],
      ['/api/generate', { model: 'nope', prompt: 'x' }, 404, 'model "nope" not found, try pulling it first'],
      ['/api/show', { model: 'nope' }, 404, "model 'nope' not found"],
      ['/api/chat', { messages: ask('x') }, 400, 'model is required'],
      ['/api/generate', { prompt: 'x' }, 404, "model '' not found"],
      ['/api/chat', '', 400, 'missing request body'],
      ['/api/chat', '{"model":', 400, 'unexpected EOF'],
      ['/api/chat', 'xyz', 400, "invalid character 'x' looking for beginning of value"],
      [
        '/api/chat',
        { model: 'llama3.2', messages: ask('x'), think: true },
        400,
        '"llama3.2" does not support thinking',
      ],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await postRaw(`${server.url}${path}`, body);
      expect([res.status, res.contentType, res.text], `${path} ${JSON.stringify(body)}`).toEqual([
        status,
        'application/json; charset=utf-8',
        JSON.stringify({ error: message }),
      ]);
    }
    await expect(ollama.chat({ model: 'nope', messages: ask('x'), stream: true })).rejects.toMatchObject({
      name: 'ResponseError',
      status_code: 404,
      error: 'model "nope" not found, try pulling it first',
    });
    expect(server.requests, 'rejected requests leave no record').toEqual([]);
  });

  it('answers 503 when maxQueue requests already wait', async () => {
    const { server } = await start({
      numParallel: 1,
      maxQueue: 1,
      genTokensPerS: 100,
      respond: () => words(500),
    });
    const url = `${server.url}/api/chat`;
    const aborter = new AbortController();
    const body = { model: 'llama3.2', messages: ask('x') };
    const running = postRaw(url, body, aborter.signal).catch(() => null);
    await waitFor(() => server.requests[0]?.evalCount !== undefined && server.requests[0].evalCount > 0);
    const queued = postRaw(url, body, aborter.signal).catch(() => null);
    await waitFor(() => server.requests.length === 2);
    const refused = await postRaw(url, body);
    expect([refused.status, refused.text]).toEqual([503, JSON.stringify({ error: QUEUE_FULL_MESSAGE })]);
    expect(QUEUE_FULL_MESSAGE).toBe('server busy, please try again.  maximum pending requests exceeded');
    aborter.abort();
    await Promise.all([running, queued]);
    await waitFor(() => server.requests.every((r) => r.abortedAtMs !== null));
  });
});

describe('slots', () => {
  it('queues beyond numParallel in FIFO order and reports the wait as load_duration', TIMING, async () => {
    const { server, ollama } = await start({
      numParallel: 1,
      genTokensPerS: 1000,
      respond: () => words(150),
    });
    await ollama.chat({ model: 'llama3.2', messages: [] });
    const [a, b] = await Promise.all([
      ollama.chat({ model: 'llama3.2', messages: ask('first') }),
      ollama.chat({ model: 'llama3.2', messages: ask('second') }),
    ]);
    const [, ra, rb] = server.requests;
    expect(ra?.queueWaitNs, 'first did not wait').toBe(0);
    expect(a.load_duration, 'first: warm, no wait').toBeUndefined();
    const waitMs = (rb?.queueWaitNs ?? 0) / MS;
    const waitEndMs = (rb?.receivedAtMs ?? 0) + waitMs;
    expect(Math.abs(waitEndMs - (ra?.doneAtMs ?? 0)), 'second waited until the first was done').toBeLessThan(
      TOL_MS,
    );
    expect(waitMs, 'about the first one’s duration').toBeGreaterThan(150);
    expect(b.load_duration, 'load_duration = queue wait').toBe(rb?.queueWaitNs);
    expect(rb?.receivedAtMs).toBeLessThan(ra?.doneAtMs ?? 0);
  });

  it('runs numParallel streams at once under the contention model', TIMING, async () => {
    const { server, ollama } = await start({
      numParallel: 2,
      perStreamGenTokensPerS: (n) => (n <= 1 ? 1000 : 500),
      respond: () => words(300),
    });
    await ollama.chat({ model: 'llama3.2', messages: [] });
    const both = await Promise.all([1, 2].map(() => ollama.chat({ model: 'llama3.2', messages: ask('x') })));
    for (const r of both) {
      const rate = (r.eval_count / r.eval_duration) * 1e9;
      expect(Math.abs(rate - 500) / 500, `shared rate ${rate}`).toBeLessThan(0.02);
    }
    expect(server.requests.map((r) => r.queueWaitNs)).toEqual([0, 0, 0]);
  });

  it('frees the slot when a client aborts', TIMING, async () => {
    const { server, ollama } = await start({
      numParallel: 1,
      genTokensPerS: 200,
      respond: () => words(2000),
    });
    const stream = await ollama.chat({ model: 'llama3.2', messages: ask('long'), stream: true });
    const seen: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const part of stream) if (seen.push(part.message.content) === 3) stream.abort();
    };
    await expect(consume()).rejects.toMatchObject({ name: 'AbortError' });
    await waitFor(() => server.requests[0]?.abortedAtMs !== null);
    const next = await ollama.generate({ model: 'llama3.2', prompt: 'short', options: { num_predict: 2 } });
    expect(next.eval_count).toBe(2);
    const [aborted, after] = server.requests;
    expect([aborted?.doneAtMs, aborted?.doneReason], 'aborted: never done').toEqual([null, null]);
    expect(aborted?.evalCount, 'generation stopped').toBeLessThan(10);
    expect((after?.queueWaitNs ?? 0) / MS, 'no wait for the freed slot').toBeLessThan(TOL_MS);
  });
});

describe('faults', () => {
  it('close-mid-stream, error-line and malformed-line reach the ollama client as Ollama’s would', async () => {
    const { server, ollama } = await start({ respond: () => words(8) });
    const run = async (): Promise<string[]> => {
      const got: string[] = [];
      for await (const p of await ollama.chat({ model: 'llama3.2', messages: ask('x'), stream: true })) {
        got.push(p.message.content);
      }
      return got;
    };
    server.injectFault({ kind: 'close-mid-stream', afterTokens: 3 });
    await expect(run(), 'socket closed').rejects.toThrow();
    server.injectFault({ kind: 'error-line', afterTokens: 2, message: 'runner crashed' });
    await expect(run(), 'error line').rejects.toThrow('runner crashed');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    server.injectFault({ kind: 'malformed-line', afterTokens: 4 });
    expect((await run()).join(''), 'malformed line skipped').toBe(words(8));
    expect(warn).toHaveBeenCalledWith('invalid json: ', expect.any(String));

    server.injectFault({ kind: 'error-line', afterTokens: 1, message: 'boom' });
    const raw = await postRaw(`${server.url}/api/generate`, { model: 'llama3.2', prompt: 'x' });
    expect([raw.status, raw.lines.length, raw.lines.at(-1)], 'raw error line').toEqual([
      200,
      2,
      { error: 'boom' },
    ]);
    expect(server.requests.map((r) => [r.fault, r.evalCount, r.doneReason])).toEqual([
      ['close-mid-stream', 3, null],
      ['error-line', 2, null],
      ['malformed-line', 8, 'stop'],
      ['error-line', 1, null],
    ]);
  });

  it('status faults apply to the next `times` requests', async () => {
    const { server, ollama } = await start();
    server.injectFault({ kind: 'status', status: 500, error: 'llama runner process has terminated' }, 2);
    for (let i = 0; i < 2; i++) {
      await expect(ollama.chat({ model: 'llama3.2', messages: ask('x') })).rejects.toMatchObject({
        status_code: 500,
        error: 'llama runner process has terminated',
      });
    }
    expect((await ollama.chat({ model: 'llama3.2', messages: ask('x') })).done).toBe(true);
    expect(server.requests.map((r) => r.fault)).toEqual(['status', 'status', null]);
  });

  it('close() ends a hung request promptly', TIMING, async () => {
    const { server, ollama } = await start();
    server.injectFault({ kind: 'hang' });
    const hung = await ollama.chat({ model: 'llama3.2', messages: ask('x'), stream: true });
    const reading = (async () => {
      for await (const part of hung) return `got ${part.message.content}`;
      return 'ended';
    })();
    server.injectFault({ kind: 'hang' });
    const hungPlain = ollama.chat({ model: 'llama3.2', messages: ask('x') }).then(
      () => 'answered',
      (error: unknown) => error,
    );
    await waitFor(() => server.requests.length === 2);
    const t0 = performance.now();
    await server.close();
    expect(performance.now() - t0, 'close() is prompt').toBeLessThan(200);
    await expect(reading, 'stream ends with an error').rejects.toThrow();
    expect(await hungPlain, 'stream:false rejects').toBeInstanceOf(Error);
    expect(server.requests.map((r) => [r.fault, r.abortedAtMs !== null])).toEqual([
      ['hang', true],
      ['hang', true],
    ]);
  });
});
