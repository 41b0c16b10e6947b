import { fetchFollowingRedirects } from './redirect-fetch.js';

/**
 * fetch that follows redirects itself (redirect-fetch.ts): the Authorization header a caller
 * sets goes only to the origin of `host` (the configured server), never to another one a
 * redirect names.
 */
export function keyGuardedFetch(base: typeof fetch, host: string): typeof fetch {
  const keyOrigin = originOf(host);
  return (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const authorization = headers['authorization'] ?? null;
    delete headers['authorization'];
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return fetchFollowingRedirects(base, url, { ...init, headers }, keyOrigin, authorization);
  };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
