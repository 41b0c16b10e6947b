import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineLoadSettings } from '../src/backends/embedded/protocol.js';
import { LlamaCppBackend } from '../src/backends/llama-cpp.js';
import { ModelFileError } from '../src/errors.js';
import { buildNoiseGguf } from '../src/models/noise-gguf.js';
import { makeTempDir } from './support/temp.js';
import { rejectionOf } from './support/error-of.js';

const LOAD: EngineLoadSettings = {
  threads: 1,
  gpuLayers: 0,
  contextSize: 512,
  batchSize: 'auto',
  flashAttention: 'auto',
  kvCacheType: 'f16',
  mmap: true,
  sequences: 2,
};

/** The first error `work` throws. */
describe('the embedded engine, through its backend (a real engine process)', () => {
  const dir = makeTempDir();
  const model = join(dir.path, 'noise.gguf');
  const backend = (over: Partial<ConstructorParameters<typeof LlamaCppBackend>[0]> = {}): LlamaCppBackend =>
    new LlamaCppBackend({ modelSpec: model, cwd: dir.path, load: LOAD, seed: null, ...over });
  const opened: LlamaCppBackend[] = [];
  const open = (over: Partial<ConstructorParameters<typeof LlamaCppBackend>[0]> = {}): LlamaCppBackend => {
    const b = backend(over);
    opened.push(b);
    return b;
  };

  beforeAll(() => writeFileSync(model, buildNoiseGguf()));
  afterAll(async () => {
    await Promise.all(opened.map((b) => b.close()));
    dir.remove();
  });

  it('refuses a model whose weights exceed memory before loading it (exit 7)', async () => {
    const error = await rejectionOf(() => open({ ramBytes: 1_000_000 }).showModel(model), Error);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toBe(
      `${model}: its weights take 0.0 GB, more than this machine's 0.0 GB RAM`,
    );
  }, 30_000);

  it('a request that outlives its timeout is cancelled in the engine and recorded as a timeout', async () => {
    const b = open();
    expect((await b.warmUp(model)).state).toBe('ok');
    const r = await b.chat({
      model,
      messages: [{ role: 'user', content: 'go on' }],
      options: { temperature: 1, seed: 1, numPredict: 400 },
      timeoutMs: 1,
    });
    expect(r.state === 'errored' && r.errorKind, 'timeout').toBe('timeout');
    // The engine is still there and answers the next request.
    const next = await b.chat({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      options: { temperature: 0, numPredict: 3 },
      timeoutMs: 30_000,
    });
    expect(next.state).toBe('ok');
  }, 30_000);

  it('enforces a JSON schema by a grammar, and notes the keywords it cannot enforce', async () => {
    const b = open();
    const format = {
      type: 'object',
      properties: { id: { type: 'string', pattern: '^[a-z]+$' } },
      required: ['id'],
    };
    const r = await b.chat({
      model,
      messages: [{ role: 'user', content: 'id?' }],
      options: { temperature: 0, numPredict: 40 },
      format,
      timeoutMs: 30_000,
    });
    expect(r.state).toBe('ok');
    if (r.doneReason === 'stop')
      expect(Object.keys(JSON.parse(r.text) as object), 'a complete answer follows the schema').toEqual([
        'id',
      ]);
    else expect(r.text.startsWith('{'), "a cut answer is the schema's start").toBe(true);
    expect(b.notes()).toEqual([
      "JSON schema keywords pattern are not enforced (node-llama-cpp's grammar ignores them); the rest of the schema is",
    ]);
  }, 30_000);

  it('a killed engine fails the requests in flight as crashed, and says how it died', async () => {
    const b = open();
    expect((await b.warmUp(model)).state).toBe('ok');
    const pid = b.enginePid;
    expect(pid, 'engine process').not.toBeNull();
    const inFlight = b.chat({
      model,
      messages: [{ role: 'user', content: 'long' }],
      options: { temperature: 1, seed: 2, numPredict: 100_000 },
      timeoutMs: 60_000,
    });
    setTimeout(() => process.kill(pid as number, 'SIGKILL'), 50);
    const r = await inFlight;
    expect(r.state === 'errored' && [r.errorKind, r.error]).toEqual([
      'crashed',
      'the engine process was killed by SIGKILL',
    ]);
    expect(b.failure()).toEqual({
      kind: 'crashed',
      message: 'the engine process was killed by SIGKILL',
      hint: null,
    });
    const after = await b.chat({
      model,
      messages: [{ role: 'user', content: 'hi' }],
      options: {},
      timeoutMs: 1000,
    });
    expect(after.state === 'errored' && after.errorKind, 'no silent restart: the run must end').toBe(
      'crashed',
    );
  }, 30_000);
});
