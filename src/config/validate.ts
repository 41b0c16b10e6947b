import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { configSchema, type Config } from './schema.js';

/** Where each leaf value came from, keyed by dotted path ("run.repeat" -> "flag --repeat"). */
export type ConfigSources = ReadonlyMap<string, string>;

/**
 * Validates a merged configuration object and fills in defaults. Pure: throws a ConfigError
 * whose one-line message names the key path, the bad value, where it came from and what is expected.
 */
export function validateConfig(input: unknown, sources: ConfigSources = new Map()): Config {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  if (first === undefined) throw new ConfigError('config: invalid configuration');
  const more = rest.length > 0 ? ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})` : '';
  throw new ConfigError(
    `${formatIssue(first, input, sources)}${more}`,
    'See config.example.json for every key, its meaning and its default.',
  );
}

/** Formats one zod issue as "config: run.repeat = 0 (from flag --repeat): expected an integer >= 1". */
function formatIssue(issue: z.core.$ZodIssue, input: unknown, sources: ConfigSources): string {
  if (issue.code === 'unrecognized_keys') {
    const where = issue.path.map(String);
    const keys = issue.keys.map((k) => [...where, k].join('.'));
    const source = sourceOf(keys[0] ?? '', sources);
    return printable(`config: unknown key ${keys.join(', ')}${source}: remove it or check its spelling`);
  }
  const path = issue.path.map(String).join('.') || '(root)';
  const value = valueAt(input, issue.path);
  const shown = value === undefined ? 'missing' : `= ${stringifyValue(value)}`;
  return printable(`config: ${path} ${shown}${sourceOf(path, sources)}: ${expectation(issue)}`);
}

/** Keys are the user's text: control characters (line breaks) are escaped so the message stays one line. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => JSON.stringify(c).slice(1, -1));
}

function stringifyValue(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '(a value nested too deeply to show)';
  }
}

function sourceOf(path: string, sources: ConfigSources): string {
  const source = sources.get(path);
  return source === undefined ? '' : ` (from ${source})`;
}

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}`;
    case 'too_small':
      if (issue.origin === 'array') return `expected at least ${String(issue.minimum)} items`;
      // .positive() is exclusive: 0 is refused, so ">= 0" would misstate it.
      if (issue.origin !== 'string' && issue.inclusive === false)
        return `expected a value > ${String(issue.minimum)}`;
      return `expected ${issue.origin === 'string' ? 'a non-empty string' : `a value >= ${String(issue.minimum)}`}`;
    case 'too_big':
      if (issue.origin === 'array') return `expected at most ${String(issue.maximum)} items`;
      return `expected a value <= ${String(issue.maximum)}`;
    case 'invalid_format':
      return `expected ${issue.format === 'regex' ? 'seconds or a duration like "10m"' : issue.format}`;
    case 'invalid_union': {
      // A discriminated union (cost.load.shape) names its options; the others say what they take.
      const options = (issue as { options?: unknown }).options;
      if (Array.isArray(options))
        return `expected one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
      return (
        UNION_EXPECTATIONS[String(issue.path[issue.path.length - 1])] ??
        'expected seconds (a number) or a duration like "10m"'
      );
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return issue.message.replace(/^Invalid input: /, '').toLowerCase();
  }
}

/** What the union-typed keys take, by key name (keepAlive is the default case). */
const UNION_EXPECTATIONS: Record<string, string> = {
  threads: 'expected "auto", a thread count >= 1, or a list of them',
  gpuLayers: 'expected "auto", "max" or a number of layers >= 0',
  contextSize: 'expected "auto" or a number of tokens >= 64',
  batchSize: 'expected "auto" or a number of tokens >= 1',
  flashAttention: 'expected "auto", true or false',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
