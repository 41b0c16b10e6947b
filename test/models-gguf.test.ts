import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelFileError, NotFoundError } from '../src/errors.js';
import { NeedMoreBytes } from '../src/models/gguf-cursor.js';
import { checkKnownArchitecture, computeGgufFacts } from '../src/models/gguf-facts.js';
import { parseGgufHeader } from '../src/models/gguf-header.js';
import { buildNoiseGguf, DEFAULT_NOISE_SHAPE, NOISE_MODEL_NAME } from '../src/models/noise-gguf.js';
import { readGgufFacts, readGgufHeader } from '../src/models/read-gguf.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();

/** Little-endian pieces of a hand-made GGUF. */
const u32 = (v: number): Buffer => Buffer.from(new Uint32Array([v]).buffer);
const u64 = (v: bigint | number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};
const str = (s: string): Buffer => Buffer.concat([u64(Buffer.byteLength(s)), Buffer.from(s)]);
const kvString = (key: string, value: string): Buffer => Buffer.concat([str(key), u32(8), str(value)]);
const header = (tensors: number | bigint, kvs: Buffer[]): Buffer =>
  Buffer.concat([Buffer.from('GGUF'), u32(3), u64(tensors), u64(kvs.length), ...kvs]);

function parse(bytes: Buffer) {
  return parseGgufHeader(bytes, bytes.length, 'm.gguf');
}

function modelFileError(fn: () => unknown): ModelFileError {
  try {
    fn();
  } catch (error) {
    expect(error, 'a ModelFileError').toBeInstanceOf(ModelFileError);
    const e = error as ModelFileError;
    expect(e.exitCode, 'exit code').toBe(7);
    expect(e.message, 'one line').not.toContain('\n');
    return e;
  }
  throw new Error('expected a ModelFileError');
}

describe('facts of the noise model (GGUF v3, llama, 2 layers)', () => {
  // Hand count, DEFAULT_NOISE_SHAPE: e = 128, ff = 256, 4 heads, 2 KV heads (KV width 64), vocab 4 + 256 = 260.
  // token_embd 128*260 + output 128*260 + output_norm 128 = 66 688
  // per layer: norms 2*128 + q,o 2*128*128 + k,v 2*128*64 + gate,down,up 3*128*256 = 147 712
  const PARAMETERS = 66_688 + 2 * 147_712; // 362 112
  const bytes = buildNoiseGguf();

  it('states what llama.cpp will see', () => {
    const facts = computeGgufFacts(parse(bytes), bytes.length, 'm.gguf');
    expect(facts.ggufVersion, 'version').toBe(3);
    expect(facts.architecture, 'architecture').toBe('llama');
    expect(facts.architectureKnown, 'llama is known').toBe(true);
    expect(facts.name, 'name').toBe(NOISE_MODEL_NAME);
    expect(facts.fileType, 'general.file_type').toBe(0);
    expect(facts.fileTypeName, 'file type name').toBe('F32');
    expect(facts.parameterCount, 'parameters').toBe(362_112);
    expect(facts.parameterCount, 'hand count').toBe(PARAMETERS);
    expect(facts.parameterCountSource, 'no general.parameter_count in the file').toBe('tensors');
    expect(facts.blockCount, 'layers').toBe(2);
    expect(facts.contextLength, 'context').toBe(2048);
    expect(facts.embeddingLength, 'embedding').toBe(128);
    expect(facts.headCount, 'heads').toBe(4);
    expect(facts.headCountKv, 'KV heads').toBe(2);
    expect(facts.keyLength, 'no key_length key').toBeNull();
    expect(facts.tensorCount, '3 + 9 per layer').toBe(21);
    expect(facts.metadataCount, 'key/values the noise model writes').toBe(22);
    expect(facts.alignmentBytes, 'alignment').toBe(32);
    expect(facts.tensorDataBytes, 'F32: 4 bytes a parameter').toBe(1_448_448);
    expect(facts.tensorTypes, 'all F32').toEqual([{ typeName: 'f32', tensors: 21, bytes: 1_448_448 }]);
    // Every tensor is a multiple of 32 bytes, so the data ends at the end of the file, unpadded.
    expect(facts.dataOffsetBytes % 32, 'data section aligned').toBe(0);
    expect(facts.dataOffsetBytes + 1_448_448, 'data ends at the end of the file').toBe(bytes.length);
  });

  it('F16: matrices 2 bytes a value, the 5 norms stay F32', () => {
    const f16 = buildNoiseGguf({ ...DEFAULT_NOISE_SHAPE, tensorType: 'f16' });
    const facts = computeGgufFacts(parse(f16), f16.length, 'm.gguf');
    // norms: output_norm + 2 a layer = 5 x 128 = 640 values x 4 B = 2 560; matrices (362 112 - 640) x 2 B = 722 944
    expect(facts.tensorDataBytes, 'weights bytes').toBe(725_504);
    expect(facts.fileTypeName, 'file type').toBe('F16');
    expect(facts.tensorTypes, 'bytes by type').toEqual([
      { typeName: 'f16', tensors: 16, bytes: 722_944 },
      { typeName: 'f32', tensors: 5, bytes: 2_560 },
    ]);
  });
});

