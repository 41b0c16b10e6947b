import { afterEach, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../src/backends/backend.js';
import { OllamaBackend, parseArchitecture } from '../src/backends/ollama.js';
import { BackendError, BackendUnreachableError, EXIT } from '../src/errors.js';
import { resolveModel } from '../src/runner/resolve-model.js';
import { startFakeOllama, type FakeOllama, type FakeOllamaOptions } from './support/fake-ollama/index.js';
import { closedPort } from './support/ports.js';

let server: FakeOllama | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  options: FakeOllamaOptions = {},
): Promise<{ server: FakeOllama; backend: OllamaBackend }> {
  server = await startFakeOllama({ loadMs: 20, genTokensPerS: 2000, promptTokensPerS: 20000, ...options });
  return { server, backend: new OllamaBackend({ host: server.url }) };
}

const request = (over: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'llama3.2:latest',
  messages: [{ role: 'user', content: 'Classify this issue, please.' }],
  options: { temperature: 0, seed: 1 },
  timeoutMs: 10_000,
  ...over,
});

describe('OllamaBackend inventory', () => {
  it('maps version, tags, show and ps', async () => {
    const { backend } = await start();
    expect(await backend.version()).toBe('0.13.0');
    const models = await backend.listModels();
    expect(models.map((m) => m.name)).toContain('llama3.2:latest');
    const shown = await backend.showModel('llama3.2:latest');
    expect(shown).toMatchObject({ family: 'llama', parameterSize: '3.2B', quantization: 'Q4_K_M' });
    expect(shown.parameterCount).toBeGreaterThan(0);
    expect(shown.contextLength).toBeGreaterThan(0);
    expect(shown.architecture, "model_info's llama.* shape keys").toEqual({
      name: 'llama',
      blockCount: 28,
      headCount: 24,
      headCountKv: 8,
      embeddingLength: 3072,
      keyLength: 128,
      valueLength: 128,
    });
    expect((await backend.showModel('qwen2.5:0.5b')).architecture, 'qwen2 states no key_length').toEqual({
      name: 'qwen2',
      blockCount: 24,
      headCount: 14,
      headCountKv: 2,
      embeddingLength: 896,
      keyLength: null,
      valueLength: null,
    });
    expect(await backend.loadedModels()).toEqual([]);
    await backend.warmUp('llama3.2:latest', {});
    const loaded = await backend.loadedModels();
    expect(loaded.map((m) => m.name)).toEqual(['llama3.2:latest']);
    expect(loaded[0]?.sizeVramBytes).not.toBeNull();
  });

  it('an unreachable host is exit 3 with how to start Ollama', async () => {
    const port = await closedPort();
    const backend = new OllamaBackend({ host: `http://127.0.0.1:${port}` });
    const error = await backend.listModels().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendUnreachableError);
    expect((error as BackendUnreachableError).message).toBe(
      `cannot reach Ollama at http://127.0.0.1:${port} (ECONNREFUSED)`,
    );
    expect((error as BackendUnreachableError).hint).toContain('ollama serve');
    expect((error as BackendUnreachableError).exitCode).toBe(EXIT.backendUnreachable);
  });

  it("show of an unknown model is a BackendError with Ollama's text", async () => {
    const { backend } = await start();
    const error = await backend.showModel('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toBe(
      `Ollama at ${backend.host} refused: HTTP 404: model 'nope' not found`,
    );
    expect((error as BackendError).exitCode).toBe(EXIT.backend);
  });
});

describe('resolveModel', () => {
  it('matches a bare name to :latest, prefers the loaded model, lists the installed on a miss', async () => {
    const { backend } = await start();
    expect(await resolveModel(backend, 'llama3.2')).toMatchObject({
      name: 'llama3.2:latest',
      reason: 'requested',
    });
    expect((await resolveModel(backend, null)).reason).toBe('first-installed');
    const second = (await backend.listModels())[1]?.name ?? '';
    await backend.warmUp(second, {});
    expect(await resolveModel(backend, null)).toMatchObject({ name: second, reason: 'loaded' });
    const error = await resolveModel(backend, 'mistral').catch((e: unknown) => e);
    expect((error as BackendError).message).toBe(`model "mistral" is not installed on ${backend.host}`);
    expect((error as BackendError).hint).toMatch(
      /^Available: llama3\.2:latest, .* Or fetch it: ollama pull mistral$/,
    );
  });
});

