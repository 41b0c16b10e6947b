import { BackendError, BackendUnreachableError, type CostbenchError } from '../errors.js';

/** What went wrong with a call to Ollama, as data. */
export interface ClassifiedError {
  kind: 'unreachable' | 'http' | 'stream' | 'timeout' | 'aborted';
  /** One line, fit for a request row and for the terminal. */
  message: string;
  status: number | null;
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** How to start Ollama, for the hint of every "unreachable" error. */
export const START_OLLAMA_HINT =
  'Start Ollama with `ollama serve` (or the desktop app), or point --host / OLLAMA_HOST at a running server.';

/**
 * Classifies anything the ollama client can throw: fetch failures (connection refused, reset),
 * ResponseError (status + Ollama's {"error"} text), errors read from the stream, and aborts.
 * `reason` says why our own signal fired, when it did.
 */
export function classifyOllamaError(
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
  const withStatus = err as Error & { status_code?: unknown; error?: unknown };
  if (err.name === 'ResponseError' && typeof withStatus.status_code === 'number') {
    const text = typeof withStatus.error === 'string' ? withStatus.error : err.message;
    return {
      kind: 'http',
      message: `HTTP ${withStatus.status_code}: ${text}`,
      status: withStatus.status_code,
    };
  }
  const code = causeCode(err);
  if (code !== undefined && UNREACHABLE_CODES.has(code)) {
    return { kind: 'unreachable', message: `cannot reach Ollama at ${host} (${code})`, status: null };
  }
  if (err.message === 'terminated' || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET') {
    return { kind: 'stream', message: 'connection closed by the server mid-response', status: null };
  }
  if (err.name === 'AbortError') return { kind: 'aborted', message: 'request aborted', status: null };
  if (err.message === 'fetch failed') {
    const detail = code ?? (err.cause instanceof Error ? err.cause.message : 'connection failed');
    return { kind: 'unreachable', message: `cannot reach Ollama at ${host} (${detail})`, status: null };
  }
  if (err.message.startsWith('Did not receive done')) {
    return { kind: 'stream', message: 'stream ended before the final (done) chunk', status: null };
  }
  return {
    kind: 'stream',
    message: `server error in stream: ${err.message.split('\n')[0] ?? ''}`,
    status: null,
  };
}

/** Turns a classified failure of a non-generation call (list, show, ps, version) into a CostbenchError. */
export function toCostbenchError(classified: ClassifiedError, host: string): CostbenchError {
  if (classified.kind === 'unreachable') {
    return new BackendUnreachableError(classified.message, START_OLLAMA_HINT);
  }
  return new BackendError(`Ollama at ${host} refused: ${classified.message}`, {
    status: classified.status ?? undefined,
    hint: 'Check the Ollama server log (`journalctl -u ollama` or ~/.ollama/logs/server.log).',
  });
}

/** The first string `code` on an error or its causes (undici nests the socket error's code). */
export function causeCode(error: Error): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}
