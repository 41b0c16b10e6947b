import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  EngineInfo,
  EngineLoadSettings,
  LoadedEngine,
  ModelFacts,
} from '../src/backends/embedded/protocol.js';
import { computeEmbeddedFacts } from '../src/backends/embedded/server-facts.js';
import { LlamaCppBackend } from '../src/backends/llama-cpp.js';
import { buildNoiseGguf } from '../src/models/noise-gguf.js';
import { makeTempDir } from './support/temp.js';

const ASKED: EngineLoadSettings = {
  threads: 'auto',
  gpuLayers: 'auto',
  contextSize: 'auto',
  batchSize: 512,
  flashAttention: 'auto',
  kvCacheType: 'q8_0',
  mmap: true,
  sequences: 4,
};

const INFO: EngineInfo = {
  nodeLlamaCppVersion: '3.13.0',
  llamaCppRelease: 'b6188',
  computeBackend: 'cuda',
  devices: ['NVIDIA H200'],
  vramBytes: 150_000_000_000,
  cpuMathCores: 16,
  logicalCores: 32,
  startMs: 120,
};

const LOADED: LoadedEngine = {
  modelLoadMs: 900,
  contextMs: 40,
  primeMs: 12,
  gpuLayers: 20,
  totalLayers: 29,
  threads: 8,
  contextSize: 8192,
  batchSize: 512,
  sequences: 4,
  flashAttention: 'auto',
  kvCacheType: 'q8_0',
  mmap: true,
  memoryBytes: 6_000_000_000,
  vramBytes: 4_000_000_000,
  chatWrapper: 'QwenChatWrapper',
};

const MODEL = { contextLength: 32_768 } as ModelFacts;

describe('computeEmbeddedFacts (pure)', () => {
  it('after the warm-up: versions, the resolved settings, the layers on the GPU, the config asked', () => {
    expect(computeEmbeddedFacts({ info: INFO, model: MODEL, loaded: LOADED }, ASKED, 7)).toEqual({
      server: 'embedded',
      version: '3.13.0',
      build: 'b6188',
      contextLength: 8192,
      maxModelLength: 32_768,
      slots: 4,
      placement: '20/29 layers on GPU',
      settings: {
        computeBackend: 'cuda',
        devices: 'NVIDIA H200',
        threads: 8,
        gpuLayers: 20,
        totalLayers: 29,
        contextSize: 8192,
        batchSize: 512,
        sequences: 4,
        flashAttention: 'auto',
        kvCacheType: 'q8_0',
        mmap: true,
        chatWrapper: 'QwenChatWrapper',
        'config.threads': 'auto',
        'config.gpuLayers': 'auto',
        'config.contextSize': 'auto',
        'config.batchSize': 512,
        'config.flashAttention': 'auto',
        'config.kvCacheType': 'q8_0',
        'config.mmap': true,
        'config.sequences': 4,
        seed: 7,
      },
      errors: [],
    });
  });

  it('placement: all layers on the GPU; the CPU backend', () => {
    const all = { ...LOADED, gpuLayers: 29 };
    expect(computeEmbeddedFacts({ info: INFO, model: MODEL, loaded: all }, ASKED, null).placement).toBe(
      '100% GPU',
    );
    const cpu = { ...INFO, computeBackend: 'cpu', devices: [] };
    const onCpu = computeEmbeddedFacts(
      { info: cpu, model: MODEL, loaded: { ...LOADED, gpuLayers: 0 } },
      ASKED,
      null,
    );
    expect([onCpu.placement, onCpu.settings['devices'], onCpu.settings['seed']]).toEqual([
      '100% CPU',
      '',
      null,
    ]);
  });

  it('before the warm-up nothing is known but what the config asked, and it says why', () => {
    const facts = computeEmbeddedFacts({ info: null, model: null, loaded: null }, ASKED, null);
    expect([facts.version, facts.build, facts.contextLength, facts.slots, facts.placement]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect(facts.settings['config.kvCacheType']).toBe('q8_0');
    expect(facts.errors).toEqual([
      'the engine has not started (read the facts after the warm-up)',
      'the model is not loaded (read the facts after the warm-up)',
    ]);
  });
});

describe('LlamaCppBackend.serverFacts (a real engine process, the noise model)', () => {
  const dir = makeTempDir();
  const model = join(dir.path, 'noise.gguf');
  const load: EngineLoadSettings = {
    ...ASKED,
    threads: 1,
    gpuLayers: 0,
    contextSize: 512,
    kvCacheType: 'f16',
    sequences: 2,
  };
  const backend = new LlamaCppBackend({ modelSpec: model, cwd: dir.path, load, seed: 3 });
  beforeAll(() => writeFileSync(model, buildNoiseGguf()));
  afterAll(async () => {
    await backend.close();
    dir.remove();
  });

  it('is empty before the warm-up without starting the engine, and filled from what the load reported', async () => {
    expect((await backend.serverFacts()).errors).toHaveLength(2);
    expect(backend.enginePid, 'serverFacts starts no engine').toBeNull();
    expect((await backend.warmUp(model)).state).toBe('ok');
    const facts = await backend.serverFacts();
    const { info, model: gguf } = backend.engineFacts();
    expect(facts).toMatchObject({
      server: 'embedded',
      version: info?.nodeLlamaCppVersion,
      build: info?.llamaCppRelease,
      contextLength: 512,
      maxModelLength: gguf?.contextLength,
      slots: 2,
      placement: '100% CPU',
      errors: [],
    });
    expect(facts.settings).toMatchObject({
      threads: 1,
      gpuLayers: 0,
      contextSize: 512,
      sequences: 2,
      seed: 3,
    });
  });
});
