/**
 * The backend interface: everything the run loop, the store and the report need from a model
 * server. Ollama and OpenAI-compatible servers implement it. Nothing downstream may care which
 * backend measured: what differs (where token counts came from) travels as data.
 */
import type { ServerFacts } from './server-facts.js';
import type { ModelInfo, MetricsSource, GenerationOptions } from '../types/model-info.js';
export type { ModelArchitecture, ModelInfo, MetricsSource, GenerationOptions } from '../types/model-info.js';

/** A model currently loaded in memory. sizeVramBytes < sizeBytes means part runs on the CPU. */
export interface LoadedModel {
  name: string;
  sizeBytes: number | null;
  sizeVramBytes: number | null;
  contextLength: number | null;
  expiresAt: string | null;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  options: GenerationOptions;
  /** "json" or a JSON schema the answer must follow. */
  format?: 'json' | Record<string, unknown>;
  keepAlive?: string | number;
  /** The request is aborted and recorded as errored after this long. */
  timeoutMs: number;
  /** Aborts the request from outside (the run is being stopped): recorded as aborted. */
  signal?: AbortSignal;
}

/**
 * Server-side measurements of one request, in milliseconds and tokens. null means the server
 * did not report it (Ollama omits zero-valued keys): unknown, not zero.
 */
export interface ServerMetrics {
  promptTokens: number | null;
  promptEvalMs: number | null;
  outputTokens: number | null;
  evalMs: number | null;
  /**
   * The tokens evalMs covers, where that is not all of outputTokens: the embedded engine times
   * from the first to the last token, which is outputTokens - 1 decode steps. Absent or null:
   * outputTokens (Ollama's eval_duration and llama.cpp's predicted_ms cover every output token).
   */
  evalTokens?: number | null;
  loadMs: number | null;
  totalMs: number | null;
}

interface ChatResultBase {
  /** Client-measured time from sending the request to the first chunk with content or thinking. */
  ttftMs: number | null;
  /** Client-measured time from sending the request to the last chunk with content or thinking. */
  lastTokenMs: number | null;
  /** Client-measured time from sending the request to the end of the response. */
  latencyMs: number;
  metrics: ServerMetrics;
  /** What the token counts in `metrics` are; null when the request failed before the server counted. */
  metricsSource: MetricsSource | null;
  /** Prompt tokens the server took from its cache (llama.cpp cache_n, vLLM cached_tokens); null: not reported. */
  cachedPromptTokens: number | null;
  doneReason: string | null;
  /** The answer text (partial when the request failed mid-stream). */
  text: string;
  /** Streamed chunks received. */
  chunks: number;
  /** Stream lines that were not valid JSON and were skipped. */
  malformedLines: number;
  /** The CPU threads the embedded engine computed with; absent for model servers. */
  threads?: number | null;
  /** Reasoning tokens (OpenAI completion_tokens_details.reasoning_tokens), part of outputTokens; absent or null: not reported. */
  reasoningTokens?: number | null;
}

/** One request's outcome: a failure is data, not an exception. */
export type ChatResult =
  | (ChatResultBase & { state: 'ok' })
  | (ChatResultBase & {
      state: 'errored' | 'aborted';
      error: string;
      status: number | null;
      /**
       * unreachable: no answer at all; http: a status code; stream: broke mid-response; timeout; aborted;
       * engine: the embedded engine refused the request; crashed: the embedded engine's process died.
       */
      errorKind: 'unreachable' | 'http' | 'stream' | 'timeout' | 'aborted' | 'engine' | 'crashed';
      /** How long the server asked to wait before trying again (429/503 Retry-After, retry-after-ms); absent: it did not say. */
      retryAfterMs?: number | null;
    });

export interface WarmupResult {
  state: 'ok' | 'errored' | 'aborted';
  latencyMs: number;
  /** The server's own load time, when it reported one. */
  loadMs: number | null;
  doneReason: string | null;
  error: string | null;
}

/** Called for each streamed piece of answer text, for live progress. */
export type ChunkListener = (text: string) => void;

/** The kinds of backend: a model server (Ollama, OpenAI-compatible) or the embedded engine. */
export type BackendKind = 'ollama' | 'openai' | 'llama-cpp';

export interface Backend {
  readonly kind: BackendKind;
  /** Base URL of the server; "embedded" for the embedded engine. */
  readonly host: string;
  version(): Promise<string>;
  listModels(): Promise<ModelInfo[]>;
  showModel(name: string): Promise<ModelInfo>;
  /** The models in memory now; null when the server cannot say (an OpenAI-compatible server other than llama.cpp or vLLM). */
  loadedModels(): Promise<LoadedModel[] | null>;
  /** Loads the model without generating, so the first measured request does not pay the load. */
  warmUp(model: string, options: GenerationOptions, keepAlive?: string | number): Promise<WarmupResult>;
  chat(request: ChatRequest, onChunk?: ChunkListener): Promise<ChatResult>;
  /**
   * How the server is configured for `model` (version, context, slots, placement, settings), as
   * it states it. Call it after the warm-up: Ollama's /api/ps and the embedded engine know the
   * loaded context and placement only while the model is loaded. Never throws but on `signal`'s
   * abort: what could not be read is null, with the reason in `errors`.
   */
  serverFacts(model: string, signal?: AbortSignal): Promise<ServerFacts>;
  /** Unloads the model from memory, so the next load is a cold one. Returns whether the server confirmed it. */
  unload(model: string): Promise<boolean>;
  /** Releases what the backend holds (the embedded engine's process); servers hold nothing. */
  close?(): Promise<void>;
}
