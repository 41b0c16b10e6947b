/**
 * Parses a GGUF header (v2 or v3, little-endian) from a prefix of the file: magic, version,
 * tensor and key/value counts, the key/values (arrays are skipped: only their type and length
 * are kept), the tensor infos, the alignment and where the tensor data starts. Pure. Checks what
 * llama.cpp's own reader (ggml/src/gguf.cpp) checks before it loads, so a file that passes here
 * fails in the engine only for reasons the header cannot show.
 */
import { ModelFileError } from '../errors.js';
import { GgufCursor } from './gguf-cursor.js';
import { describeNonGguf } from './gguf-sniff.js';
import { GGML_TYPES } from './ggml-types.js';

/** A metadata value. Arrays keep only their element type and length. */
export type GgufValue = number | bigint | boolean | string | { arrayOf: string; length: number };

/** One tensor as the header describes it; bytes are computed from the ggml type table. */
export interface GgufTensorInfo {
  name: string;
  /** ggml dims, ne0 first. */
  dims: number[];
  typeId: number;
  typeName: string;
  /** Offset of its data from the start of the data section. */
  offsetBytes: number;
  elements: number;
  sizeBytes: number;
}

/** What the header says. */
export interface GgufHeader {
  version: 2 | 3;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  alignmentBytes: number;
  /** Where the tensor data section starts in the file. */
  dataOffsetBytes: number;
  /** Where the last tensor's data ends in the file: the least size a complete file has. */
  dataEndBytes: number;
}

const MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
const DEFAULT_ALIGNMENT = 32;
/** llama.cpp's GGML_MAX_NAME (64, terminator included) and GGML_MAX_DIMS. */
const MAX_TENSOR_NAME_BYTES = 63;
const MAX_DIMS = 4;

type Scalar = { name: string; size: number; read: (v: DataView, at: number) => number | bigint };
const SCALARS: ReadonlyMap<number, Scalar> = new Map<number, Scalar>([
  [0, { name: 'u8', size: 1, read: (v, at) => v.getUint8(at) }],
  [1, { name: 'i8', size: 1, read: (v, at) => v.getInt8(at) }],
  [2, { name: 'u16', size: 2, read: (v, at) => v.getUint16(at, true) }],
  [3, { name: 'i16', size: 2, read: (v, at) => v.getInt16(at, true) }],
  [4, { name: 'u32', size: 4, read: (v, at) => v.getUint32(at, true) }],
  [5, { name: 'i32', size: 4, read: (v, at) => v.getInt32(at, true) }],
  [6, { name: 'f32', size: 4, read: (v, at) => v.getFloat32(at, true) }],
  [7, { name: 'bool', size: 1, read: (v, at) => v.getUint8(at) }],
  [10, { name: 'u64', size: 8, read: (v, at) => v.getBigUint64(at, true) }],
  [11, { name: 'i64', size: 8, read: (v, at) => v.getBigInt64(at, true) }],
  [12, { name: 'f64', size: 8, read: (v, at) => v.getFloat64(at, true) }],
]);
const STRING = 8;
const ARRAY = 9;

function corrupt(label: string, what: string): ModelFileError {
  const hint = 'Download the model again, or use another GGUF.';
  return new ModelFileError(`${label} is not a valid GGUF: ${what}`, hint);
}

/** Parses the header of a GGUF file from `bytes`, a prefix of a file of `fileSizeBytes`. */
export function parseGgufHeader(bytes: Uint8Array, fileSizeBytes: number, label: string): GgufHeader {
  const c = new GgufCursor(bytes, fileSizeBytes, label);
  const version = readPreamble(c, bytes, label);
  // Each tensor info takes at least 24 bytes, each key/value at least 13: counts are checked first.
  const tensorCount = c.length('the tensor count', 24);
  const kvCount = c.length('the key/value count', 13);
  const metadata = readMetadata(c, kvCount, label);
  const alignmentBytes = readAlignment(metadata, label);
  const tensors = readTensors(c, tensorCount, label);
  const dataOffsetBytes = tensorCount > 0 ? alignUp(c.pos, alignmentBytes) : c.pos;
  const dataEndBytes = checkOffsets(tensors, alignmentBytes, dataOffsetBytes, label);
  checkDataEnd(dataEndBytes, fileSizeBytes, label);
  return { version, metadata, tensors, alignmentBytes, dataOffsetBytes, dataEndBytes };
}

function readMetadata(c: GgufCursor, count: number, label: string): Map<string, GgufValue> {
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < count; i += 1) {
    const key = c.string(`key #${i}`);
    if (key === '') throw corrupt(label, `key #${i} is empty`);
    if (metadata.has(key)) throw corrupt(label, `key "${key}" appears twice`);
    metadata.set(key, readValue(c, c.u32(`the type of "${key}"`), key, label));
  }
  return metadata;
}

function readTensors(c: GgufCursor, count: number, label: string): GgufTensorInfo[] {
  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < count; i += 1) {
    const t = readTensorInfo(c, i, label);
    if (names.has(t.name)) throw corrupt(label, `tensor "${t.name}" appears twice`);
    names.add(t.name);
    tensors.push(t);
  }
  return tensors;
}

function checkDataEnd(dataEndBytes: number, fileSizeBytes: number, label: string): void {
  if (dataEndBytes <= fileSizeBytes) return;
  const missing = dataEndBytes - fileSizeBytes;
  throw new ModelFileError(
    `${label} is truncated: its tensor data ends at byte ${dataEndBytes}, ` +
      `but the file has ${fileSizeBytes} bytes (${missing} byte${missing === 1 ? '' : 's'} missing)`,
    'The download or copy stopped early: fetch the model again (costbench resumes its own downloads).',
  );
}

