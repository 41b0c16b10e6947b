/**
 * One chat completion in real time: role chunk at once, prompt evaluation, then tokens on
 * absolute deadlines (timer lateness does not accumulate), then the final chunk, the usage
 * chunk when asked for and honoured, and [DONE]. Durations are measured, not computed.
 */
import type { ServerResponse } from 'node:http';
import { nowMs, sleepMs, sleepUntil } from '../fake-ollama/clock.js';
import { countPromptTokens, defaultReply, splitOutputTokens } from '../fake-ollama/tokens.js';
import {
  chunk,
  deltaChoice,
  startSse,
  writeDone,
  writeEvent,
  writeJson,
  type ChunkIdentity,
} from './sse-writer.js';
import type { Fault, FakeOpenAiOptions, FakeOpenAiRecord } from './types.js';

type Unresolved = 'respond' | 'onDecodingChange' | 'usage' | 'redirectTo';
export type ResolvedOptions = Required<Omit<FakeOpenAiOptions, Unresolved>> &
  Pick<FakeOpenAiOptions, Unresolved>;

/** Streams decoding right now, across the server (for onDecodingChange). */
export interface DecodingCounter {
  streams: number;
}

export interface Completion {
  options: ResolvedOptions;
  decoding: DecodingCounter;
  record: FakeOpenAiRecord;
  messages: { role: string; content: string }[];
  res: ServerResponse;
  signal: AbortSignal;
  fault: Fault | undefined;
}

/** The prompt as the fake tokenizer sees it. */
export function promptTextOf(messages: { role: string; content: string }[]): string {
  return messages.map((m) => `${m.role}: ${m.content}`).join('\n');
}

/** Prompt tokens of the messages, with the fake tokenizer (4 characters a token). */
export function promptTokensOf(messages: { role: string; content: string }[]): number {
  return countPromptTokens(promptTextOf(messages));
}

/**
 * Tokens a prompt cache holds for `text`: the whole fake tokens of the longest prefix it shares
 * with an earlier prompt, leaving at least its last token to evaluate (as llama-server does).
 */
export function cachedTokensOf(text: string, earlier: readonly string[]): number {
  let shared = 0;
  for (const other of earlier) {
    let i = 0;
    while (i < text.length && i < other.length && text.charCodeAt(i) === other.charCodeAt(i)) i += 1;
    shared = Math.max(shared, i);
  }
  return Math.max(0, Math.min(Math.floor(shared / 4), countPromptTokens(text) - 1));
}

function plan(c: Completion): { tokens: string[]; finishReason: string } {
  const text =
    c.options.respond?.(c.messages) ??
    defaultReply(c.messages.map((m) => m.content).join('\n'), c.options.defaultOutputTokens);
  const tokens = splitOutputTokens(text);
  const maxTokens = c.record.body['max_tokens'] ?? c.record.body['max_completion_tokens'];
  if (typeof maxTokens === 'number' && maxTokens > 0 && maxTokens <= tokens.length) {
    return { tokens: tokens.slice(0, maxTokens), finishReason: 'length' };
  }
  return { tokens, finishReason: 'stop' };
}

function timings(r: FakeOpenAiRecord): Record<string, number> {
  const promptN = r.promptTokens - r.cachedTokens;
  return {
    cache_n: r.cachedTokens,
    prompt_n: promptN,
    prompt_ms: r.promptMs,
    prompt_per_token_ms: promptN > 0 ? r.promptMs / promptN : 0,
    prompt_per_second: r.promptMs > 0 ? (promptN / r.promptMs) * 1000 : 0,
    predicted_n: r.completionTokens,
    predicted_ms: r.predictedMs,
    predicted_per_token_ms: r.completionTokens > 0 ? r.predictedMs / r.completionTokens : 0,
    predicted_per_second: r.predictedMs > 0 ? (r.completionTokens / r.predictedMs) * 1000 : 0,
  };
}

function usage(r: FakeOpenAiRecord, flavor: string, scripted: unknown): unknown {
  if (scripted !== undefined) return scripted;
  const out: Record<string, unknown> = {
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    total_tokens: r.promptTokens + r.completionTokens,
  };
  if (flavor === 'vllm' && r.cachedTokens > 0)
    out['prompt_tokens_details'] = { cached_tokens: r.cachedTokens };
  return out;
}

