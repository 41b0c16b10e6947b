import type { ChatMessage } from '../backends/backend.js';

/**
 * The filler's words: common three-letter English words. Each, with the space before it, is one
 * token in the Llama, Mistral, Qwen and GPT vocabularies and four characters, so a filler of N
 * words is about N tokens (the server's count is recorded; the report names the measured depth).
 */
export const FILLER_WORDS: readonly string[] = [
  'the', 'and', 'for', 'are', 'but', 'not', 'you', 'all', 'any', 'can', 'had', 'her', 'was', 'one',
  'our', 'out', 'day', 'get', 'has', 'him', 'his', 'how', 'man', 'new', 'now', 'old', 'see', 'two',
  'way', 'who', 'did', 'use',
]; // prettier-ignore

/** Characters of filler per token the server is expected to count: one word and its space. */
export const FILLER_CHARS_PER_TOKEN = 4;

/** FNV-1a over the text: a stable 32-bit seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * About `depthTokens` tokens of filler text: that many words drawn by xorshift32 from a seed of
 * the depth and the salt. The same depth and salt give the same text on every run; another salt
 * (each request's own) gives another text from its first word on, so no server can reuse a cached
 * prefix of an earlier request's filler. Pure.
 */
export function buildFiller(depthTokens: number, salt: string): string {
  let state = hash32(`${depthTokens}:${salt}`) || 1;
  const words: string[] = [];
  for (let i = 0; i < depthTokens; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    words.push(FILLER_WORDS[state % FILLER_WORDS.length] as string);
  }
  return words.join(' ');
}

/**
 * The messages with `depthTokens` of filler before the task's own: in the leading system message
 * (before its text, a blank line between) or, where there is none, as a system message of its own,
 * so the roles the task's template expects are unchanged and its prompt still comes last. Depth 0:
 * the messages as they are. Pure.
 */
export function withContextFiller(
  messages: readonly ChatMessage[],
  depthTokens: number,
  salt: string,
): ChatMessage[] {
  if (depthTokens <= 0) return [...messages];
  const filler = buildFiller(depthTokens, salt);
  const [first, ...rest] = messages;
  if (first?.role === 'system')
    return [{ role: 'system', content: `${filler}\n\n${first.content}` }, ...rest];
  return [{ role: 'system', content: filler }, ...messages];
}