describe('OllamaBackend.chat', () => {
  it('converts the server metrics from ns exactly, once', async () => {
    const { server, backend } = await start();
    await backend.warmUp('llama3.2:latest', {});
    const result = await backend.chat(request());
    const truth = server.requests.at(-1);
    expect(result.state).toBe('ok');
    expect(result.metrics).toEqual({
      promptTokens: truth?.promptTokens,
      promptEvalMs: (truth?.promptEvalDurationNs ?? 0) / 1e6,
      outputTokens: truth?.evalCount,
      evalMs: (truth?.evalDurationNs ?? 0) / 1e6,
      loadMs: null, // warm and not queued: Ollama omits load_duration
      totalMs: (truth?.totalDurationNs ?? 0) / 1e6,
    });
    expect(result.doneReason).toBe('stop');
    expect(result.chunks, 'one chunk per token plus the final one').toBe((truth?.evalCount ?? 0) + 1);
    expect(result.ttftMs).not.toBeNull();
    expect(result.ttftMs ?? Infinity).toBeLessThanOrEqual(result.latencyMs);
  });

  it('reports the load on the first request after a cold start', async () => {
    const { backend } = await start({ loadMs: 60 });
    const result = await backend.chat(request());
    expect(result.metrics.loadMs ?? 0).toBeGreaterThanOrEqual(60);
  });

  it('stops at num_predict with done_reason length', async () => {
    const { backend } = await start();
    const result = await backend.chat(request({ options: { numPredict: 3 } }));
    expect(result.metrics.outputTokens).toBe(3);
    expect(result.doneReason).toBe('length');
  });

  const faults = [
    {
      name: 'HTTP 500',
      fault: { kind: 'status', status: 500, error: 'llama runner process has terminated' } as const,
      state: 'errored',
      error: 'HTTP 500: llama runner process has terminated',
      status: 500,
    },
    {
      name: 'error line mid-stream',
      fault: { kind: 'error-line', afterTokens: 2, message: 'out of memory' } as const,
      state: 'errored',
      error: 'server error in stream: out of memory',
      status: null,
    },
    {
      name: 'close mid-stream',
      fault: { kind: 'close-mid-stream', afterTokens: 2 } as const,
      state: 'errored',
      error: 'connection closed by the server mid-response',
      status: null,
    },
  ];
  it.each(faults)('records $name as data', async ({ fault, state, error, status }) => {
    const { server, backend } = await start();
    server.injectFault(fault);
    const result = await backend.chat(request());
    expect(result).toMatchObject({ state, error, status });
    const next = await backend.chat(request());
    expect(next.state, 'the next request is unaffected').toBe('ok');
  });

  it('skips and counts a malformed stream line', async () => {
    const { server, backend } = await start();
    server.injectFault({ kind: 'malformed-line', afterTokens: 1 });
    const result = await backend.chat(request());
    expect(result.state).toBe('ok');
    expect(result.malformedLines).toBe(1);
    expect(result.metrics.outputTokens).toBe(server.requests.at(-1)?.evalCount);
  });

  it('times out a hung request', async () => {
    const { server, backend } = await start();
    server.injectFault({ kind: 'hang' });
    const result = await backend.chat(request({ timeoutMs: 150 }));
    expect(result).toMatchObject({ state: 'errored', error: 'request timed out' });
  });

  it('an outside abort is recorded as aborted', async () => {
    const { server, backend } = await start();
    server.injectFault({ kind: 'hang' });
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 50);
    const result = await backend.chat(request({ signal: stop.signal }));
    expect(result).toMatchObject({ state: 'aborted', error: 'request aborted' });
  });

  it("an unknown model, a full queue and a bad request keep Ollama's status and text", async () => {
    const { backend } = await start({ numParallel: 1, maxQueue: 0, genTokensPerS: 50 });
    expect(await backend.chat(request({ model: 'ghost' }))).toMatchObject({
      state: 'errored',
      status: 404,
      error: 'HTTP 404: model "ghost" not found, try pulling it first',
    });
    expect(await backend.chat(request({ model: '' }))).toMatchObject({
      state: 'errored',
      status: 400,
      error: 'HTTP 400: model is required',
    });
    await backend.warmUp('llama3.2:latest', {});
    const busy = backend.chat(request({ options: { numPredict: 10 } })); // holds the one slot for 200 ms
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await backend.chat(request())).toMatchObject({
      state: 'errored',
      status: 503,
      error: 'HTTP 503: server busy, please try again.  maximum pending requests exceeded',
    });
    expect((await busy).state).toBe('ok');
  });

  it('a connection refused mid-run is an errored request, not a crash', async () => {
    const port = await closedPort();
    const backend = new OllamaBackend({ host: `http://127.0.0.1:${port}` });
    expect(await backend.chat(request())).toMatchObject({
      state: 'errored',
      error: `cannot reach Ollama at http://127.0.0.1:${port} (ECONNREFUSED)`,
    });
  });
});

describe('parseArchitecture (model_info shape keys)', () => {
  it('takes a per-layer array that holds one number, and leaves a varying one unknown', () => {
    const info = {
      'x.block_count': 4,
      'x.attention.head_count': [8, 8, 8, 8],
      'x.attention.head_count_kv': [2, 2, 4, 4],
      'x.embedding_length': 512,
    };
    expect(parseArchitecture('x', info)).toEqual({
      name: 'x',
      blockCount: 4,
      headCount: 8,
      headCountKv: null,
      embeddingLength: 512,
      keyLength: null,
      valueLength: null,
    });
  });
});
