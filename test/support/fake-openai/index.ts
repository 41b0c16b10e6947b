/**
 * The fake OpenAI-compatible server for tests: real HTTP on 127.0.0.1, SSE framed like
 * llama.cpp / vLLM / LM Studio, decode timing on absolute deadlines, injectable faults, and a
 * ground-truth record per request.
 */
export { startFakeOpenAi } from './server.js';
export type {
  Fault,
  FakeOpenAi,
  FakeOpenAiOptions,
  FakeOpenAiReceived,
  FakeOpenAiRecord,
  Flavor,
} from './types.js';
