import { ConfigError } from '../errors.js';
import { describeJsonError } from '../util/json-error.js';
import { suiteSchema, type Suite } from './schema.js';

/** Parses and validates suite JSON text; errors name the file and the field. */
export function parseSuite(text: string, file: string): Suite {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`suite ${file}: ${describeJsonError(error, text)}`, 'Fix the JSON syntax.');
  }
  const result = suiteSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue?.path.map(String).join('.') ?? '';
    throw new ConfigError(`suite ${file}: ${path || '(root)'}: ${issue?.message ?? 'invalid'}`, 'See bench/suites/triage-basic.json for the format.');
  }
  const seen = new Set<string>();
  for (const task of result.data.tasks) {
    if (seen.has(task.id)) throw new ConfigError(`suite ${file}: task id "${task.id}" appears twice`, 'Give every task a unique id.');
    seen.add(task.id);
  }
  return result.data;
}
