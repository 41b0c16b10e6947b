/**
 * Names what a file that is not a GGUF looks like, from its first bytes, so the error says
 * "an HTML page" or "a safetensors file" rather than only "bad magic". Pure.
 */

const ascii = (bytes: Uint8Array, n: number): string => Buffer.from(bytes.subarray(0, n)).toString('latin1');

/** Recognisers tried in order: [test, description]. */
const KINDS: readonly [(b: Uint8Array, text: string) => boolean, string][] = [
  [
    (_b, t) => t.startsWith('version https://git-lfs'),
    'a Git LFS pointer (the real file was never fetched: `git lfs pull`)',
  ],
  [
    (_b, t) => /^\s*(<!doctype html|<html|<head|<body)/i.test(t),
    'an HTML page (an error or login page saved as the model?)',
  ],
  [(_b, t) => /^\s*<\?xml/i.test(t), 'an XML document (an error page from a storage server?)'],
  [isSafetensors, 'a safetensors file (Hugging Face weights; llama.cpp needs them converted to GGUF)'],
  [(_b, t) => /^\s*[[{]/.test(t), 'JSON text (an API error or a config file?)'],
  [(_b, t) => t.startsWith('PK\x03\x04'), 'a zip archive (a PyTorch checkpoint?)'],
  [(b) => b[0] === 0x80 && (b[1] ?? 0) >= 2 && (b[1] ?? 0) <= 5, 'a Python pickle (a PyTorch checkpoint?)'],
  [(b) => b[0] === 0x1f && b[1] === 0x8b, 'gzip-compressed data (unpack it first)'],
  [
    (_b, t) => ['lmgg', 'fmgg', 'tjgg'].includes(t.slice(0, 4)),
    'a pre-GGUF GGML model (llama.cpp reads only GGUF now)',
  ],
  [(_b, t) => t.startsWith('\x89HDF'), 'an HDF5 file (Keras weights?)'],
];

/** safetensors: a u64 little-endian header length, then that many bytes of JSON. */
function isSafetensors(b: Uint8Array): boolean {
  if (b.length < 9) return false;
  const n = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  return n > 1n && n < 100_000_000n && b[8] === 0x7b; // '{'
}

/** A short description of what `bytes` (the start of a file of `fileSizeBytes`) looks like. */
export function describeNonGguf(bytes: Uint8Array, fileSizeBytes: number): string {
  if (fileSizeBytes === 0) return 'an empty file';
  const text = ascii(bytes, 512);
  for (const [test, description] of KINDS) if (test(bytes, text)) return description;
  const head = bytes.subarray(0, 64);
  const printable = head.every((c) => c === 9 || c === 10 || c === 13 || (c >= 32 && c < 127));
  if (printable && head.length > 0) return `text ("${text.slice(0, 40).replace(/\s+/g, ' ').trim()}…")`;
  const hex = Array.from(bytes.subarray(0, 4), (c) => c.toString(16).padStart(2, '0')).join(' ');
  return `unknown data (first bytes ${hex}; a GGUF starts with "GGUF")`;
}
