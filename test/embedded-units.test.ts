import { describe, expect, it } from 'vitest';
import { toChatResult, type ClientTimes } from '../src/backends/embedded/chat-result.js';
import { checkModelFacts } from '../src/backends/embedded/model-checks.js';
import type { EngineMetrics, ModelFacts } from '../src/backends/embedded/protocol.js';
import { schemaNote, unenforcedKeywords } from '../src/backends/embedded/schema-support.js';
import { StopDetector, cutAtTrigger } from '../src/backends/embedded/stop-detector.js';
import { listBuiltinSuites, loadSuite } from '../src/suites/load.js';
import { defaultThreads } from '../src/backends/embedded/threads.js';
import { engineLoadSettings, threadLevels } from '../src/backends/create.js';
import { formatParameterCount, quantizationName } from '../src/backends/llama-cpp.js';
import { describeLayerSpill } from '../src/runner/embedded.js';
import { loadConfig } from '../src/config/load.js';
import { EXIT, ModelFileError } from '../src/errors.js';
import { clientDecodeTokensPerS, serverDecodeTokensPerS } from '../src/analysis/decode-rate.js';
import type { EngineInventory } from '../src/store/engine.js';

describe('the default thread count', () => {
  it('is the physical cores, but leaves one logical core to costbench', () => {
    expect(defaultThreads(2, 2), '2 cores, no SMT').toBe(1);
    expect(defaultThreads(1, 2), '1 core with SMT').toBe(1);
    expect(defaultThreads(4, 8), '4 cores with SMT').toBe(4);
    expect(defaultThreads(4, 4), '4 cores, no SMT').toBe(3);
    expect(defaultThreads(1, 1), 'a single core still gets a thread').toBe(1);
    expect(defaultThreads(16, 32), '16 cores with SMT').toBe(16);
  });
});

describe('the stop detector', () => {
  it('stops on a one-character trigger', () => {
    const d = new StopDetector(['\n']);
    expect(d.push('ab'), 'no newline').toBe(false);
    expect(d.push('c\nd'), 'newline inside a piece').toBe(true);
    expect(d.matched).toBe('\n');
  });

  it('finds a trigger split across pieces', () => {
    const d = new StopDetector(['<|im_end|>', '</s>']);
    expect(
      ['x', '<|i', 'm_e'].map((p) => d.push(p)),
      'partial',
    ).toEqual([false, false, false]);
    expect(d.push('nd|>'), 'completed').toBe(true);
    expect(d.matched).toBe('<|im_end|>');
  });

  it('never stops without triggers, and cuts the answer at the first occurrence', () => {
    const d = new StopDetector([]);
    expect(d.push('\n<|im_end|>')).toBe(false);
    expect(cutAtTrigger('{"a":1}\nmore\n', '\n'), 'cut').toBe('{"a":1}');
    expect(cutAtTrigger('no trigger', null), 'none').toBe('no trigger');
    expect(cutAtTrigger('special token not in text', '<|im_end|>'), 'absent').toBe(
      'special token not in text',
    );
  });
});

function facts(over: Partial<ModelFacts> = {}): ModelFacts {
  return {
    path: '/m/x.gguf',
    fileBytes: 2_000_000,
    name: null,
    architecture: {
      name: 'llama',
      blockCount: 2,
      headCount: 4,
      headCountKv: 2,
      embeddingLength: 128,
      keyLength: null,
      valueLength: null,
    },
    parameterCount: 362_112,
    sizeLabel: null,
    fileType: 'ALL_F32',
    totalLayers: 3,
    contextLength: 2048,
    weightsBytes: 1_448_448,
    complete: true,
    supported: true,
    hasChatTemplate: true,
    ...over,
  };
}

describe('checks before loading a model', () => {
  const memory = { ramBytes: 16e9, vramBytes: 0 };

  it('passes a complete model of a known architecture that fits', () => {
    expect(checkModelFacts(facts(), memory)).toBeNull();
  });

  it('names a truncated file', () => {
    const e = checkModelFacts(facts({ complete: false, fileBytes: 700_000 }), memory);
    expect(e).toBeInstanceOf(ModelFileError);
    expect(e?.exitCode, 'exit code').toBe(EXIT.modelFile);
    expect(e?.message).toBe(
      '/m/x.gguf is truncated: its tensors need 1448448 bytes of data, the file has 700000 bytes in all',
    );
  });

  it('names an unknown architecture', () => {
    const e = checkModelFacts(
      facts({ supported: false, architecture: { ...facts().architecture, name: 'zzzzz' } }),
      memory,
    );
    expect(e?.message).toBe(
      '/m/x.gguf: unknown model architecture "zzzzz" (the llama.cpp inside node-llama-cpp cannot run it)',
    );
  });

  it('refuses weights larger than RAM plus GPU memory', () => {
    const e = checkModelFacts(facts({ weightsBytes: 40e9 }), { ramBytes: 16e9, vramBytes: 8e9 });
    expect(e?.message).toBe(
      "/m/x.gguf: its weights take 40.0 GB, more than this machine's 16.0 GB RAM + 8.0 GB GPU memory",
    );
    expect(
      checkModelFacts(facts({ weightsBytes: 20e9 }), { ramBytes: 16e9, vramBytes: 8e9 }),
      '20 GB fits in 24',
    ).toBeNull();
  });
});

