/**
 * What the server a run measured was configured with, as the server itself states it, so
 * `compare` can say why two runs differ. Every fact comes from a real field of the server's
 * protocol (or, for the embedded engine, from what the engine reported after loading); a fact
 * the server does not tell is null, never a guess, and why it is null goes into `errors`.
 */

/** Which server answered: decides which endpoints were asked. */
export type ServerName = 'ollama' | 'llama.cpp' | 'vllm' | 'lmstudio' | 'openai-compatible' | 'embedded';

/** A setting's value as the server stated it. */
export type ServerSetting = string | number | boolean | null;

/** The server's configuration for one model. null: the server did not tell. */
export interface ServerFacts {
  server: ServerName;
  /** The server's own version (Ollama /api/version, llama.cpp build_info, vLLM /version, node-llama-cpp). */
  version: string | null;
  /** The llama.cpp build underneath, where it is named apart from `version` (the engine's release). */
  build: string | null;
  /** Tokens of context the server serves this model with (per sequence/slot where the server splits it). */
  contextLength: number | null;
  /** Tokens of context the model supports at most (its trained or configured maximum), as stated. */
  maxModelLength: number | null;
  /** Sequences the server generates in parallel (llama.cpp total_slots, the engine's sequences). */
  slots: number | null;
  /** Where the model runs: "100% GPU", "100% CPU", "48%/52% CPU/GPU" (Ollama), "20/29 layers on GPU". */
  placement: string | null;
  /** Anything else the server tells, under the server's own field names. */
  settings: Record<string, ServerSetting>;
  /** What could not be read, and why; empty when every endpoint of this server answered. */
  errors: string[];
}

/** Facts with nothing known yet. */
export function emptyServerFacts(server: ServerName): ServerFacts {
  return {
    server,
    version: null,
    build: null,
    contextLength: null,
    maxModelLength: null,
    slots: null,
    placement: null,
    settings: {},
    errors: [],
  };
}

/**
 * Where a loaded model runs, from Ollama's /api/ps `size` and `size_vram`, exactly as `ollama ps`
 * prints it (cmd.ListRunningHandler): "100% CPU", "100% GPU", or "<cpu>%/<gpu>% CPU/GPU" with the
 * CPU share rounded; null where `ollama ps` says "Unknown" or a size is missing. Pure.
 */
export function formatOllamaPlacement(sizeBytes: number | null, sizeVramBytes: number | null): string | null {
  if (sizeBytes === null || sizeVramBytes === null) return null;
  if (sizeVramBytes === 0) return '100% CPU';
  if (sizeVramBytes === sizeBytes) return '100% GPU';
  if (sizeVramBytes > sizeBytes || sizeBytes === 0) return null;
  const cpuPercent = Math.round(((sizeBytes - sizeVramBytes) / sizeBytes) * 100);
  return `${cpuPercent}%/${100 - cpuPercent}% CPU/GPU`;
}

/** A number as the protocol sends it, else null. */
export function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A scalar a setting can hold; objects and arrays are not settings (null). */
export function settingOf(value: unknown): ServerSetting | undefined {
  if (value === null) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  return numberOrNull(value) ?? undefined;
}

/** Copies the named scalar fields of `from` that are present into `to`, under the same names. */
export function copySettings(
  to: Record<string, ServerSetting>,
  from: Record<string, unknown>,
  names: readonly string[],
): void {
  for (const name of names) {
    const value = settingOf(from[name]);
    if (value !== undefined) to[name] = value;
  }
}
