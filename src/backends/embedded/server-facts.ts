/**
 * The embedded engine's configuration as server facts: what node-llama-cpp reported when it
 * started (version, llama.cpp release, compute backend) and when it loaded the model (the
 * settings as llama.cpp resolved them). Known only after the load: read them after the warm-up.
 */
import { emptyServerFacts, type ServerFacts, type ServerSetting } from '../server-facts.js';
import type { EngineInfo, EngineLoadSettings, LoadedEngine, ModelFacts } from './protocol.js';

/** What the engine has reported so far; null before it did. */
export interface EngineReports {
  info: EngineInfo | null;
  model: ModelFacts | null;
  loaded: LoadedEngine | null;
}

/** "100% CPU", "100% GPU", or "20/29 layers on GPU" (the rest on the CPU). Pure. */
export function formatEnginePlacement(info: EngineInfo, loaded: LoadedEngine): string {
  if (info.computeBackend === 'cpu' || loaded.gpuLayers === 0) return '100% CPU';
  if (loaded.gpuLayers >= loaded.totalLayers) return '100% GPU';
  return `${loaded.gpuLayers}/${loaded.totalLayers} layers on GPU`;
}

/** The settings llama.cpp applied, beside what the config asked for (`config.*`, e.g. "auto"). */
function settingsOf(
  info: EngineInfo | null,
  loaded: LoadedEngine | null,
  asked: EngineLoadSettings,
  seed: number | null,
): Record<string, ServerSetting> {
  const out: Record<string, ServerSetting> = {};
  if (info !== null) {
    out['computeBackend'] = info.computeBackend;
    out['devices'] = info.devices.join(', ');
  }
  if (loaded !== null) {
    Object.assign(out, {
      threads: loaded.threads,
      gpuLayers: loaded.gpuLayers,
      totalLayers: loaded.totalLayers,
      contextSize: loaded.contextSize,
      batchSize: loaded.batchSize,
      sequences: loaded.sequences,
      flashAttention: loaded.flashAttention,
      kvCacheType: loaded.kvCacheType,
      mmap: loaded.mmap,
      chatWrapper: loaded.chatWrapper,
    });
  }
  for (const [name, value] of Object.entries(asked)) out[`config.${name}`] = value as ServerSetting;
  out['seed'] = seed;
  return out;
}

/**
 * Server facts from the engine's reports, the load settings the config asked for, and the run's
 * seed (null: the engine's time-based default). Pure.
 */
export function computeEmbeddedFacts(
  reports: EngineReports,
  asked: EngineLoadSettings,
  seed: number | null,
): ServerFacts {
  const facts = emptyServerFacts('embedded');
  const { info, model, loaded } = reports;
  facts.settings = settingsOf(info, loaded, asked, seed);
  if (info === null) facts.errors.push('the engine has not started (read the facts after the warm-up)');
  else {
    facts.version = info.nodeLlamaCppVersion;
    facts.build = info.llamaCppRelease;
  }
  if (loaded === null) facts.errors.push('the model is not loaded (read the facts after the warm-up)');
  else {
    facts.contextLength = loaded.contextSize;
    facts.slots = loaded.sequences;
    if (info !== null) facts.placement = formatEnginePlacement(info, loaded);
  }
  if (model !== null) {
    facts.maxModelLength = model.contextLength;
    if (model.contextLength === null) facts.errors.push("the model's GGUF header states no context_length");
  }
  return facts;
}
