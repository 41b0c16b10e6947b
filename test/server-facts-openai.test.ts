import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchFact } from '../src/backends/fact-fetch.js';
import { OpenAiBackend, type OpenAiFlavor } from '../src/backends/openai.js';
import { readLlamaCppProps } from '../src/backends/openai-facts-parse.js';
import { emptyServerFacts } from '../src/backends/server-facts.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { startFakeOpenAi, type FakeOpenAi, type FakeOpenAiOptions } from './support/fake-openai/index.js';
import { closedPort } from './support/ports.js';

const MODEL = 'qwen2.5-7b-instruct';
let server: FakeOpenAi | FakeOllama | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(
  options: FakeOpenAiOptions,
  flavor: OpenAiFlavor = options.flavor,
  apiKey: string | null = null,
) {
  // flavor: what the backend is told; options.flavor: what the fake server is
  const fake = await startFakeOpenAi(options);
  server = fake;
  return new OpenAiBackend({ host: fake.baseUrl, flavor, apiKey });
}

/** llama-server's default sampling as the fake's /props states it. */
const LLAMA_CPP_DEFAULTS = {
  n_predict: -1,
  seed: 4_294_967_295,
  temperature: 0.800000011920929,
  top_k: 40,
  top_p: 0.949999988079071,
  min_p: 0.05000000074505806,
  typical_p: 1,
  repeat_last_n: 64,
  repeat_penalty: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
};

const LLAMA_CPP_FACTS = {
  server: 'llama.cpp',
  version: 'b6000-deadbee',
  build: null,
  contextLength: 8192,
  maxModelLength: 32_768,
  slots: 4,
  placement: null,
  settings: { n_ctx: 8192, model_path: `/models/${MODEL}.gguf`, ...LLAMA_CPP_DEFAULTS },
  errors: [],
};

describe('llama.cpp /props (pure)', () => {
  it('an older build: sampling settings beside n_ctx, no params object', () => {
    const facts = emptyServerFacts('llama.cpp');
    const props = {
      default_generation_settings: { n_ctx: 2048, n_predict: 256, temperature: 0.5, seed: 42, stop: [] },
      total_slots: 2,
      build_info: 'b3000-abc1234',
    };
    readLlamaCppProps(facts, props);
    expect(facts).toMatchObject({ version: 'b3000-abc1234', contextLength: 2048, slots: 2, errors: [] });
    expect(facts.settings).toEqual({ n_ctx: 2048, n_predict: 256, temperature: 0.5, seed: 42 });
  });

  it('props without n_ctx or total_slots: null, and why', () => {
    const facts = emptyServerFacts('llama.cpp');
    readLlamaCppProps(facts, { build_info: 'b1-x' });
    expect([facts.contextLength, facts.slots]).toEqual([null, null]);
    expect(facts.errors).toEqual([
      'GET /props: no default_generation_settings.n_ctx',
      'GET /props: no total_slots',
    ]);
  });
});

