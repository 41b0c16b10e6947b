import { afterEach, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../src/backends/backend.js';
import { OpenAiBackend, toRequestBody } from '../src/backends/openai.js';
import { SseDecoder, computeCachedPromptTokens, computeMetrics } from '../src/backends/openai-sse.js';
import { BackendError, BackendUnreachableError, EXIT } from '../src/errors.js';
import {
  startFakeOpenAi,
  type FakeOpenAi,
  type FakeOpenAiOptions,
  type Flavor,
} from './support/fake-openai/index.js';
import { closedPort } from './support/ports.js';

const MODEL = 'qwen2.5-7b-instruct';
let server: FakeOpenAi | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  options: FakeOpenAiOptions,
  apiKey: string | null = null,
): Promise<{ server: FakeOpenAi; backend: OpenAiBackend }> {
  server = await startFakeOpenAi({ genTokensPerS: 2000, ...options });
  return { server, backend: new OpenAiBackend({ host: server.baseUrl, apiKey, flavor: options.flavor }) };
}

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [{ role: 'user', content: 'Classify this issue, please.' }],
  options: { temperature: 0, seed: 1 },
  timeoutMs: 10_000,
  ...over,
});

describe('SSE parsing (pure)', () => {
  it('frames events across arbitrary splits, skips comments, joins multi-line data, sees [DONE]', () => {
    const sse = new SseDecoder();
    const text =
      ': keep-alive\n\ndata: {"a":\r\ndata: 1}\r\n\r\nevent: x\ndata: not json\n\ndata: [DONE]\n\n';
    const events = [...text].flatMap((ch) => sse.push(ch)).concat(sse.end());
    expect(events).toEqual([
      { kind: 'json', value: { a: 1 } },
      { kind: 'malformed', raw: 'not json' },
      { kind: 'done' },
    ]);
  });

  it('metrics: timings beat usage; usage alone; chunks as the last resort', () => {
    const timings = { promptN: 10, promptMs: 5, predictedN: 7, predictedMs: 14, cacheN: 3 };
    const usage = { promptTokens: 13, completionTokens: 7, cachedTokens: null };
    expect(computeMetrics({ usage, timings, contentChunks: 9 })).toEqual({
      // every prompt token: prompt_n 10 evaluated + cache_n 3 from the cache
      source: 'server',
      metrics: {
        promptTokens: 13,
        promptEvalMs: 5,
        outputTokens: 7,
        evalMs: 14,
        loadMs: null,
        totalMs: null,
      },
    });
    expect(computeMetrics({ usage, timings: null, contentChunks: 9 }).metrics).toMatchObject({
      promptTokens: 13,
      outputTokens: 7,
      evalMs: null,
    });
    expect(computeMetrics({ usage: null, timings: null, contentChunks: 9 })).toMatchObject({
      source: 'chunks',
      metrics: { outputTokens: 9, promptTokens: null },
    });
  });

  it('llama.cpp: a 400-token system prompt from the cache + 100 new task tokens are 500 prompt tokens, 400 cached', () => {
    const timings = { promptN: 100, promptMs: 50, predictedN: 20, predictedMs: 200, cacheN: 400 };
    const { metrics } = computeMetrics({ usage: null, timings, contentChunks: 20 });
    expect(metrics.promptTokens, 'prompt_n 100 + cache_n 400').toBe(500);
    expect(metrics.promptEvalMs, 'the 50 ms evaluated the 100 new tokens only').toBe(50);
    expect(computeCachedPromptTokens({ usage: null, timings, contentChunks: 20 })).toBe(400);
    // Without cache_n (older builds), usage.prompt_tokens (which counts cached tokens) is the total when sent.
    const noCacheN = { ...timings, cacheN: null };
    expect(
      computeMetrics({
        usage: { promptTokens: 500, completionTokens: 20, cachedTokens: null },
        timings: noCacheN,
        contentChunks: 20,
      }).metrics.promptTokens,
    ).toBe(500);
    expect(
      computeMetrics({ usage: null, timings: noCacheN, contentChunks: 20 }).metrics.promptTokens,
      'all that is known',
    ).toBe(100);
    // vLLM: usage.prompt_tokens already counts prompt_tokens_details.cached_tokens.
    const vllm = {
      usage: { promptTokens: 500, completionTokens: 20, cachedTokens: 400 },
      timings: null,
      contentChunks: 20,
    };
    expect(computeMetrics(vllm).metrics.promptTokens).toBe(500);
    expect(computeCachedPromptTokens(vllm)).toBe(400);
  });

  it('maps format to response_format and numPredict to max_tokens', () => {
    const schema = { type: 'object', properties: { label: { type: 'string' } }, required: ['label'] };
    expect(toRequestBody(request({ format: schema, options: { numPredict: 5 } }))).toMatchObject({
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 5,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } },
    });
    expect(toRequestBody(request({ format: 'json' }))['response_format']).toEqual({ type: 'json_object' });
  });
});

