import { DEFAULT_MODELS } from './models.js';
import type { FakeModel, FakeOllamaOptions, RespondRequest } from './types.js';

export const DEFAULT_VERSION = '0.13.0';
export const DEFAULT_PROMPT_TOKENS_PER_S = 2000;
export const DEFAULT_GEN_TOKENS_PER_S = 200;
export const DEFAULT_LOAD_MS = 300;
export const DEFAULT_NUM_PARALLEL = 1;
export const DEFAULT_MAX_QUEUE = 512;
export const DEFAULT_OUTPUT_TOKENS = 24;

/** Options with every default filled in. */
export interface ResolvedOptions {
  models: FakeModel[];
  version: string;
  psContextLength: boolean;
  promptTokensPerS: number;
  perStreamGenTokensPerS: (activeStreams: number) => number;
  extraTtftMs: number;
  loadMs: number;
  numParallel: number;
  maxQueue: number;
  defaultOutputTokens: number;
  respond: ((req: RespondRequest) => string) | undefined;
  onDecodingChange: ((decodingStreams: number) => void) | undefined;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`fake Ollama: ${name} must be a positive number, got ${value}`);
  }
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`fake Ollama: ${name} must be >= 0, got ${value}`);
  }
  return value;
}

/** Fills in defaults and rejects nonsense early, so a bad test setup fails at start. */
export function resolveOptions(options: FakeOllamaOptions = {}): ResolvedOptions {
  const genTokensPerS = positive('genTokensPerS', options.genTokensPerS ?? DEFAULT_GEN_TOKENS_PER_S);
  return {
    models: options.models ?? DEFAULT_MODELS,
    version: options.version ?? DEFAULT_VERSION,
    psContextLength: options.psContextLength ?? true,
    promptTokensPerS: positive('promptTokensPerS', options.promptTokensPerS ?? DEFAULT_PROMPT_TOKENS_PER_S),
    perStreamGenTokensPerS: options.perStreamGenTokensPerS ?? (() => genTokensPerS),
    extraTtftMs: nonNegative('extraTtftMs', options.extraTtftMs ?? 0),
    loadMs: nonNegative('loadMs', options.loadMs ?? DEFAULT_LOAD_MS),
    numParallel: positive('numParallel', options.numParallel ?? DEFAULT_NUM_PARALLEL),
    maxQueue: nonNegative('maxQueue', options.maxQueue ?? DEFAULT_MAX_QUEUE),
    defaultOutputTokens: nonNegative(
      'defaultOutputTokens',
      options.defaultOutputTokens ?? DEFAULT_OUTPUT_TOKENS,
    ),
    respond: options.respond,
    onDecodingChange: options.onDecodingChange,
  };
}
