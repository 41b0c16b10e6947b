/**
 * A fake Ollama for tests and demos: a real HTTP server on 127.0.0.1 speaking Ollama's native
 * REST API (/, /api/version, /api/tags, /api/show, /api/ps, /api/chat, /api/generate) with the
 * status codes, error texts, NDJSON streaming and omitempty metrics of the real one
 * (shared/reference/ollama-protocol.md), and real timing: cold loads, prompt evaluation and
 * decoding take the configured wall time, and the reported durations are measured.
 *
 * Conventions a test can rely on:
 * - prompt tokens = ceil(chars / 4) of the message contents (chat) or system + prompt
 *   (generate), at least 1; output tokens are words with their leading whitespace.
 * - `options.num_predict` > 0 that is reached gives done_reason `length`, else `stop`.
 * - eval_duration runs from the start of decoding to the last token, each token costing one
 *   interval, so eval_count / eval_duration is the configured rate; load_duration is queue
 *   wait plus load time; total_duration runs from arrival to the final answer.
 * - Faults hit generating requests only (not warm-ups); with stream:false `error-line` is a
 *   500 and `malformed-line` makes the body invalid JSON.
 */
export { startFakeOllama } from './server.js';
export { COMPUTE_BUFFER_BYTES, DEFAULT_MODELS, kvBytesPerContextToken, loadedSizeBytes } from './models.js';
export { QUEUE_FULL_MESSAGE } from './completion.js';
export { countPromptTokens, defaultReply, splitOutputTokens } from './tokens.js';
export type {
  FakeArchitecture,
  Fault,
  FakeModel,
  FakeOllama,
  FakeOllamaOptions,
  FakeRequestRecord,
  RespondRequest,
} from './types.js';