describe.each<Flavor>(['llama.cpp', 'vllm', 'lmstudio'])('OpenAiBackend.chat against %s', (flavor) => {
  it('ignores the role-only chunk for TTFT and gets the text and finish reason', async () => {
    const { server, backend } = await start({ flavor, extraTtftMs: 40 });
    const result = await backend.chat(request());
    const truth = server.requests.at(-1);
    expect(result.state).toBe('ok');
    expect(truth?.roleSentAtMs, 'the role chunk went out first').not.toBeNull();
    expect(result.ttftMs ?? 0, 'TTFT waits for content, not the role chunk').toBeGreaterThanOrEqual(40);
    expect(result.text.split(' ').length).toBe(24);
    expect(result.doneReason).toBe('stop');
    expect(result.chunks, 'role + 24 content + final (+ usage)').toBe(
      24 + 2 + (truth?.sentUsageChunk === true ? 1 : 0),
    );
  });

  it('reports exact token counts, with the source labelled', async () => {
    const { server, backend } = await start({ flavor, cachedPromptTokens: 4 });
    const result = await backend.chat(request());
    const truth = server.requests.at(-1);
    if (truth === undefined) throw new Error('no record');
    const info = result;
    if (flavor === 'llama.cpp') {
      expect(info?.metricsSource).toBe('server');
      expect(result.metrics).toEqual({
        promptTokens: truth.promptTokens, // prompt_n (evaluated) + cache_n: every prompt token
        promptEvalMs: truth.promptMs,
        outputTokens: truth.completionTokens,
        evalMs: truth.predictedMs,
        loadMs: null,
        totalMs: null,
      });
      expect(info?.cachedPromptTokens, 'cache_n').toBe(4);
    } else if (flavor === 'vllm') {
      expect(info?.metricsSource).toBe('usage');
      expect(result.metrics).toMatchObject({
        promptTokens: truth.promptTokens,
        outputTokens: truth.completionTokens,
        evalMs: null,
      });
      expect(info?.cachedPromptTokens, 'cached_tokens').toBe(4);
    } else {
      expect(truth.sentUsageChunk, 'LM Studio ignores include_usage').toBe(false);
      expect(info?.metricsSource).toBe('chunks');
      expect(result.metrics).toMatchObject({ promptTokens: null, outputTokens: 24 });
    }
  });

  it('passes a JSON schema through as response_format and stops at max_tokens', async () => {
    const { server, backend } = await start({ flavor });
    const schema = { type: 'object', properties: { label: { type: 'string' } } };
    const result = await backend.chat(request({ format: schema, options: { numPredict: 3 } }));
    expect(server.requests.at(-1)?.body['response_format']).toEqual({
      type: 'json_schema',
      json_schema: { name: 'answer', schema, strict: true },
    });
    expect(result.doneReason).toBe('length');
    expect(result.metrics.outputTokens).toBe(3);
  });

  // Client receipt lag is absolute (ms), so a loaded machine can push one run past 1%: retried, not loosened.
  it("measures the generation rate within 1% of the server's ground truth", { retry: 2 }, async () => {
    const { server, backend } = await start({ flavor, genTokensPerS: 1000, defaultOutputTokens: 1000 });
    await backend.chat(request({ options: { numPredict: 5 } })); // first request pays JIT and connection setup
    const result = await backend.chat(request());
    const truth = server.requests.at(-1);
    if (truth?.firstTokenSentAtMs == null || truth.lastTokenSentAtMs === null) throw new Error('no record');
    const info = result;
    const trueRate = (truth.completionTokens - 1) / (truth.lastTokenSentAtMs - truth.firstTokenSentAtMs);
    const measured = (1000 - 1) / ((info.lastTokenMs ?? 0) - (result.ttftMs ?? 0));
    expect(
      Math.abs(measured / trueRate - 1),
      `client ${measured * 1000} vs server ${trueRate * 1000} tok/s`,
    ).toBeLessThan(0.01);
    if (flavor === 'llama.cpp') expect(result.metrics.evalMs, 'predicted_ms').toBe(truth.predictedMs);
  });
});

