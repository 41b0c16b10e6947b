import type { Db } from './db.js';
import type { EngineInventory } from '../types/inventory-rows.js';
export type { EngineInventory } from '../types/inventory-rows.js';

/** Records how the engine ran the run's model (once, after its load). */
export function insertEngine(db: Db, runId: number, e: EngineInventory): void {
  db.prepare(
    `INSERT OR REPLACE INTO run_engines (run_id, engine, llama_cpp_release, compute_backend, devices_json, threads,
       gpu_layers, total_layers, context_size, batch_size, sequences, flash_attention, kv_cache_type, mmap,
       chat_template, engine_start_ms, model_load_ms, context_ms, prime_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    e.engine,
    e.llamaCppRelease,
    e.computeBackend,
    JSON.stringify(e.devices),
    e.threads,
    e.gpuLayers,
    e.totalLayers,
    e.contextSize,
    e.batchSize,
    e.sequences,
    e.flashAttention,
    e.kvCacheType,
    e.mmap ? 1 : 0,
    e.chatTemplate,
    e.engineStartMs,
    e.modelLoadMs,
    e.contextMs,
    e.primeMs,
  );
}

/** The engine a run ran on, or null (a model server's run, or an engine run that never loaded). */
export function getEngine(db: Db, runId: number): EngineInventory | null {
  const r = db.prepare('SELECT * FROM run_engines WHERE run_id = ?').get(runId) as
    Record<string, string | number | null> | undefined;
  if (r === undefined) return null;
  const n = (k: string): number => Number(r[k]);
  return {
    engine: String(r['engine']),
    llamaCppRelease: r['llama_cpp_release'] === null ? null : String(r['llama_cpp_release']),
    computeBackend: String(r['compute_backend']),
    devices: JSON.parse(String(r['devices_json'])) as string[],
    threads: n('threads'),
    gpuLayers: n('gpu_layers'),
    totalLayers: n('total_layers'),
    contextSize: n('context_size'),
    batchSize: n('batch_size'),
    sequences: n('sequences'),
    flashAttention: String(r['flash_attention']) as EngineInventory['flashAttention'],
    kvCacheType: String(r['kv_cache_type']),
    mmap: n('mmap') === 1,
    chatTemplate: String(r['chat_template']),
    engineStartMs: n('engine_start_ms'),
    modelLoadMs: n('model_load_ms'),
    contextMs: n('context_ms'),
    primeMs: n('prime_ms'),
  };
}
