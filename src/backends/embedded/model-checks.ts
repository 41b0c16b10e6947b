/**
 * Checks on a model's GGUF header before llama.cpp loads it: what llama.cpp would refuse with a
 * vague "Failed to load model", or not refuse at all (a model larger than memory pages forever
 * through mmap instead of failing). Pure.
 */
import { ModelFileError } from '../../errors.js';
import type { ModelFacts } from './protocol.js';

/** Memory the model's weights may use: RAM, plus GPU memory where there is a GPU backend. */
export interface MemoryBudget {
  ramBytes: number;
  vramBytes: number;
}

const GB = 1e9;

/** The first problem with a model that is a readable GGUF, as the error to throw; null when it may load. */
export function checkModelFacts(f: ModelFacts, memory: MemoryBudget): ModelFileError | null {
  if (!f.complete) {
    return new ModelFileError(
      `${f.path} is truncated: its tensors need ${f.weightsBytes} bytes of data, the file has ${f.fileBytes} bytes in all`,
      'The download or copy did not finish: fetch the model again.',
    );
  }
  if (!f.supported) {
    return new ModelFileError(
      `${f.path}: unknown model architecture "${f.architecture.name}" (the llama.cpp inside node-llama-cpp cannot run it)`,
      'Use a model of a supported architecture (llama, qwen2, gemma, phi3, mistral…), or a newer node-llama-cpp.',
    );
  }
  const budget = memory.ramBytes + memory.vramBytes;
  if (f.weightsBytes > budget) {
    const gpu = memory.vramBytes > 0 ? ` + ${(memory.vramBytes / GB).toFixed(1)} GB GPU memory` : '';
    return new ModelFileError(
      `${f.path}: its weights take ${(f.weightsBytes / GB).toFixed(1)} GB, more than this machine's ` +
        `${(memory.ramBytes / GB).toFixed(1)} GB RAM${gpu}`,
      'Use a smaller model or a smaller quantization (e.g. Q4_K_M instead of F16).',
    );
  }
  return null;
}