describe('OpenAiBackend errors', () => {
  it("sends the API key; a wrong key is a 401 with the server's message and without the key", async () => {
    server = await startFakeOpenAi({ flavor: 'vllm', apiKey: 'sk-right' });
    const good = new OpenAiBackend({ host: server.baseUrl, apiKey: 'sk-right' });
    expect((await good.chat(request())).state).toBe('ok');
    expect(server.requests.at(-1)?.bearer).toBe('sk-right');
    const bad = new OpenAiBackend({ host: server.baseUrl, apiKey: 'sk-wrong-secret' });
    const result = await bad.chat(request());
    expect(result).toMatchObject({
      state: 'errored',
      status: 401,
      errorKind: 'http',
      error: 'HTTP 401: Incorrect API key provided: [redacted].',
    });
    expect(JSON.stringify(result)).not.toContain('sk-wrong-secret');
    const listing = await bad.listModels().catch((e: unknown) => e);
    expect(listing).toBeInstanceOf(BackendError);
    expect((listing as BackendError).message).not.toContain('sk-wrong-secret');
    expect((listing as BackendError).hint, 'names the variable, never the key').toBe(
      "The server refused the key in $COSTBENCH_API_KEY: check it against the server's --api-key.",
    );
    const none = await new OpenAiBackend({ host: server.baseUrl, apiKeyEnv: 'VLLM_KEY' })
      .listModels()
      .catch((e: unknown) => e);
    expect((none as BackendError).hint).toBe(
      'The server wants an API key: export VLLM_KEY=<key> (backend.apiKeyEnv names another variable).',
    );
  });

  it("an unknown model is a 404 with the server's text", async () => {
    const { backend } = await start({ flavor: 'llama.cpp' });
    expect(await backend.chat(request({ model: 'ghost' }))).toMatchObject({
      state: 'errored',
      status: 404,
      errorKind: 'http',
      error: 'HTTP 404: The model `ghost` does not exist.',
    });
    const shown = await backend.showModel('ghost').catch((e: unknown) => e);
    expect((shown as BackendError).exitCode).toBe(EXIT.backend);
  });

  it('an unreachable server is exit 3 with how to start one; chat records it as data', async () => {
    const port = await closedPort();
    const backend = new OpenAiBackend({ host: `http://127.0.0.1:${port}/v1` });
    const error = await backend.listModels().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnreachableError);
    expect((error as BackendUnreachableError).exitCode).toBe(EXIT.backendUnreachable);
    expect((error as BackendUnreachableError).message).toBe(
      `cannot reach the OpenAI-compatible server at http://127.0.0.1:${port}/v1 (ECONNREFUSED)`,
    );
    expect((error as BackendUnreachableError).hint).toMatch(/llama-server.*vllm serve.*LM Studio/);
    expect(await backend.chat(request())).toMatchObject({ state: 'errored', errorKind: 'unreachable' });
    await expect(backend.warmUp(MODEL, {})).rejects.toBeInstanceOf(BackendUnreachableError);
  });

  const faults = [
    {
      name: 'HTTP 500',
      fault: { kind: 'status', status: 500, message: 'slot unavailable' } as const,
      expected: { state: 'errored', errorKind: 'http', status: 500, error: 'HTTP 500: slot unavailable' },
    },
    {
      name: 'error event mid-stream',
      fault: { kind: 'error-event', afterTokens: 2, message: 'out of memory' } as const,
      expected: {
        state: 'errored',
        errorKind: 'stream',
        status: null,
        error: 'server error in stream: out of memory',
      },
    },
    {
      name: 'close mid-stream',
      fault: { kind: 'close-mid-stream', afterTokens: 2 } as const,
      expected: {
        state: 'errored',
        errorKind: 'stream',
        status: null,
        error: 'connection closed by the server mid-response',
      },
    },
  ];
  it.each(faults)(
    'records $name as data, and the next request is unaffected',
    async ({ fault, expected }) => {
      const { server, backend } = await start({ flavor: 'llama.cpp' });
      server.injectFault(fault);
      const result = await backend.chat(request());
      expect(result).toMatchObject(expected);
      expect(server.requests.at(-1)?.fault).toBe(fault.kind);
      // A destroyed socket may drop bytes still in flight, so only the error event pins the partial text.
      if (fault.kind === 'error-event')
        expect(result.text.split(' ').length, 'the partial text is kept').toBe(2);
      expect((await backend.chat(request())).state).toBe('ok');
    },
  );

  it('skips and counts a malformed event', async () => {
    const { server, backend } = await start({ flavor: 'vllm' });
    server.injectFault({ kind: 'malformed-event', afterTokens: 1 });
    const result = await backend.chat(request());
    expect(result).toMatchObject({ state: 'ok', malformedLines: 1 });
    expect(result.metrics.outputTokens).toBe(server.requests.at(-1)?.completionTokens);
  });

  it('times out a hung request, and an outside abort is aborted', async () => {
    const { server, backend } = await start({ flavor: 'lmstudio' });
    server.injectFault({ kind: 'hang' }, 2);
    expect(await backend.chat(request({ timeoutMs: 150 }))).toMatchObject({
      state: 'errored',
      errorKind: 'timeout',
      error: 'request timed out',
    });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    expect(await backend.chat(request({ signal: stop.signal }))).toMatchObject({
      state: 'aborted',
      errorKind: 'aborted',
      error: 'request aborted',
    });
  });
});

