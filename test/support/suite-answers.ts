import { loadSuite } from '../../src/suites/load.js';

/**
 * Scripted answers for a test double playing a model of known quality: for a suite's tasks it
 * answers the expected answer on the first `round(share x tasks)` tasks (in suite order) and a
 * wrong one on the rest, so a run's accuracy is known before it starts. Never a measurement of any
 * model: the fake servers' `--answers-from-suite` uses it for examples and tests.
 */
export function suiteResponder(
  suiteRef: string,
  correctShare: number,
  cwd: string = process.cwd(),
): (userText: string) => string | undefined {
  if (!(correctShare >= 0 && correctShare <= 1))
    throw new Error(`--correct-share must be 0..1, got ${correctShare}`);
  const tasks = loadSuite(suiteRef, cwd).tasks.filter(
    (t) => t.expected !== undefined && (t.prompt ?? '') !== '',
  );
  const correct = Math.round(correctShare * tasks.length);
  const answers = tasks.map((t, i) => ({
    prompt: t.prompt ?? '',
    answer: i < correct ? render(t.expected) : wrong(t.expected),
  }));
  // Longest prompt first, so a task whose prompt contains another's is matched by its own.
  answers.sort((a, b) => b.prompt.length - a.prompt.length);
  return (userText) => answers.find((a) => userText.includes(a.prompt))?.answer;
}

function render(expected: unknown): string {
  if (typeof expected === 'string') return expected;
  if (Array.isArray(expected)) return expected.join(', ');
  return JSON.stringify(expected);
}

/** An answer no check accepts: an object with every field changed, or text that is none of the expected. */
function wrong(expected: unknown): string {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected))
    return JSON.stringify(Object.fromEntries(Object.keys(expected).map((k) => [k, 'wrong'])));
  return 'no idea';
}
