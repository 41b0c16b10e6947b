/**
 * How long a server asks a client to wait (429 Too Many Requests, 503): `retry-after-ms`
 * (OpenAI and Azure send it), else `Retry-After` as seconds or an HTTP-date (RFC 9110 10.2.3).
 * Pure: the HTTP-date is measured against the `nowMs` wall clock the caller passes.
 */

/** The wait asked for, in ms (never negative); null when no header says, or none parses. */
export function parseRetryAfterMs(
  headers: { get(name: string): string | null },
  nowMs: number,
): number | null {
  const ms = headers.get('retry-after-ms')?.trim();
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms)) return boundedWait(Number(ms));
  const value = headers.get('retry-after')?.trim();
  if (value === undefined || value === '') return null;
  if (/^\d+(\.\d+)?$/.test(value)) return boundedWait(Number(value) * 1000);
  // An HTTP-date names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"); "-3" is no date.
  if (!/[a-z]/i.test(value)) return null;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

function boundedWait(ms: number): number | null {
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}
