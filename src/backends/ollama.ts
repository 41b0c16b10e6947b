import { Ollama, type ChatResponse, type ModelResponse, type Options, type ShowResponse } from 'ollama';
import type {
  Backend,
  ChatRequest,
  ChatResult,
  ChunkListener,
  GenerationOptions,
  LoadedModel,
  ModelArchitecture,
  ModelInfo,
  WarmupResult,
} from './backend.js';
import { guardedFetch, type StreamCounters } from './guarded-fetch.js';
import { postOllamaStream, readNdjson } from './ollama-stream.js';
import { classifyOllamaError, toCostbenchError } from './ollama-errors.js';
import { readOllamaFacts } from './ollama-facts.js';
import { UNKNOWN_METRICS, parseServerMetrics } from './ollama-metrics.js';
import type { ServerFacts } from './server-facts.js';

export interface OllamaBackendOptions {
  /** Base URL, already normalised (see parseOllamaHost). */
  host: string;
  /** Monotonic clock in milliseconds. */
  now?: () => number;
  fetch?: typeof fetch;
}

/** The Ollama backend, through the `ollama` package. */
export class OllamaBackend implements Backend {
  readonly kind = 'ollama' as const;
  readonly host: string;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: OllamaBackendOptions) {
    this.host = options.host;
    this.now = options.now ?? (() => performance.now());
    this.fetchImpl = options.fetch ?? fetch;
  }

  private client(counters: StreamCounters = { malformedLines: 0 }, signal?: AbortSignal): Ollama {
    return new Ollama({ host: this.host, fetch: guardedFetch(counters, signal, this.fetchImpl) });
  }

  private async call<T>(work: (client: Ollama) => Promise<T>): Promise<T> {
    try {
      return await work(this.client());
    } catch (error) {
      throw toCostbenchError(classifyOllamaError(error, this.host), this.host);
    }
  }

  async version(): Promise<string> {
    return this.call(async (c) => (await c.version()).version);
  }

  async listModels(): Promise<ModelInfo[]> {
    return this.call(async (c) => (await c.list()).models.map(fromListEntry));
  }

  async showModel(name: string): Promise<ModelInfo> {
    const shown = await this.call((c) => c.show({ model: name }));
    return fromShow(name, shown);
  }

  async loadedModels(): Promise<LoadedModel[]> {
    return this.call(async (c) =>
      (await c.ps()).models.map((m) => ({
        name: m.name,
        sizeBytes: numberOrNull(m.size),
        sizeVramBytes: numberOrNull(m.size_vram),
        contextLength: numberOrNull((m as { context_length?: unknown }).context_length),
        expiresAt: m.expires_at === undefined ? null : new Date(m.expires_at).toISOString(),
      })),
    );
  }

  /** From /api/version, /api/ps and /api/show; see ollama-facts.ts. */
  serverFacts(model: string, signal?: AbortSignal): Promise<ServerFacts> {
    return readOllamaFacts(this.host, model, this.fetchImpl, signal);
  }

  async warmUp(
    model: string,
    options: GenerationOptions,
    keepAlive?: string | number,
  ): Promise<WarmupResult> {
    const started = this.now();
    try {
      const response = await this.client().chat({
        model,
        messages: [],
        stream: false,
        options: toOllamaOptions(options),
        keep_alive: keepAlive,
      });
      const metrics = parseServerMetrics(response as unknown as Record<string, unknown>);
      return {
        state: 'ok',
        latencyMs: this.now() - started,
        loadMs: metrics.loadMs,
        doneReason: response.done_reason ?? null,
        error: null,
      };
    } catch (error) {
      const classified = classifyOllamaError(error, this.host);
      if (classified.kind === 'unreachable') throw toCostbenchError(classified, this.host);
      return {
        state: 'errored',
        latencyMs: this.now() - started,
        loadMs: null,
        doneReason: null,
        error: classified.message,
      };
    }
  }

  async unload(model: string): Promise<boolean> {
    try {
      const response = await this.client().chat({ model, messages: [], stream: false, keep_alive: 0 });
      return response.done_reason === 'unload';
    } catch (error) {
      const classified = classifyOllamaError(error, this.host);
      if (classified.kind === 'unreachable') throw toCostbenchError(classified, this.host);
      return false;
    }
  }

  /**
   * One streamed /api/chat. The stream is read here (ollama-stream.ts), not through the ollama
   * package: its two async-generator layers plus guardedFetch's re-parse cost the client a third
   * of its speed against a fast server (bench:overhead); requests and errors are the package's.
   */
  async chat(request: ChatRequest, onChunk?: ChunkListener): Promise<ChatResult> {
    const counters: StreamCounters = { malformedLines: 0 };
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), request.timeoutMs);
    const signal =
      request.signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, request.signal]);
    const started = this.now();
    let ttftMs: number | null = null;
    let lastTokenMs: number | null = null;
    let latencyMs = 0;
    let chunks = 0;
    let text = '';
    let final: ChatResponse | undefined;
    const onMessage = (message: Record<string, unknown>): boolean => {
      const chunk = message as unknown as ChatResponse;
      chunks += 1;
      const piece = chunk.message?.content ?? '';
      if (piece !== '' || (chunk.message?.thinking ?? '') !== '') {
        lastTokenMs = this.now() - started;
        ttftMs ??= lastTokenMs;
      }
      if (piece !== '') {
        text += piece;
        onChunk?.(piece);
      }
      if (!chunk.done && message.status !== 'success') return false;
      latencyMs = this.now() - started; // where the package's iterator stops: the final chunk
      if (chunk.done) final = chunk;
      return true;
    };
    try {
      const body = await postOllamaStream(
        this.fetchImpl,
        `${this.host}/api/chat`,
        {
          model: request.model,
          messages: request.messages,
          stream: true,
          options: toOllamaOptions(request.options),
          format: request.format,
          keep_alive: request.keepAlive,
        },
        signal,
      );
      if (!(await readNdjson(body, counters, onMessage))) latencyMs = this.now() - started;
      if (final === undefined) throw new Error('Did not receive done or success response in stream.');
      const metrics = parseServerMetrics(final as unknown as Record<string, unknown>);
      return {
        state: 'ok',
        ttftMs,
        lastTokenMs,
        latencyMs,
        metrics,
        metricsSource: 'server',
        cachedPromptTokens: null,
        doneReason: final.done_reason ?? null,
        text,
        chunks,
        malformedLines: counters.malformedLines,
      };
    } catch (error) {
      const latencyMs = this.now() - started;
      const reason = timeout.signal.aborted
        ? 'timeout'
        : request.signal?.aborted === true
          ? 'aborted'
          : undefined;
      const classified = classifyOllamaError(error, this.host, reason);
      return {
        state: classified.kind === 'aborted' ? 'aborted' : 'errored',
        error: classified.message,
        status: classified.status,
        errorKind: classified.kind,
        ttftMs,
        lastTokenMs,
        latencyMs,
        metrics: UNKNOWN_METRICS,
        metricsSource: null,
        cachedPromptTokens: null,
        doneReason: null,
        text,
        chunks,
        malformedLines: counters.malformedLines,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

function toOllamaOptions(options: GenerationOptions): Partial<Options> {
  const out: Partial<Options> = {};
  if (options.temperature !== undefined) out.temperature = options.temperature;
  if (options.seed !== undefined) out.seed = options.seed;
  if (options.numPredict !== undefined) out.num_predict = options.numPredict;
  if (options.numCtx !== undefined) out.num_ctx = options.numCtx;
  return out;
}

function fromListEntry(m: ModelResponse): ModelInfo {
  return {
    name: m.name,
    digest: m.digest || null,
    family: m.details?.family || null,
    parameterSize: m.details?.parameter_size || null,
    parameterCount: null,
    quantization: m.details?.quantization_level || null,
    contextLength: null,
    sizeBytes: numberOrNull(m.size),
    architecture: null,
  };
}

function fromShow(name: string, shown: ShowResponse): ModelInfo {
  const info = (shown.model_info ?? {}) as unknown as Record<string, unknown>;
  const arch = typeof info['general.architecture'] === 'string' ? info['general.architecture'] : null;
  return {
    name,
    digest: null,
    family: shown.details?.family || arch,
    parameterSize: shown.details?.parameter_size || null,
    parameterCount: numberOrNull(info['general.parameter_count']),
    quantization: shown.details?.quantization_level || null,
    contextLength: arch === null ? null : numberOrNull(info[`${arch}.context_length`]),
    sizeBytes: null,
    architecture: arch === null ? null : parseArchitecture(arch, info),
  };
}

/** The shape keys of model_info (`<arch>.block_count`, `<arch>.attention.*`); absent keys are null. */
export function parseArchitecture(arch: string, info: Record<string, unknown>): ModelArchitecture {
  const key = (name: string): number | null => layerUniform(info[`${arch}.${name}`]);
  return {
    name: arch,
    blockCount: key('block_count'),
    headCount: key('attention.head_count'),
    headCountKv: key('attention.head_count_kv'),
    embeddingLength: key('embedding_length'),
    keyLength: key('attention.key_length'),
    valueLength: key('attention.value_length'),
  };
}

/** A number, or a per-layer array whose entries are all one number; else null (a shape costbench does not model). */
function layerUniform(value: unknown): number | null {
  if (!Array.isArray(value)) return numberOrNull(value);
  const first = numberOrNull(value[0]);
  return first !== null && value.every((v) => v === first) ? first : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
