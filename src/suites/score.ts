import type { Check } from './schema.js';

/** How well one answer matched: 0..1, whether it counts as correct, and a short why. */
export interface Score {
  score: number;
  correct: boolean;
  detail: string;
}

/** Parses a JSON answer, tolerating a ```json fence and text around one object or list. Pure. */
export function parseJsonAnswer(text: string): unknown {
  const unfenced = text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  try {
    return JSON.parse(unfenced);
  } catch {
    for (const [open, close] of [
      ['{', '}'],
      ['[', ']'],
    ] as const) {
      const start = unfenced.indexOf(open);
      const end = unfenced.lastIndexOf(close);
      if (start >= 0 && end > start) {
        try {
          return JSON.parse(unfenced.slice(start, end + 1));
        } catch {
          // try the other bracket kind
        }
      }
    }
    return undefined;
  }
}

function norm(value: string, caseSensitive: boolean): string {
  const trimmed = value.trim().replace(/\s+/g, ' ');
  return caseSensitive ? trimmed : trimmed.toLowerCase();
}

/** Values compare equal when equal as JSON, strings trimmed and case-insensitively. */
function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return norm(a, false) === norm(b, false);
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) =>
      sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
    );
  }
  return a === b;
}

/** The labels of an answer: a JSON list, a field of a JSON object, or a comma/newline-separated list. */
function readLabels(text: string, field: string | undefined): string[] {
  const parsed = parseJsonAnswer(text);
  const raw =
    field !== undefined && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)[field]
      : parsed;
  const list = Array.isArray(raw) ? raw.map(String) : field === undefined ? text.split(/[,\n]/) : [];
  return [
    ...new Set(list.map((l) => norm(l.replace(/^[-*\s"']+|["'\s.]+$/g, ''), false)).filter((l) => l !== '')),
  ];
}

/** F1 of predicted labels against expected ones (1 when both are empty). */
export function computeF1(predicted: readonly string[], expected: readonly string[]): number {
  if (predicted.length === 0 && expected.length === 0) return 1;
  const want = new Set(expected.map((e) => norm(e, false)));
  const hits = predicted.filter((p) => want.has(p)).length;
  if (hits === 0) return 0;
  const precision = hits / predicted.length;
  const recall = hits / want.size;
  return (2 * precision * recall) / (precision + recall);
}

/**
 * Scores an answer against an expected value with a check. Pure. The caller has validated that
 * `expected` has the shape the check needs (see validateExpected).
 */
export function scoreAnswer(check: Check, expected: unknown, answer: string): Score {
  switch (check.type) {
    case 'exact': {
      const ok = norm(answer, check.caseSensitive) === norm(String(expected), check.caseSensitive);
      return { score: ok ? 1 : 0, correct: ok, detail: ok ? 'exact match' : 'differs' };
    }
    case 'one-of': {
      const hit = (expected as string[]).find(
        (e) => norm(e, check.caseSensitive) === norm(answer, check.caseSensitive),
      );
      return {
        score: hit === undefined ? 0 : 1,
        correct: hit !== undefined,
        detail: hit === undefined ? 'none of the accepted answers' : `matches "${hit}"`,
      };
    }
    case 'regex': {
      const ok = new RegExp(String(expected), check.flags).test(answer);
      return { score: ok ? 1 : 0, correct: ok, detail: ok ? 'matches' : 'does not match' };
    }
    case 'json-fields':
      return scoreJsonFields(expected as Record<string, unknown>, answer, check.fields);
    case 'labels-f1': {
      const f1 = computeF1(readLabels(answer, check.field), expected as string[]);
      return { score: f1, correct: f1 >= check.threshold, detail: `F1 ${f1.toFixed(3)}` };
    }
    case 'contains-all': {
      const wanted = expected as string[];
      const missing = wanted.filter(
        (w) => !norm(answer, check.caseSensitive).includes(norm(w, check.caseSensitive)),
      );
      return {
        score: wanted.length === 0 ? 1 : (wanted.length - missing.length) / wanted.length,
        correct: missing.length === 0,
        detail: missing.length === 0 ? 'contains all' : `missing: ${missing.join(', ')}`,
      };
    }
  }
}

function scoreJsonFields(
  expected: Record<string, unknown>,
  answer: string,
  fields: readonly string[] | undefined,
): Score {
  const parsed = parseJsonAnswer(answer);
  const keys = fields ?? Object.keys(expected);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { score: 0, correct: false, detail: 'answer is not a JSON object' };
  }
  const wrong = keys.filter((k) => !sameValue((parsed as Record<string, unknown>)[k], expected[k]));
  return {
    score: keys.length === 0 ? 1 : (keys.length - wrong.length) / keys.length,
    correct: wrong.length === 0,
    detail: wrong.length === 0 ? 'all fields match' : `wrong: ${wrong.join(', ')}`,
  };
}

/** Why `expected` does not fit the check, or null when it does. Pure. */
export function validateExpected(check: Check, expected: unknown): string | null {
  const isStrings = Array.isArray(expected) && expected.every((e) => typeof e === 'string');
  switch (check.type) {
    case 'exact':
      return typeof expected === 'string' ? null : 'the exact check needs a string';
    case 'regex': {
      if (typeof expected !== 'string') return 'the regex check needs a pattern string';
      try {
        new RegExp(expected, check.flags);
        return null;
      } catch (error) {
        return `not a valid pattern: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    case 'one-of':
    case 'labels-f1':
    case 'contains-all':
      return isStrings ? null : `the ${check.type} check needs a list of strings`;
    case 'json-fields':
      return expected !== null && typeof expected === 'object' && !Array.isArray(expected)
        ? null
        : 'the json-fields check needs an object';
  }
}
