/**
 * The sidecar of a partial download (`<model>.part.json` next to `<model>.part`): what the part
 * file is a prefix of, so a later run resumes only the same file. It never holds a token.
 */

/** What a `.part` file is a prefix of. */
export interface PartRecord {
  /** The URL the download started from (before redirects). */
  url: string;
  sizeBytes: number | null;
  sha256: string | null;
  etag: string | null;
}

const nullableString = (v: unknown): v is string | null => v === null || typeof v === 'string';

/** Parses a sidecar; null when it is not one (a damaged sidecar means: start again). */
export function parsePartRecord(text: string): PartRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  const size = r['sizeBytes'];
  const sizeOk = size === null || (typeof size === 'number' && Number.isSafeInteger(size) && size >= 0);
  if (typeof r['url'] !== 'string' || !sizeOk) {
    return null;
  }
  if (!nullableString(r['sha256']) || !nullableString(r['etag'])) return null;
  return { url: r['url'], sizeBytes: size, sha256: r['sha256'], etag: r['etag'] };
}

/** The sidecar's text. */
export function formatPartRecord(record: PartRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}

/**
 * Whether a part recorded as `before` is a prefix of the file now described as `now`: a stated
 * sha256, size or ETag that changed means the file changed, and the part must be thrown away.
 */
export function isSameRemoteFile(before: PartRecord, now: Omit<PartRecord, 'url'>): boolean {
  if (before.sha256 !== null && now.sha256 !== null) return before.sha256 === now.sha256;
  if (before.sizeBytes !== null && now.sizeBytes !== null && before.sizeBytes !== now.sizeBytes) return false;
  if (before.etag !== null && now.etag !== null) return before.etag === now.etag;
  return true;
}
