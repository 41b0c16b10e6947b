/**
 * The fake tokenizer and the default "model": deterministic, so tests can name exact counts.
 * A prompt token is 4 characters; an output token is a word with its leading whitespace.
 */

const CHARS_PER_PROMPT_TOKEN = 4;

/** Prompt tokens for the rendered prompt text: ceil(chars / 4), at least 1. */
export function countPromptTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / CHARS_PER_PROMPT_TOKEN));
}

/**
 * Splits a reply into output tokens: each word with the whitespace before it, so that the
 * tokens joined give back the text exactly (`'The cat.'` -> `['The', ' cat.']`).
 */
export function splitOutputTokens(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

const VOCABULARY = [
  'the',
  'model',
  'answers',
  'with',
  'a',
  'short',
  'and',
  'plain',
  'reply',
  'about',
  'your',
  'question',
  'so',
  'that',
  'benchmarks',
  'can',
  'count',
  'every',
  'token',
  'it',
  'sends',
  'back',
  'in',
  'order',
  'cost',
  'energy',
  'time',
  'per',
  'request',
  'is',
  'measured',
  'here',
];

/** FNV-1a: a stable seed from the prompt text. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The default reply: `words` words chosen by the prompt's hash, capitalised, ending in `.`. */
export function defaultReply(prompt: string, words: number): string {
  let state = hash32(prompt) || 1;
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    // xorshift32: cheap, deterministic, good enough to vary the words.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    out.push(VOCABULARY[state % VOCABULARY.length] ?? 'token');
  }
  const text = out.join(' ');
  return text === '' ? '' : `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** Stand-in token ids for generate's deprecated `context` array. */
export function contextIds(promptText: string, promptTokens: number, outputTokens: string[]): number[] {
  const ids: number[] = [];
  const seed = hash32(promptText);
  for (let i = 0; i < promptTokens; i++) ids.push(((seed + i * 7919) % 128_000) + 1);
  for (const token of outputTokens) ids.push((hash32(token) % 128_000) + 1);
  return ids;
}
