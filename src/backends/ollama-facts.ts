/**
 * Ollama's configuration for one model: GET /api/version (version), GET /api/ps (the context it
 * loaded the model with, where it runs), POST /api/show (the model's trained context, the
 * Modelfile's parameters). Ollama does not report OLLAMA_NUM_PARALLEL: slots stay null.
 */
import { fetchFact, type FactReply } from './fact-fetch.js';
import {
  emptyServerFacts,
  formatOllamaPlacement,
  numberOrNull,
  type ServerFacts,
  type ServerSetting,
} from './server-facts.js';

/** `llama3.2` means `llama3.2:latest`, as Ollama reads a name. */
function withTag(name: string): string {
  const last = name.slice(name.lastIndexOf('/') + 1);
  return last.includes(':') ? name : `${name}:latest`;
}

/** The /api/ps entry of `model`, matched by name or model with Ollama's default tag. */
function findRunning(ps: Record<string, unknown>, model: string): Record<string, unknown> | null {
  const models = Array.isArray(ps['models']) ? ps['models'] : [];
  const wanted = withTag(model);
  for (const m of models) {
    if (typeof m !== 'object' || m === null) continue;
    const entry = m as Record<string, unknown>;
    const names = [entry['name'], entry['model']].filter((n): n is string => typeof n === 'string');
    if (names.some((n) => withTag(n) === wanted)) return entry;
  }
  return null;
}

/**
 * /api/show `parameters`: one `key value` per line, as the Modelfile set them (`num_ctx 8192`,
 * `stop "<|user|>"`). Numbers become numbers; a key given twice (stop) keeps its values joined
 * by ", ". Pure.
 */
export function parseOllamaParameters(text: string): Record<string, ServerSetting> {
  const out: Record<string, ServerSetting> = {};
  for (const line of text.split('\n')) {
    const match = /^(\S+)\s+(.+)$/.exec(line.trim());
    if (match === null) continue;
    const [, key = '', raw = ''] = match;
    const value = /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw.replace(/^"(.*)"$/, '$1');
    const before = out[key];
    out[key] = before === undefined ? value : `${String(before)}, ${String(value)}`;
  }
  return out;
}

/** The three replies, as facts about `model`. Pure. */
export function parseOllamaFacts(
  model: string,
  version: FactReply,
  ps: FactReply,
  show: FactReply,
): ServerFacts {
  const facts = emptyServerFacts('ollama');
  if (!version.ok) facts.errors.push(version.error);
  else if (typeof version.value['version'] === 'string') facts.version = version.value['version'];
  if (!ps.ok) facts.errors.push(ps.error);
  else readRunning(facts, model, ps.value);
  if (!show.ok) facts.errors.push(show.error);
  else readShow(facts, show.value);
  return facts;
}

function readRunning(facts: ServerFacts, model: string, ps: Record<string, unknown>): void {
  const running = findRunning(ps, model);
  if (running === null) {
    facts.errors.push(`GET /api/ps: ${model} is not loaded (read the facts after the warm-up)`);
    return;
  }
  const size = numberOrNull(running['size']);
  const sizeVram = numberOrNull(running['size_vram']);
  facts.placement = formatOllamaPlacement(size, sizeVram);
  if (size !== null) facts.settings['size'] = size;
  if (sizeVram !== null) facts.settings['size_vram'] = sizeVram;
  facts.contextLength = numberOrNull(running['context_length']);
  if (facts.contextLength === null) {
    facts.errors.push('GET /api/ps: no context_length (this Ollama version does not report it)');
  }
}

function readShow(facts: ServerFacts, show: Record<string, unknown>): void {
  const info = isRecord(show['model_info']) ? show['model_info'] : {};
  const arch = info['general.architecture'];
  facts.maxModelLength = typeof arch === 'string' ? numberOrNull(info[`${arch}.context_length`]) : null;
  if (facts.maxModelLength === null) {
    facts.errors.push('POST /api/show: model_info has no <arch>.context_length');
  }
  const details = isRecord(show['details']) ? show['details'] : {};
  if (typeof details['quantization_level'] === 'string') {
    facts.settings['quantization_level'] = details['quantization_level'];
  }
  if (typeof show['parameters'] === 'string') {
    Object.assign(facts.settings, parseOllamaParameters(show['parameters']));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Asks Ollama at `host` about `model`; call it after the warm-up, while the model is loaded. */
export async function readOllamaFacts(
  host: string,
  model: string,
  fetchImpl: typeof fetch,
  signal?: AbortSignal,
): Promise<ServerFacts> {
  const base = host.replace(/\/+$/, '');
  const r = { fetch: fetchImpl, ...(signal === undefined ? {} : { signal }) };
  const [version, ps, show] = await Promise.all([
    fetchFact(`${base}/api/version`, 'GET /api/version', r),
    fetchFact(`${base}/api/ps`, 'GET /api/ps', r),
    fetchFact(`${base}/api/show`, 'POST /api/show', { ...r, body: { model } }),
  ]);
  return parseOllamaFacts(model, version, ps, show);
}
