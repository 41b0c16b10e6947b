/**
 * What goes to an OpenAI-compatible server and what comes back about its models: the chat
 * request body in OpenAI's names, and ModelInfo from a /models entry and llama.cpp's /props.
 */
import type { ChatRequest, ModelInfo } from './backend.js';
import { isRecord } from './openai-sse.js';

/** The request body: costbench's options in OpenAI's names. numCtx has no OpenAI equivalent and is not sent. */
export function toRequestBody(
  request: ChatRequest,
  maxTokensField: 'max_tokens' | 'max_completion_tokens' = 'max_tokens',
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model: request.model,
    messages: request.messages,
    stream: true,
    stream_options: { include_usage: true },
  };
  const { temperature, seed, numPredict } = request.options;
  if (temperature !== undefined) body['temperature'] = temperature;
  if (seed !== undefined) body['seed'] = seed;
  if (numPredict !== undefined && numPredict > 0) body[maxTokensField] = numPredict;
  if (request.format === 'json') body['response_format'] = { type: 'json_object' };
  else if (request.format !== undefined) {
    body['response_format'] = {
      type: 'json_schema',
      json_schema: { name: 'answer', schema: request.format, strict: true },
    };
  }
  return body;
}

export function fromModelEntry(entry: Record<string, unknown>): ModelInfo {
  // llama.cpp adds `meta` (n_params, size, n_ctx_train); vLLM adds max_model_len.
  const meta = isRecord(entry['meta']) ? entry['meta'] : {};
  return {
    name: String(entry['id']),
    digest: null,
    family: null,
    parameterSize: null,
    parameterCount: numberOrNull(meta['n_params']),
    quantization: null,
    contextLength: numberOrNull(entry['max_model_len']) ?? numberOrNull(meta['n_ctx_train']),
    sizeBytes: numberOrNull(meta['size']),
    architecture: null,
  };
}

export function withProps(model: ModelInfo, props: Record<string, unknown>): ModelInfo {
  const settings = isRecord(props['default_generation_settings']) ? props['default_generation_settings'] : {};
  const nCtx = numberOrNull(settings['n_ctx']) ?? numberOrNull(props['n_ctx']);
  return { ...model, contextLength: nCtx ?? model.contextLength };
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