describe('OpenAiBackend inventory', () => {
  it('llama.cpp: models, /props context and build, warm-up of one token, no unload', async () => {
    const { server, backend } = await start({ flavor: 'llama.cpp', nCtx: 8192, version: 'b6123-abc' });
    expect((await backend.listModels()).map((m) => m.name)).toEqual([MODEL]);
    // meta.size is the GGUF file (the weights); the shape is not served: architecture null.
    expect(await backend.showModel(MODEL)).toMatchObject({
      name: MODEL,
      contextLength: 8192,
      parameterCount: 7_615_616_512,
      sizeBytes: 4_683_073_536,
      architecture: null,
    });
    expect(await backend.version()).toBe('b6123-abc');
    // ...and no size once loaded is reported: the file size is not that (KV cache, buffers), so it is not passed off as one.
    expect(await backend.loadedModels(), 'llama-server serves what it loaded at start').toEqual([
      {
        name: MODEL,
        sizeBytes: null,
        sizeVramBytes: null,
        contextLength: expect.any(Number) as number,
        expiresAt: null,
      },
    ]);
    const warm = await backend.warmUp(MODEL, {});
    expect(warm).toMatchObject({ state: 'ok', doneReason: 'length', error: null, loadMs: null });
    expect(server.requests.at(-1)?.body['max_tokens']).toBe(1);
    expect(await backend.unload()).toBe(false);
  });

  it('vLLM: /version and max_model_len, its models loaded; LM Studio: version and loaded models unknown', async () => {
    const { backend } = await start({ flavor: 'vllm', nCtx: 16384 });
    expect(await backend.version()).toBe('0.11.0');
    expect((await backend.showModel(MODEL)).contextLength).toBe(16384);
    expect((await backend.loadedModels())?.map((m) => [m.name, m.contextLength])).toEqual([[MODEL, 16384]]);
    await server?.close();
    const lm = await start({ flavor: 'lmstudio' });
    const lmBackend = new OpenAiBackend({ host: lm.server.baseUrl });
    expect(await lmBackend.version()).toBe('unknown');
    expect(
      await lmBackend.loadedModels(),
      'LM Studio may list models it loads on demand: it cannot say',
    ).toBeNull();
  });
});