const times = (over: Partial<ClientTimes> = {}): ClientTimes => ({
  startMs: 100,
  firstMs: 130,
  lastMs: 150,
  chunks: 3,
  ...over,
});
const metrics = (over: Partial<EngineMetrics> = {}): EngineMetrics => ({
  promptTokens: 56,
  outputTokens: 11,
  prefillMs: 20,
  decodeMs: 40,
  templateMs: 1,
  totalMs: 62,
  threads: 1,
  ...over,
});

describe('an engine reply as a chat result', () => {
  it("puts the engine's timings on the server side and costbench's clock on the client side", () => {
    const r = toChatResult.from(
      {
        type: 'done',
        id: 1,
        pieces: ['x'],
        text: 'answer',
        metrics: metrics(),
        doneReason: 'stop',
        formatNote: null,
      },
      times(),
      180,
      null,
      null,
      1000,
    );
    expect(r.state).toBe('ok');
    expect(r.ttftMs, 'first answer message, client clock').toBe(30);
    expect(r.lastTokenMs, 'the done message carries the last token').toBe(80);
    expect(r.latencyMs, 'latency').toBe(80);
    expect(r.metrics).toEqual({
      promptTokens: 56,
      promptEvalMs: 20,
      outputTokens: 11,
      evalMs: 40,
      evalTokens: 10,
      loadMs: null,
      totalMs: 62,
    });
    expect(r.metricsSource).toBe('server');
    expect(r.cachedPromptTokens, 'each request starts on a cleared sequence').toBe(0);
    expect(r.chunks, 'three streamed messages and the done message with pieces').toBe(4);
    expect(r.threads).toBe(1);
  });

  it('a one-token answer has its first and last token in the done message', () => {
    const r = toChatResult.from(
      {
        type: 'done',
        id: 1,
        pieces: [],
        text: '',
        metrics: metrics({ outputTokens: 1, decodeMs: null }),
        doneReason: 'stop',
        formatNote: null,
      },
      times({ firstMs: null, lastMs: null, chunks: 0 }),
      125,
      7,
      null,
      1000,
    );
    expect(
      [r.ttftMs, r.lastTokenMs, r.metrics.evalTokens, r.metrics.loadMs],
      'ttft, last, eval tokens, load',
    ).toEqual([25, 25, null, 7]);
  });

  it('a cancelled request is a timeout, or aborted when the run was stopped', () => {
    const done = {
      type: 'done' as const,
      id: 1,
      pieces: [],
      text: 'par',
      metrics: metrics(),
      doneReason: 'cancelled' as const,
      formatNote: null,
    };
    const timedOut = toChatResult.from(done, times(), 200, null, 'timeout', 50);
    expect(timedOut.state === 'errored' && [timedOut.errorKind, timedOut.error]).toEqual([
      'timeout',
      'no answer within 50 ms (request timeout)',
    ]);
    const aborted = toChatResult.from(done, times(), 200, null, 'aborted', 50);
    expect(aborted.state === 'aborted' && aborted.errorKind).toBe('aborted');
  });

  it('a crash is a crashed request; an engine refusal is an engine error', () => {
    const crashed = toChatResult.failed(
      times(),
      300,
      new Error('the engine process was killed by SIGKILL'),
      true,
    );
    expect(crashed.state === 'errored' && [crashed.errorKind, crashed.error]).toEqual([
      'crashed',
      'the engine process was killed by SIGKILL',
    ]);
    const refused = toChatResult.from(
      { type: 'failed', id: 1, failure: { kind: 'request', message: 'too long', hint: null } },
      times(),
      300,
      null,
      null,
      1,
    );
    expect(refused.state === 'errored' && refused.errorKind).toBe('engine');
  });
});

