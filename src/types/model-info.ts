/**
 * The transformer's shape, as the model's metadata states it (GGUF keys, served by Ollama's
 * /api/show model_info): what sizes the KV cache each generated token reads. null: not stated.
 */
export interface ModelArchitecture {
  /** `general.architecture`, e.g. "llama", "qwen2". */
  name: string;
  /** `<arch>.block_count`: layers. */
  blockCount: number | null;
  /** `<arch>.attention.head_count`. */
  headCount: number | null;
  /** `<arch>.attention.head_count_kv` (fewer than headCount with grouped-query attention). */
  headCountKv: number | null;
  /** `<arch>.embedding_length`. */
  embeddingLength: number | null;
  /** `<arch>.attention.key_length` / `value_length`: per-head widths, when the model states them. */
  keyLength: number | null;
  valueLength: number | null;
}

/** A model installed on the server. Fields the server does not report are null. */
export interface ModelInfo {
  name: string;
  digest: string | null;
  family: string | null;
  parameterSize: string | null;
  parameterCount: number | null;
  quantization: string | null;
  contextLength: number | null;
  /** The model's file size on disk (its weights), as the server lists it; not its size once loaded. */
  sizeBytes: number | null;
  /** null where the server does not describe the model's shape (OpenAI-compatible servers). */
  architecture: ModelArchitecture | null;
}

/**
 * Where a request's token counts came from. 'server': the server's own timed counts (Ollama's
 * eval_count/eval_duration, llama.cpp's timings). 'usage': the OpenAI usage block, counted by the
 * server's tokenizer but with no durations. 'chunks': nothing reported, one token per streamed
 * chunk: an estimate.
 */
export type MetricsSource = 'server' | 'usage' | 'chunks';

/** Generation settings, in costbench's names; each backend maps them to its own. */
export interface GenerationOptions {
  temperature?: number;
  seed?: number;
  /** Maximum output tokens. */
  numPredict?: number;
  /** Context window; changing it forces a reload on Ollama. */
  numCtx?: number;
}
