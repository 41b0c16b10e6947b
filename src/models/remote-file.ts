/**
 * What the server says about a file, read from response headers. Pure.
 *
 * The Hugging Face hub answers a `/resolve/` URL of an LFS file (every GGUF) with a redirect to
 * its CDN; that redirect carries `X-Linked-Etag` (the file's LFS sha256, quoted) and
 * `X-Linked-Size` (its size), and the CDN's own ETag is something else. huggingface_hub reads
 * them the same way (file_download.py: X-Linked-Etag before ETag, X-Linked-Size before
 * Content-Length, a 64-hex etag taken as the sha256). So the redirects are followed one by one
 * and these headers collected from every hop.
 */

/** The identity and size of a remote file, as far as the headers tell. */
export interface RemoteFile {
  /** Expected size in bytes; null when no header states it. */
  sizeBytes: number | null;
  /** Lowercase hex sha256, when the server states one (X-Linked-Etag on the hub). */
  sha256: string | null;
  /** The final response's ETag, normalized; used to notice a changed file on resume. */
  etag: string | null;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** An ETag without its weak prefix and quotes (W/"abc" -> abc), or null. */
function normalizeEtag(value: string | null): string | null {
  if (value === null) return null;
  const v = value.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  return v === '' ? null : v;
}

/** A non-negative integer header value, or null. */
function parseByteCount(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** The sha256 an etag value carries, when it is one (64 lowercase hex digits). */
function sha256FromEtag(value: string | null): string | null {
  const v = normalizeEtag(value);
  return v !== null && SHA256.test(v) ? v : null;
}

/** `Content-Range: bytes <start>-<end>/<total|*>`, parsed; null when malformed. */
export function parseContentRange(
  value: string | null,
): { start: number; end: number; total: number | null } | null {
  const m = value === null ? null : /^\s*bytes\s+(\d+)-(\d+)\/(\d+|\*)\s*$/i.exec(value);
  if (m === null) return null;
  const [start, end] = [Number(m[1]), Number(m[2])];
  const total = m[3] === '*' ? null : Number(m[3]);
  if (end < start || (total !== null && end >= total)) return null;
  return { start, end, total };
}

/** Linked facts of one redirect hop: X-Linked-Etag as sha256, X-Linked-Size. */
export function parseLinkedHeaders(headers: Headers): { sha256: string | null; sizeBytes: number | null } {
  return {
    sha256: sha256FromEtag(headers.get('x-linked-etag')),
    sizeBytes: parseByteCount(headers.get('x-linked-size')),
  };
}

/**
 * The remote file from the final response and what the hops said before it: linked facts win;
 * the size then comes from Content-Range's total (206) or Content-Length (200); `etagIsSha256`
 * (the hub itself answered, no CDN between) lets a 64-hex ETag count as the sha256, as the hub's
 * ETag of an LFS file is its sha256.
 */
export function computeRemoteFile(
  linked: { sha256: string | null; sizeBytes: number | null },
  final: Headers,
  status: number,
  etagIsSha256: boolean,
): RemoteFile {
  const etag = normalizeEtag(final.get('etag'));
  const own = parseLinkedHeaders(final);
  const bodySize =
    status === 206
      ? (parseContentRange(final.get('content-range'))?.total ?? null)
      : parseByteCount(final.get('content-length'));
  return {
    sizeBytes: linked.sizeBytes ?? own.sizeBytes ?? bodySize,
    sha256: linked.sha256 ?? own.sha256 ?? (etagIsSha256 ? sha256FromEtag(etag) : null),
    etag,
  };
}
