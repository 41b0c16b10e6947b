/** Which server answered: decides which endpoints were asked. */
export type ServerName = 'ollama' | 'llama.cpp' | 'vllm' | 'lmstudio' | 'openai-compatible' | 'embedded';

/** A setting's value as the server stated it. */
export type ServerSetting = string | number | boolean | null;

/** The server's configuration for one model. null: the server did not tell. */
export interface ServerFacts {
  server: ServerName;
  /** The server's own version (Ollama /api/version, llama.cpp build_info, vLLM /version, node-llama-cpp). */
  version: string | null;
  /** The llama.cpp build underneath, where it is named apart from `version` (the engine's release). */
  build: string | null;
  /** Tokens of context the server serves this model with (per sequence/slot where the server splits it). */
  contextLength: number | null;
  /** Tokens of context the model supports at most (its trained or configured maximum), as stated. */
  maxModelLength: number | null;
  /** Sequences the server generates in parallel (llama.cpp total_slots, the engine's sequences). */
  slots: number | null;
  /** Where the model runs: "100% GPU", "100% CPU", "48%/52% CPU/GPU" (Ollama), "20/29 layers on GPU". */
  placement: string | null;
  /** Anything else the server tells, under the server's own field names. */
  settings: Record<string, ServerSetting>;
  /** What could not be read, and why; empty when every endpoint of this server answered. */
  errors: string[];
}
