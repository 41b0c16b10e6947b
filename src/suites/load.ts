import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NotFoundError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { parseSuite } from './parse.js';
import type { Suite } from './schema.js';

/** Where the built-in suites live inside the package. */
export function builtinSuitesDir(): string {
  return join(packageRoot(), 'bench', 'suites');
}

/** The ids of the built-in suites. */
export function listBuiltinSuites(): string[] {
  return readdirSync(builtinSuitesDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Loads a suite by built-in id, or from a file path (anything with a slash or ending in .json). */
export function loadSuite(ref: string, cwd: string): Suite {
  const isPath = ref.includes('/') || ref.includes('\\') || ref.endsWith('.json') || ref.endsWith('.jsonl');
  const file = isPath ? resolve(cwd, ref) : join(builtinSuitesDir(), `${ref}.json`);
  if (!existsSync(file)) {
    throw isPath
      ? new NotFoundError(`suite file not found: ${file}`, 'Check the --suite path.')
      : new NotFoundError(`no built-in suite "${ref}"`, `Built-in suites: ${listBuiltinSuites().join(', ')}; or pass a path to a suite JSON file.`);
  }
  return parseSuite(readFileSync(file, 'utf8'), file);
}