describe('OpenAiBackend.serverFacts', () => {
  it('llama.cpp: build, slot context, slots (-np), trained context, default sampling', async () => {
    const backend = await start({ flavor: 'llama.cpp', nCtx: 8192, parallel: 4 });
    expect(await backend.serverFacts(MODEL)).toEqual(LLAMA_CPP_FACTS);
  });

  it('flavor auto finds llama.cpp by /props and reads the same facts', async () => {
    const backend = await start({ flavor: 'llama.cpp', nCtx: 8192, parallel: 4 }, 'auto');
    expect(await backend.serverFacts(MODEL)).toEqual(LLAMA_CPP_FACTS);
  });

  it('vLLM: /version, max_model_len as the served context, the model root', async () => {
    for (const flavor of ['vllm', 'auto'] as const) {
      const backend = await start({ flavor: 'vllm', nCtx: 16_384 }, flavor);
      expect(await backend.serverFacts(MODEL), flavor).toEqual({
        server: 'vllm',
        version: '0.11.0',
        build: null,
        contextLength: 16_384,
        maxModelLength: null,
        slots: null,
        placement: null,
        settings: { root: MODEL },
        errors: [],
      });
      await server?.close();
    }
  });

  it("LM Studio 0.4+: the loaded instance's context and config, max_context_length; no version endpoint", async () => {
    const backend = await start({ flavor: 'lmstudio', nCtx: 4096, maxContextLength: 131_072 });
    expect(await backend.serverFacts(MODEL)).toEqual({
      server: 'lmstudio',
      version: null,
      build: null,
      contextLength: 4096,
      maxModelLength: 131_072,
      slots: null,
      placement: null,
      settings: {
        loaded_instances: 1,
        eval_batch_size: 512,
        flash_attention: false,
        offload_kv_cache_to_gpu: true,
      },
      errors: [],
    });
  });

  it('LM Studio before 0.4 (no /api/v1/models): the loaded context is null, and why; auto finds it by /api/v0', async () => {
    for (const flavor of ['lmstudio', 'auto'] as const) {
      const backend = await start({ flavor: 'lmstudio', lmStudioApi: 'v0' }, flavor);
      expect(await backend.serverFacts(MODEL), flavor).toEqual({
        server: 'lmstudio',
        version: null,
        build: null,
        contextLength: null,
        maxModelLength: 32_768,
        slots: null,
        placement: null,
        settings: { state: 'loaded' },
        errors: ['GET /api/v1/models: HTTP 404 Not Found (File Not Found: /api/v1/models)'],
      });
      await server?.close();
    }
  });

  it("a missing endpoint: llama.cpp configured but /props is a 404: those facts null, with the server's text", async () => {
    const backend = await start({ flavor: 'vllm' }, 'llama.cpp');
    const facts = await backend.serverFacts(MODEL);
    expect(facts).toMatchObject({ server: 'llama.cpp', version: null, contextLength: null, slots: null });
    expect(facts.maxModelLength, 'vLLM lists no meta').toBeNull();
    expect(facts.errors).toEqual([
      'GET /props: HTTP 404 Not Found (File Not Found: /props)',
      'GET /v1/models: no meta.n_ctx_train',
    ]);
  });

  it('a server none of the flavors: openai-compatible, nothing guessed', async () => {
    server = await startFakeOllama();
    const backend = new OpenAiBackend({ host: `${server.url}/v1`, flavor: 'auto' });
    const facts = await backend.serverFacts('llama3.2:latest');
    expect(facts).toMatchObject({
      server: 'openai-compatible',
      version: null,
      contextLength: null,
      maxModelLength: null,
    });
    expect(facts.errors).toEqual(['GET /v1/models: HTTP 404 Not Found']);
  });

  it('a model the server does not list', async () => {
    const backend = await start({ flavor: 'vllm' });
    const facts = await backend.serverFacts('other-model');
    expect([facts.version, facts.contextLength]).toEqual(['0.11.0', null]);
    expect(facts.errors).toEqual(['GET /v1/models: other-model is not listed']);
  });

  it('a wrong API key: the 401 is recorded without the key', async () => {
    const backend = await start({ flavor: 'vllm', apiKey: 'sk-right' }, 'vllm', 'sk-wrong-123');
    const facts = await backend.serverFacts(MODEL);
    expect(facts.version, '/version needs no key').toBe('0.11.0');
    expect(facts.errors).toEqual([
      'GET /v1/models: HTTP 401 Unauthorized (Incorrect API key provided: [redacted].)',
    ]);
  });

  it('unreachable: every fact null, every reason recorded, nothing thrown; an outside abort throws', async () => {
    const backend = new OpenAiBackend({
      host: `http://127.0.0.1:${await closedPort()}/v1`,
      flavor: 'llama.cpp',
    });
    const facts = await backend.serverFacts(MODEL);
    expect(facts).toMatchObject({ server: 'llama.cpp', version: null, contextLength: null, slots: null });
    expect(facts.errors).toEqual([
      'GET /props: unreachable (ECONNREFUSED)',
      'GET /v1/models: unreachable (ECONNREFUSED)',
    ]);
    const stop = new AbortController();
    stop.abort(new Error('run stopped'));
    await expect(backend.serverFacts(MODEL, stop.signal)).rejects.toThrow('run stopped');
  });
});

describe('fetchFact', () => {
  it('a server that never answers is a timeout; a body that is not JSON is said so', async () => {
    const hung = createServer((req, res) => {
      if (req.url === '/text') res.end('Ollama is running');
    });
    await new Promise<void>((done) => hung.listen(0, '127.0.0.1', done));
    const { port } = hung.address() as AddressInfo;
    try {
      expect(await fetchFact(`http://127.0.0.1:${port}/hang`, 'GET /hang', { fetch, timeoutMs: 50 })).toEqual(
        {
          ok: false,
          error: 'GET /hang: no answer within 50 ms',
        },
      );
      expect(await fetchFact(`http://127.0.0.1:${port}/text`, 'GET /text', { fetch })).toEqual({
        ok: false,
        error: 'GET /text: the answer is not a JSON object',
      });
    } finally {
      hung.closeAllConnections();
      await new Promise((done) => hung.close(done));
    }
  });
});
