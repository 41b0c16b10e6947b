/**
 * The files of a download in progress, next to the model's final place: `<model>.part` (the
 * bytes so far) and `<model>.part.json` (what they are a prefix of). I/O, through a narrow
 * `openFile` a test can replace to make writes fail.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { formatPartRecord, parsePartRecord, type PartRecord } from './part-record.js';

/** A file being written: whole chunks in order. */
export interface WritableFile {
  write(chunk: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Opens a file to write: 'w' truncates, 'a' appends. */
export type OpenFile = (path: string, flags: 'w' | 'a') => Promise<WritableFile>;

/** node:fs/promises open, writing each chunk in full. */
export const openFileForWriting: OpenFile = async (path, flags) => {
  const handle = await open(path, flags);
  return {
    async write(chunk) {
      let done = 0;
      while (done < chunk.length) done += (await handle.write(chunk, done, chunk.length - done)).bytesWritten;
    },
    close: () => handle.close(),
  };
};

/** Paths of a download's part file and sidecar. */
export function partPaths(finalPath: string): { part: string; record: string } {
  return { part: `${finalPath}.part`, record: `${finalPath}.part.json` };
}

/** A part that can be resumed: its bytes and what it is a prefix of. */
export interface PartState {
  offsetBytes: number;
  record: PartRecord | null;
}

/**
 * The resumable part of a download from `url`, if any: a part file with a sidecar for the same
 * URL. Anything else found there (a part without a sidecar, another URL) is deleted.
 */
export async function loadPartState(finalPath: string, url: string): Promise<PartState> {
  const paths = partPaths(finalPath);
  const text = await readFile(paths.record, 'utf8').catch(() => null);
  const record = text === null ? null : parsePartRecord(text);
  const size = (await stat(paths.part).catch(() => null))?.size ?? null;
  if (record !== null && record.url === url && size !== null) return { offsetBytes: size, record };
  await discardPart(finalPath);
  return { offsetBytes: 0, record: null };
}

/** Writes the sidecar before any byte of the body. */
export async function savePartRecord(finalPath: string, record: PartRecord): Promise<void> {
  await writeFile(partPaths(finalPath).record, formatPartRecord(record));
}

/** Deletes the part file and its sidecar. */
export async function discardPart(finalPath: string): Promise<void> {
  const paths = partPaths(finalPath);
  await rm(paths.part, { force: true });
  await rm(paths.record, { force: true });
}

/** A sha256 of the part's first `bytes` bytes, to go on with the rest of the body. */
export async function hashPrefix(partPath: string, bytes: number): Promise<Hash> {
  const hash = createHash('sha256');
  if (bytes === 0) return hash;
  for await (const chunk of createReadStream(partPath, { start: 0, end: bytes - 1 })) {
    hash.update(chunk as Buffer);
  }
  return hash;
}
