import type { Backend, ModelInfo } from '../backends/backend.js';
import { BackendError } from '../errors.js';

/** The model a run will measure, and why that one. */
export interface ResolvedModel {
  name: string;
  reason: 'requested' | 'loaded' | 'first-installed';
  /** The model as /api/tags lists it (digest, size on disk), when it is listed. */
  listed: ModelInfo | null;
}

/** How to get a model onto the server, for hints. */
function howToGet(backend: Backend, model: string): string {
  return backend.kind === 'ollama'
    ? `fetch it: ollama pull ${model}`
    : 'serve it (llama-server -m <file.gguf>, vllm serve <model>, or load it in LM Studio)';
}

/**
 * Picks the model: the one asked for (a bare name matches "name:latest"), else the one the server
 * has loaded, else the first installed. An unknown model lists the installed ones.
 */
export async function resolveModel(backend: Backend, requested: string | null): Promise<ResolvedModel> {
  const installed = await backend.listModels();
  if (requested !== null) {
    const match = findModel(installed, requested);
    if (match === undefined) {
      const names = installed.map((m) => m.name);
      const where = backend.kind === 'ollama' ? 'installed on' : 'served by';
      throw new BackendError(`model "${requested}" is not ${where} ${backend.host}`, {
        status: 404,
        hint:
          names.length > 0
            ? `Available: ${names.join(', ')}. Or ${howToGet(backend, requested)}`
            : `There is none: ${howToGet(backend, requested)}`,
      });
    }
    return { name: match.name, reason: 'requested', listed: match };
  }
  const first = (await backend.loadedModels())?.[0];
  if (first !== undefined)
    return { name: first.name, reason: 'loaded', listed: findModel(installed, first.name) ?? null };
  const firstInstalled = installed[0];
  if (firstInstalled === undefined) {
    throw new BackendError(
      `no models are ${backend.kind === 'ollama' ? 'installed on' : 'served by'} ${backend.host}`,
      {
        hint:
          backend.kind === 'ollama'
            ? 'Fetch one, e.g. `ollama pull llama3.2`, then run again.'
            : 'Serve one (llama-server -m <file.gguf>, vllm serve <model>, or load it in LM Studio), then run again.',
      },
    );
  }
  return { name: firstInstalled.name, reason: 'first-installed', listed: firstInstalled };
}

/** Finds a model by exact name, or a bare name against its ":latest" tag. */
export function findModel(installed: readonly ModelInfo[], name: string): ModelInfo | undefined {
  return (
    installed.find((m) => m.name === name) ??
    (name.includes(':') ? undefined : installed.find((m) => m.name === `${name}:latest`))
  );
}
