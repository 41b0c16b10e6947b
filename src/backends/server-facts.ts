import type { ServerName, ServerSetting, ServerFacts } from '../types/server-facts.js';
export type { ServerName, ServerSetting, ServerFacts } from '../types/server-facts.js';
/**
 * What the server a run measured was configured with, as the server itself states it, so
 * `compare` can say why two runs differ. Every fact comes from a real field of the server's
 * protocol (or, for the embedded engine, from what the engine reported after loading); a fact
 * the server does not tell is null, never a guess, and why it is null goes into `errors`.
 */

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
