import type {
  ChatRequest,
  ChatResult,
  ChunkListener,
  GenerationOptions,
  LoadedModel,
  ModelInfo,
  WarmupResult,
  Backend,
} from './backend.js';
import type { CostbenchError } from '../errors.js';
import type { ClassifiedError } from './ollama-errors.js';
import {
  classifyHttpError,
  classifyOpenAiError,
  redactKey,
  toOpenAiCostbenchError,
} from './openai-errors.js';
import { readOpenAiFacts } from './openai-facts.js';
import { keyGuardedFetch } from './key-guarded-fetch.js';
import type { OpenAiBackendOptions, OpenAiFlavor } from './openai-options.js';
import { RedirectRefused } from './redirect-fetch.js';
import { parseRetryAfterMs } from './retry-after.js';
import { emptyServerFacts, type ServerFacts } from './server-facts.js';
import { isRecord } from './openai-sse.js';
import { fromModelEntry, toRequestBody, withProps } from './openai-request.js';
import {
  emptyStreamState,
  readOpenAiStream,
  streamFailed,
  streamSucceeded,
  type StreamState,
} from './openai-stream.js';

export { toRequestBody } from './openai-request.js';

export type { OpenAiBackendOptions, OpenAiFlavor } from './openai-options.js';

/** Generous: a warm-up may include loading a model from disk. */
export const WARMUP_TIMEOUT_MS = 600_000;
const WARMUP_PROMPT = 'Hi';

/** The server URL without the trailing /v1: where llama.cpp serves /props and vLLM /version. */
export function serverRoot(host: string): string {
  return host.replace(/\/+$/, '').replace(/\/v1$/, '');
}

/** An OpenAI-compatible server (llama.cpp llama-server, vLLM, LM Studio), over plain fetch and SSE. */
export class OpenAiBackend implements Backend {
  readonly kind = 'openai' as const;
  readonly host: string;
  readonly flavor: OpenAiFlavor;
  private readonly apiKey: string | null;
  private readonly apiKeyEnv: string;
  private readonly now: () => number;
  private readonly fetchImpl: typeof fetch;
  readonly remote: boolean;
  private readonly wallNow: () => number;
  /** OpenAI's own API takes max_completion_tokens (max_tokens is deprecated there, refused by o-series models). */
  private readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  private lastFingerprint: string | null = null;
  /** The server's identity once /props or /version named it: it does not change while it runs. */
  private identified: { flavor: 'llama.cpp' | 'vllm'; version: string } | null = null;

  constructor(options: OpenAiBackendOptions) {
    this.host = options.host.replace(/\/+$/, '');
    this.apiKey = options.apiKey ?? null;
    this.apiKeyEnv = options.apiKeyEnv ?? 'COSTBENCH_API_KEY';
    this.now = options.now ?? (() => performance.now());
    const base = options.fetch ?? fetch;
    this.fetchImpl = keyGuardedFetch(base, this.host);
    this.flavor = options.flavor ?? 'auto';
    this.remote = options.remote ?? false;
    this.wallNow = options.wallNow ?? (() => Date.now());
    this.maxTokensField = hostnameOf(this.host) === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
  }

  private toError(classified: ClassifiedError): CostbenchError {
    return toOpenAiCostbenchError(classified, this.host, {
      keySent: this.apiKey !== null && this.apiKey !== '',
      env: this.apiKeyEnv,
    });
  }

  private headers(json: boolean): Record<string, string> {
    const out: Record<string, string> = { accept: json ? 'application/json' : 'text/event-stream' };
    if (json) out['content-type'] = 'application/json';
    if (this.apiKey !== null && this.apiKey !== '') out['authorization'] = `Bearer ${this.apiKey}`;
    return out;
  }

