/**
 * The embedded engine: costbench runs the model itself through node-llama-cpp (llama.cpp), in a
 * child process (embedded/engine-child.ts), with no server. Counts come from the model's own
 * tokenizer and timings from the engine's clock (metricsSource 'server'), beside costbench's clock.
 */
import { totalmem } from 'node:os';
import { ModelFileError, describeError } from '../errors.js';
import type {
  Backend,
  ChatRequest,
  ChatResult,
  ChunkListener,
  GenerationOptions,
  LoadedModel,
  ModelInfo,
  WarmupResult,
} from './backend.js';
import { EngineClient } from './embedded/engine-client.js';
import { checkModelFacts } from './embedded/model-checks.js';
import { resolveModelFile } from '../models/resolve-model-file.js';
import type { DownloadProgress } from '../models/download-file.js';
import type {
  EngineFailure,
  EngineInfo,
  EngineLoadSettings,
  LoadedEngine,
  ModelFacts,
} from './embedded/protocol.js';
import { toChatResult, type ClientTimes } from './embedded/chat-result.js';
import { computeEmbeddedFacts } from './embedded/server-facts.js';
import type { ServerFacts } from './server-facts.js';

/** The `host` of an embedded run: there is no server address. */
export const EMBEDDED_HOST = 'embedded';

export interface LlamaCppBackendOptions {
  /** The --model spec (a GGUF path), or null when none was given. */
  modelSpec: string | null;
  cwd: string;
  /** How the model is loaded; `sequences` is the most requests the run keeps in flight. */
  load: EngineLoadSettings;
  /** Seed for requests that set none; null: the engine's (time-based) default. */
  seed: number | null;
  now?: () => number;
  client?: EngineClient;
  /** RAM for the larger-than-memory check (default: this machine's). */
  ramBytes?: number;
  /** Progress of a model download (an `hf:` or https spec not yet in the cache). */
  onDownloadProgress?: (progress: DownloadProgress) => void;
  /** Called once the model file is resolved (or failed): ends a progress bar's line. */
  onDownloadDone?: () => void;
  /** Stops a download (its part file is kept for the next run). */
  signal?: AbortSignal;
  /** Environment for the model cache and the hub (COSTBENCH_MODEL_CACHE, XDG_CACHE_HOME, HF_TOKEN). */
  env?: NodeJS.ProcessEnv;
}

/** What the engine said about itself and the model, for the run's inventory. */
export interface EngineFacts {
  info: EngineInfo | null;
  model: ModelFacts | null;
  loaded: LoadedEngine | null;
}

/** The embedded llama.cpp engine as a {@link Backend}. */
export class LlamaCppBackend implements Backend {
  readonly kind = 'llama-cpp' as const;
  readonly host = EMBEDDED_HOST;
  private readonly client: EngineClient;
  private readonly now: () => number;
  private facts: EngineFacts = { info: null, model: null, loaded: null };
  /** What the engine could not enforce of the requests' formats, once each. */
  private readonly formatNotes = new Set<string>();
  /** The load in progress: requests that arrive together (no warm-up, concurrency > 1) share it. */
  private loading: Promise<LoadedEngine> | null = null;
  /** A failure that ends the run with its own exit code: the model file (7) or a crash (9). */
  private fatal: { kind: 'model-file' | 'crashed'; message: string; hint: string | null } | null = null;

  constructor(private readonly options: LlamaCppBackendOptions) {
    this.client = options.client ?? new EngineClient();
    this.now = options.now ?? (() => performance.now());
  }

  /** The engine's and the model's facts gathered so far. */
  engineFacts(): EngineFacts {
    return this.facts;
  }

  /** The failure that ended the run, if one did: a model llama.cpp would not load, or an engine crash. */
  failure(): { kind: 'model-file' | 'crashed'; message: string; hint: string | null } | null {
    return (
      this.fatal ??
      (this.client.crash === null
        ? null
        : { kind: 'crashed', message: this.client.crash.message, hint: null })
    );
  }

  /** Notes on formats the engine enforced only in part (a JSON schema it could not make a grammar). */
  notes(): string[] {
    return [...this.formatNotes];
  }

