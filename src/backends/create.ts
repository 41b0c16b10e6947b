import type { Config } from '../config/schema.js';
import type { Backend } from './backend.js';
import type { EngineLoadSettings } from './embedded/protocol.js';
import { LlamaCppBackend, type LlamaCppBackendOptions } from './llama-cpp.js';
import { OllamaBackend } from './ollama.js';
import { OpenAiBackend } from './openai.js';
import { isRemoteBackend, knownRemoteHost } from './remote-hosts.js';

/** What the embedded engine needs beyond the config: the model, where paths start, how many sequences. */
export interface EmbeddedRun {
  /** --model: a GGUF path; null when none was given. */
  modelSpec: string | null;
  cwd: string;
  /** The most requests in flight at once (the largest concurrency level). */
  sequences: number;
  /** This run's thread count (one value of a threads sweep). */
  threads: number | 'auto';
  /** Progress of a model download, and a signal that stops it. */
  onDownloadProgress?: LlamaCppBackendOptions['onDownloadProgress'];
  onDownloadDone?: () => void;
  signal?: AbortSignal;
}

/** The thread counts a config asks for, in order: one run each ("auto" is one value). */
export function threadLevels(backend: Config['backend']): (number | 'auto')[] {
  const t = backend.threads;
  return t === 'auto' ? ['auto'] : typeof t === 'number' ? [t] : [...t];
}

/** The embedded engine's load settings from the config. */
export function engineLoadSettings(
  backend: Config['backend'],
  run: Pick<EmbeddedRun, 'sequences' | 'threads'>,
): EngineLoadSettings {
  return {
    threads: run.threads,
    gpuLayers: backend.gpuLayers,
    contextSize: backend.contextSize,
    batchSize: backend.batchSize,
    flashAttention: backend.flashAttention,
    kvCacheType: backend.kvCacheType,
    mmap: backend.mmap,
    sequences: Math.max(1, run.sequences),
  };
}

/**
 * The backend the config names, at the resolved host. The API key is read from the environment only.
 * The embedded engine (kind llama-cpp) takes its model and sequences from `embedded`.
 */
export function createBackend(
  backend: Config['backend'],
  host: string,
  env: NodeJS.ProcessEnv,
  embedded?: EmbeddedRun,
): Backend {
  if (backend.kind === 'ollama') return new OllamaBackend({ host });
  if (backend.kind === 'llama-cpp') {
    const run = embedded ?? {
      modelSpec: null,
      cwd: '.',
      sequences: 1,
      threads: threadLevels(backend)[0] ?? 'auto',
    };
    return new LlamaCppBackend({
      modelSpec: run.modelSpec,
      cwd: run.cwd,
      load: engineLoadSettings(backend, run),
      seed: backend.seed,
      env,
      ...(run.onDownloadProgress === undefined ? {} : { onDownloadProgress: run.onDownloadProgress }),
      ...(run.signal === undefined ? {} : { signal: run.signal }),
      ...(run.onDownloadDone === undefined ? {} : { onDownloadDone: run.onDownloadDone }),
    });
  }
  // The key comes from the environment only: backend.apiKeyEnv, else (a known API host) its provider's usual variable.
  const known = knownRemoteHost(host);
  const keyEnv =
    nonEmpty(env[backend.apiKeyEnv]) === null && known !== null && nonEmpty(env[known.keyEnv]) !== null
      ? known.keyEnv
      : backend.apiKeyEnv;
  return new OpenAiBackend({
    host,
    flavor: backend.flavor,
    apiKey: nonEmpty(env[keyEnv]),
    apiKeyEnv: keyEnv,
    remote: isRemoteBackend(backend, host),
  });
}

function nonEmpty(value: string | undefined): string | null {
  return value === undefined || value === '' ? null : value;
}
