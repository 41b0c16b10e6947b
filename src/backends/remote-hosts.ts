/**
 * Public, per-token-billed APIs that speak OpenAI's chat completions: a run against one of these
 * hosts is a remote run by default (no power, no roofline, no capacity; cost = billed usage x
 * price). `keyEnv` is the provider's usual variable, read when backend.apiKeyEnv's is unset.
 * Add a host here (and its price-table prefix in cost/price-match.ts) to make it known.
 */
export interface RemoteApiHost {
  hostname: string;
  provider: string;
  keyEnv: string;
}

export const REMOTE_API_HOSTS: readonly RemoteApiHost[] = [
  { hostname: 'api.openai.com', provider: 'openai', keyEnv: 'OPENAI_API_KEY' },
  { hostname: 'openrouter.ai', provider: 'openrouter', keyEnv: 'OPENROUTER_API_KEY' },
  { hostname: 'api.together.xyz', provider: 'together_ai', keyEnv: 'TOGETHER_API_KEY' },
  { hostname: 'api.groq.com', provider: 'groq', keyEnv: 'GROQ_API_KEY' },
  // Gemini's OpenAI compatibility: https://generativelanguage.googleapis.com/v1beta/openai
  { hostname: 'generativelanguage.googleapis.com', provider: 'gemini', keyEnv: 'GEMINI_API_KEY' },
  // Anthropic's OpenAI SDK compatibility: https://api.anthropic.com/v1
  { hostname: 'api.anthropic.com', provider: 'anthropic', keyEnv: 'ANTHROPIC_API_KEY' },
  { hostname: 'api.mistral.ai', provider: 'mistral', keyEnv: 'MISTRAL_API_KEY' },
  { hostname: 'api.deepseek.com', provider: 'deepseek', keyEnv: 'DEEPSEEK_API_KEY' },
  { hostname: 'api.fireworks.ai', provider: 'fireworks_ai', keyEnv: 'FIREWORKS_API_KEY' },
];

/** The known remote API at `url`, or null (a self-hosted or unknown server). */
export function knownRemoteHost(url: string): RemoteApiHost | null {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  return REMOTE_API_HOSTS.find((h) => h.hostname === hostname) ?? null;
}

/** Whether a backend config at `host` is a remote API: --remote / --no-remote, else a known API host. */
export function isRemoteBackend(backend: { kind: string; remote: 'auto' | boolean }, host: string): boolean {
  if (backend.kind !== 'openai') return false;
  return backend.remote === 'auto' ? knownRemoteHost(host) !== null : backend.remote;
}
