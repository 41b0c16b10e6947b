/**
 * A GGUF model costbench writes itself: llama architecture, a byte-level vocabulary with byte
 * fallback, random weights from a fixed seed. It loads and generates in llama.cpp like any model;
 * its answers are noise, its speed is real compute. Pure: the bytes are built in memory.
 *
 * Layout (GGUF v3): magic "GGUF", version, tensor count, metadata count, metadata key/values,
 * tensor infos (name, dims, type, offset), padding to the alignment, tensor data.
 */

/** The shape of a noise model. Defaults give a ~1.3 MB F32 model that decodes fast on one core. */
export interface NoiseModelShape {
  layers: number;
  embeddingLength: number;
  headCount: number;
  headCountKv: number;
  feedForwardLength: number;
  contextLength: number;
  /** F32 (ggml type 0) or F16 (ggml type 1) for the weight matrices; norms stay F32. */
  tensorType: 'f32' | 'f16';
  seed: number;
}

export const DEFAULT_NOISE_SHAPE: NoiseModelShape = {
  layers: 2,
  embeddingLength: 128,
  headCount: 4,
  headCountKv: 2,
  feedForwardLength: 256,
  contextLength: 2048,
  tensorType: 'f32',
  seed: 42,
};

/** The model's name in its metadata: every place that shows its answers says they are noise. */
export const NOISE_MODEL_NAME = 'costbench-noise (random weights: answers are noise)';

const ALIGNMENT = 32;
const VALUE = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 } as const;
const GGML_TYPE = { f32: 0, f16: 1 } as const;
/** llama.cpp token types: normal, unknown, control, byte. */
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

type Scalar =
  | { type: 'u32' | 'i32' | 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string };
type MetaValue =
  Scalar | { type: 'array'; of: 'i32' | 'f32' | 'string'; values: readonly (number | string)[] };

/** Appends little-endian values to a growing list of buffers. */
class ByteWriter {
  readonly parts: Buffer[] = [];
  length = 0;
  bytes(b: Buffer): void {
    this.parts.push(b);
    this.length += b.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.bytes(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.bytes(b);
  }
  string(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.bytes(b);
  }
  scalar(s: Scalar): void {
    const b = Buffer.alloc(s.type === 'bool' ? 1 : 4);
    if (s.type === 'string') return this.string(s.value);
    if (s.type === 'bool') b.writeUInt8(s.value ? 1 : 0);
    else if (s.type === 'u32') b.writeUInt32LE(s.value);
    else if (s.type === 'i32') b.writeInt32LE(s.value);
    else b.writeFloatLE(s.value);
    this.bytes(b);
  }
  pad(): void {
    this.bytes(Buffer.alloc((ALIGNMENT - (this.length % ALIGNMENT)) % ALIGNMENT));
  }
}

/** mulberry32: a small seeded generator, so the same seed writes the same file. */
function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** IEEE 754 half precision bits of a float (round to nearest even; no NaN input here). */
export function toHalfBits(value: number): number {
  const f32 = new Float32Array([value]);
  const bits = new Uint32Array(f32.buffer)[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 127 + 15;
  const mantissa = bits & 0x7fffff;
  if (exponent >= 0x1f) return sign | 0x7c00;
  if (exponent <= 0) {
    if (exponent < -10) return sign;
    const m = (mantissa | 0x800000) >>> (1 - exponent);
    return sign | ((m + 0x1000 + ((m >>> 13) & 1) - 1) >>> 13);
  }
  const rounded = mantissa + 0xfff + ((mantissa >>> 13) & 1);
  if (rounded & 0x800000) return exponent + 1 >= 0x1f ? sign | 0x7c00 : sign | ((exponent + 1) << 10);
  return sign | (exponent << 10) | (rounded >>> 13);
}

/** `<unk>`, `<s>`, `</s>`, the SentencePiece space `▁`, then the 256 byte tokens `<0x00>`..`<0xFF>`. */
function noiseVocabulary(): { tokens: string[]; types: number[] } {
  const bytes = Array.from({ length: 256 }, (_, i) => `<0x${i.toString(16).toUpperCase().padStart(2, '0')}>`);
  return {
    tokens: ['<unk>', '<s>', '</s>', '\u2581', ...bytes],
    types: [
      TOKEN_TYPE.unknown,
      TOKEN_TYPE.control,
      TOKEN_TYPE.control,
      TOKEN_TYPE.normal,
      ...bytes.map(() => TOKEN_TYPE.byte),
    ],
  };
}

/** A chat template llama.cpp's Jinja engine renders: role tags, then the assistant's turn. */
const CHAT_TEMPLATE =
  "{% for m in messages %}<|{{ m['role'] }}|>\n{{ m['content'] }}\n{% endfor %}" +
  '{% if add_generation_prompt %}<|assistant|>\n{% endif %}';

function metadata(shape: NoiseModelShape): [string, MetaValue][] {
  const u32 = (value: number): MetaValue => ({ type: 'u32', value });
  const vocab = noiseVocabulary();
  return [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: NOISE_MODEL_NAME }],
    ['general.alignment', u32(ALIGNMENT)],
    ['general.file_type', u32(shape.tensorType === 'f32' ? 0 : 1)],
    ['llama.context_length', u32(shape.contextLength)],
    ['llama.embedding_length', u32(shape.embeddingLength)],
    ['llama.block_count', u32(shape.layers)],
    ['llama.feed_forward_length', u32(shape.feedForwardLength)],
    ['llama.attention.head_count', u32(shape.headCount)],
    ['llama.attention.head_count_kv', u32(shape.headCountKv)],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.rope.dimension_count', u32(shape.embeddingLength / shape.headCount)],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'array', of: 'string', values: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'array', of: 'f32', values: vocab.tokens.map(() => 0) }],
    ['tokenizer.ggml.token_type', { type: 'array', of: 'i32', values: vocab.types }],
    ['tokenizer.ggml.bos_token_id', u32(1)],
    ['tokenizer.ggml.eos_token_id', u32(2)],
    ['tokenizer.ggml.unknown_token_id', u32(0)],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    // No "▁" before the first word: a text's tokens are its bytes, each space one "▁".
    ['tokenizer.ggml.add_space_prefix', { type: 'bool', value: false }],
    ['tokenizer.chat_template', { type: 'string', value: CHAT_TEMPLATE }],
  ];
}

