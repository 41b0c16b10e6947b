/**
 * Engine process side: starting llama.cpp, reading a model's GGUF header, loading the model into
 * one context. Runs only inside the engine process (engine-child.ts), never in the harness.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from 'node-llama-cpp';
import type { ModelArchitecture } from '../backend.js';
import type { EngineFailure, EngineInfo, EngineLoadSettings, LoadedEngine, ModelFacts } from './protocol.js';
import { defaultThreads } from './threads.js';

import type * as NodeLlamaCppModule from 'node-llama-cpp';

type NodeLlamaCpp = typeof NodeLlamaCppModule;

/** The engine's live objects: one model, one context, a pool of its sequences. */
export interface EngineState {
  lib: NodeLlamaCpp;
  llama: Llama;
  info: EngineInfo;
  /** llama.cpp's recent warning and error lines: why a load failed is only said there. */
  logs: string[];
  model: LlamaModel | null;
  context: LlamaContext | null;
  wrapper: ChatWrapper | null;
  free: LlamaContextSequence[];
}

/** Thrown inside the engine for a failure the harness reports as it is (a model file, a request). */
export class EngineError extends Error {
  constructor(readonly failure: EngineFailure) {
    super(failure.message);
  }
}

const MAX_LOG_LINES = 50;

/** Loads node-llama-cpp and llama.cpp's prebuilt binary (never compiling or downloading one). */
export async function startEngine(startedAt: number, now: () => number): Promise<EngineState> {
  let lib: NodeLlamaCpp;
  try {
    lib = await import('node-llama-cpp');
  } catch (error) {
    throw new EngineError({
      kind: 'internal',
      message: `node-llama-cpp, the embedded engine, is not installed (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      hint: 'Install it with `npm install node-llama-cpp` (an optional dependency), or use --backend ollama / openai.',
    });
  }
  const logs: string[] = [];
  const llama = await lib.getLlama({
    gpu: 'auto',
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    maxThreads: 0,
    logLevel: lib.LlamaLogLevel.warn,
    logger: (level, message) => {
      logs.push(`${level}: ${message.trim()}`);
      if (logs.length > MAX_LOG_LINES) logs.shift();
    },
  });
  const info: EngineInfo = {
    nodeLlamaCppVersion: await lib.getModuleVersion(),
    llamaCppRelease: llama.llamaCppRelease.release,
    computeBackend: llama.gpu === false ? 'cpu' : llama.gpu,
    devices: await llama.getGpuDeviceNames(),
    vramBytes: llama.gpu === false ? 0 : (await llama.getVramState()).total,
    cpuMathCores: llama.cpuMathCores,
    logicalCores: availableParallelism(),
    startMs: now() - startedAt,
  };
  return { lib, llama, info, logs, model: null, context: null, wrapper: null, free: [] };
}

/** Reads a model's GGUF header (no weights): what it is, and whether this llama.cpp can load it. */
export async function inspectModel(e: EngineState, path: string): Promise<ModelFacts> {
  let fileBytes: number;
  try {
    fileBytes = statSync(path).size;
  } catch {
    throw modelFileError(`model file not found: ${path}`, 'Check the --model path (a .gguf file).');
  }
  let fileInfo: Awaited<ReturnType<NodeLlamaCpp['readGgufFileInfo']>>;
  try {
    fileInfo = await e.lib.readGgufFileInfo(path, {
      readTensorInfo: true,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (/magic/i.test(why))
      throw modelFileError(
        `${path} is not a GGUF file (${why})`,
        "Give a .gguf model file (llama.cpp's format); convert other formats with llama.cpp's convert_hf_to_gguf.py.",
      );
    throw modelFileError(
      `${path}: the GGUF header cannot be read (${why}): the file is truncated or corrupt`,
      'Download the model again.',
    );
  }
  const insights = await e.lib.GgufInsights.from(fileInfo, e.llama);
  const general = fileInfo.metadata.general as Record<string, unknown>;
  const archName = String(general['architecture'] ?? 'unknown');
  const firstData = Math.min(...(fileInfo.tensorInfo ?? []).map((t) => Number(t.fileOffset)));
  const singleFile = (fileInfo.splicedParts ?? 1) === 1;
  const fileType =
    typeof general['file_type'] === 'number' ? (e.lib.GgufFileType[general['file_type']] ?? null) : null;
  return {
    path,
    fileBytes,
    name: typeof general['name'] === 'string' ? general['name'] : null,
    architecture: architectureOf(fileInfo.metadata as unknown as Record<string, unknown>, archName),
    parameterCount: insights.totalParameters > 0 ? insights.totalParameters : null,
    sizeLabel: typeof general['size_label'] === 'string' ? general['size_label'] : null,
    fileType,
    totalLayers: insights.totalLayers,
    contextLength: insights.trainContextSize ?? null,
    weightsBytes: insights.modelSize,
    complete: !singleFile || !Number.isFinite(firstData) || firstData + insights.modelSize <= fileBytes,
    supported: insights.isSupportedByLlamaCpp,
    hasChatTemplate:
      typeof (fileInfo.metadata.tokenizer as Record<string, unknown> | undefined)?.['chat_template'] ===
      'string',
  };
}

function architectureOf(metadata: Record<string, unknown>, name: string): ModelArchitecture {
  const arch = (metadata[name] ?? {}) as Record<string, unknown>;
  const attention = (arch['attention'] ?? {}) as Record<string, unknown>;
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return {
    name,
    blockCount: num(arch['block_count']),
    headCount: num(attention['head_count']),
    headCountKv: num(attention['head_count_kv']) ?? num(attention['head_count']),
    embeddingLength: num(arch['embedding_length']),
    keyLength: num(attention['key_length']),
    valueLength: num(attention['value_length']),
  };
}

/** A model-file failure: the harness exits 7 with the hint. */
export function modelFileError(message: string, hint: string): EngineError {
  return new EngineError({ kind: 'model-file', message, hint });
}

/** Loads the model and one context with `settings.sequences` sequences, and primes it with one token. */
export async function loadModel(
  e: EngineState,
  path: string,
  s: EngineLoadSettings,
  now: () => number,
): Promise<LoadedEngine> {
  const threads = s.threads === 'auto' ? defaultThreads(e.info.cpuMathCores, e.info.logicalCores) : s.threads;
  e.logs.length = 0;
  const vramBefore = await usedVram(e);
  const t0 = now();
  const model = await failingAsModelFile(e, path, () =>
    e.llama.loadModel({
      modelPath: path,
      gpuLayers: s.gpuLayers,
      useMmap: s.mmap,
      defaultContextFlashAttention: s.flashAttention,
    }),
  );
  const t1 = now();
  const kv = s.kvCacheType.toUpperCase() as 'F16';
  const context = await failingAsModelFile(e, path, () =>
    model.createContext({
      sequences: s.sequences,
      threads,
      flashAttention: s.flashAttention,
      ...(s.contextSize === 'auto' ? {} : { contextSize: Math.min(s.contextSize, model.trainContextSize) }),
      ...(s.batchSize === 'auto' ? {} : { batchSize: s.batchSize }),
      ...(s.kvCacheType === 'f16'
        ? {}
        : { experimentalKvCacheKeyType: kv, experimentalKvCacheValueType: kv }),
    }),
  );
  const t2 = now();
  e.model = model;
  e.context = context;
  e.wrapper = e.lib.resolveChatWrapper(model);
  e.free = Array.from({ length: s.sequences }, () => context.getSequence());
  const primeMs = await prime(e, now);
  const vramBytes = Math.max(0, (await usedVram(e)) - vramBefore);
  return {
    modelLoadMs: t1 - t0,
    contextMs: t2 - t1,
    primeMs,
    gpuLayers: model.gpuLayers,
    totalLayers: model.fileInsights.totalLayers,
    threads: context.idealThreads,
    contextSize: context.contextSize,
    batchSize: context.batchSize,
    sequences: context.totalSequences,
    flashAttention: context.flashAttention === 'auto' ? 'auto' : context.flashAttention ? 'on' : 'off',
    kvCacheType: e.lib.GgmlType[context.kvCacheKeyType]?.toLowerCase() ?? String(context.kvCacheKeyType),
    mmap: model.useMmap,
    memoryBytes: model.size + context.memoryUsage.ram + context.memoryUsage.vram,
    vramBytes,
    chatWrapper: e.wrapper.wrapperName,
  };
}

/** GPU memory in use on the whole device now (0 on the CPU). */
async function usedVram(e: EngineState): Promise<number> {
  return e.llama.gpu === false ? 0 : (await e.llama.getVramState()).used;
}

/** One token through the model, so graph building and first-touch page faults are paid here, not by request 1. */
async function prime(e: EngineState, now: () => number): Promise<number> {
  const sequence = e.free[0];
  if (sequence === undefined || e.model === null) return 0;
  const t0 = now();
  const tokens = e.model.tokenize('Hi');
  const input =
    tokens.length > 0 ? tokens : [e.model.tokens.bos ?? e.model.tokens.eos].filter((t) => t !== null);
  for await (const token of sequence.evaluate(input, { temperature: 0 })) {
    void token;
    break;
  }
  await sequence.clearHistory();
  return now() - t0;
}

/** Frees the model and its context; the engine process stays, so the next load is a cold one. */
export async function unloadModel(e: EngineState): Promise<void> {
  await e.context?.dispose();
  await e.model?.dispose();
  e.context = null;
  e.model = null;
  e.wrapper = null;
  e.free = [];
}

/**
 * Runs a load step; its failure becomes a model-file failure that quotes llama.cpp's own reason
 * (only its log says why: node-llama-cpp throws "Failed to load model"). Logs arrive a moment
 * after the call fails.
 */
async function failingAsModelFile<T>(e: EngineState, path: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const why = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    const logged = [...e.logs]
      .reverse()
      .find((l) => /error loading model|error:/i.test(l) && !/failed to load model$/i.test(l));
    const reason = (logged ?? why).replace(/^error: (llama_model_load: )?(error loading model: )?/, '');
    if (error instanceof e.lib.InsufficientMemoryError || /memory/i.test(why)) {
      throw modelFileError(
        `${path}: not enough memory to load it (${why})`,
        'Use a smaller model or quantization, a smaller --context-size, or fewer --gpu-layers.',
      );
    }
    throw modelFileError(
      `${path}: llama.cpp could not load it: ${reason}`,
      'Check that the file is a complete GGUF of an architecture this node-llama-cpp supports; download it again if it is truncated.',
    );
  }
}
