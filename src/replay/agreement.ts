import { computeF1, parseJsonAnswer } from '../suites/score.js';

/** How two answers were compared. */
export type AgreementMethod = 'json-fields' | 'exact' | 'token-f1';

/** How far a local answer agrees with the API's answer to the same request: 0..1, and how it was measured. */
export interface Agreement {
  score: number;
  method: AgreementMethod;
}

/** Answers of at most this many words (both of them) are compared whole, not word by word. */
export const SHORT_ANSWER_MAX_WORDS = 3;

type JsonObject = Record<string, unknown>;

function asObject(value: unknown): JsonObject | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : null;
}

/** JSON equality: key order does not matter, everything else does. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]))
    );
  }
  const objectA = asObject(a);
  const objectB = asObject(b);
  if (objectA === null || objectB === null) return a === b;
  const keys = Object.keys(objectA);
  return (
    keys.length === Object.keys(objectB).length &&
    keys.every((k) => Object.hasOwn(objectB, k) && jsonEqual(objectA[k], objectB[k]))
  );
}

/** Top-level strings compare trimmed and case-insensitively; anything else by JSON equality. */
function sameField(local: unknown, reference: unknown): boolean {
  if (typeof local === 'string' && typeof reference === 'string')
    return local.trim().toLowerCase() === reference.trim().toLowerCase();
  return jsonEqual(local, reference);
}

/**
 * The share of the reference's top-level fields that the local object has with equal values
 * (0 when the local answer is not a JSON object). A reference with no fields agrees only with `{}`.
 */
function computeFieldAgreement(local: JsonObject | null, reference: JsonObject): number {
  if (local === null) return 0;
  const keys = Object.keys(reference);
  if (keys.length === 0) return Object.keys(local).length === 0 ? 1 : 0;
  const same = keys.filter((k) => Object.hasOwn(local, k) && sameField(local[k], reference[k])).length;
  return same / keys.length;
}

function countWords(text: string): number {
  return text.split(/\s+/u).filter((w) => w !== '').length;
}

/** Case, runs of whitespace and trailing punctuation ("Yes." = "yes") do not count. */
function normalizeShort(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/[\p{P}\s]+$/u, '');
}

/**
 * Lowercase word tokens: runs of letters and digits, with combining marks kept inside a word
 * (scripts such as Devanagari write vowels as marks). NFC first, so "é" typed either way is one token.
 */
export function tokenizeWords(text: string): string[] {
  return (
    text
      .normalize('NFC')
      .toLowerCase()
      .match(/[\p{L}\p{N}][\p{L}\p{N}\p{M}]*/gu) ?? []
  );
}

/**
 * How far a local answer agrees with the API's reference answer to the same request. Pure.
 * - json-fields: the reference is a JSON object (read with parseJsonAnswer): the share of its
 *   top-level fields the local answer has with equal values; a local answer that is not a JSON
 *   object scores 0, since it missed the format the reference shows.
 * - exact: both answers have at most SHORT_ANSWER_MAX_WORDS words: 1 when equal ignoring case,
 *   whitespace and trailing punctuation, else 0.
 * - token-f1: otherwise, F1 over the sets of word tokens (computeF1): a word counts once however
 *   often it appears, so repeating the reference's words earns nothing and a repeated word is not
 *   punished twice.
 */
export function computeAgreement(local: string, reference: string): Agreement {
  const referenceObject = asObject(parseJsonAnswer(reference));
  if (referenceObject !== null) {
    return {
      score: computeFieldAgreement(asObject(parseJsonAnswer(local)), referenceObject),
      method: 'json-fields',
    };
  }
  if (countWords(local) <= SHORT_ANSWER_MAX_WORDS && countWords(reference) <= SHORT_ANSWER_MAX_WORDS) {
    return { score: normalizeShort(local) === normalizeShort(reference) ? 1 : 0, method: 'exact' };
  }
  return {
    score: computeF1([...new Set(tokenizeWords(local))], tokenizeWords(reference)),
    method: 'token-f1',
  };
}