describe("decode rates with the engine's n - 1 window", () => {
  it('divides the tokens the window covers, not every output token', () => {
    const row = { outputTokens: 11, evalMs: 40, evalTokens: 10, ttftMs: 30, lastTokenMs: 80 };
    expect(serverDecodeTokensPerS(row), 'engine: 10 steps in 40 ms').toBe(250);
    expect(serverDecodeTokensPerS({ ...row, evalTokens: null }), 'a server counting all 11').toBe(275);
    expect(clientDecodeTokensPerS(row), 'client: 10 tokens in 50 ms').toBe(200);
  });
});

describe('model names', () => {
  it('shortens file types and parameter counts', () => {
    expect(quantizationName('MOSTLY_Q4_K_M')).toBe('Q4_K_M');
    expect(quantizationName('ALL_F32')).toBe('F32');
    expect(formatParameterCount(362_112)).toBe('362K');
    expect(formatParameterCount(494_032_768)).toBe('494M');
    expect(formatParameterCount(1_543_714_304)).toBe('1.54B');
  });
});

describe('engine settings from the config and flags', () => {
  it('reads --threads lists, the embedded alias, flash attention words and --no-mmap', () => {
    const { config } = loadConfig(
      {
        backend: 'embedded',
        threads: '1,2',
        flashAttention: 'off',
        mmap: false,
        gpuLayers: '0',
        contextSize: '1024',
        seed: '7',
      },
      {},
      '/nonexistent',
    );
    expect(config.backend.kind, 'alias').toBe('llama-cpp');
    expect(threadLevels(config.backend), 'a threads sweep').toEqual([1, 2]);
    expect(engineLoadSettings(config.backend, { sequences: 4, threads: 2 })).toEqual({
      threads: 2,
      gpuLayers: 0,
      contextSize: 1024,
      batchSize: 'auto',
      flashAttention: false,
      kvCacheType: 'f16',
      mmap: false,
      sequences: 4,
    });
    expect(config.backend.seed).toBe(7);
  });

  it('defaults: auto threads, auto layers, a 4096-token context, mmap', () => {
    const { config } = loadConfig({ backend: 'llama-cpp' }, {}, '/nonexistent');
    expect(threadLevels(config.backend)).toEqual(['auto']);
    expect([
      config.backend.gpuLayers,
      config.backend.contextSize,
      config.backend.mmap,
      config.backend.flashAttention,
    ]).toEqual(['auto', 4096, true, 'auto']);
  });

  it('names a bad thread count, its flag and what it takes', () => {
    expect(() => loadConfig({ threads: 'many' }, {}, '/nonexistent')).toThrow(
      'config: backend.threads = ["many"] (from flag --threads): expected "auto", a thread count >= 1, or a list of them',
    );
  });
});

describe('the layer spill warning', () => {
  const e = { computeBackend: 'cuda', gpuLayers: 20, totalLayers: 29 } as EngineInventory;
  it('warns when a GPU backend runs only part of the layers, never on the CPU backend', () => {
    expect(describeLayerSpill(e)).toBe(
      'only 20 of 29 layers run on the GPU (cuda), the rest on the CPU: decoding is slower than a full offload ' +
        '(free GPU memory, a smaller --context-size or quantization would fit more)',
    );
    expect(describeLayerSpill({ ...e, gpuLayers: 29 }), 'all offloaded').toBeNull();
    expect(describeLayerSpill({ ...e, computeBackend: 'cpu', gpuLayers: 0 }), 'CPU backend').toBeNull();
  });
});

describe('JSON schema keywords the grammar enforces', () => {
  it('names the keywords node-llama-cpp ignores, at any depth, and not property names', () => {
    const schema = {
      type: 'object',
      properties: {
        pattern: { type: 'string', pattern: '^a+$' },
        n: { type: 'number', minimum: 0, maximum: 5 },
      },
      required: ['pattern'],
    };
    expect(unenforcedKeywords(schema)).toEqual(['maximum', 'minimum', 'pattern']);
    expect(schemaNote(schema)).toBe(
      "JSON schema keywords maximum, minimum, pattern are not enforced (node-llama-cpp's grammar ignores them); the rest of the schema is",
    );
  });

  it("finds nothing to say about the built-in suites' schemas", () => {
    for (const id of listBuiltinSuites()) {
      const suite = loadSuite(id, '/');
      const formats = [suite.format, ...suite.tasks.map((t) => t.format)].filter(
        (f) => typeof f === 'object',
      );
      for (const f of formats) expect(schemaNote(f), `suite ${id}`).toBeNull();
    }
  });
});