describe('files that are not whole GGUFs', () => {
  const good = buildNoiseGguf();

  it('truncated by 1 byte: says 1 byte is missing', () => {
    const e = modelFileError(() =>
      parseGgufHeader(good.subarray(0, good.length - 1), good.length - 1, 'm.gguf'),
    );
    expect(e.message).toBe(
      `m.gguf is truncated: its tensor data ends at byte ${good.length}, but the file has ${good.length - 1} bytes (1 byte missing)`,
    );
  });

  it('truncated by 1 MB: says how many bytes', () => {
    const cut = good.length - 1_000_000;
    const e = modelFileError(() => parseGgufHeader(good.subarray(0, cut), cut, 'm.gguf'));
    expect(e.message).toContain('(1000000 bytes missing)');
  });

  it('truncated inside the header: says where', () => {
    // The last tensor info: name, u32 dimension count, 2 u64 dims, u32 type, then its u64 data offset.
    const name = good.lastIndexOf('blk.1.ffn_up.weight');
    const offsetAt = name + 'blk.1.ffn_up.weight'.length + 4 + 16 + 4;
    const cut = offsetAt + 4;
    const e = modelFileError(() => parseGgufHeader(good.subarray(0, cut), cut, 'm.gguf'));
    expect(e.message).toBe(
      `m.gguf is truncated or corrupt: the data offset of "blk.1.ffn_up.weight" at byte ${offsetAt} needs 8 bytes, but the file ends 4 bytes later`,
    );
  });

  it.each([
    ['<!DOCTYPE html><html><body>Not found</body></html>', 'an HTML page'],
    ['version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 123\n', 'a Git LFS pointer'],
    ['{"error":"Repository not found"}', 'JSON text'],
    ['just some words in a file', 'text ("just some words in a file…")'],
  ])('not a GGUF: %j looks like %s', (text, looks) => {
    const bytes = Buffer.from(text);
    const e = modelFileError(() => parse(bytes));
    expect(e.message.startsWith(`m.gguf is not a GGUF model: it looks like ${looks}`), e.message).toBe(true);
  });

  it('a safetensors file is named as one', () => {
    const json = Buffer.from('{"__metadata__":{"format":"pt"}}');
    const bytes = Buffer.concat([u64(json.length), json, Buffer.alloc(64)]);
    expect(modelFileError(() => parse(bytes)).message).toContain('it looks like a safetensors file');
  });

  it('an empty file', () => {
    expect(modelFileError(() => parse(Buffer.alloc(0))).message).toBe(
      'm.gguf is not a GGUF model: it looks like an empty file',
    );
  });

  it.each([
    [1, 'm.gguf is GGUF version 1: GGUF v1 is no longer read by llama.cpp'],
    [4, 'm.gguf is GGUF version 4: llama.cpp reads GGUF versions 2 and 3'],
    [
      0x03000000,
      'm.gguf is a big-endian GGUF (version field 50331648): llama.cpp here reads little-endian files',
    ],
  ])('version %i is refused', (version, message) => {
    const bytes = Buffer.from(good);
    bytes.writeUInt32LE(version, 4);
    expect(modelFileError(() => parse(bytes)).message).toBe(message);
  });

  it('GGUF v2 is read like v3', () => {
    const bytes = Buffer.from(good);
    bytes.writeUInt32LE(2, 4);
    expect(parse(bytes).version, 'version').toBe(2);
  });
});