  /** GET a JSON document; null when `optional` and the server answers 404 (an endpoint this flavor lacks). */
  private async getJson(url: string, optional = false): Promise<Record<string, unknown> | null> {
    let response: Response;
    try {
      response = await this.fetchImpl(url, { headers: this.headers(false) });
    } catch (error) {
      if (error instanceof RedirectRefused)
        throw this.toError({ kind: 'http', message: error.message, status: null });
      throw this.toError(classifyOpenAiError(error, this.host));
    }
    const body = await response.text().catch(() => '');
    if (!response.ok) {
      if (optional) return null;
      throw this.toError(classifyHttpError(response.status, response.statusText, body, this.apiKey));
    }
    try {
      const value: unknown = JSON.parse(body);
      if (isRecord(value)) return value;
    } catch {
      // handled below
    }
    if (optional) return null;
    throw this.toError({
      kind: 'http',
      message: `GET ${url.replace(this.host, '')} did not return a JSON object`,
      status: response.status,
    });
  }

  /** llama.cpp build (from /props), vLLM version (from /version), the last system_fingerprint seen, or "unknown". */
  async version(): Promise<string> {
    return (await this.identify()).version;
  }

  /**
   * Which server answers, from the endpoints only it has: llama.cpp's /props (build_info), vLLM's
   * /version. Neither (LM Studio, others): flavor null, version the last system_fingerprint or "unknown".
   */
  async identify(): Promise<{ flavor: 'llama.cpp' | 'vllm' | null; version: string }> {
    if (this.identified !== null) return this.identified;
    if (this.remote) return { flavor: null, version: 'remote API' };
    const root = serverRoot(this.host);
    if (this.flavor === 'auto' || this.flavor === 'llama.cpp') {
      const props = await this.getJson(`${root}/props`, true);
      if (typeof props?.['build_info'] === 'string')
        return (this.identified = { flavor: 'llama.cpp', version: props['build_info'] });
    }
    if (this.flavor === 'auto' || this.flavor === 'vllm') {
      const version = await this.getJson(`${root}/version`, true);
      if (typeof version?.['version'] === 'string')
        return (this.identified = { flavor: 'vllm', version: version['version'] });
    }
    return { flavor: null, version: this.lastFingerprint ?? 'unknown' };
  }

  async listModels(): Promise<ModelInfo[]> {
    const list = await this.getJson(`${this.host}/models`);
    const data = Array.isArray(list?.['data']) ? list['data'] : [];
    return data
      .filter(isRecord)
      .filter((m) => typeof m['id'] === 'string')
      .map(fromModelEntry);
  }

  /** From /models, plus llama.cpp's /props (loaded context size) when the server has it. */
  async showModel(name: string): Promise<ModelInfo> {
    const models = await this.listModels();
    const found = models.find((m) => m.name === name);
    if (found === undefined) {
      const message = `model "${name}" not found; the server lists: ${models.map((m) => m.name).join(', ') || 'nothing'}`;
      throw this.toError({ kind: 'http', message, status: 404 });
    }
    if (this.remote || (this.flavor !== 'auto' && this.flavor !== 'llama.cpp')) return found;
    const props = await this.getJson(`${serverRoot(this.host)}/props`, true);
    return props === null ? found : withProps(found, props);
  }

  /**
   * llama.cpp server and vLLM serve the models they loaded at start: every listed model is in
   * memory. Other servers (LM Studio, which may list models it loads on demand) cannot say: null.
   */
  async loadedModels(): Promise<LoadedModel[] | null> {
    const { flavor } = await this.identify();
    if (flavor === null) return null;
    // llama.cpp's meta.size is the file's size, not the loaded one (KV cache, buffers): none is reported.
    return (await this.listModels()).map((m) => ({
      name: m.name,
      sizeBytes: null,
      sizeVramBytes: null,
      contextLength: m.contextLength,
      expiresAt: null,
    }));
  }

