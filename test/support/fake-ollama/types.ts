/**
 * The public shapes of the fake Ollama server: what a test configures, what it can inspect
 * afterwards, and the faults it can inject.
 */

/** A model the fake server "has pulled". */
export interface FakeModel {
  /** Full name with tag, e.g. `llama3.2:latest`. A request for `llama3.2` matches it. */
  name: string;
  /** Architecture, e.g. `llama`; also the `general.architecture` key in /api/show. */
  family: string;
  /** Human size as Ollama prints it, e.g. `3.2B`. */
  parameterSize: string;
  parameterCount: number;
  /** e.g. `Q4_K_M`. */
  quantization: string;
  /** The model's trained context (`<arch>.context_length`), not the loaded num_ctx. */
  contextLength: number;
  /** File size: the weights on disk (/api/tags `size`). */
  sizeBytes: number;
  /**
   * /api/ps `size_vram`; below the loaded size (/api/ps `size`: the weights, an f16 KV cache for
   * the loaded num_ctx and compute buffers, as Ollama reports it) means part of the model "runs on
   * the CPU". Default: all of the loaded size.
   */
  sizeVramBytes?: number;
  /** The transformer's shape, served in /api/show's model_info under `<family>.*`; omitted when undefined. */
  architecture?: FakeArchitecture;
  /** sha256 hex digest, without the `sha256:` prefix. */
  digest: string;
}

/** The model_info keys that size the KV cache, as GGUF (and Ollama's /api/show) name them. */
export interface FakeArchitecture {
  /** `<arch>.block_count`: layers. */
  blockCount: number;
  /** `<arch>.attention.head_count`. */
  headCount: number;
  /** `<arch>.attention.head_count_kv`. */
  headCountKv: number;
  /** `<arch>.embedding_length`. */
  embeddingLength: number;
  /** `<arch>.attention.key_length` / `value_length`: left out when undefined (qwen2 states none). */
  keyLength?: number;
  valueLength?: number;
}

/** What a chat or generate request asked for, as handed to {@link FakeOllamaOptions.respond}. */
export interface RespondRequest {
  model: string;
  /** generate: the prompt; chat: the content of the last message. */
  prompt: string;
  /** chat: the messages; generate: the system prompt (if any) and the prompt as a user message. */
  messages: { role: string; content: string }[];
}

/** Server configuration; every field has a realistic default. */
export interface FakeOllamaOptions {
  models?: FakeModel[];
  /** Reported by /api/version. Default `0.13.0`. */
  version?: string;
  /**
   * Whether /api/ps entries carry `context_length`; false imitates an Ollama from before it was
   * added (the key absent). Default true.
   */
  psContextLength?: boolean;
  /** Prompt evaluation rate. Default 2000. */
  promptTokensPerS?: number;
  /** Per-stream decode rate. Default 200. */
  genTokensPerS?: number;
  /** Contention model: per-stream decode rate given the number of streams decoding at once. */
  perStreamGenTokensPerS?: (activeStreams: number) => number;
  /** Fixed extra delay after prompt evaluation, before decoding starts. Default 0. */
  extraTtftMs?: number;
  /** Cold model load time. Default 300. */
  loadMs?: number;
  /** Generations that may run at once (OLLAMA_NUM_PARALLEL). Default 1. */
  numParallel?: number;
  /** Waiting requests allowed before 503 (OLLAMA_MAX_QUEUE). Default 512. */
  maxQueue?: number;
  /** Words in the default reply. Default 24. */
  defaultOutputTokens?: number;
  /** Told how many streams are decoding each time that number changes (a test can make fake sensors follow load). */
  onDecodingChange?: (decodingStreams: number) => void;
  /** Scripted answers; default: deterministic text derived from the prompt. */
  respond?: (req: RespondRequest) => string;
}

/** Ground truth for one chat/generate request, filled in as the request progresses. */
export interface FakeRequestRecord {
  /** 1, 2, 3... in arrival order. */
  id: number;
  endpoint: 'chat' | 'generate';
  /** The model name as the request spelled it. */
  model: string;
  stream: boolean;
  promptTokens: number;
  /** Tokens emitted (streaming) or generated (stream:false). */
  evalCount: number;
  /** Load time plus queue wait, as reported (0 when warm and not queued). */
  loadDurationNs: number;
  queueWaitNs: number;
  promptEvalDurationNs: number;
  evalDurationNs: number;
  totalDurationNs: number;
  /** performance.now() when the first content chunk (or the stream:false body) was written. */
  firstTokenSentAtMs: number | null;
  receivedAtMs: number;
  /** performance.now() when the final answer was written; null if it never was. */
  doneAtMs: number | null;
  /** `stop`, `length`, `load`, `unload`; null if the request never finished. */
  doneReason: string | null;
  /** The kind of the injected fault that hit this request, if any. */
  fault: Fault['kind'] | null;
  /** performance.now() when the client went away before the answer was complete. */
  abortedAtMs: number | null;
  options: Record<string, unknown>;
}

/** A failure to inject into the next chat/generate requests (warm-up calls are not affected). */
export type Fault =
  /** Destroy the socket after N tokens. */
  | { kind: 'close-mid-stream'; afterTokens: number }
  /** Write an `{"error":message}` NDJSON line after N tokens (HTTP stays 200), then end. */
  | { kind: 'error-line'; afterTokens: number; message: string }
  /** Never answer: streaming requests get headers only, stream:false nothing (until close()). */
  | { kind: 'hang' }
  /** Write a line that is not JSON after N tokens, then continue normally. */
  | { kind: 'malformed-line'; afterTokens: number }
  /** Answer at once with this status and `{"error":error}`. */
  | { kind: 'status'; status: number; error: string };

/** A running fake server. */
export interface FakeOllama {
  /** `http://127.0.0.1:PORT`, usable as the ollama client's host. */
  url: string;
  port: number;
  /** One record per chat/generate request, warm-ups included (doneReason `load`/`unload`). */
  requests: FakeRequestRecord[];
  /** Applies `fault` to the next `times` (default 1) generating chat/generate requests. */
  injectFault(fault: Fault, times?: number): void;
  /** Forget every loaded model: the next request for each pays the load time again. */
  unloadAll(): void;
  /** Stop listening, end in-flight and hung requests and close every socket. */
  close(): Promise<void>;
}