/** A tensor to write: ggml dims (ne0 first), and whether it is a matrix (tensorType) or a norm (F32, ones). */
interface TensorSpec {
  name: string;
  dims: number[];
  matrix: boolean;
}

/** The llama tensors for a shape, in llama.cpp's names. */
export function noiseTensors(shape: NoiseModelShape): TensorSpec[] {
  const { embeddingLength: e, feedForwardLength: ff } = shape;
  const kv = (e / shape.headCount) * shape.headCountKv;
  const vocab = noiseVocabulary().tokens.length;
  const mat = (name: string, ne0: number, ne1: number): TensorSpec => ({
    name,
    dims: [ne0, ne1],
    matrix: true,
  });
  const norm = (name: string): TensorSpec => ({ name, dims: [e], matrix: false });
  const tensors = [
    mat('token_embd.weight', e, vocab),
    norm('output_norm.weight'),
    mat('output.weight', e, vocab),
  ];
  for (let l = 0; l < shape.layers; l += 1) {
    const b = `blk.${l}`;
    tensors.push(
      norm(`${b}.attn_norm.weight`),
      mat(`${b}.attn_q.weight`, e, e),
      mat(`${b}.attn_k.weight`, e, kv),
      mat(`${b}.attn_v.weight`, e, kv),
      mat(`${b}.attn_output.weight`, e, e),
      norm(`${b}.ffn_norm.weight`),
      mat(`${b}.ffn_gate.weight`, e, ff),
      mat(`${b}.ffn_down.weight`, ff, e),
      mat(`${b}.ffn_up.weight`, e, ff),
    );
  }
  return tensors;
}

function writeMetadata(w: ByteWriter, entries: readonly [string, MetaValue][]): void {
  for (const [key, value] of entries) {
    w.string(key);
    w.u32(VALUE[value.type]);
    if (value.type !== 'array') {
      w.scalar(value);
      continue;
    }
    w.u32(VALUE[value.of]);
    w.u64(value.values.length);
    for (const v of value.values)
      w.scalar(
        value.of === 'string' ? { type: 'string', value: String(v) } : { type: value.of, value: Number(v) },
      );
  }
}

function tensorData(t: TensorSpec, type: NoiseModelShape['tensorType'], random: () => number): Buffer {
  const n = t.dims.reduce((a, d) => a * d, 1);
  const half = t.matrix && type === 'f16';
  const b = Buffer.alloc(n * (half ? 2 : 4));
  // Weights uniform in ±0.5/√fan-in keep activations in range; norms are ones.
  const scale = 0.5 / Math.sqrt(t.dims[0] as number);
  for (let i = 0; i < n; i += 1) {
    const v = t.matrix ? (random() * 2 - 1) * scale : 1;
    if (half) b.writeUInt16LE(toHalfBits(v), i * 2);
    else b.writeFloatLE(v, i * 4);
  }
  return b;
}

/** The bytes of a noise model with this shape. Pure: the same shape and seed give the same bytes. */
export function buildNoiseGguf(shape: NoiseModelShape = DEFAULT_NOISE_SHAPE): Buffer {
  if (shape.embeddingLength % shape.headCount !== 0 || shape.headCount % shape.headCountKv !== 0) {
    throw new RangeError('embeddingLength must divide by headCount, and headCount by headCountKv');
  }
  const tensors = noiseTensors(shape);
  const random = seededRandom(shape.seed);
  const data = tensors.map((t) => tensorData(t, shape.tensorType, random));
  const w = new ByteWriter();
  w.bytes(Buffer.from('GGUF', 'latin1'));
  w.u32(3);
  w.u64(tensors.length);
  const entries = metadata(shape);
  w.u64(entries.length);
  writeMetadata(w, entries);
  let offset = 0;
  for (const [i, t] of tensors.entries()) {
    w.string(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.matrix ? GGML_TYPE[shape.tensorType] : GGML_TYPE.f32);
    w.u64(offset);
    const size = (data[i] as Buffer).length;
    offset += size + ((ALIGNMENT - (size % ALIGNMENT)) % ALIGNMENT);
  }
  w.pad();
  for (const d of data) {
    w.bytes(d);
    w.pad();
  }
  return Buffer.concat(w.parts);
}
