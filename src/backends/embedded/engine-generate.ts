/**
 * Engine process side: one chat request on the low-level sequence API. The prompt is the model's
 * own chat template (node-llama-cpp's chat wrapper, resolved from the GGUF), tokenized by the
 * model's tokenizer; tokens come from `sequence.evaluate()`, the loop node-llama-cpp's chat
 * session runs underneath, without its per-chunk text machinery. Timed on this process's clock.
 */
import type { ChatHistoryItem, LlamaContextSequence, LlamaGrammar, Token } from 'node-llama-cpp';
import type { ChatMessage } from '../backend.js';
import { EngineError, type EngineState } from './engine-load.js';
import type { EngineMetrics, GenerateRequest } from './protocol.js';
import { schemaNote } from './schema-support.js';
import { StopDetector, cutAtTrigger } from './stop-detector.js';

/** Answer pieces are sent at most this often after the first (sent alone, for the client's TTFT). */
export const PIECES_FLUSH_MS = 20;
/** Ollama's and llama-server's default temperature, for requests that set none. */
export const DEFAULT_TEMPERATURE = 0.8;

/** What one finished request sends back. */
export interface Generated {
  text: string;
  pieces: string[];
  metrics: EngineMetrics;
  doneReason: 'stop' | 'length' | 'cancelled';
  /** Set when the request's format was enforced only in part (a schema that could not become a grammar). */
  formatNote: string | null;
}

/** Where a request reports to: answer pieces as they come, and whether it was cancelled. */
export interface GenerateIo {
  now: () => number;
  sendPieces: (pieces: string[]) => void;
  cancelled: () => boolean;
}

/** The chat as node-llama-cpp's chat wrappers take it, ending with the model's (empty) turn. */
export function toChatHistory(messages: readonly ChatMessage[]): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((m) =>
    m.role === 'system'
      ? { type: 'system', text: m.content }
      : m.role === 'user'
        ? { type: 'user', text: m.content }
        : { type: 'model', response: [m.content] },
  );
  return [...history, { type: 'model', response: [] }];
}

/** Renders and tokenizes the prompt; returns its tokens and the template's text stop triggers. */
export function renderPrompt(
  e: EngineState,
  messages: readonly ChatMessage[],
): { tokens: Token[]; triggers: string[] } {
  if (e.model === null || e.wrapper === null) throw new Error('no model loaded');
  const state = e.wrapper.generateContextState({ chatHistory: toChatHistory(messages) });
  const tokens = state.contextText.tokenize(e.model.tokenizer);
  // End-of-generation tokens (EOS, EOT) stop the engine itself; text triggers are matched here.
  const triggers = state.stopGenerationTriggers
    .filter((t) => t.values.every((v) => typeof v === 'string' || v instanceof e.lib.SpecialTokensText))
    .map((t) => t.values.map((v) => (typeof v === 'string' ? v : (v as { value: string }).value)).join(''))
    .filter((t) => t !== '');
  return { tokens, triggers };
}

/** A format's grammar, and a note when the grammar enforces less than the format asks. */
interface FormatGrammar {
  grammar: LlamaGrammar | null;
  note: string | null;
}

const grammars = new Map<string, Promise<FormatGrammar>>();

/**
 * The grammar that enforces a request's format: JSON, or its JSON schema (compiled once per
 * schema). A schema node-llama-cpp cannot turn into a grammar falls back to plain JSON, with a note
 * saying the schema was not enforced.
 */
function grammarFor(e: EngineState, format: GenerateRequest['format']): Promise<FormatGrammar> {
  if (format === null) return Promise.resolve({ grammar: null, note: null });
  const key = format === 'json' ? 'json' : JSON.stringify(format);
  let grammar = grammars.get(key);
  if (grammar === undefined) {
    grammar = format === 'json' ? jsonGrammar(e, null) : schemaGrammar(e, format);
    grammars.set(key, grammar);
  }
  return grammar;
}

async function jsonGrammar(e: EngineState, note: string | null): Promise<FormatGrammar> {
  return { grammar: await e.llama.getGrammarFor('json'), note };
}

async function schemaGrammar(e: EngineState, schema: Record<string, unknown>): Promise<FormatGrammar> {
  try {
    const grammar = await e.llama.createGrammarForJsonSchema(
      schema as Parameters<typeof e.llama.createGrammarForJsonSchema>[0],
    );
    return { grammar, note: schemaNote(schema) };
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return jsonGrammar(
      e,
      `a JSON schema could not be made a grammar (${why}): JSON was enforced, the schema was not`,
    );
  }
}