  /** The engine's process id while it runs. */
  get enginePid(): number | null {
    return this.client.pid;
  }

  private async info(): Promise<EngineInfo> {
    if (this.facts.info !== null) return this.facts.info;
    const reply = await this.client.request({ type: 'start' });
    if (reply.type === 'failed') throw failureError(reply.failure);
    if (reply.type !== 'started') throw new Error(`engine answered ${reply.type} to start`);
    this.facts.info = reply.info;
    return reply.info;
  }

  async version(): Promise<string> {
    const i = await this.info();
    const where =
      i.computeBackend === 'cpu'
        ? 'CPU'
        : `${i.computeBackend.toUpperCase()}: ${i.devices.join(', ') || 'no device named'}`;
    return `node-llama-cpp ${i.nodeLlamaCppVersion} (llama.cpp binaries ${i.llamaCppRelease}, ${where})`;
  }

  /** Reads the model's GGUF header in the engine and checks it can be loaded here (exit 7 when not). */
  private async inspect(spec: string): Promise<ModelFacts> {
    if (this.facts.model !== null) return this.facts.model;
    const info = await this.info();
    // Downloaded (or found in the cache) and checked as a GGUF; the memory check below knows the GPU too.
    const { path } = await resolveModelFile(spec, {
      cwd: this.options.cwd,
      ...(this.options.env === undefined ? {} : { env: this.options.env }),
      ...(this.options.onDownloadProgress === undefined
        ? {}
        : { onProgress: this.options.onDownloadProgress }),
      ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
    }).finally(() => this.options.onDownloadDone?.());
    const reply = await this.client.request({ type: 'inspect', path });
    if (reply.type === 'failed') throw failureError(reply.failure);
    if (reply.type !== 'inspected') throw new Error(`engine answered ${reply.type} to inspect`);
    const problem = checkModelFacts(reply.facts, {
      ramBytes: this.options.ramBytes ?? totalmem(),
      vramBytes: info.vramBytes,
    });
    if (problem !== null) throw problem;
    this.facts.model = reply.facts;
    return reply.facts;
  }

  async listModels(): Promise<ModelInfo[]> {
    const spec = this.options.modelSpec;
    return spec === null ? [] : [toModelInfo(spec, await this.inspect(spec))];
  }

  async showModel(name: string): Promise<ModelInfo> {
    return toModelInfo(name, await this.inspect(name));
  }

  async loadedModels(): Promise<LoadedModel[]> {
    const l = this.facts.loaded;
    const name = this.options.modelSpec;
    if (l === null || name === null) return [];
    // On the CPU backend no GPU memory is involved: unknown, not a spill to the CPU.
    const vram = this.facts.info?.computeBackend === 'cpu' ? null : l.vramBytes;
    return [
      { name, sizeBytes: l.memoryBytes, sizeVramBytes: vram, contextLength: l.contextSize, expiresAt: null },
    ];
  }

  /**
   * The engine's version, the settings llama.cpp resolved (context, threads, layers on the GPU)
   * and the compute backend. Known only once the model is loaded: call it after the warm-up.
   * Starts nothing; asks the engine nothing (it reported all of it while loading).
   */
  async serverFacts(): Promise<ServerFacts> {
    return computeEmbeddedFacts(this.facts, this.options.load, this.options.seed);
  }

