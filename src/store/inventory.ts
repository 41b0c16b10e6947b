import type { ModelArchitecture } from '../types/model-info.js';
import type { Virtualization, VirtualizationEvidence } from '../types/machine-state.js';
import type { Db } from './db.js';
import type { MachineInventory, ModelInventory } from '../types/inventory-rows.js';
export type { MachineInventory, ModelInventory } from '../types/inventory-rows.js';

/** A model as stored at the start of a run: its loaded size is known only at the end ({@link updateModelMemory}). */
export type NewModelInventory = Omit<ModelInventory, 'loadedSizeBytes'>;

/** Records the machine a run ran on, with its virtualization fact when it has one. */
export function insertMachine(db: Db, runId: number, m: MachineInventory): void {
  db.prepare(
    `INSERT INTO run_machines (run_id, hostname, platform, os_release, arch, cpu_model, cpu_cores, memory_bytes, gpus_json, node_version, collected_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    m.hostname,
    m.platform,
    m.osRelease,
    m.arch,
    m.cpuModel,
    m.cpuCores,
    m.memoryBytes,
    JSON.stringify(m.gpus),
    m.nodeVersion,
    m.collectedBy,
  );
  if (m.machineIdSha256 !== undefined)
    db.prepare('UPDATE run_machines SET machine_id_sha256 = ? WHERE run_id = ?').run(
      m.machineIdSha256,
      runId,
    );
  if (m.gpuUuids !== undefined) setGpuUuids(db, runId, m.gpuUuids);
  const v = m.virtualization;
  if (v === undefined) return;
  db.prepare('UPDATE run_machines SET is_vm = ?, vm_host = ?, vm_evidence_json = ? WHERE run_id = ?').run(
    v.isVm === null ? null : v.isVm ? 1 : 0,
    v.host,
    JSON.stringify(v.evidence),
    runId,
  );
}

/**
 * Records the UUIDs of the run machine's GPUs (sorted, each once); an empty list records nothing.
 * `onlyIfUnset`: keep UUIDs already recorded (a later source fills in only what the first lacked).
 */
export function setGpuUuids(db: Db, runId: number, uuids: readonly string[], onlyIfUnset = false): void {
  if (uuids.length === 0) return;
  const json = JSON.stringify([...new Set(uuids)].sort());
  const unset = onlyIfUnset ? ' AND gpu_uuids_json IS NULL' : '';
  db.prepare(`UPDATE run_machines SET gpu_uuids_json = ? WHERE run_id = ?${unset}`).run(json, runId);
}

/** The GPU UUIDs of a run_machines row; undefined when not recorded. */
function gpuUuidsOf(r: Record<string, unknown>): string[] | undefined {
  const json = r['gpu_uuids_json'];
  if (typeof json !== 'string') return undefined;
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((u): u is string => typeof u === 'string') : undefined;
}

/** The virtualization fact of a run_machines row; undefined when not recorded. */
function virtualizationOf(r: Record<string, unknown>): Virtualization | undefined {
  const evidence = r['vm_evidence_json'];
  if (typeof evidence !== 'string') return undefined;
  const isVm = r['is_vm'] === null || r['is_vm'] === undefined ? null : Number(r['is_vm']) === 1;
  const host = typeof r['vm_host'] === 'string' ? r['vm_host'] : null;
  return { isVm, host, evidence: JSON.parse(evidence) as VirtualizationEvidence[] };
}

export function insertModel(db: Db, runId: number, m: NewModelInventory): void {
  const a = m.architecture;
  db.prepare(
    `INSERT INTO run_models (run_id, name, digest, family, parameter_size, parameter_count, quantization,
       context_length, size_bytes, size_vram_bytes, server_version, architecture, block_count, head_count,
       head_count_kv, embedding_length, key_length, value_length)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    runId,
    m.name,
    m.digest,
    m.family,
    m.parameterSize,
    m.parameterCount,
    m.quantization,
    m.contextLength,
    m.sizeBytes,
    m.sizeVramBytes,
    m.serverVersion,
    a?.name ?? null,
    a?.blockCount ?? null,
    a?.headCount ?? null,
    a?.headCountKv ?? null,
    a?.embeddingLength ?? null,
    a?.keyLength ?? null,
    a?.valueLength ?? null,
  );
}

/**
 * Records the model's size once loaded as the server reported it (size_vram < size: it spills to
 * the CPU). It goes beside the weights' size, never over it: the roofline reads the weights.
 */
export function updateModelMemory(
  db: Db,
  runId: number,
  loadedSizeBytes: number | null,
  sizeVramBytes: number | null,
): void {
  db.prepare('UPDATE run_models SET loaded_size_bytes = ?, size_vram_bytes = ? WHERE run_id = ?').run(
    loadedSizeBytes,
    sizeVramBytes,
    runId,
  );
}

/** The machine a run ran on, with its virtualization fact where one was recorded; null if none. */
export function getMachine(db: Db, runId: number): MachineInventory | null {
  const r = db.prepare('SELECT * FROM run_machines WHERE run_id = ?').get(runId) as
    Record<string, unknown> | undefined;
  if (r === undefined) return null;
  const virtualization = virtualizationOf(r);
  const gpuUuids = gpuUuidsOf(r);
  return {
    hostname: String(r['hostname']),
    platform: String(r['platform']),
    osRelease: String(r['os_release']),
    arch: String(r['arch']),
    cpuModel: String(r['cpu_model']),
    cpuCores: Number(r['cpu_cores']),
    memoryBytes: Number(r['memory_bytes']),
    gpus: JSON.parse(String(r['gpus_json'])) as MachineInventory['gpus'],
    nodeVersion: String(r['node_version']),
    collectedBy: String(r['collected_by']),
    ...(virtualization === undefined ? {} : { virtualization }),
    ...(typeof r['machine_id_sha256'] === 'string' ? { machineIdSha256: r['machine_id_sha256'] } : {}),
    ...(gpuUuids === undefined ? {} : { gpuUuids }),
  };
}

export function getModel(db: Db, runId: number): ModelInventory | null {
  const r = db.prepare('SELECT * FROM run_models WHERE run_id = ?').get(runId) as
    Record<string, string | number | null> | undefined;
  if (r === undefined) return null;
  const str = (k: string): string | null => (r[k] === null || r[k] === undefined ? null : String(r[k]));
  const num = (k: string): number | null => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
  return {
    name: String(r['name']),
    digest: str('digest'),
    family: str('family'),
    parameterSize: str('parameter_size'),
    parameterCount: num('parameter_count'),
    quantization: str('quantization'),
    contextLength: num('context_length'),
    sizeBytes: num('size_bytes'),
    loadedSizeBytes: num('loaded_size_bytes'),
    sizeVramBytes: num('size_vram_bytes'),
    serverVersion: str('server_version'),
    architecture: architectureOf(r),
  };
}

function architectureOf(r: Record<string, string | number | null>): ModelArchitecture | null {
  if (r['architecture'] === null || r['architecture'] === undefined) return null;
  const num = (k: string): number | null => (r[k] === null || r[k] === undefined ? null : Number(r[k]));
  return {
    name: String(r['architecture']),
    blockCount: num('block_count'),
    headCount: num('head_count'),
    headCountKv: num('head_count_kv'),
    embeddingLength: num('embedding_length'),
    keyLength: num('key_length'),
    valueLength: num('value_length'),
  };
}