/** Runs one request on a free sequence of the context; the sequence goes back to the pool after. */
export async function generate(e: EngineState, request: GenerateRequest, io: GenerateIo): Promise<Generated> {
  const t0 = io.now();
  const model = e.model;
  const context = e.context;
  if (model === null || context === null) throw new Error('no model loaded');
  const { tokens: prompt, triggers } = renderPrompt(e, request.messages);
  const room = context.contextSize - prompt.length;
  if (room < 1) {
    throw new EngineError({
      kind: 'request',
      message: `the prompt has ${prompt.length} tokens, more than the context of ${context.contextSize}`,
      hint: 'Raise backend.contextSize (--context-size).',
    });
  }
  const { grammar, note } = await grammarFor(e, request.format);
  const sequence = e.free.pop();
  if (sequence === undefined) throw new Error('no free sequence: more requests in flight than sequences');
  try {
    await sequence.clearHistory();
    const tTemplate = io.now();
    const run = await sampleLoop(
      e,
      sequence,
      prompt,
      request,
      { triggers, grammar, limit: Math.min(request.numPredict ?? room, room) },
      io,
    );
    const text = cutAtTrigger(model.detokenize(run.tokens.filter((t) => !model.isEogToken(t))), run.trigger);
    const metrics: EngineMetrics = {
      promptTokens: prompt.length,
      outputTokens: run.tokens.length,
      prefillMs: (run.firstMs ?? io.now()) - run.startMs,
      decodeMs:
        run.firstMs === null || run.lastMs === null || run.tokens.length < 2
          ? null
          : run.lastMs - run.firstMs,
      templateMs: tTemplate - t0,
      totalMs: io.now() - t0,
      threads: context.currentThreads,
    };
    return { text, pieces: run.pending, metrics, doneReason: run.reason, formatNote: note };
  } finally {
    e.free.push(sequence);
  }
}

interface LoopResult {
  tokens: Token[];
  pending: string[];
  startMs: number;
  firstMs: number | null;
  lastMs: number | null;
  trigger: string | null;
  reason: Generated['doneReason'];
}

interface LoopLimits {
  triggers: string[];
  grammar: LlamaGrammar | null;
  limit: number;
}

/**
 * The hot loop: one `evaluate()` over the prompt, a timestamp per token, a cached piece lookup for
 * the stop triggers, pieces flushed at most every PIECES_FLUSH_MS. Nothing else per token.
 */
async function sampleLoop(
  e: EngineState,
  sequence: LlamaContextSequence,
  prompt: Token[],
  request: GenerateRequest,
  limits: LoopLimits,
  io: GenerateIo,
): Promise<LoopResult> {
  const model = e.model as NonNullable<EngineState['model']>;
  const detector = new StopDetector(limits.triggers);
  const grammarEvaluationState =
    limits.grammar === null
      ? undefined
      : new e.lib.LlamaGrammarEvaluationState({ model, grammar: limits.grammar });
  const r: LoopResult = {
    tokens: [],
    pending: [],
    startMs: io.now(),
    firstMs: null,
    lastMs: null,
    trigger: null,
    reason: 'length',
  };
  let sentMs = 0;
  const options = {
    temperature: request.temperature ?? DEFAULT_TEMPERATURE,
    yieldEogToken: true,
    ...(request.seed === null ? {} : { seed: request.seed }),
    ...(grammarEvaluationState === undefined ? {} : { grammarEvaluationState }),
  };
  for await (const token of sequence.evaluate(prompt, options)) {
    const t = io.now();
    r.firstMs ??= t;
    r.lastMs = t;
    r.tokens.push(token);
    if (model.isEogToken(token)) return { ...r, reason: 'stop' };
    const piece = pieceOf(e, token);
    r.pending.push(piece);
    if (detector.push(piece)) return { ...r, trigger: detector.matched, reason: 'stop' };
    if (r.tokens.length >= limits.limit) return { ...r, reason: 'length' };
    if (io.cancelled()) return { ...r, reason: 'cancelled' };
    if (r.tokens.length === 1 || t - sentMs >= PIECES_FLUSH_MS) {
      io.sendPieces(r.pending);
      r.pending = [];
      sentMs = t;
    }
  }
  // evaluate() ended by itself: the grammar completed (or the model stopped).
  return { ...r, reason: 'stop' };
}

const pieces = new Map<Token, string>();

/** A token's text with special tokens spelled out (for stop triggers like "<|im_end|>"), cached per token. */
function pieceOf(e: EngineState, token: Token): string {
  let piece = pieces.get(token);
  if (piece === undefined) {
    piece = (e.model as NonNullable<EngineState['model']>).detokenize([token], true);
    pieces.set(token, piece);
  }
  return piece;
}

/** Forgets per-model caches (a new model has other tokens). */
export function clearGenerateCaches(): void {
  pieces.clear();
  grammars.clear();
}