  /** Loads the model and its context once, however many requests ask at the same time. */
  private load(model: string): Promise<LoadedEngine> {
    if (this.facts.loaded !== null) return Promise.resolve(this.facts.loaded);
    this.loading ??= this.loadOnce(model).finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** Loads the model and its context; the failure of a load is a model-file failure (exit 7). */
  private async loadOnce(model: string): Promise<LoadedEngine> {
    const facts = await this.inspect(model);
    const reply = await this.client.request({ type: 'load', path: facts.path, settings: this.options.load });
    if (reply.type === 'failed') {
      if (reply.failure.kind === 'model-file')
        this.fatal = { kind: 'model-file', message: reply.failure.message, hint: reply.failure.hint };
      throw failureError(reply.failure);
    }
    if (reply.type !== 'loaded') throw new Error(`engine answered ${reply.type} to load`);
    this.facts.loaded = reply.loaded;
    return reply.loaded;
  }

  async warmUp(model: string): Promise<WarmupResult> {
    const started = this.now();
    try {
      const l = await this.load(model);
      return {
        state: 'ok',
        latencyMs: this.now() - started,
        loadMs: l.modelLoadMs + l.contextMs,
        doneReason: 'load',
        error: null,
      };
    } catch (error) {
      return {
        state: 'errored',
        latencyMs: this.now() - started,
        loadMs: null,
        doneReason: null,
        error: describeError(error),
      };
    }
  }

  async chat(request: ChatRequest, onChunk?: ChunkListener): Promise<ChatResult> {
    const times: ClientTimes = { startMs: this.now(), firstMs: null, lastMs: null, chunks: 0 };
    let loadMs: number | null = null;
    try {
      if (this.facts.loaded === null) {
        const l = await this.load(request.model);
        loadMs = l.modelLoadMs + l.contextMs;
      }
      return await this.generate(request, times, loadMs, onChunk);
    } catch (error) {
      return toChatResult.failed(times, this.now(), error, this.client.crash !== null);
    }
  }

  private async generate(
    request: ChatRequest,
    times: ClientTimes,
    loadMs: number | null,
    onChunk?: ChunkListener,
  ): Promise<ChatResult> {
    const { id, reply } = this.client.send(
      { type: 'generate', request: toGenerateRequest(request, this.options.seed) },
      (pieces) => {
        const t = this.now();
        times.firstMs ??= t;
        times.lastMs = t;
        times.chunks += 1;
        for (const piece of pieces) onChunk?.(piece);
      },
    );
    let cancelled: 'timeout' | 'aborted' | null = null;
    const cancel = (why: 'timeout' | 'aborted') => () => {
      cancelled ??= why;
      this.client.cancel(id);
    };
    const timer = setTimeout(cancel('timeout'), request.timeoutMs);
    const onAbort = cancel('aborted');
    if (request.signal?.aborted === true) onAbort();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const done = await reply;
      if (done.type === 'done' && done.formatNote !== null) this.formatNotes.add(done.formatNote);
      return toChatResult.from(done, times, this.now(), loadMs, cancelled, request.timeoutMs);
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
    }
  }

  async unload(): Promise<boolean> {
    if (this.facts.loaded === null) return true;
    const reply = await this.client.request({ type: 'unload' });
    this.facts.loaded = null;
    return reply.type === 'unloaded';
  }

  /** Ends the engine process. */
  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The request in the engine's terms; the run's seed fills in where the request sets none. */
function toGenerateRequest(r: ChatRequest, seed: number | null) {
  const o: GenerationOptions = r.options;
  return {
    messages: r.messages,
    numPredict: o.numPredict ?? null,
    temperature: o.temperature ?? null,
    seed: o.seed ?? seed,
    format: r.format ?? null,
  };
}

/** An engine failure as the error the CLI prints: a model file (exit 7), else plain. */
function failureError(f: EngineFailure): Error {
  if (f.kind === 'model-file') return new ModelFileError(f.message, f.hint ?? undefined);
  return new Error(f.message);
}

/** "MOSTLY_Q4_K_M" → "Q4_K_M", "ALL_F32" → "F32". */
export function quantizationName(fileType: string | null): string | null {
  return fileType === null ? null : fileType.replace(/^(MOSTLY|ALL)_/, '');
}

/** "0.36M", "1.5B": a parameter count in the hub's words. */
export function formatParameterCount(n: number | null): string | null {
  if (n === null) return null;
  const [div, unit] = n >= 1e9 ? [1e9, 'B'] : n >= 1e6 ? [1e6, 'M'] : [1e3, 'K'];
  return `${Number((n / div).toPrecision(3))}${unit}`;
}

function toModelInfo(name: string, f: ModelFacts): ModelInfo {
  return {
    name,
    digest: null,
    family: f.architecture.name,
    parameterSize: f.sizeLabel ?? formatParameterCount(f.parameterCount),
    parameterCount: f.parameterCount,
    quantization: quantizationName(f.fileType),
    contextLength: f.contextLength,
    sizeBytes: f.fileBytes,
    architecture: f.architecture,
  };
}