  /** From the endpoints the flavor has (see openai-facts.ts); the API key never appears in the errors. */
  async serverFacts(model: string, signal?: AbortSignal): Promise<ServerFacts> {
    // A remote API states nothing about how it serves the model: no endpoint is asked.
    if (this.remote) return { ...emptyServerFacts('openai-compatible'), version: 'remote API' };
    const headers: Record<string, string> = {};
    if (this.apiKey !== null && this.apiKey !== '') headers['authorization'] = `Bearer ${this.apiKey}`;
    const request = { host: this.host, flavor: this.flavor, model, fetch: this.fetchImpl, headers };
    const facts = await readOpenAiFacts(signal === undefined ? request : { ...request, signal });
    return { ...facts, errors: facts.errors.map((e) => redactKey(e, this.apiKey)) };
  }

  /** One request for one token; its latency includes a load when the server loads on demand. */
  async warmUp(model: string, options: GenerationOptions): Promise<WarmupResult> {
    const result = await this.chat({
      model,
      messages: [{ role: 'user', content: WARMUP_PROMPT }],
      options: { ...options, numPredict: 1 },
      timeoutMs: WARMUP_TIMEOUT_MS,
    });
    if (result.state === 'ok')
      return {
        state: 'ok',
        latencyMs: result.latencyMs,
        loadMs: null,
        doneReason: result.doneReason,
        error: null,
      };
    if (result.errorKind === 'unreachable')
      throw this.toError({ kind: 'unreachable', message: result.error, status: null });
    return {
      state: result.state,
      latencyMs: result.latencyMs,
      loadMs: null,
      doneReason: null,
      error: result.error,
    };
  }

  /** The OpenAI API has no unload. */
  async unload(): Promise<boolean> {
    return false;
  }

  async chat(request: ChatRequest, onChunk?: ChunkListener): Promise<ChatResult> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), request.timeoutMs);
    const signal =
      request.signal === undefined ? timeout.signal : AbortSignal.any([timeout.signal, request.signal]);
    const state = emptyStreamState();
    const started = this.now();
    try {
      const response = await this.fetchImpl(`${this.host}/chat/completions`, {
        method: 'POST',
        headers: this.headers(true),
        body: JSON.stringify(toRequestBody(request, this.maxTokensField)),
        signal,
      });
      if (!response.ok) {
        const body = await response.text().catch(() => '');
        const failed = this.failed(
          classifyHttpError(response.status, response.statusText, body, this.apiKey),
          state,
          started,
        );
        const retryAfterMs = parseRetryAfterMs(response.headers, this.wallNow());
        return failed.state === 'ok' ? failed : { ...failed, retryAfterMs };
      }
      if (response.body === null)
        return this.failed({ kind: 'stream', message: 'empty response body', status: null }, state, started);
      const streamError = await readOpenAiStream(response.body, state, {
        now: this.now,
        startedMs: started,
        apiKey: this.apiKey,
        onChunk,
      });
      if (streamError !== null) return this.failed(streamError, state, started);
      if (!state.sawDone && state.finishReason === null) {
        return this.failed(
          { kind: 'stream', message: 'stream ended before the final chunk', status: null },
          state,
          started,
        );
      }
      return this.succeeded(state, started);
    } catch (error) {
      if (error instanceof RedirectRefused)
        return this.failed({ kind: 'http', message: error.message, status: null }, state, started);
      const reason = timeout.signal.aborted
        ? 'timeout'
        : request.signal?.aborted === true
          ? 'aborted'
          : undefined;
      return this.failed(classifyOpenAiError(error, this.host, reason), state, started);
    } finally {
      clearTimeout(timer);
    }
  }

  private succeeded(state: StreamState, started: number): ChatResult {
    const result = streamSucceeded(state, this.now() - started);
    if (state.fingerprint !== null) this.lastFingerprint = state.fingerprint;
    return result;
  }

  private failed(classified: ClassifiedError, state: StreamState, started: number): ChatResult {
    return streamFailed(classified, state, this.now() - started, this.apiKey);
  }
}

function hostnameOf(url: string): string | null {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
}