/** Sleeps through prompt evaluation; false when the client went away. */
async function evaluatePrompt(c: Completion): Promise<boolean> {
  const start = nowMs();
  const evaluated = c.record.promptTokens - c.record.cachedTokens;
  if (!(await sleepMs((evaluated / c.options.promptTokensPerS) * 1000, c.signal))) return false;
  c.record.promptMs = nowMs() - start;
  return c.options.extraTtftMs > 0 ? sleepMs(c.options.extraTtftMs, c.signal) : true;
}

type Outcome = 'done' | 'aborted' | 'faulted';

async function decode(c: Completion, who: ChunkIdentity, tokens: string[]): Promise<Outcome> {
  const { record, res, fault } = c;
  const faultAt =
    fault !== undefined && 'afterTokens' in fault ? Math.min(fault.afterTokens, tokens.length) : -1;
  const start = nowMs();
  let deadline = start;
  for (let i = 0; i <= tokens.length; i++) {
    if (i === faultAt && fault !== undefined && applyFault(c, fault)) return 'faulted';
    const token = tokens[i];
    if (token === undefined) break;
    deadline += 1000 / c.options.genTokensPerS;
    if (!(await sleepUntil(deadline, c.signal, i === tokens.length - 1))) return 'aborted';
    if (record.stream) writeEvent(res, chunk(who, [deltaChoice({ content: token })]));
    const at = nowMs();
    record.completionTokens = i + 1;
    record.predictedMs = at - start;
    record.firstTokenSentAtMs ??= at;
    record.lastTokenSentAtMs = at;
  }
  return 'done';
}

function applyFault(c: Completion, fault: Fault): boolean {
  switch (fault.kind) {
    case 'close-mid-stream':
      c.res.destroy();
      return true;
    case 'error-event':
      writeEvent(c.res, { error: { message: fault.message, type: 'server_error', param: null, code: 500 } });
      c.res.end();
      return true;
    case 'malformed-event':
      writeEvent(c.res, '{"choices": [ not json');
      return false;
    default:
      return false;
  }
}

/** Runs the completion to the end, streaming or not. */
export async function runCompletion(c: Completion, who: ChunkIdentity): Promise<void> {
  const { record, res, options } = c;
  if (record.stream) {
    startSse(res);
    writeEvent(res, chunk(who, [deltaChoice({ role: 'assistant', content: '' })]));
    record.roleSentAtMs = nowMs();
  }
  if (!(await evaluatePrompt(c))) return markAborted(record);
  const { tokens, finishReason } = plan(c);
  c.decoding.streams += 1;
  options.onDecodingChange?.(c.decoding.streams);
  let outcome: Outcome;
  try {
    outcome = await decode(c, who, tokens);
  } finally {
    c.decoding.streams -= 1;
    options.onDecodingChange?.(c.decoding.streams);
  }
  if (outcome === 'aborted') return markAborted(record);
  if (outcome === 'faulted') return;
  record.finishReason = finishReason;
  const llama = options.flavor === 'llama.cpp';
  if (!record.stream) {
    const extra: Record<string, unknown> = { usage: usage(record, options.flavor, options.usage) };
    if (llama) extra['timings'] = timings(record);
    const message = { role: 'assistant', content: tokens.join('') };
    writeJson(res, 200, {
      ...chunk(who, [{ index: 0, message, logprobs: null, finish_reason: finishReason }], extra),
      object: 'chat.completion',
    });
  } else {
    const streamOptions = record.body['stream_options'];
    const wantsUsage =
      typeof streamOptions === 'object' &&
      streamOptions !== null &&
      (streamOptions as Record<string, unknown>)['include_usage'] === true;
    record.sentUsageChunk = wantsUsage && options.flavor !== 'lmstudio';
    // llama.cpp puts timings on the last chunk before [DONE].
    const finalExtra = llama && !record.sentUsageChunk ? { timings: timings(record) } : {};
    writeEvent(res, chunk(who, [deltaChoice({}, finishReason)], finalExtra));
    if (record.sentUsageChunk) {
      writeEvent(
        res,
        chunk(who, [], {
          usage: usage(record, options.flavor, options.usage),
          ...(llama ? { timings: timings(record) } : {}),
        }),
      );
    }
    writeDone(res);
  }
  record.doneAtMs = nowMs();
}

function markAborted(record: FakeOpenAiRecord): void {
  record.abortedAtMs ??= nowMs();
}
