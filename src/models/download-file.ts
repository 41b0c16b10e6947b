/**
 * Downloads one file into the cache: streamed to `<final>.part` with a sidecar saying what it is
 * a prefix of, resumed with a Range request when a part is there (and started afresh when the
 * server ignores the range or the file changed), checked (size always; sha256 when the server
 * states one), then renamed into place: the final path only ever holds a complete, checked file.
 * An interrupted download (dropped connection, stall, Ctrl-C) keeps its part for the next run; a
 * failed check deletes it.
 */
import { createHash, type Hash } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ModelDownloadError, describeError } from '../errors.js';
import { ensureDirectory } from '../util/ensure-dir.js';
import {
  cacheWriteError,
  describeNoNetwork,
  httpError,
  interruptedError,
  mismatchError,
  noNetworkError,
} from './download-errors.js';
import { IdleWatchdog, openResponse, type DownloadSource, type OpenedResponse } from './download-request.js';
import {
  discardPart,
  hashPrefix,
  loadPartState,
  openFileForWriting,
  partPaths,
  savePartRecord,
  type OpenFile,
  type PartState,
  type WritableFile,
} from './part-file.js';
import { isSameRemoteFile } from './part-record.js';
import { computeRemoteFile, parseContentRange, type RemoteFile } from './remote-file.js';

/** Progress of a download, for a bar or a log line. */
export interface DownloadProgress {
  url: string;
  /** Bytes of the file on disk so far, resumed bytes included. */
  receivedBytes: number;
  totalBytes: number | null;
  /** Bytes already there when this request started (a resumed part). */
  resumedFromBytes: number;
  /** Mean rate of this request's body so far; null until time has passed. */
  bytesPerS: number | null;
}

/** How to download. */
export interface DownloadOptions {
  fetch: typeof fetch;
  /** Named in the offline hint. */
  cacheDir: string;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Longest wait for headers or the next body bytes (default DEFAULT_IDLE_TIMEOUT_MS). */
  idleTimeoutMs?: number;
  now?: () => number;
  openFile?: OpenFile;
  /** Checks the complete part before it becomes the model; a throw deletes the part. */
  verify?: (partPath: string) => Promise<void>;
}

/** What was downloaded. */
export interface DownloadResult {
  sizeBytes: number;
  /** sha256 of the bytes written, computed while downloading. */
  sha256: string;
  /** Whether the server stated a sha256 and it matched. */
  sha256Verified: boolean;
  resumedFromBytes: number;
}

/** A stalled server is given up on after this long without a byte. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;
const MAX_ATTEMPTS = 3;

/** One download: where from, where to, how. */
interface Job {
  source: DownloadSource;
  finalPath: string;
  part: string;
  o: DownloadOptions;
}

/** A response whose body continues the part from `offsetBytes`. */
interface Body {
  response: Response;
  offsetBytes: number;
  remote: RemoteFile;
}

type Attempt = { kind: 'done'; result: DownloadResult } | { kind: 'restart' };

/** Downloads `source` to `finalPath` (see the file comment). Throws ModelDownloadError (exit 8). */
export async function downloadFile(
  source: DownloadSource,
  finalPath: string,
  options: DownloadOptions,
): Promise<DownloadResult> {
  const job: Job = { source, finalPath, part: partPaths(finalPath).part, o: options };
  try {
    ensureDirectory(dirname(finalPath));
  } catch (error) {
    throw cacheWriteError(dirname(finalPath), error);
  }
  const onDiskError = (error: unknown): never => {
    throw cacheWriteError(job.part, error);
  };
  let state = await loadPartState(finalPath, source.url).catch(onDiskError);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const outcome = await attemptDownload(job, state);
    if (outcome.kind === 'done') return outcome.result;
    await discardPart(finalPath).catch(onDiskError);
    state = { offsetBytes: 0, record: null };
  }
  throw new ModelDownloadError(
    `cannot download ${source.url}: the server's answers to resume requests do not fit together`,
    'Run again; if it persists, delete the .part file next to the model.',
  );
}

async function attemptDownload(job: Job, state: PartState): Promise<Attempt> {
  const { o } = job;
  const prefix = await hashPrefix(job.part, state.offsetBytes).catch((error: unknown) => {
    throw cacheWriteError(job.part, error);
  });
  const controller = new AbortController();
  const signal = o.signal === undefined ? controller.signal : AbortSignal.any([o.signal, controller.signal]);
  const watchdog = new IdleWatchdog(o.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, controller);
  try {
    const poke = (): void => watchdog.poke();
    const opened = await openResponse(job.source, state.offsetBytes, o.fetch, signal, poke).catch(
      (error: unknown) => {
        throw describeRequestFailure(error, job, state.offsetBytes, watchdog);
      },
    );
    const body = decideStart(opened, state, job.source);
    if (body === 'restart') {
      await opened.response.body?.cancel().catch(() => undefined);
      return { kind: 'restart' };
    }
    await savePartRecord(job.finalPath, { url: job.source.url, ...body.remote }).catch((error: unknown) => {
      throw cacheWriteError(partPaths(job.finalPath).record, error);
    });
    // A 200 to a range request starts the file again: so does the hash.
    const hash = body.offsetBytes === state.offsetBytes ? prefix : createHash('sha256');
    return { kind: 'done', result: await receiveBody(job, body, hash, watchdog) };
  } finally {
    watchdog.stop();
  }
}

