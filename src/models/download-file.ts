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
import { cacheWriteError, describeNoNetwork, httpError, interruptedError, mismatchError, noNetworkError } from './download-errors.js';
import { IdleWatchdog, openResponse, type DownloadSource, type OpenedResponse } from './download-request.js';
import {
  discardPart, hashPrefix, loadPartState, openFileForWriting, partPaths, savePartRecord, type OpenFile, type PartState,
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

type Attempt = { kind: 'done'; result: DownloadResult } | { kind: 'restart' };

/** Downloads `source` to `finalPath` (see the file comment). Throws ModelDownloadError (exit 8). */
export async function downloadFile(source: DownloadSource, finalPath: string, options: DownloadOptions): Promise<DownloadResult> {
  try {
    ensureDirectory(dirname(finalPath));
  } catch (error) {
    throw cacheWriteError(dirname(finalPath), error);
  }
  const onDiskError = (error: unknown): never => {
    throw cacheWriteError(partPaths(finalPath).part, error);
  };
  let state = await loadPartState(finalPath, source.url).catch(onDiskError);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
    const outcome = await attemptDownload(source, finalPath, state, options);
    if (outcome.kind === 'done') return outcome.result;
    await discardPart(finalPath).catch(onDiskError);
    state = { offsetBytes: 0, record: null };
  }
  throw new ModelDownloadError(`cannot download ${source.url}: the server's answers to resume requests do not fit together`, 'Run again; if it persists, delete the .part file next to the model.');
}

async function attemptDownload(source: DownloadSource, finalPath: string, state: PartState, o: DownloadOptions): Promise<Attempt> {
  const hash = await hashPrefix(partPaths(finalPath).part, state.offsetBytes).catch((error: unknown) => {
    throw cacheWriteError(partPaths(finalPath).part, error);
  });
  const controller = new AbortController();
  const signal = o.signal === undefined ? controller.signal : AbortSignal.any([o.signal, controller.signal]);
  const watchdog = new IdleWatchdog(o.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, controller);
  try {
    const opened = await openResponse(source, state.offsetBytes, o.fetch, signal, () => watchdog.poke()).catch((error: unknown) => {
      throw describeRequestFailure(error, source.url, state.offsetBytes, o, watchdog);
    });
    const start = decideStart(opened, state, source);
    if (start === 'restart') {
      await opened.response.body?.cancel().catch(() => undefined);
      return { kind: 'restart' };
    }
    await savePartRecord(finalPath, { url: source.url, ...start.remote }).catch((error: unknown) => {
      throw cacheWriteError(partPaths(finalPath).record, error);
    });
    const fresh = start.offsetBytes === 0 && state.offsetBytes > 0;
    const body = { response: opened.response, offsetBytes: start.offsetBytes, remote: start.remote };
    const result = await receiveBody(source.url, finalPath, body, fresh ? createHash('sha256') : hash, o, watchdog);
    return { kind: 'done', result };
  } finally {
    watchdog.stop();
  }
}

/** Where the body starts in the file, or 'restart' when the part cannot be continued. */
function decideStart(opened: OpenedResponse, state: PartState, source: DownloadSource): { offsetBytes: number; remote: RemoteFile } | 'restart' {
  const { response } = opened;
  if (response.status === 416) return 'restart';
  if (response.status !== 200 && response.status !== 206) throw httpError(source.url, response.status, response.statusText);
  const fromHub = new URL(opened.finalUrl).origin === source.hubOrigin;
  const remote = computeRemoteFile(opened.linked, response.headers, response.status, fromHub);
  if (response.status === 200) return { offsetBytes: 0, remote }; // no range asked, or the server ignored it
  const range = parseContentRange(response.headers.get('content-range'));
  if (state.offsetBytes === 0 || range === null || range.start !== state.offsetBytes) return 'restart';
  if (state.record !== null && !isSameRemoteFile(state.record, remote)) return 'restart';
  return { offsetBytes: state.offsetBytes, remote };
}

function describeRequestFailure(error: unknown, url: string, offset: number, o: DownloadOptions, watchdog: IdleWatchdog): unknown {
  if (error instanceof ModelDownloadError) return error;
  if (o.signal?.aborted === true) return interruptedError(url, 'was stopped', offset, null, error);
  if (watchdog.fired) return interruptedError(url, `stalled (no answer for ${watchdog.ms / 1000} s)`, offset, null, error);
  const offline = describeNoNetwork(error);
  if (offline !== null) return noNetworkError(url, offline, o.cacheDir, error);
  return new ModelDownloadError(`cannot download ${url}: ${describeCause(error)}`, 'Check the URL and the network, then run again.', error);
}

