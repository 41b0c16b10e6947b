/**
 * Whether a model's weights can fit in this machine's memory at all. Pure: the caller gives the
 * RAM (and VRAM) figures. A coarse guard against starting a load that cannot work, not a
 * prediction: llama.cpp memory-maps the weights, so a model somewhat larger than free RAM may
 * still run (slowly, paging from disk); one larger than RAM and VRAM together will not run well.
 */
import { ModelFileError } from '../errors.js';

/**
 * What a load needs beyond the weights, stated rather than measured: the KV cache and compute
 * buffers at a few thousand tokens of context, and the runtime itself, for the small and medium
 * models costbench is meant for. Pass your own `allowanceBytes` for long contexts.
 */
export const DEFAULT_MEMORY_ALLOWANCE_BYTES = 512 * 1024 * 1024;

/** Inputs of the memory check. */
export interface MemoryFitInput {
  /** Bytes of the model's tensor data (GgufFacts.tensorDataBytes). */
  weightsBytes: number;
  /** Total RAM (os.totalmem()). */
  ramBytes: number;
  /** Total VRAM of the GPUs the engine may use; 0 or omitted for CPU only. */
  vramBytes?: number;
  allowanceBytes?: number;
}

/** The figures of the memory check. */
export interface MemoryFit {
  fits: boolean;
  requiredBytes: number;
  availableBytes: number;
  allowanceBytes: number;
}

/** Compares the weights plus the allowance with RAM plus VRAM. */
export function computeMemoryFit(input: MemoryFitInput): MemoryFit {
  const allowanceBytes = input.allowanceBytes ?? DEFAULT_MEMORY_ALLOWANCE_BYTES;
  const requiredBytes = input.weightsBytes + allowanceBytes;
  const availableBytes = input.ramBytes + (input.vramBytes ?? 0);
  return { fits: requiredBytes <= availableBytes, requiredBytes, availableBytes, allowanceBytes };
}

/** GiB with 2 decimals; MiB with 1 below 1 GiB, so small models do not read as 0.00. */
const formatBytes = (bytes: number): string =>
  bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(2)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

/** Throws ModelFileError with the figures when the model cannot fit. */
export function checkMemoryFit(input: MemoryFitInput, label: string): MemoryFit {
  const fit = computeMemoryFit(input);
  if (fit.fits) return fit;
  const vram = input.vramBytes ? ` + VRAM ${formatBytes(input.vramBytes)}` : '';
  throw new ModelFileError(
    `${label} is larger than this machine's memory: weights ${formatBytes(input.weightsBytes)} ` +
      `+ allowance ${formatBytes(fit.allowanceBytes)} = ${formatBytes(fit.requiredBytes)} ` +
      `> RAM ${formatBytes(input.ramBytes)}${vram}`,
    'Use a smaller model or a stronger quantization (e.g. Q4_K_M instead of Q8_0 or F16).',
  );
}
