/**
 * One request for a server fact: a JSON document, or why there is none. A missing endpoint, a
 * refused connection or a timeout is data (the fact is null and the reason recorded), never an
 * exception; only an outside abort throws, so a stopped run stops.
 */

/** How long one facts request may take: the server is idle and answers from memory. */
export const FACT_TIMEOUT_MS = 10_000;

/** A JSON object, or the reason it could not be read ("GET /props: HTTP 404 Not Found"). */
export type FactReply = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

export interface FactRequest {
  fetch: typeof fetch;
  headers?: Record<string, string>;
  /** POST with this JSON body; GET when absent. */
  body?: unknown;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Requests `url` and parses a JSON object; `label` names it in errors ("GET /api/ps"). */
export async function fetchFact(url: string, label: string, r: FactRequest): Promise<FactReply> {
  const timeoutMs = r.timeoutMs ?? FACT_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = r.signal === undefined ? timeout : AbortSignal.any([timeout, r.signal]);
  const headers: Record<string, string> = { accept: 'application/json', ...r.headers };
  if (r.body !== undefined) headers['content-type'] = 'application/json';
  let text: string;
  let response: Response;
  try {
    response = await r.fetch(url, {
      method: r.body === undefined ? 'GET' : 'POST',
      headers,
      ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
      signal,
    });
    text = await response.text();
  } catch (error) {
    if (r.signal?.aborted === true) throw r.signal.reason ?? error;
    if (timeout.aborted) return { ok: false, error: `${label}: no answer within ${timeoutMs} ms` };
    return { ok: false, error: `${label}: ${describeFetchError(error)}` };
  }
  if (!response.ok) {
    const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
    const said = errorMessageOf(text);
    return { ok: false, error: `${label}: ${status}${said === null ? '' : ` (${said})`}` };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      return { ok: true, value: value as Record<string, unknown> };
    }
  } catch {
    // reported below
  }
  return { ok: false, error: `${label}: the answer is not a JSON object` };
}

/** The server's own words in an error body: Ollama's {"error": text}, OpenAI's {"error": {"message"}}. */
function errorMessageOf(body: string): string | null {
  try {
    const value = (JSON.parse(body) as { error?: unknown } | null)?.error;
    const message = typeof value === 'string' ? value : (value as { message?: unknown } | undefined)?.message;
    return typeof message === 'string' && message !== '' ? message.slice(0, MAX_ERROR_CHARS) : null;
  } catch {
    return null;
  }
}

const MAX_ERROR_CHARS = 200;

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND). */
function describeFetchError(error: unknown): string {
  const cause = error instanceof Error ? (error.cause as { code?: unknown } | undefined) : undefined;
  if (typeof cause?.code === 'string') return `unreachable (${cause.code})`;
  return error instanceof Error ? error.message : String(error);
}
