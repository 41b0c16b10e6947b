import { afterEach, describe, expect, it } from 'vitest';
import { OllamaBackend } from '../src/backends/ollama.js';
import { parseOllamaParameters } from '../src/backends/ollama-facts.js';
import { formatOllamaPlacement } from '../src/backends/server-facts.js';
import {
  DEFAULT_MODELS,
  startFakeOllama,
  type FakeOllama,
  type FakeOllamaOptions,
} from './support/fake-ollama/index.js';
import { closedPort } from './support/ports.js';

const MODEL = 'llama3.2:latest';
/** /api/ps size of llama3.2 at num_ctx 4096: weights + KV 28*8*(128+128)*2*4096 + compute buffers. */
const LOADED_BYTES = 2_019_393_189 + 469_762_048 + 268_435_456;

let server: FakeOllama | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: FakeOllamaOptions = {}): Promise<OllamaBackend> {
  server = await startFakeOllama({ loadMs: 5, ...options });
  return new OllamaBackend({ host: server.url });
}

describe('formatOllamaPlacement (pure, as `ollama ps` prints it)', () => {
  it('all on the GPU, all on the CPU, a split with the CPU share rounded, unknown', () => {
    expect(formatOllamaPlacement(1000, 1000), 'size_vram = size').toBe('100% GPU');
    expect(formatOllamaPlacement(1000, 0), 'size_vram 0').toBe('100% CPU');
    expect(formatOllamaPlacement(1000, 520), 'CPU 480/1000 = 48%').toBe('48%/52% CPU/GPU');
    expect(formatOllamaPlacement(1000, 994), 'CPU 0.6% rounds to 1%').toBe('1%/99% CPU/GPU');
    expect(formatOllamaPlacement(1000, 1200), 'size_vram > size: ollama ps says Unknown').toBeNull();
    expect(formatOllamaPlacement(null, 10), 'no size').toBeNull();
  });
});

describe('parseOllamaParameters (pure)', () => {
  it('reads the Modelfile parameters, numbers as numbers, repeated keys joined', () => {
    const text = [
      'num_ctx                        8192',
      'stop                           "<|user|>"',
      'stop "</s>"',
      'temperature 0.2',
    ].join('\n');
    expect(parseOllamaParameters(text)).toEqual({ num_ctx: 8192, stop: '<|user|>, </s>', temperature: 0.2 });
  });
});

describe('OllamaBackend.serverFacts', () => {
  it('after the warm-up: version, loaded context, trained context, placement, parameters', async () => {
    const backend = await start();
    await backend.warmUp(MODEL, {});
    expect(await backend.serverFacts(MODEL)).toEqual({
      server: 'ollama',
      version: '0.13.0',
      build: null,
      contextLength: 4096,
      maxModelLength: 131_072,
      slots: null,
      placement: '100% GPU',
      settings: {
        size: LOADED_BYTES,
        size_vram: LOADED_BYTES,
        quantization_level: 'Q4_K_M',
        stop: '<|user|>',
      },
      errors: [],
    });
  });

  it('a model partly on the CPU; an untagged name finds the :latest entry', async () => {
    const llama = DEFAULT_MODELS[0];
    if (llama === undefined) throw new Error('no default model');
    const backend = await start({ models: [{ ...llama, sizeVramBytes: 1_433_947_160 }] });
    await backend.warmUp('llama3.2', {});
    const facts = await backend.serverFacts('llama3.2');
    // CPU: (2_757_590_693 - 1_433_947_160) / 2_757_590_693 = 0.4800 -> 48%
    expect(facts.placement).toBe('48%/52% CPU/GPU');
    expect(facts.settings['size_vram']).toBe(1_433_947_160);
    expect(facts.errors).toEqual([]);
  });

  it('an old Ollama whose /api/ps has no context_length: contextLength null, and why', async () => {
    const backend = await start({ psContextLength: false, version: '0.3.14' });
    await backend.warmUp(MODEL, {});
    const facts = await backend.serverFacts(MODEL);
    expect(facts.version).toBe('0.3.14');
    expect(facts.contextLength, 'not guessed from num_ctx defaults').toBeNull();
    expect(facts.maxModelLength).toBe(131_072);
    expect(facts.placement).toBe('100% GPU');
    expect(facts.errors).toEqual(['GET /api/ps: no context_length (this Ollama version does not report it)']);
  });

  it('before the warm-up the model is not in /api/ps: what it loads with is unknown', async () => {
    const backend = await start();
    const facts = await backend.serverFacts(MODEL);
    expect([facts.contextLength, facts.placement, facts.maxModelLength]).toEqual([null, null, 131_072]);
    expect(facts.errors).toEqual([`GET /api/ps: ${MODEL} is not loaded (read the facts after the warm-up)`]);
  });

  it("an unknown model: /api/show answers 404 with the server's text", async () => {
    const backend = await start();
    const facts = await backend.serverFacts('nope:1b');
    expect(facts.version).toBe('0.13.0');
    expect(facts.maxModelLength).toBeNull();
    expect(facts.errors).toEqual([
      'GET /api/ps: nope:1b is not loaded (read the facts after the warm-up)',
      "POST /api/show: HTTP 404 Not Found (model 'nope:1b' not found)",
    ]);
  });

  it('an unreachable server: every fact null, every reason recorded, nothing thrown', async () => {
    const backend = new OllamaBackend({ host: `http://127.0.0.1:${await closedPort()}` });
    const facts = await backend.serverFacts(MODEL);
    expect(facts).toMatchObject({
      server: 'ollama',
      version: null,
      contextLength: null,
      maxModelLength: null,
    });
    expect(facts.errors).toEqual([
      'GET /api/version: unreachable (ECONNREFUSED)',
      'GET /api/ps: unreachable (ECONNREFUSED)',
      'POST /api/show: unreachable (ECONNREFUSED)',
    ]);
  });

  it('an outside abort throws', async () => {
    const backend = await start();
    const stop = new AbortController();
    stop.abort(new Error('run stopped'));
    await expect(backend.serverFacts(MODEL, stop.signal)).rejects.toThrow('run stopped');
  });
});