/** The innermost message of a fetch failure ("fetch failed" says nothing). */
export function describeCause(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return describeError(current);
}

interface Body {
  response: Response;
  offsetBytes: number;
  remote: RemoteFile;
}

async function receiveBody(url: string, finalPath: string, body: Body, hash: Hash, o: DownloadOptions, watchdog: IdleWatchdog): Promise<DownloadResult> {
  const { part } = partPaths(finalPath);
  const file = await (o.openFile ?? openFileForWriting)(part, body.offsetBytes > 0 ? 'a' : 'w').catch((error: unknown) => {
    throw cacheWriteError(part, error);
  });
  const received = await streamBody({ url, part, body, file, hash }, o, watchdog).finally(() => file.close().catch(() => undefined));
  return finish(url, finalPath, body, received, hash.digest('hex'), o);
}

interface Stream {
  url: string;
  part: string;
  body: Body;
  file: WritableFile;
  hash: Hash;
}

/** Writes the body to the part file; returns the bytes the file would have (more than announced: not written). */
async function streamBody(s: Stream, o: DownloadOptions, watchdog: IdleWatchdog): Promise<number> {
  const now = o.now ?? (() => performance.now());
  const startedAt = now();
  const { offsetBytes, remote } = s.body;
  let received = offsetBytes;
  const reader = s.body.response.body?.getReader();
  for (;;) {
    let chunk: { done: true; value?: undefined } | { done: false; value: Uint8Array };
    try {
      chunk = reader === undefined ? { done: true, value: undefined } : await reader.read();
    } catch (error) {
      throw describeBodyFailure(error, s.url, received, remote.sizeBytes, o, watchdog);
    }
    if (chunk.done) return received;
    watchdog.poke();
    if (remote.sizeBytes !== null && received + chunk.value.length > remote.sizeBytes) {
      await reader?.cancel().catch(() => undefined);
      return received + chunk.value.length;
    }
    await s.file.write(chunk.value).catch((error: unknown) => {
      throw cacheWriteError(s.part, error);
    });
    s.hash.update(chunk.value);
    received += chunk.value.length;
    const elapsedS = (now() - startedAt) / 1000;
    const bytesPerS = elapsedS > 0 ? (received - offsetBytes) / elapsedS : null;
    o.onProgress?.({ url: s.url, receivedBytes: received, totalBytes: remote.sizeBytes, resumedFromBytes: offsetBytes, bytesPerS });
  }
}

function describeBodyFailure(error: unknown, url: string, received: number, total: number | null, o: DownloadOptions, watchdog: IdleWatchdog): unknown {
  if (o.signal?.aborted === true) return interruptedError(url, 'was stopped', received, total, error);
  if (watchdog.fired) return interruptedError(url, `stalled (no data for ${watchdog.ms / 1000} s)`, received, total, error);
  return interruptedError(url, `was interrupted (${describeCause(error)})`, received, total, error);
}

async function finish(url: string, finalPath: string, body: Body, received: number, sha256: string, o: DownloadOptions): Promise<DownloadResult> {
  const { sizeBytes: expected, sha256: stated } = body.remote;
  if (expected !== null && received < expected) throw interruptedError(url, 'ended early', received, expected);
  if (expected !== null && received > expected) {
    await discardPart(finalPath);
    throw mismatchError(url, `the server sent more than the ${expected} bytes it announced`);
  }
  if (stated !== null && sha256 !== stated) {
    await discardPart(finalPath);
    throw mismatchError(url, `sha256 ${sha256} differs from the ${stated} the server states`);
  }
  const { part, record } = partPaths(finalPath);
  if (o.verify !== undefined) await o.verify(part).catch(async (error: unknown) => {
    await discardPart(finalPath);
    throw error;
  });
  await rename(part, finalPath).catch((error: unknown) => {
    throw cacheWriteError(finalPath, error);
  });
  await rm(record, { force: true });
  return { sizeBytes: received, sha256, sha256Verified: stated !== null, resumedFromBytes: body.offsetBytes };
}
