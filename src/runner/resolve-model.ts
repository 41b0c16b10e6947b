import type { Backend, ModelInfo } from '../backends/backend.js';
import { BackendError } from '../errors.js';

/** The model a run will measure, and why that one. */
export interface ResolvedModel {
  name: string;
  reason: 'requested' | 'loaded' | 'first-installed';
  /** The model as /api/tags lists it (digest, size on disk), when it is listed. */
  listed: ModelInfo | null;
}

/**
 * Picks the model: the one asked for (a bare name matches "name:latest"), else the one Ollama
 * has loaded, else the first installed. An unknown model lists the installed ones.
 */
export async function resolveModel(backend: Backend, requested: string | null): Promise<ResolvedModel> {
  const installed = await backend.listModels();
  if (requested !== null) {
    const match = findModel(installed, requested);
    if (match === undefined) {
      const names = installed.map((m) => m.name);
      throw new BackendError(`model "${requested}" is not installed on ${backend.host}`, {
        status: 404,
        hint: names.length > 0 ? `Installed: ${names.join(', ')}. Or fetch it: ollama pull ${requested}` : `Nothing is installed. Fetch it: ollama pull ${requested}`,
      });
    }
    return { name: match.name, reason: 'requested', listed: match };
  }
  const loaded = await backend.loadedModels();
  const first = loaded[0];
  if (first !== undefined) return { name: first.name, reason: 'loaded', listed: findModel(installed, first.name) ?? null };
  const firstInstalled = installed[0];
  if (firstInstalled === undefined) {
    throw new BackendError(`no models are installed on ${backend.host}`, { hint: 'Fetch one, e.g. `ollama pull llama3.2`, then run again.' });
  }
  return { name: firstInstalled.name, reason: 'first-installed', listed: firstInstalled };
}

/** Finds a model by exact name, or a bare name against its ":latest" tag. */
export function findModel(installed: readonly ModelInfo[], name: string): ModelInfo | undefined {
  return installed.find((m) => m.name === name) ?? (name.includes(':') ? undefined : installed.find((m) => m.name === `${name}:latest`));
}
