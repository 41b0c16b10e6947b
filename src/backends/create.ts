import type { Config } from '../config/schema.js';
import type { Backend } from './backend.js';
import { OllamaBackend } from './ollama.js';
import { OpenAiBackend } from './openai.js';

/** The backend the config names, at the resolved host. The API key is read from the environment only. */
export function createBackend(backend: Config['backend'], host: string, env: NodeJS.ProcessEnv): Backend {
  if (backend.kind === 'ollama') return new OllamaBackend({ host });
  const apiKey = env[backend.apiKeyEnv];
  return new OpenAiBackend({ host, flavor: backend.flavor, apiKey: apiKey === undefined || apiKey === '' ? null : apiKey, apiKeyEnv: backend.apiKeyEnv });
}
