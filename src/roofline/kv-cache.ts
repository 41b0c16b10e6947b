import type { ModelArchitecture } from '../types/model-info.js';

/**
 * Bytes per stored value of the KV cache types llama.cpp offers (and so Ollama, through
 * OLLAMA_KV_CACHE_TYPE): q8_0 and q4_0 store 32 values with one f16 scale.
 */
export const KV_CACHE_BYTES_PER_ELEMENT = { f16: 2, q8_0: 34 / 32, q4_0: 18 / 32 } as const;

/** A KV cache type costbench can size. */
export type KvCacheType = keyof typeof KV_CACHE_BYTES_PER_ELEMENT;

/** The cache type taken where the server does not say: Ollama's and llama.cpp's default. */
export const DEFAULT_KV_CACHE_TYPE: KvCacheType = 'f16';

/** Bytes of KV cache per token of context, or why they cannot be known. */
export type KvSize =
  { bytesPerContextToken: number; why: null } | { bytesPerContextToken: null; why: string };

/**
 * KV cache bytes per token of context: layers x KV heads x (key width + value width) x bytes per
 * value. A head's widths are key_length / value_length where the model states them, else
 * embedding_length / head_count; a model that states no head_count_kv has as many KV heads as
 * heads (llama.cpp's reading). llama3.1:8b, f16: 32 x 8 x (128 + 128) x 2 = 131072. Pure.
 */
export function computeKvBytesPerContextToken(a: ModelArchitecture | null, cacheType: KvCacheType): KvSize {
  if (a === null) {
    return {
      bytesPerContextToken: null,
      why: "the server does not describe the model's architecture (layers, KV heads)",
    };
  }
  const headDim =
    a.embeddingLength !== null && a.headCount !== null && a.headCount > 0
      ? a.embeddingLength / a.headCount
      : null;
  const keyWidth = a.keyLength ?? headDim;
  const valueWidth = a.valueLength ?? headDim;
  const kvHeads = a.headCountKv ?? a.headCount;
  const missing = [
    a.blockCount === null ? 'block_count' : null,
    kvHeads === null ? 'attention.head_count_kv' : null,
    keyWidth === null || valueWidth === null
      ? 'attention.key_length (or embedding_length and attention.head_count)'
      : null,
  ].filter((k): k is string => k !== null);
  if (a.blockCount === null || kvHeads === null || keyWidth === null || valueWidth === null) {
    const keys = missing.map((k) => `${a.name}.${k}`).join(', ');
    return { bytesPerContextToken: null, why: `the model's metadata lacks ${keys}` };
  }
  const bytes = a.blockCount * kvHeads * (keyWidth + valueWidth) * KV_CACHE_BYTES_PER_ELEMENT[cacheType];
  return { bytesPerContextToken: bytes, why: null };
}
