/**
 * The facts costbench shows and stores about a GGUF model, computed from its parsed header.
 * Pure: the file is read by read-gguf.ts.
 */
import { ModelFileError } from '../errors.js';
import type { GgufHeader, GgufValue } from './gguf-header.js';
import { LLAMA_FILE_TYPES } from './ggml-types.js';
import { isKnownArchitecture } from './known-architectures.js';

/** Bytes of tensors of one ggml type. */
export interface GgufTensorTypeShare {
  typeName: string;
  tensors: number;
  bytes: number;
}

/** A GGUF model's facts, from its header and its size. */
export interface GgufFacts {
  fileSizeBytes: number;
  ggufVersion: 2 | 3;
  /** `general.architecture`, e.g. "llama", "qwen2". */
  architecture: string;
  /** Whether the llama.cpp bundled with node-llama-cpp knows the architecture. */
  architectureKnown: boolean;
  /** `general.name`, when present. */
  name: string | null;
  /** `general.file_type` (llama_ftype), when present, and its name ("Q4_K_M"). */
  fileType: number | null;
  fileTypeName: string | null;
  parameterCount: number;
  /** `general.parameter_count` when the file states it, else the sum of the tensors' elements. */
  parameterCountSource: 'metadata' | 'tensors';
  blockCount: number | null;
  contextLength: number | null;
  embeddingLength: number | null;
  headCount: number | null;
  headCountKv: number | null;
  keyLength: number | null;
  valueLength: number | null;
  tensorCount: number;
  metadataCount: number;
  alignmentBytes: number;
  dataOffsetBytes: number;
  /** Bytes of all tensor data (the weights), padding excluded. */
  tensorDataBytes: number;
  /** Tensor bytes per ggml type, largest first: what the weights are really stored as. */
  tensorTypes: GgufTensorTypeShare[];
}

const numberOrNull = (v: GgufValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** The facts of a parsed header. Throws ModelFileError when `general.architecture` is missing. */
export function computeGgufFacts(header: GgufHeader, fileSizeBytes: number, label: string): GgufFacts {
  const m = header.metadata;
  const architecture = readArchitecture(m, label);
  const arch = (key: string): number | null => numberOrNull(m.get(`${architecture}.${key}`));
  const fileType = numberOrNull(m.get('general.file_type'));
  const stated = numberOrNull(m.get('general.parameter_count'));
  const name = m.get('general.name');
  return {
    fileSizeBytes,
    ggufVersion: header.version,
    architecture,
    architectureKnown: isKnownArchitecture(architecture),
    name: typeof name === 'string' ? name : null,
    fileType,
    fileTypeName: fileType === null ? null : (LLAMA_FILE_TYPES.get(fileType) ?? `file type ${fileType}`),
    parameterCount: stated ?? header.tensors.reduce((a, t) => a + t.elements, 0),
    parameterCountSource: stated === null ? 'tensors' : 'metadata',
    blockCount: arch('block_count'),
    contextLength: arch('context_length'),
    embeddingLength: arch('embedding_length'),
    headCount: arch('attention.head_count'),
    headCountKv: arch('attention.head_count_kv'),
    keyLength: arch('attention.key_length'),
    valueLength: arch('attention.value_length'),
    tensorCount: header.tensors.length,
    metadataCount: m.size,
    alignmentBytes: header.alignmentBytes,
    dataOffsetBytes: header.dataOffsetBytes,
    tensorDataBytes: header.tensors.reduce((a, t) => a + t.sizeBytes, 0),
    tensorTypes: computeTensorTypes(header),
  };
}

function readArchitecture(m: ReadonlyMap<string, GgufValue>, label: string): string {
  const architecture = m.get('general.architecture');
  if (typeof architecture === 'string' && architecture !== '') return architecture;
  throw new ModelFileError(
    `${label} has no general.architecture: llama.cpp cannot tell what model it is`,
    "Use a GGUF written by llama.cpp's converters (convert_hf_to_gguf.py).",
  );
}

function computeTensorTypes(header: GgufHeader): GgufTensorTypeShare[] {
  const byType = new Map<string, GgufTensorTypeShare>();
  for (const t of header.tensors) {
    const share = byType.get(t.typeName) ?? { typeName: t.typeName, tensors: 0, bytes: 0 };
    share.tensors += 1;
    share.bytes += t.sizeBytes;
    byType.set(t.typeName, share);
  }
  return [...byType.values()].sort((a, b) => b.bytes - a.bytes || a.typeName.localeCompare(b.typeName));
}

/**
 * Throws ModelFileError when the bundled llama.cpp does not know the model's architecture, naming
 * it: loading would fail with "unknown model architecture".
 */
export function checkKnownArchitecture(facts: GgufFacts, label: string, engine: string): void {
  if (facts.architectureKnown) return;
  throw new ModelFileError(
    `${label}: ${engine} does not know architecture "${facts.architecture}"`,
    'Use a model of an architecture llama.cpp supports (llama, qwen2, gemma3, phi3…) or update costbench.',
  );
}