function readPreamble(c: GgufCursor, bytes: Uint8Array, label: string): 2 | 3 {
  if (c.fileSizeBytes < 4 || c.u32('the magic') !== MAGIC) {
    throw new ModelFileError(
      `${label} is not a GGUF model: it looks like ${describeNonGguf(bytes, c.fileSizeBytes)}`,
      'The embedded engine loads GGUF files: get the GGUF build of the model (e.g. a "-GGUF" repo).',
    );
  }
  const version = c.u32('the version');
  if (version === 2 || version === 3) return version;
  const hint = 'Convert the model with a current llama.cpp (convert_hf_to_gguf.py), or get a newer GGUF.';
  if ((version & 0xffff) === 0) {
    const what = `${label} is a big-endian GGUF (version field ${version})`;
    throw new ModelFileError(`${what}: llama.cpp here reads little-endian files`, hint);
  }
  const why =
    version === 1 ? 'GGUF v1 is no longer read by llama.cpp' : 'llama.cpp reads GGUF versions 2 and 3';
  throw new ModelFileError(`${label} is GGUF version ${version}: ${why}`, hint);
}

function readValue(c: GgufCursor, type: number, key: string, label: string): GgufValue {
  if (type === STRING) return c.string(`the value of "${key}"`);
  if (type !== ARRAY) {
    const s = SCALARS.get(type);
    if (s === undefined) throw corrupt(label, `key "${key}" has unknown value type ${type}`);
    const v = c.scalar(s.size, `the value of "${key}"`, s.read);
    return toPlain(v, s.name);
  }
  const of = c.u32(`the element type of "${key}"`);
  const s = SCALARS.get(of);
  if (of !== STRING && s === undefined) throw corrupt(label, `array "${key}" has element type ${of}`);
  // A string takes at least its 8-byte length: the count is checked against the file first.
  const length = c.length(`the length of array "${key}"`, s?.size ?? 8);
  if (s !== undefined) c.skip(length * s.size, `array "${key}"`);
  else for (let i = 0; i < length; i += 1) c.skipString(`element ${i} of "${key}"`);
  return { arrayOf: s?.name ?? 'string', length };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toPlain(v: number | bigint, type: string): GgufValue {
  if (type === 'bool') return v !== 0;
  if (typeof v === 'bigint' && v <= MAX_SAFE && v >= -MAX_SAFE) return Number(v);
  return v;
}

/** Sizes past 2^53 bytes lie past the end of any real file; the size check then says so. */
const clamp = (n: bigint): number => (n > MAX_SAFE ? Number.MAX_SAFE_INTEGER : Number(n));

function readAlignment(metadata: Map<string, GgufValue>, label: string): number {
  const value = metadata.get('general.alignment');
  if (value === undefined) return DEFAULT_ALIGNMENT;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || (value & (value - 1)) !== 0) {
    throw corrupt(label, `general.alignment is ${String(value)}, not a power of 2`);
  }
  return value;
}

function readTensorInfo(c: GgufCursor, index: number, label: string): GgufTensorInfo {
  const nameLength = c.u64(`the name length of tensor #${index}`);
  c.pos -= 8; // read again, with its bytes, by c.string()
  if (nameLength > MAX_TENSOR_NAME_BYTES) {
    throw corrupt(label, `tensor #${index} has a ${nameLength}-byte name (at most ${MAX_TENSOR_NAME_BYTES})`);
  }
  const name = c.string(`the name of tensor #${index}`);
  const dims = readDims(c, name, label);
  const typeId = c.u32(`the type of "${name}"`);
  const type = GGML_TYPES.get(typeId);
  if (type === undefined) {
    throw corrupt(label, `tensor "${name}" has ggml type ${typeId}, which this llama.cpp does not know`);
  }
  if ((dims[0] ?? 1n) % BigInt(type.blockSize) !== 0n) {
    const rows = `rows of ${dims[0]} values, not a multiple of ${type.blockSize}`;
    throw corrupt(label, `tensor "${name}" (${type.name}) has ${rows}`);
  }
  const elements = dims.reduce((a, b) => a * b, 1n);
  const sizeBytes = (elements / BigInt(type.blockSize)) * BigInt(type.blockBytes);
  const offsetBytes = clamp(c.u64(`the data offset of "${name}"`));
  const shape = { dims: dims.map(clamp), elements: clamp(elements), sizeBytes: clamp(sizeBytes) };
  return { name, typeId, typeName: type.name, offsetBytes, ...shape };
}

function readDims(c: GgufCursor, name: string, label: string): bigint[] {
  const nDims = c.u32(`the dimension count of "${name}"`);
  if (nDims > MAX_DIMS)
    throw corrupt(label, `tensor "${name}" has ${nDims} dimensions (at most ${MAX_DIMS})`);
  const dims: bigint[] = [];
  for (let d = 0; d < nDims; d += 1) {
    const n = c.i64(`dimension ${d} of "${name}"`);
    if (n < 0n) throw corrupt(label, `tensor "${name}" has a negative dimension`);
    dims.push(n);
  }
  return dims;
}

/** llama.cpp wants each tensor right after the previous one, padded to the alignment. */
function checkOffsets(
  tensors: GgufTensorInfo[],
  alignment: number,
  dataOffset: number,
  label: string,
): number {
  let expected = 0;
  let end = dataOffset;
  for (const t of tensors) {
    if (t.offsetBytes !== expected) {
      throw corrupt(label, `tensor "${t.name}" has data offset ${t.offsetBytes}, expected ${expected}`);
    }
    end = dataOffset + t.offsetBytes + t.sizeBytes;
    expected = alignUp(t.offsetBytes + t.sizeBytes, alignment);
  }
  return end;
}

function alignUp(n: number, alignment: number): number {
  return Math.ceil(n / alignment) * alignment;
}
