import type { KvCacheType } from '../roofline/kv-cache.js';
import type { Roofline } from '../roofline/roofline.js';
import type { DecodeTimedBy } from './decode-rate.js';

/** How the KV term of bytes per token was sized. */
export interface KvTerm {
  /** Layers x KV heads x (key + value width) x bytes per value. */
  bytesPerContextToken: number;
  /** Mean context over a request's decode: prompt tokens + half the output tokens, averaged over ok requests. */
  meanContextTokens: number;
  cacheType: KvCacheType;
  /** The server does not report its cache type (Ollama): f16, its default, was taken. */
  cacheTypeAssumed: boolean;
}

/** Single-stream decode at one context depth (run --context-depth) against the ceiling at that depth. */
export interface DepthRoofline {
  contextDepthTokens: number;
  /** The mean context over a request's decode at this depth: prompt tokens (filler included) + half the output. */
  meanContextTokens: number;
  /** bytesPerContextToken x meanContextTokens. */
  kvBytes: number;
  /** Weights + kvBytes. */
  bytesPerToken: number;
  ceilingTokensPerS: number;
  /** The median decode tok/s at concurrency 1 and this depth; null: none measured. */
  decodeTokensPerS: number | null;
  shareOfCeiling: number | null;
}

/** A run's decode speed against its device's memory-bandwidth ceiling. */
export interface RunRoofline extends Roofline {
  device: string;
  deviceId: string | null;
  /** How the device was found: the config, an exact or fuzzy name match. */
  how: 'config' | 'exact' | 'fuzzy';
  bandwidthGBps: number;
  /** Single-stream decode speed compared: the median generation tok/s at concurrency 1. */
  decodeTokensPerS: number;
  /** The server's decode timing, or the client's where the server reports none (vLLM, LM Studio). */
  decodeTimedBy: DecodeTimedBy;
  /** The KV cache term; null when it could not be sized (see kvMissing). */
  kv: KvTerm | null;
  /** Why the KV term is missing, so that bytes per token are the weights alone (a lower bound); null when present. */
  kvMissing: string | null;
  /** Token counts include one-per-chunk estimates (LM Studio): the decode speed compared is an ESTIMATE. */
  estimate: boolean;
  /** The ceiling at each context depth measured at concurrency 1; absent without --context-depth or a KV term. */
  atDepth?: DepthRoofline[];
}

/** Why no roofline was computed. */
export type RunRooflineResult = { roofline: RunRoofline } | { roofline: null; why: string };
