import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { describeJsonError } from '../util/json-error.js';
import { suiteHeaderSchema, suiteSchema, taskSchema, type Suite } from './schema.js';
import { validateExpected } from './score.js';

const HINT = 'See bench/suites/README.md for the suite format.';

/** Keys and JSON excerpts are the user's text: control characters (line breaks) are escaped to keep one line. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => JSON.stringify(c).slice(1, -1));
}

function issueText(error: z.ZodError, prefix: string): string {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  return printable(`${prefix}${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}`);
}

/**
 * Parses a suite: one JSON object (`{id, version, ..., tasks: [...]}`), or JSONL (the first line
 * the suite's fields without tasks, then one task per line). Errors name the file, the line (JSONL)
 * and the field. Pure.
 */
export function parseSuite(text: string, file: string): Suite {
  const suite = file.endsWith('.jsonl') ? parseJsonl(text, file) : parseJson(text, file);
  checkTasks(suite, file);
  return suite;
}

function parseJson(text: string, file: string): Suite {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `suite ${file}: ${printable(describeJsonError(error, text))}`,
      'Fix the JSON syntax.',
    );
  }
  const result = suiteSchema.safeParse(json);
  if (!result.success) throw new ConfigError(issueText(result.error, `suite ${file}: `), HINT);
  return result.data;
}

function parseJsonl(text: string, file: string): Suite {
  const lines = text
    .split('\n')
    .map((line, i) => ({ line: i + 1, text: line.trim() }))
    .filter((l) => l.text !== '');
  const parsed = lines.map(({ line, text: body }) => {
    try {
      return { line, json: JSON.parse(body) as unknown };
    } catch (error) {
      throw new ConfigError(
        `suite ${file} line ${line}: ${printable(describeJsonError(error, body).replace(/at line 1, /, 'at '))}`,
        'Each line must be one JSON object.',
      );
    }
  });
  const [head, ...rest] = parsed;
  if (head === undefined) throw new ConfigError(`suite ${file}: empty`, HINT);
  const header = suiteHeaderSchema.safeParse(head.json);
  if (!header.success)
    throw new ConfigError(
      issueText(header.error, `suite ${file} line ${head.line} (the suite's fields): `),
      HINT,
    );
  const tasks = rest.map(({ line, json }) => {
    const task = taskSchema.safeParse(json);
    if (!task.success) throw new ConfigError(issueText(task.error, `suite ${file} line ${line}: `), HINT);
    return { line, task: task.data };
  });
  if (tasks.length === 0) throw new ConfigError(`suite ${file}: no tasks after the first line`, HINT);
  const suite: Suite = { ...header.data, tasks: tasks.map((t) => t.task) };
  lineOf.set(suite, new Map(tasks.map((t) => [t.task.id, t.line])));
  return suite;
}

/** Line numbers of JSONL tasks, for error messages after parsing. */
const lineOf = new WeakMap<Suite, Map<string, number>>();

function checkTasks(suite: Suite, file: string): void {
  const seen = new Set<string>();
  suite.tasks.forEach((task, index) => {
    const line = lineOf.get(suite)?.get(task.id);
    const where = line === undefined ? `suite ${file}: tasks.${index}` : `suite ${file} line ${line}:`;
    if (seen.has(task.id))
      throw new ConfigError(
        `${where.replace(/:$/, '')}: task id "${task.id}" appears twice`,
        'Give every task a unique id.',
      );
    seen.add(task.id);
    const check = task.check ?? suite.check;
    const field = `${where}${line === undefined ? '.' : ' '}expected`;
    if (task.expected !== undefined && check === undefined)
      throw new ConfigError(
        `${field}: there is no check to score it with`,
        'Add "check" to the task or to the suite.',
      );
    if (task.expected === undefined || check === undefined) return;
    const problem = validateExpected(check, task.expected);
    if (problem !== null) throw new ConfigError(printable(`${field}: ${problem}`), HINT);
  });
}
