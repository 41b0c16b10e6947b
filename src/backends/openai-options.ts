/** How an OpenAiBackend is set up: the server, the key, the clocks, the fetch. */

/** Which server is behind the URL; 'auto' trusts whatever each response carries. */
export type OpenAiFlavor = 'auto' | 'llama.cpp' | 'vllm' | 'lmstudio';

export interface OpenAiBackendOptions {
  /** Base URL ending in /v1, e.g. `http://127.0.0.1:8080/v1`. */
  host: string;
  /** Sent as `Authorization: Bearer`; never logged, and removed from any error text. */
  apiKey?: string | null;
  /** The environment variable the key comes from, named in hints (never its value). Default COSTBENCH_API_KEY. */
  apiKeyEnv?: string;
  /** Monotonic clock in milliseconds. */
  now?: () => number;
  fetch?: typeof fetch;
  flavor?: OpenAiFlavor;
  /**
   * A remote, per-token-billed API (OpenAI, OpenRouter, Groq, ...): nothing is probed that a
   * remote API lacks (/props, /version, server facts), the version is "remote API", and no
   * warm-up request is sent by the runner (it would be billed).
   */
  remote?: boolean;
  /** Wall clock in ms, for Retry-After's HTTP-date. */
  wallNow?: () => number;
}