describe('hostile headers fail fast, without allocating what they claim', () => {
  const good = buildNoiseGguf();

  it('a tensor count of 2^62', () => {
    const bytes = Buffer.from(good);
    bytes.writeBigUInt64LE(2n ** 62n, 8);
    const e = modelFileError(() => parse(bytes));
    expect(e.message).toBe(
      `m.gguf is truncated or corrupt: the tensor count at byte 8 is 4611686018427387904, more than the ${good.length - 16} bytes left in the file can hold`,
    );
  });

  it('a key/value count of 2^64 - 1', () => {
    const bytes = Buffer.from(good);
    bytes.writeBigUInt64LE(2n ** 64n - 1n, 16);
    expect(modelFileError(() => parse(bytes)).message).toContain(
      'the key/value count at byte 16 is 18446744073709551615',
    );
  });

  it('a key length past the end of the file', () => {
    const bytes = Buffer.from(good);
    bytes.writeBigUInt64LE(2n ** 60n, 24); // the length of the first key
    expect(modelFileError(() => parse(bytes)).message).toContain(
      'key #0 length at byte 24 is 1152921504606846976',
    );
  });

  it('an array longer than the file', () => {
    const bytes = header(0, [Buffer.concat([str('a.big'), u32(9), u32(0), u64(1_000_000)])]);
    expect(modelFileError(() => parse(bytes)).message).toContain(
      'the length of array "a.big" at byte 45 is 1000000, more than the 0 bytes left',
    );
  });

  it('a string array whose count only fits if strings were empty', () => {
    // 100 strings need at least 8 bytes each (their lengths): 100 bytes of room is not enough.
    const bytes = Buffer.concat([
      header(0, [Buffer.concat([str('a.s'), u32(9), u32(8), u64(100)])]),
      Buffer.alloc(100),
    ]);
    expect(modelFileError(() => parse(bytes)).message).toContain('is 100, more than the 100 bytes left');
  });

  it('an unknown value type, a nested array, an unknown tensor type, a misaligned offset', () => {
    expect(modelFileError(() => parse(header(0, [Buffer.concat([str('k'), u32(13), u32(0)])]))).message).toBe(
      'm.gguf is not a valid GGUF: key "k" has unknown value type 13',
    );
    expect(
      modelFileError(() => parse(header(0, [Buffer.concat([str('k'), u32(9), u32(9), u64(0)])]))).message,
    ).toBe('m.gguf is not a valid GGUF: array "k" has element type 9');
    const tensor = (type: number, offset: number) =>
      Buffer.concat([str('t'), u32(1), u64(32), u32(type), u64(offset)]);
    const withTensor = (t: Buffer) =>
      Buffer.concat([header(1, [kvString('general.architecture', 'llama')]), t, Buffer.alloc(256)]);
    expect(modelFileError(() => parse(withTensor(tensor(4, 0)))).message).toBe(
      'm.gguf is not a valid GGUF: tensor "t" has ggml type 4, which this llama.cpp does not know',
    );
    expect(modelFileError(() => parse(withTensor(tensor(0, 8)))).message).toBe(
      'm.gguf is not a valid GGUF: tensor "t" has data offset 8, expected 0',
    );
  });

  it('a prefix too short for the header asks for more bytes (the reader then reads more)', () => {
    try {
      parseGgufHeader(good.subarray(0, 100), good.length, 'm.gguf');
      throw new Error('expected NeedMoreBytes');
    } catch (error) {
      expect(error, 'NeedMoreBytes').toBeInstanceOf(NeedMoreBytes);
    }
  });
});

describe('reading a GGUF file', () => {
  it('reads only the header of a file and its size', async () => {
    const path = join(tempDir(), 'noise.gguf');
    const bytes = buildNoiseGguf();
    writeFileSync(path, bytes);
    const facts = await readGgufFacts(path);
    expect(facts.fileSizeBytes, 'size').toBe(bytes.length);
    expect(facts.parameterCount, 'parameters').toBe(362_112);
  });

  it('a header longer than the first 1 MiB read is read in full', async () => {
    // 100 000 strings of 24 bytes (8 length + 16 text): a 2.4 MB header.
    const many = Buffer.concat(
      Array.from({ length: 100_000 }, (_, i) => str(`token-${String(i).padStart(10, '0')}`)),
    );
    const kvs = [
      kvString('general.architecture', 'llama'),
      Buffer.concat([str('tokenizer.ggml.tokens'), u32(9), u32(8), u64(100_000), many]),
    ];
    const path = join(tempDir(), 'big-header.gguf');
    writeFileSync(path, header(0, kvs));
    const { header: parsed, fileSizeBytes } = await readGgufHeader(path);
    // preamble 24 + general.architecture kv 45 + tokens key, types and count 45 + strings
    expect(fileSizeBytes, 'file size').toBe(24 + 45 + 45 + 100_000 * 24);
    expect(parsed.metadata.get('tokenizer.ggml.tokens'), 'array kept as type and length').toEqual({
      arrayOf: 'string',
      length: 100_000,
    });
  });

  it('a missing file is NotFoundError (exit 6)', async () => {
    const error = await readGgufFacts(join(tempDir(), 'nope.gguf')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect((error as NotFoundError).exitCode).toBe(6);
  });
});

describe('architectures', () => {
  it('an unknown architecture is named', () => {
    const bytes = buildNoiseGguf();
    const at = bytes.indexOf('llama', 24 + 8 + 'general.architecture'.length);
    bytes.write('zzzzz', at, 'latin1'); // same length: the layout stays valid
    const facts = computeGgufFacts(parse(bytes), bytes.length, 'm.gguf');
    expect(facts.architecture, 'architecture').toBe('zzzzz');
    expect(facts.architectureKnown, 'unknown').toBe(false);
    expect(facts.blockCount, 'llama.* keys are not zzzzz.* keys').toBeNull();
    const e = modelFileError(() => checkKnownArchitecture(facts, 'm.gguf', 'llama.cpp'));
    expect(e.message).toBe('m.gguf: llama.cpp does not know architecture "zzzzz"');
  });

  it('a GGUF without general.architecture', () => {
    const bytes = header(0, [kvString('general.name', 'x')]);
    expect(modelFileError(() => computeGgufFacts(parse(bytes), bytes.length, 'm.gguf')).message).toBe(
      'm.gguf has no general.architecture: llama.cpp cannot tell what model it is',
    );
  });
});
