/**
 * Reads a GGUF file's header, and only its header, plus the file's size: the first MiB, then a
 * longer prefix only when the header goes on (large vocabularies), never past
 * MAX_GGUF_HEADER_BYTES. A hostile or corrupt header therefore cannot make costbench read or
 * allocate gigabytes.
 */
import { open } from 'node:fs/promises';
import { ModelFileError, NotFoundError, describeError } from '../errors.js';
import { NeedMoreBytes } from './gguf-cursor.js';
import { computeGgufFacts, type GgufFacts } from './gguf-facts.js';
import { parseGgufHeader, type GgufHeader } from './gguf-header.js';

/** The first read. Most headers fit; a 150k-token vocabulary takes a few MiB. */
const FIRST_READ_BYTES = 1024 * 1024;
/** No real header comes near this (a 256k-token vocabulary with merges is ~20 MiB). */
export const MAX_GGUF_HEADER_BYTES = 64 * 1024 * 1024;

/**
 * Reads and parses the header of the GGUF at `path`; `label` names it in errors (default the
 * path). Throws ModelFileError / NotFoundError.
 */
export async function readGgufHeader(
  path: string,
  label = path,
): Promise<{ header: GgufHeader; fileSizeBytes: number }> {
  const file = await openModel(path);
  try {
    const fileSizeBytes = (await file.stat()).size;
    let length = Math.min(fileSizeBytes, FIRST_READ_BYTES);
    for (;;) {
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await file.read(bytes, 0, length, 0);
      try {
        return { header: parseGgufHeader(bytes.subarray(0, bytesRead), fileSizeBytes, label), fileSizeBytes };
      } catch (error) {
        if (!(error instanceof NeedMoreBytes)) throw error;
        if (error.bytes > MAX_GGUF_HEADER_BYTES) throw headerTooLarge(label, error.bytes);
        length = Math.min(fileSizeBytes, MAX_GGUF_HEADER_BYTES, Math.max(error.bytes, length * 2));
      }
    }
  } finally {
    await file.close();
  }
}

/** Reads the header of the GGUF at `path` and returns its facts. */
export async function readGgufFacts(path: string): Promise<GgufFacts> {
  const { header, fileSizeBytes } = await readGgufHeader(path);
  return computeGgufFacts(header, fileSizeBytes, path);
}

async function openModel(path: string): Promise<Awaited<ReturnType<typeof open>>> {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const hint = 'Check the path (relative paths start at the current directory).';
      throw new NotFoundError(`model file not found: ${path}`, hint);
    }
    const message = `cannot read the model file ${path}: ${describeError(error)}`;
    throw new ModelFileError(message, 'Check that the file is readable.', error);
  }
}

function headerTooLarge(path: string, bytes: number): ModelFileError {
  return new ModelFileError(
    `${path} is not a usable GGUF: its header would need more than ` +
      `${MAX_GGUF_HEADER_BYTES / 1024 / 1024} MiB ` +
      `(byte ${bytes} at least); real headers are a few MiB`,
    'The file is corrupt or hostile; download the model again.',
  );
}
