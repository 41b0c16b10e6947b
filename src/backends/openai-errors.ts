import { BackendError, BackendUnreachableError, type CostbenchError } from '../errors.js';
import { causeCode, type ClassifiedError } from './ollama-errors.js';
import { isRecord, parseErrorObject } from './openai-sse.js';

export type { ClassifiedError } from './ollama-errors.js';

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** How to start an OpenAI-compatible server, for the hint of every "unreachable" error. */
export const START_OPENAI_HINT =
  'Start the server (`llama-server -m model.gguf --port 8080`, `vllm serve <model> --port 8000`, or LM Studio: ' +
  'Developer tab > Start Server, or `lms server start`) and point --host at its base URL ending in /v1.';

/** Replaces every occurrence of the API key, so a server that echoes it cannot leak it into a row or the terminal. */
export function redactKey(text: string, apiKey: string | null): string {
  return apiKey === null || apiKey === '' ? text : text.split(apiKey).join('[redacted]');
}

/** The message of an HTTP error body: OpenAI's `{"error": {...}}`, vLLM's flat form, or plain text. */
export function parseErrorText(status: number, statusText: string, body: string): string {
  const trimmed = body.trim();
  try {
    const value: unknown = JSON.parse(trimmed);
    if (isRecord(value)) {
      const parsed = parseErrorObject(value);
      if (parsed !== null) return parsed.message;
      if (typeof value['message'] === 'string') return value['message'];
    }
  } catch {
    // not JSON: the text itself is the message
  }
  const firstLine = trimmed.split('\n')[0] ?? '';
  return firstLine === '' ? `${status} ${statusText}`.trim() : firstLine;
}

/** An HTTP status with its body, as a classified failure. */
export function classifyHttpError(
  status: number,
  statusText: string,
  body: string,
  apiKey: string | null,
): ClassifiedError {
  const message = redactKey(parseErrorText(status, statusText, body), apiKey);
  return { kind: 'http', message: `HTTP ${status}: ${message}`, status };
}

/** An `{"error": ...}` event inside a 200 stream. */
export function classifyStreamError(message: string, apiKey: string | null): ClassifiedError {
  return {
    kind: 'stream',
    message: `server error in stream: ${redactKey(message, apiKey).split('\n')[0] ?? ''}`,
    status: null,
  };
}

/**
 * Classifies what fetch or the body reader can throw. `reason` says why our own signal fired,
 * when it did: that wins over whatever error the abort surfaced as.
 */
export function classifyOpenAiError(
  error: unknown,
  host: string,
  reason?: 'timeout' | 'aborted',
): ClassifiedError {
  if (reason !== undefined) {
    return {
      kind: reason,
      message: reason === 'timeout' ? 'request timed out' : 'request aborted',
      status: null,
    };
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const code = causeCode(err);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return {
      kind: 'unreachable',
      message: `cannot reach the OpenAI-compatible server at ${host} (${code})`,
      status: null,
    };
  }
  if (err.message === 'terminated' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') {
    return { kind: 'stream', message: 'connection closed by the server mid-response', status: null };
  }
  if (err.name === 'AbortError') return { kind: 'aborted', message: 'request aborted', status: null };
  if (err.message === 'fetch failed') {
    const detail = code ?? (err.cause instanceof Error ? err.cause.message : 'connection failed');
    return {
      kind: 'unreachable',
      message: `cannot reach the OpenAI-compatible server at ${host} (${detail})`,
      status: null,
    };
  }
  return { kind: 'stream', message: `stream failed: ${err.message.split('\n')[0] ?? ''}`, status: null };
}

/** Turns a classified failure of a non-generation call (models, props) into a CostbenchError. */
export function toOpenAiCostbenchError(
  classified: ClassifiedError,
  host: string,
  auth: { keySent: boolean; env: string } = { keySent: false, env: 'COSTBENCH_API_KEY' },
): CostbenchError {
  if (classified.kind === 'unreachable')
    return new BackendUnreachableError(classified.message, START_OPENAI_HINT);
  const refusedAuth = classified.status === 401 || classified.status === 403;
  const hint = !refusedAuth
    ? 'Check the server log, the model name (GET /v1/models lists them) and the API key.'
    : auth.keySent
      ? `The server refused the key in $${auth.env}: check it against the server's --api-key.`
      : `The server wants an API key: export ${auth.env}=<key> (backend.apiKeyEnv names another variable).`;
  return new BackendError(`the OpenAI-compatible server at ${host} refused: ${classified.message}`, {
    status: classified.status ?? undefined,
    hint,
  });
}
