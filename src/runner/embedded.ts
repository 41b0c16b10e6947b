/**
 * What `costbench run` does only for the embedded engine (backend llama-cpp): its model is a file,
 * its settings come with the run, its facts (threads, layers, cold start) are stored after the
 * load, and its failures end the run with their own exit codes: 7 for a model llama.cpp will not
 * load, 9 for an engine process that died.
 */
import type { Backend } from '../backends/backend.js';
import type { EmbeddedRun } from '../backends/create.js';
import { LlamaCppBackend } from '../backends/llama-cpp.js';
import type { Config } from '../config/schema.js';
import { validateConfig } from '../config/validate.js';
import { ConfigError, CostbenchError, EXIT, ModelFileError } from '../errors.js';
import { NOISE_MODEL_NAME } from '../models/noise-gguf.js';
import type { Db } from '../store/db.js';
import { insertEngine, type EngineInventory } from '../store/engine.js';
import { addRunWarning } from '../store/runs.js';

/** Said wherever the noise model's answers appear. */
export const NOISE_WARNING =
  'noise model: answers are noise; speeds are real compute (costbench-noise, random weights)';

/** The embedded engine's process died mid-run (exit 9); the finished requests are kept. */
export class EngineCrashedError extends CostbenchError {
  constructor(message: string, hint: string) {
    super(message, { hint, exitCode: EXIT.engineCrashed });
  }
}

/** The embedded run's model, sequences and threads; refuses a run without a model file. */
export function embeddedRunOf(
  runSettings: Config['run'],
  cwd: string,
  threads: number | 'auto',
): EmbeddedRun {
  if (runSettings.model === null) {
    throw new ConfigError(
      'the embedded engine (--backend llama-cpp) needs a model file: --model <file.gguf>',
      'Give a GGUF path, or run `costbench demo` to try it on a model costbench generates.',
    );
  }
  return { modelSpec: runSettings.model, cwd, sequences: Math.max(...runSettings.concurrency), threads };
}

/**
 * The backend settings a resumed embedded run started with (threads, layers, context…), so the
 * rest of it is measured as its first part was; today's config for anything it did not store.
 */
export function storedBackend(
  settings: Record<string, unknown>,
  today: Config['backend'],
): Config['backend'] {
  const stored = settings['backend'];
  if (stored === null || typeof stored !== 'object') return today;
  const { host: _host, ...keys } = stored as Record<string, unknown>;
  void _host;
  try {
    return validateConfig({ backend: { ...today, ...keys } }).backend;
  } catch {
    return today;
  }
}

/** Warns, on the run and on stderr, when the model is costbench's generated noise model. */
export function markNoiseModel(
  db: Db,
  runId: number,
  backend: Backend,
  stderr: (text: string) => void,
): void {
  if (!(backend instanceof LlamaCppBackend) || backend.engineFacts().model?.name !== NOISE_MODEL_NAME) return;
  addRunWarning(db, runId, NOISE_WARNING);
  stderr(`${NOISE_WARNING}\n`);
}

/** The engine's facts as stored with the run; null before a load. */
export function engineInventoryOf(backend: LlamaCppBackend): EngineInventory | null {
  const { info, loaded } = backend.engineFacts();
  if (info === null || loaded === null) return null;
  return {
    engine: `node-llama-cpp ${info.nodeLlamaCppVersion}`,
    llamaCppRelease: info.llamaCppRelease,
    computeBackend: info.computeBackend,
    devices: info.devices,
    threads: loaded.threads,
    gpuLayers: loaded.gpuLayers,
    totalLayers: loaded.totalLayers,
    contextSize: loaded.contextSize,
    batchSize: loaded.batchSize,
    sequences: loaded.sequences,
    flashAttention: loaded.flashAttention,
    kvCacheType: loaded.kvCacheType,
    mmap: loaded.mmap,
    chatTemplate: loaded.chatWrapper,
    engineStartMs: info.startMs,
    modelLoadMs: loaded.modelLoadMs,
    contextMs: loaded.contextMs,
    primeMs: loaded.primeMs,
  };
}

/** A warning when a GPU backend runs only part of the layers (the rest on the CPU), else null. Pure. */
export function describeLayerSpill(e: EngineInventory): string | null {
  if (e.computeBackend === 'cpu' || e.gpuLayers >= e.totalLayers) return null;
  return (
    `only ${e.gpuLayers} of ${e.totalLayers} layers run on the GPU (${e.computeBackend}), the rest on the CPU: ` +
    'decoding is slower than a full offload (free GPU memory, a smaller --context-size or quantization would fit more)'
  );
}

/** Stores how the engine ran the model, and warns of layers left on the CPU and formats not enforced. */
export function recordEngine(db: Db, runId: number, backend: Backend, stderr: (text: string) => void): void {
  if (!(backend instanceof LlamaCppBackend)) return;
  for (const note of backend.notes()) {
    addRunWarning(db, runId, note);
    stderr(`warning: ${note}\n`);
  }
  const inventory = engineInventoryOf(backend);
  if (inventory === null) return;
  insertEngine(db, runId, inventory);
  const spill = describeLayerSpill(inventory);
  if (spill === null) return;
  addRunWarning(db, runId, spill);
  stderr(`warning: ${spill}\n`);
}

/** The error that ends an embedded run whose engine failed (7: the model file, 9: a crash), or null. */
export function engineFailureOf(backend: Backend, runId: number): CostbenchError | null {
  if (!(backend instanceof LlamaCppBackend)) return null;
  const f = backend.failure();
  if (f === null) return null;
  if (f.kind === 'model-file') return new ModelFileError(f.message, f.hint ?? undefined);
  return new EngineCrashedError(
    `${f.message} during run ${runId}; the requests it finished are kept`,
    `See them with \`costbench report ${runId}\`; run the rest with \`costbench run --resume ${runId}\` ` +
      '(out of memory? a smaller model, --context-size or fewer --concurrency)',
  );
}
