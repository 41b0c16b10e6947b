/**
 * One download request: GET with redirects followed by hand, so the hub's X-Linked-* headers on
 * its redirect are seen, and an Authorization header goes only to the origin it is meant for
 * (huggingface_hub likewise drops it when the CDN is another host). An idle watchdog aborts a
 * request that gets no headers, or no body bytes, for too long.
 */
import { ModelDownloadError } from '../errors.js';
import { parseLinkedHeaders } from './remote-file.js';

/** Where to download from, and the credential for one origin. */
export interface DownloadSource {
  url: string;
  /** An `Authorization` header value (never stored, never printed), sent only to `hubOrigin`. */
  authorization: string | null;
  /**
   * The Hugging Face hub's origin when the URL is on it (else null): the only origin that gets
   * the Authorization header, and the only one whose own 64-hex ETag is taken as the sha256.
   */
  hubOrigin: string | null;
}

/** A response to the last hop, and what the hops before it said. */
export interface OpenedResponse {
  response: Response;
  finalUrl: string;
  linked: { sha256: string | null; sizeBytes: number | null };
}

const MAX_REDIRECTS = 10;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Aborts `controller` when `poke()` has not been called for `ms`. */
export class IdleWatchdog {
  fired = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly ms: number,
    private readonly controller: AbortController,
  ) {
    this.poke();
  }

  poke(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.fired = true;
      this.controller.abort(new Error(`no data for ${this.ms} ms`));
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

function requestHeaders(source: DownloadSource, url: URL, rangeStart: number): Record<string, string> {
  // identity: the Content-Length is then the file's size, and a Range means bytes of the file.
  const headers: Record<string, string> = { 'Accept-Encoding': 'identity' };
  if (rangeStart > 0) headers['Range'] = `bytes=${rangeStart}-`;
  if (source.authorization !== null && url.origin === source.hubOrigin) {
    headers['Authorization'] = source.authorization;
  }
  return headers;
}

/** GETs `source.url` from byte `rangeStart`, following redirects by hand. */
export async function openResponse(
  source: DownloadSource,
  rangeStart: number,
  fetchImpl: typeof fetch,
  signal: AbortSignal,
  onHop: () => void,
): Promise<OpenedResponse> {
  let url = new URL(source.url);
  const linked: OpenedResponse['linked'] = { sha256: null, sizeBytes: null };
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const headers = requestHeaders(source, url, rangeStart);
    const response = await fetchImpl(url, { headers, redirect: 'manual', signal });
    onHop();
    const location = response.headers.get('location');
    if (!REDIRECTS.has(response.status) || location === null) return { response, finalUrl: url.href, linked };
    const facts = parseLinkedHeaders(response.headers);
    linked.sha256 ??= facts.sha256;
    linked.sizeBytes ??= facts.sizeBytes;
    await response.body?.cancel().catch(() => undefined);
    url = nextUrl(source.url, url, location);
  }
  throw new ModelDownloadError(
    `cannot download ${source.url}: more than ${MAX_REDIRECTS} redirects`,
    'Check the URL in a browser.',
  );
}

function nextUrl(original: string, current: URL, location: string): URL {
  const next = new URL(location, current);
  const local = next.protocol === 'http:' && LOCAL_HOSTS.has(next.hostname);
  if (next.protocol === 'https:' || local) return next;
  throw new ModelDownloadError(
    `cannot download ${original}: redirected to ${next.protocol}//${next.host}, which is not https`,
    'costbench downloads models over https only (http only from 127.0.0.1 / localhost).',
  );
}
