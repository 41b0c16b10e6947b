/**
 * Pure readers of what OpenAI-compatible servers say about their configuration, each from the
 * server's documented fields: llama.cpp's GET /props and /v1/models `meta`, vLLM's /v1/models
 * `max_model_len`, LM Studio's GET /api/v1/models (0.4.0+) and GET /api/v0/models/{model}.
 */
import { copySettings, numberOrNull, type ServerFacts } from './server-facts.js';

/** llama.cpp's default sampling settings worth comparing, under their /props names. */
const LLAMA_CPP_SETTINGS = [
  'n_predict',
  'seed',
  'temperature',
  'top_k',
  'top_p',
  'min_p',
  'typical_p',
  'repeat_last_n',
  'repeat_penalty',
  'presence_penalty',
  'frequency_penalty',
] as const;

/** LM Studio's loaded-instance config fields (/api/v1/models loaded_instances[].config). */
const LM_STUDIO_CONFIG = [
  'eval_batch_size',
  'flash_attention',
  'num_experts',
  'offload_kv_cache_to_gpu',
] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/**
 * llama.cpp GET /props into `facts`: build_info (version), default_generation_settings.n_ctx (the
 * context of one slot), total_slots, model_path, and the default sampling settings, which newer
 * builds nest under default_generation_settings.params and older ones put beside n_ctx.
 */
export function readLlamaCppProps(facts: ServerFacts, props: Record<string, unknown>): void {
  facts.version = typeof props['build_info'] === 'string' ? props['build_info'] : null;
  const defaults = isRecord(props['default_generation_settings']) ? props['default_generation_settings'] : {};
  facts.contextLength = numberOrNull(defaults['n_ctx']);
  facts.slots = numberOrNull(props['total_slots']);
  copySettings(facts.settings, defaults, ['n_ctx']);
  copySettings(facts.settings, props, ['model_path']);
  const sampling = isRecord(defaults['params']) ? defaults['params'] : defaults;
  copySettings(facts.settings, sampling, LLAMA_CPP_SETTINGS);
  if (facts.contextLength === null) facts.errors.push('GET /props: no default_generation_settings.n_ctx');
  if (facts.slots === null) facts.errors.push('GET /props: no total_slots');
}

/**
 * The /v1/models entry of `model`. llama-server lists its one model under its path or alias,
 * whatever name requests use: with `onlyModel`, a single entry is that model.
 */
export function findModelEntry(
  list: Record<string, unknown>,
  model: string,
  onlyModel: boolean,
): Record<string, unknown> | null {
  const data = records(list['data']);
  const exact = data.find((m) => m['id'] === model);
  if (exact !== undefined) return exact;
  return onlyModel && data.length === 1 ? (data[0] ?? null) : null;
}

/** llama.cpp /v1/models meta.n_ctx_train: the context the model was trained with. */
export function readLlamaCppModel(facts: ServerFacts, entry: Record<string, unknown>): void {
  const meta = isRecord(entry['meta']) ? entry['meta'] : {};
  facts.maxModelLength = numberOrNull(meta['n_ctx_train']);
  if (facts.maxModelLength === null) facts.errors.push('GET /v1/models: no meta.n_ctx_train');
}

/** vLLM /v1/models max_model_len: the context vLLM serves with (--max-model-len, else the model's). */
export function readVllmModel(facts: ServerFacts, entry: Record<string, unknown>): void {
  facts.contextLength = numberOrNull(entry['max_model_len']);
  if (typeof entry['root'] === 'string') facts.settings['root'] = entry['root'];
  if (facts.contextLength === null) facts.errors.push('GET /v1/models: no max_model_len');
}

/**
 * LM Studio GET /api/v1/models: the model (by key, or by a loaded instance's id), its
 * max_context_length, and the config of the instance requests reach (the one whose id is
 * `model`, else the first): context_length and the load settings.
 */
export function readLmStudioV1(facts: ServerFacts, list: Record<string, unknown>, model: string): void {
  const models = records(list['models']);
  const instancesOf = (m: Record<string, unknown>) => records(m['loaded_instances']);
  const entry =
    models.find((m) => m['key'] === model) ??
    models.find((m) => instancesOf(m).some((i) => i['id'] === model));
  if (entry === undefined) {
    facts.errors.push(`GET /api/v1/models: ${model} is not listed`);
    return;
  }
  facts.maxModelLength = numberOrNull(entry['max_context_length']);
  const instances = instancesOf(entry);
  facts.settings['loaded_instances'] = instances.length;
  const instance = instances.find((i) => i['id'] === model) ?? instances[0];
  if (instance === undefined) {
    facts.errors.push(`GET /api/v1/models: ${model} is not loaded (read the facts after the warm-up)`);
    return;
  }
  const config = isRecord(instance['config']) ? instance['config'] : {};
  facts.contextLength = numberOrNull(config['context_length']);
  copySettings(facts.settings, config, LM_STUDIO_CONFIG);
}

/** LM Studio GET /api/v0/models/{model} (before 0.4.0): max_context_length and state, no loaded context. */
export function readLmStudioV0(facts: ServerFacts, entry: Record<string, unknown>): void {
  facts.maxModelLength = numberOrNull(entry['max_context_length']);
  copySettings(facts.settings, entry, ['state']);
}