/** Where the body starts in the file, or 'restart' when the part cannot be continued. */
function decideStart(opened: OpenedResponse, state: PartState, source: DownloadSource): Body | 'restart' {
  const { response } = opened;
  if (response.status === 416) return 'restart';
  if (response.status !== 200 && response.status !== 206) {
    throw httpError(source.url, response.status, response.statusText);
  }
  const fromHub = new URL(opened.finalUrl).origin === source.hubOrigin;
  const remote = computeRemoteFile(opened.linked, response.headers, response.status, fromHub);
  // 200: no range was asked, or the server ignored it.
  if (response.status === 200) return { response, offsetBytes: 0, remote };
  const range = parseContentRange(response.headers.get('content-range'));
  if (state.offsetBytes === 0 || range === null || range.start !== state.offsetBytes) return 'restart';
  if (state.record !== null && !isSameRemoteFile(state.record, remote)) return 'restart';
  return { response, offsetBytes: state.offsetBytes, remote };
}

function describeRequestFailure(error: unknown, job: Job, offset: number, watchdog: IdleWatchdog): unknown {
  const url = job.source.url;
  if (error instanceof ModelDownloadError) return error;
  if (job.o.signal?.aborted === true) return interruptedError(url, 'was stopped', offset, null, error);
  if (watchdog.fired) {
    return interruptedError(url, `stalled (no answer for ${watchdog.ms / 1000} s)`, offset, null, error);
  }
  const offline = describeNoNetwork(error);
  if (offline !== null) return noNetworkError(url, offline, job.o.cacheDir, error);
  const hint = 'Check the URL and the network, then run again.';
  return new ModelDownloadError(`cannot download ${url}: ${describeCause(error)}`, hint, error);
}

/** The innermost message of a fetch failure ("fetch failed" says nothing). */
function describeCause(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return describeError(current);
}

async function receiveBody(
  job: Job,
  body: Body,
  hash: Hash,
  watchdog: IdleWatchdog,
): Promise<DownloadResult> {
  const open = job.o.openFile ?? openFileForWriting;
  const file = await open(job.part, body.offsetBytes > 0 ? 'a' : 'w').catch((error: unknown) => {
    throw cacheWriteError(job.part, error);
  });
  const close = (): Promise<void> => file.close().catch(() => undefined);
  const received = await streamBody(job, body, file, hash, watchdog).finally(close);
  return finish(job, body, received, hash.digest('hex'));
}

/**
 * Writes the body to the part file; returns the bytes the file would then have (more than the
 * announced size: the excess is not written, and finish() rejects it).
 */
async function streamBody(
  job: Job,
  body: Body,
  file: WritableFile,
  hash: Hash,
  watchdog: IdleWatchdog,
): Promise<number> {
  const now = job.o.now ?? (() => performance.now());
  const startedAt = now();
  const total = body.remote.sizeBytes;
  let received = body.offsetBytes;
  const reader = body.response.body?.getReader();
  for (;;) {
    let chunk: { done: true; value?: undefined } | { done: false; value: Uint8Array };
    try {
      chunk = reader === undefined ? { done: true } : await reader.read();
    } catch (error) {
      throw describeBodyFailure(error, job, received, total, watchdog);
    }
    if (chunk.done) return received;
    watchdog.poke();
    if (total !== null && received + chunk.value.length > total) {
      await reader?.cancel().catch(() => undefined);
      return received + chunk.value.length;
    }
    await file.write(chunk.value).catch((error: unknown) => {
      throw cacheWriteError(job.part, error);
    });
    hash.update(chunk.value);
    received += chunk.value.length;
    const elapsedS = (now() - startedAt) / 1000;
    const bytesPerS = elapsedS > 0 ? (received - body.offsetBytes) / elapsedS : null;
    const url = job.source.url;
    const resumedFromBytes = body.offsetBytes;
    job.o.onProgress?.({ url, receivedBytes: received, totalBytes: total, resumedFromBytes, bytesPerS });
  }
}

function describeBodyFailure(
  error: unknown,
  job: Job,
  received: number,
  total: number | null,
  watchdog: IdleWatchdog,
): unknown {
  const url = job.source.url;
  if (job.o.signal?.aborted === true) return interruptedError(url, 'was stopped', received, total, error);
  if (watchdog.fired) {
    return interruptedError(url, `stalled (no data for ${watchdog.ms / 1000} s)`, received, total, error);
  }
  return interruptedError(url, `was interrupted (${describeCause(error)})`, received, total, error);
}

/** Checks size and sha256, lets `verify` look, then renames the part into place. */
async function finish(job: Job, body: Body, received: number, sha256: string): Promise<DownloadResult> {
  const url = job.source.url;
  const { sizeBytes: expected, sha256: stated } = body.remote;
  if (expected !== null && received < expected) {
    throw interruptedError(url, 'ended early', received, expected);
  }
  if (expected !== null && received > expected) {
    await discardPart(job.finalPath);
    throw mismatchError(url, `the server sent more than the ${expected} bytes it announced`);
  }
  if (stated !== null && sha256 !== stated) {
    await discardPart(job.finalPath);
    throw mismatchError(url, `sha256 ${sha256} differs from the ${stated} the server states`);
  }
  await job.o.verify?.(job.part).catch(async (error: unknown) => {
    await discardPart(job.finalPath);
    throw error;
  });
  await rename(job.part, job.finalPath).catch((error: unknown) => {
    throw cacheWriteError(job.finalPath, error);
  });
  await rm(partPaths(job.finalPath).record, { force: true });
  return { sizeBytes: received, sha256, sha256Verified: stated !== null, resumedFromBytes: body.offsetBytes };
}
