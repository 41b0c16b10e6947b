import { ConfigError } from '../errors.js';

/** What bounds the context a run's requests get, as far as it is known before the run. */
export interface ContextBounds {
  backend: string;
  /** The suite's numCtx (Ollama's num_ctx), where it sets one. */
  numCtx: number | undefined;
  /** The embedded engine's context per sequence (backend.contextSize), a number where one is set. */
  engineContextSize: number | 'auto';
  /** The model's trained context, as the server lists it. */
  modelContextLength: number | null;
}

/**
 * The error for a context depth that cannot fit the context the requests get, or null: the
 * deepest depth must leave room for the task's prompt and answer. The context that bounds it is
 * the suite's numCtx (Ollama), the engine's --context-size, else the model's own length; a
 * server's own limit (llama-server -c, vLLM --max-model-len) is not known before the run: the
 * measured depth then says what it kept. Pure.
 */
export function checkContextDepth(depths: readonly number[], b: ContextBounds): ConfigError | null {
  const deepest = Math.max(0, ...depths);
  if (deepest === 0) return null;
  const bound = contextBound(b);
  if (bound === null || deepest < bound.tokens) return null;
  return new ConfigError(
    `--context-depth ${deepest} does not fit the ${bound.tokens}-token context of ${bound.what}`,
    bound.raise,
  );
}

function contextBound(b: ContextBounds): { tokens: number; what: string; raise: string } | null {
  if (b.backend === 'llama-cpp' && typeof b.engineContextSize === 'number') {
    return {
      tokens: b.engineContextSize,
      what: 'the embedded engine (backend.contextSize)',
      raise: 'Raise it with --context-size (the KV cache grows with it), or ask for a smaller depth.',
    };
  }
  if (b.backend === 'ollama' && b.numCtx !== undefined) {
    return {
      tokens: b.numCtx,
      what: "the suite's numCtx (Ollama's num_ctx)",
      raise:
        "Raise the suite's options.numCtx above the depth plus the prompt and answer, or ask for a smaller depth.",
    };
  }
  if (b.modelContextLength !== null) {
    return {
      tokens: b.modelContextLength,
      what: 'the model (its trained context length)',
      raise: 'Ask for a depth below the model context length.',
    };
  }
  return null;
}

/**
 * A warning when the deepest depth does not fit the context the server says it serves the model
 * with (read after the warm-up: Ollama's num_ctx in /api/ps, llama-server's n_ctx): Ollama cuts a
 * longer prompt without an error, so the measured depth would be less than asked. null when it fits
 * or the server does not say. Pure.
 */
export function describeDepthBeyondServer(
  depths: readonly number[],
  serverContext: number | null,
): string | null {
  const deepest = Math.max(0, ...depths);
  if (deepest === 0 || serverContext === null || deepest < serverContext) return null;
  return `--context-depth ${deepest} does not fit the ${serverContext}-token context the server loaded the model with: the server may cut the prompt (the measured depth shows it); raise it (the suite's options.numCtx on Ollama, llama-server -c, vLLM --max-model-len)`;
}
