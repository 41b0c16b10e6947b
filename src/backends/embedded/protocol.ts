/**
 * The messages between costbench and its engine process (node-llama-cpp in a forked child, so a
 * native crash or a spinning llama.cpp thread never touches the harness). Plain JSON over IPC.
 * Every request carries an id; its reply carries the same id.
 */
import type { ChatMessage, ModelArchitecture } from '../backend.js';

/** llama.cpp's KV cache element types costbench offers (node-llama-cpp's GgmlType names, lower case). */
export const KV_CACHE_TYPES = ['f32', 'f16', 'bf16', 'q8_0', 'q5_1', 'q5_0', 'q4_1', 'q4_0'] as const;
export type KvCacheType = (typeof KV_CACHE_TYPES)[number];

/** How the engine loads and runs the model: one context, `sequences` parallel sequences. */
export interface EngineLoadSettings {
  /** Threads llama.cpp computes with; 'auto': {@link defaultThreads} of this machine. */
  threads: number | 'auto';
  gpuLayers: number | 'auto' | 'max';
  /** Tokens per sequence. */
  contextSize: number | 'auto';
  batchSize: number | 'auto';
  flashAttention: boolean | 'auto';
  kvCacheType: KvCacheType;
  mmap: boolean;
  /** Sequences in the one context: the most requests in flight at once. */
  sequences: number;
}

/** The engine's build and the compute backend it found (llama.cpp's, not costbench's guess). */
export interface EngineInfo {
  nodeLlamaCppVersion: string;
  llamaCppRelease: string;
  /** 'cuda' | 'metal' | 'vulkan' | 'cpu'. */
  computeBackend: string;
  /** GPU device names as llama.cpp lists them; [] on the CPU. */
  devices: string[];
  /** Total GPU memory llama.cpp sees, bytes; 0 on the CPU. */
  vramBytes: number;
  /** Physical cores llama.cpp counts for math (node-llama-cpp's cpuMathCores). */
  cpuMathCores: number;
  /** Logical cores the OS offers this process. */
  logicalCores: number;
  /** Spawning the process and initialising llama.cpp, ms (no model yet). */
  startMs: number;
}

/** What the GGUF header says about a model, read without loading it. */
export interface ModelFacts {
  path: string;
  fileBytes: number;
  /** general.name, when set. */
  name: string | null;
  architecture: ModelArchitecture;
  parameterCount: number | null;
  /** general.size_label, e.g. "0.5B", when set. */
  sizeLabel: string | null;
  /** general.file_type as llama.cpp names it, e.g. "MOSTLY_Q4_K_M". */
  fileType: string | null;
  /** Layers as llama.cpp counts them for offloading (blocks + output). */
  totalLayers: number;
  contextLength: number | null;
  /** Bytes of weights (all tensors), from the tensor table. */
  weightsBytes: number;
  /** Whether the file holds every byte its tensor table points at (single-file models). */
  complete: boolean;
  /** Whether this llama.cpp build knows the architecture. */
  supported: boolean;
  hasChatTemplate: boolean;
}

/** What loading produced: where the layers went and the settings as llama.cpp applied them. */
export interface LoadedEngine {
  /** Model load (weights read or mapped), ms. */
  modelLoadMs: number;
  /** Context creation (KV cache, compute buffers), ms. */
  contextMs: number;
  /** One throw-away token through the model, so the first measured request pays no first-call cost, ms. */
  primeMs: number;
  gpuLayers: number;
  totalLayers: number;
  threads: number;
  contextSize: number;
  batchSize: number;
  sequences: number;
  /** 'auto': llama.cpp decides per model and device, and does not report its choice. */
  flashAttention: 'on' | 'off' | 'auto';
  kvCacheType: string;
  mmap: boolean;
  /** The model's size as loaded plus node-llama-cpp's estimate of its context's footprint (KV cache, buffers), bytes. */
  memoryBytes: number;
  /** GPU memory the load took (the device's used memory after minus before), bytes; 0 on the CPU. */
  vramBytes: number;
  chatWrapper: string;
}

/** One chat request, in the engine's terms. */
export interface GenerateRequest {
  messages: ChatMessage[];
  /** null: until the model stops (or the context is full). */
  numPredict: number | null;
  temperature: number | null;
  seed: number | null;
  format: 'json' | Record<string, unknown> | null;
}

/** The engine's own measurements of one request, on its own clock (ms). */
export interface EngineMetrics {
  /** Tokens of the rendered prompt, by the model's tokenizer. */
  promptTokens: number;
  /** Every token sampled for the answer, the end-of-generation token or stop sequence included. */
  outputTokens: number;
  /** From starting to evaluate the prompt to the first sampled token. */
  prefillMs: number;
  /** From the first to the last sampled token: outputTokens - 1 decode steps. */
  decodeMs: number | null;
  /** Rendering the template and tokenizing, ms. */
  templateMs: number;
  /** From receiving the request to sending the answer. */
  totalMs: number;
  /** The threads llama.cpp computed with (the context's, when the request ran). */
  threads: number;
}

export type ToEngine =
  | { type: 'start'; id: number }
  | { type: 'inspect'; id: number; path: string }
  | { type: 'load'; id: number; path: string; settings: EngineLoadSettings }
  | { type: 'generate'; id: number; request: GenerateRequest }
  | { type: 'cancel'; id: number }
  | { type: 'unload'; id: number };

/** Why a request failed inside the engine; 'model-file' failures carry a hint. */
export interface EngineFailure {
  kind: 'model-file' | 'request' | 'internal';
  message: string;
  hint: string | null;
}

export type FromEngine =
  | { type: 'started'; id: number; info: EngineInfo }
  | { type: 'inspected'; id: number; facts: ModelFacts }
  | { type: 'loaded'; id: number; loaded: LoadedEngine }
  | { type: 'unloaded'; id: number }
  /** Answer text as it is sampled; one piece per token; the first arrives alone, later ones in batches. */
  | { type: 'pieces'; id: number; pieces: string[] }
  | {
      type: 'done';
      id: number;
      pieces: string[];
      text: string;
      metrics: EngineMetrics;
      doneReason: 'stop' | 'length' | 'cancelled';
      /** The format was enforced only in part: what was not. */
      formatNote: string | null;
    }
  | { type: 'failed'; id: number; failure: EngineFailure };
