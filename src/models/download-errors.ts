/**
 * One-line download errors (exit 8): no network, HTTP refusals, interruptions, mismatches, an
 * unwritable cache. Pure: they only describe what happened.
 */
import { ModelDownloadError, describeError } from '../errors.js';

/** Connection-level failures: nothing answered (offline, DNS, refused, unreachable). */
const NO_NETWORK_CODES: Readonly<Record<string, string>> = {
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EAI_NONAME: 'host not found',
  ECONNREFUSED: 'connection refused',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ENETDOWN: 'network down',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

/** The first `code` along an error's cause chain (and AggregateError members), if any. */
function findErrorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current !== null && typeof current === 'object'; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const members = (current as { errors?: unknown }).errors;
    if (Array.isArray(members) && members.length > 0) {
      current = members[0];
      continue;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** A fetch failure before any response: "no network" when the code says so, else null. */
export function describeNoNetwork(error: unknown): string | null {
  const code = findErrorCode(error);
  if (code === null) return null;
  const what = NO_NETWORK_CODES[code];
  return what === undefined ? null : `${what}, ${code}`;
}

const RESUME_HINT = 'Run the same command again: the download resumes where it stopped.';

/** No response at all. */
export function noNetworkError(
  url: string,
  reason: string,
  cacheDir: string,
  cause: unknown,
): ModelDownloadError {
  return new ModelDownloadError(
    `cannot download ${url}: no network (${reason})`,
    'Connect and run again, or pass a local GGUF path; ' +
      `a model downloaded once is used from ${cacheDir} offline.`,
    cause,
  );
}

/** A response that is not the file. */
export function httpError(url: string, status: number, statusText: string): ModelDownloadError {
  const hint =
    status === 401 || status === 403
      ? 'A gated or private model: accept its terms on the model page and set HF_TOKEN to a read token.'
      : status === 404
        ? 'Check the user, repo, file name and revision (names are case-sensitive).'
        : 'Try again later; the server may be busy.';
  const text = statusText === '' ? '' : ` ${statusText}`;
  return new ModelDownloadError(`cannot download ${url}: HTTP ${status}${text}`, hint);
}

/** Stopped mid-body: dropped connection, stall, Ctrl-C. The part file is kept. */
export function interruptedError(
  url: string,
  how: string,
  receivedBytes: number,
  totalBytes: number | null,
  cause?: unknown,
): ModelDownloadError {
  const of = totalBytes === null ? '' : ` of ${totalBytes}`;
  const message = `download of ${url} ${how} at ${receivedBytes}${of} bytes; the part is kept`;
  return new ModelDownloadError(message, RESUME_HINT, cause);
}

/** The bytes are not the file the server described. The part file is deleted. */
export function mismatchError(url: string, what: string): ModelDownloadError {
  return new ModelDownloadError(
    `download of ${url} failed its check: ${what}; the partial file was deleted`,
    'Run again to download it afresh; if it fails again, the server is serving a damaged file.',
  );
}

/** The cache directory or a file in it cannot be written. */
export function cacheWriteError(path: string, error: unknown): ModelDownloadError {
  return new ModelDownloadError(
    `cannot write the model cache at ${path}: ${describeError(error)}`,
    'Free disk space or fix the directory, or choose another cache with COSTBENCH_MODEL_CACHE.',
    error,
  );
}
