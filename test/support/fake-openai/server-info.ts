/**
 * What each imitated server says about itself, in its own shapes: llama.cpp's GET /props (the
 * tools/server README's shape: default_generation_settings with n_ctx and params, total_slots,
 * model_path, build_info), vLLM's GET /version, LM Studio's GET /api/v1/models (0.4.0+) and
 * GET /api/v0/models[/{model}] (0.3.6+). Paths a flavor lacks answer 404 in server.ts.
 */
import type { ResolvedOptions } from './generation.js';

/** llama-server's default sampling, as /props reports it (floats as the C++ float they are). */
const LLAMA_CPP_PARAMS = {
  n_predict: -1,
  seed: 4_294_967_295,
  temperature: 0.800000011920929,
  top_k: 40,
  top_p: 0.949999988079071,
  min_p: 0.05000000074505806,
  typical_p: 1.0,
  repeat_last_n: 64,
  repeat_penalty: 1.0,
  presence_penalty: 0.0,
  frequency_penalty: 0.0,
  max_tokens: -1,
  n_keep: 0,
  stream: true,
  samplers: ['top_k', 'typ_p', 'top_p', 'min_p', 'temperature'],
};

/** Slots llama-server runs (-np); 1 when the fake sets no limit. */
export function totalSlots(o: ResolvedOptions): number {
  return o.parallel > 0 ? o.parallel : 1;
}

/** GET /props (llama.cpp). */
export function propsPayload(o: ResolvedOptions): Record<string, unknown> {
  return {
    default_generation_settings: {
      id: 0,
      id_task: -1,
      n_ctx: o.nCtx,
      speculative: false,
      is_processing: false,
      params: LLAMA_CPP_PARAMS,
    },
    total_slots: totalSlots(o),
    model_path: `/models/${o.models[0] ?? 'model'}.gguf`,
    chat_template: '{{ messages }}',
    modalities: { vision: false },
    build_info: o.version,
    is_sleeping: false,
  };
}

/** One model of LM Studio's GET /api/v1/models, loaded with context nCtx. */
function lmStudioV1Model(o: ResolvedOptions, key: string): Record<string, unknown> {
  return {
    type: 'llm',
    publisher: 'lmstudio-community',
    key,
    display_name: key,
    architecture: 'qwen2',
    quantization: { name: 'Q4_K_M', bits_per_weight: 4 },
    size_bytes: 4_683_073_536,
    params_string: '7B',
    loaded_instances: [
      {
        id: key,
        config: {
          context_length: o.nCtx,
          eval_batch_size: 512,
          flash_attention: false,
          offload_kv_cache_to_gpu: true,
        },
      },
    ],
    max_context_length: o.maxContextLength,
    format: 'gguf',
    capabilities: { vision: false, trained_for_tool_use: true },
    description: null,
  };
}

/** GET /api/v1/models (LM Studio 0.4.0+). */
export function lmStudioV1ModelsPayload(o: ResolvedOptions): Record<string, unknown> {
  return { models: o.models.map((key) => lmStudioV1Model(o, key)) };
}

/** One model of LM Studio's GET /api/v0/models, or GET /api/v0/models/{model}. */
export function lmStudioV0Model(o: ResolvedOptions, id: string): Record<string, unknown> {
  return {
    id,
    object: 'model',
    type: 'llm',
    publisher: 'lmstudio-community',
    arch: 'qwen2',
    compatibility_type: 'gguf',
    quantization: 'Q4_K_M',
    state: 'loaded',
    max_context_length: o.maxContextLength,
  };
}
