import type { Virtualization } from './machine-state.js';
import type { ModelInfo } from './model-info.js';

/** The machine a run ran on. */
export interface MachineInventory {
  hostname: string;
  platform: string;
  osRelease: string;
  arch: string;
  cpuModel: string;
  cpuCores: number;
  memoryBytes: number;
  gpus: { vendor: string; model: string; vramBytes: number | null }[];
  nodeVersion: string;
  /** Which library or call gathered this. */
  collectedBy: string;
  /** Whether it is a virtual machine, with the signals behind it; absent: not recorded (older runs). */
  virtualization?: Virtualization;
  /** sha256 of /etc/machine-id: the machine across renames and databases; absent: not recorded, or none. */
  machineIdSha256?: string;
  /**
   * The GPUs' UUIDs ("GPU-5f3b2c1a-..."), sorted: which physical cards, where the model name cannot
   * tell a swapped card. Absent: not recorded (older runs), or no source (nvidia-smi, NVML) knew one.
   */
  gpuUuids?: string[];
}

/** The model a run measured, as the server described it. `sizeBytes` is the weights' size on disk. */
export interface ModelInventory extends ModelInfo {
  /** Its size once loaded, as the server reported it at the end of the run (/api/ps: weights + KV cache + buffers). */
  loadedSizeBytes: number | null;
  /** The part of the loaded size in GPU memory; below loadedSizeBytes, the model spills to the CPU. */
  sizeVramBytes: number | null;
  serverVersion: string | null;
}

/** How the embedded engine ran a run's model (table run_engines). */
export interface EngineInventory {
  /** "node-llama-cpp 3.21.1". */
  engine: string;
  llamaCppRelease: string | null;
  /** cuda, metal, vulkan or cpu: what llama.cpp found and used. */
  computeBackend: string;
  devices: string[];
  threads: number;
  /** Layers offloaded to the GPU, of totalLayers. */
  gpuLayers: number;
  totalLayers: number;
  /** Tokens per sequence, as created. */
  contextSize: number;
  batchSize: number;
  sequences: number;
  /** As the context reports it: 'auto' leaves the choice to llama.cpp, which does not say what it chose. */
  flashAttention: 'on' | 'off' | 'auto';
  kvCacheType: string;
  mmap: boolean;
  /** The chat wrapper node-llama-cpp resolved from the model's template. */
  chatTemplate: string;
  /** The cold start in parts, ms: engine process and llama.cpp, model load, context, one priming token. */
  engineStartMs: number;
  modelLoadMs: number;
  contextMs: number;
  primeMs: number;
}
