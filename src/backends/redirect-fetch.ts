/**
 * fetch that follows redirects itself (`redirect: 'manual'`), so the API key goes only where the
 * user pointed it. fetch's own following keeps every header we set on a cross-origin hop (the
 * Fetch standard strips only its own Authorization), so a server that redirects elsewhere would
 * get the key. Here: at most MAX_REDIRECTS hops; the Authorization header goes only to the
 * configured host's origin (scheme, host and port); a hop to another origin goes without it; a
 * hop from https to http is refused; a POST is followed only by 307/308 (which keep the method
 * and body); 301/302/303 would turn it into a GET without the request, which answers nothing.
 */

/** Hops followed before giving up. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** A redirect costbench will not follow: the message says why (no key in it). */
export class RedirectRefused extends Error {
  override readonly name = 'RedirectRefused';
}

/**
 * Fetches `url`, following redirects by the rules above. `keyOrigin` is the origin the key
 * belongs to; `authorization` (the header's value) is sent only to it.
 */
export async function fetchFollowingRedirects(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit & { headers: Record<string, string> },
  keyOrigin: string,
  authorization: string | null,
): Promise<Response> {
  let target = new URL(url);
  for (let hop = 0; ; hop += 1) {
    const headers = { ...init.headers };
    if (authorization !== null && target.origin === keyOrigin) headers['authorization'] = authorization;
    const response = await fetchImpl(target.href, { ...init, headers, redirect: 'manual' });
    if (!REDIRECT_STATUSES.has(response.status)) return response;
    const location = response.headers.get('location');
    await response.body?.cancel().catch(() => undefined);
    if (location === null) throw new RedirectRefused(`HTTP ${response.status} redirect without a Location`);
    const next = new URL(location, target);
    if (hop + 1 > MAX_REDIRECTS) throw new RedirectRefused(`more than ${MAX_REDIRECTS} redirects`);
    if (target.protocol === 'https:' && next.protocol !== 'https:')
      throw new RedirectRefused(`refused a redirect from https to ${next.origin}`);
    const method = (init.method ?? 'GET').toUpperCase();
    if (method !== 'GET' && response.status !== 307 && response.status !== 308)
      throw new RedirectRefused(
        `the server answered ${method} with HTTP ${response.status} to ${next.origin}${next.pathname}, which would drop the request: point --host at that address`,
      );
    target = next;
  }
}
