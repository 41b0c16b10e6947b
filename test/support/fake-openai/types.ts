/**
 * Public shapes of the fake OpenAI-compatible server: configuration, per-request ground truth,
 * injectable faults.
 */

/** Which server the fake imitates; decides usage, timings, /props and /version. */
export type Flavor = 'llama.cpp' | 'vllm' | 'lmstudio';

export interface FakeOpenAiOptions {
  flavor: Flavor;
  /** Model ids served by /v1/models. Default `['qwen2.5-7b-instruct']`. */
  models?: string[];
  /** When set, every /v1 route requires `Authorization: Bearer <apiKey>` (401 otherwise). */
  apiKey?: string;
  /** Per-stream decode rate. Default 500. */
  genTokensPerS?: number;
  /** Prompt evaluation rate. Default 20000. */
  promptTokensPerS?: number;
  /** Extra delay after prompt evaluation, before the first content chunk. Default 0. */
  extraTtftMs?: number;
  /** Words in the default reply. Default 24. */
  defaultOutputTokens?: number;
  /** Prompt tokens reported as served from cache (llama.cpp cache_n, vLLM cached_tokens). Default 0. */
  cachedPromptTokens?: number;
  /**
   * A prompt cache like llama-server's: a request's cached tokens are the whole fake tokens (4
   * characters) its prompt text shares as a prefix with an earlier request's, all but the last
   * token at most, and only the rest is evaluated (prompt time, prompt_n). Overrides
   * cachedPromptTokens. Default false.
   */
  promptCache?: boolean;
  /**
   * The context the model is served with: llama.cpp /props default_generation_settings.n_ctx,
   * vLLM max_model_len, LM Studio loaded_instances[].config.context_length. Default 4096.
   */
  nCtx?: number;
  /** The model's trained context: llama.cpp /v1/models meta.n_ctx_train. Default 32768. */
  nCtxTrain?: number;
  /** LM Studio's max_context_length (/api/v1/models, /api/v0/models). Default 32768. */
  maxContextLength?: number;
  /**
   * LM Studio's native REST API: 'v1' (0.4.0+) serves /api/v1/models and the deprecated
   * /api/v0/models; 'v0' (0.3.6 to 0.3.x) only /api/v0/models (/api/v1/models is a 404).
   * Default 'v1'.
   */
  lmStudioApi?: 'v1' | 'v0';
  /**
   * Requests generated at once (llama-server -np); later ones wait, sending nothing, until a slot
   * frees. Default 0: no limit (vLLM's continuous batching, for a test's purposes).
   */
  parallel?: number;
  /** llama.cpp build_info / vLLM version; LM Studio serves none. */
  version?: string;
  /** Scripted answer; default: deterministic words derived from the prompt. */
  respond?: (messages: { role: string; content: string }[]) => string;
  /** Told how many streams are decoding whenever that changes (the fake GPU's power follows it). */
  onDecodingChange?: (decodingStreams: number) => void;
  /**
   * The usage object to send instead of the flavor's (a remote API's: prompt_tokens_details.cached_tokens,
   * completion_tokens_details.reasoning_tokens; or anything at all, for fuzzing). Default: the flavor's.
   */
  usage?: unknown;
  /** Answer every /v1 request with HTTP 307 to this base URL (ending in /v1) + the rest of the path. */
  redirectTo?: string;
}

/** One HTTP request as received (every route), for checking what a client sent where. */
export interface FakeOpenAiReceived {
  method: string;
  path: string;
  /** Lower-case header names, as node:http gives them. */
  headers: Record<string, string | string[] | undefined>;
}

/** Ground truth for one /v1/chat/completions request. */
export interface FakeOpenAiRecord {
  id: number;
  model: string;
  stream: boolean;
  /** The parsed request body, as received. */
  body: Record<string, unknown>;
  /** The bearer token received, or null. */
  bearer: string | null;
  status: number;
  promptTokens: number;
  cachedTokens: number;
  completionTokens: number;
  /** Measured prompt evaluation, ms (llama.cpp prompt_ms). */
  promptMs: number;
  /** First to last token written, plus one decode step: what predicted_ms reports. */
  predictedMs: number;
  receivedAtMs: number;
  /** Time spent waiting for a free slot before generation started, ms. */
  queuedMs: number;
  /** performance.now() when the role-only chunk, first content chunk and last content chunk were written. */
  roleSentAtMs: number | null;
  firstTokenSentAtMs: number | null;
  lastTokenSentAtMs: number | null;
  doneAtMs: number | null;
  finishReason: string | null;
  /** Whether a usage chunk (choices: []) was sent. */
  sentUsageChunk: boolean;
  fault: Fault['kind'] | null;
  abortedAtMs: number | null;
}

export type Fault =
  | { kind: 'close-mid-stream'; afterTokens: number }
  /** `data: {"error": {...}}` after N tokens (HTTP stays 200), then the stream ends. */
  | { kind: 'error-event'; afterTokens: number; message: string }
  | { kind: 'hang' }
  | { kind: 'malformed-event'; afterTokens: number }
  /** An HTTP error; `headers` are sent with it (e.g. 429 with Retry-After). */
  | { kind: 'status'; status: number; message: string; headers?: Record<string, string> };

export interface FakeOpenAi {
  /** `http://127.0.0.1:PORT` (the server root). */
  url: string;
  /** `http://127.0.0.1:PORT/v1`: the backend's host. */
  baseUrl: string;
  port: number;
  requests: FakeOpenAiRecord[];
  /** Every HTTP request received, in order, with its headers. */
  received: FakeOpenAiReceived[];
  injectFault(fault: Fault, times?: number): void;
  close(): Promise<void>;
}
