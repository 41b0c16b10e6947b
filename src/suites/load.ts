import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, NotFoundError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { parseSuite } from './parse.js';
import type { Suite } from './schema.js';
import { stripByteOrderMark } from '../util/byte-order-mark.js';

/** Where the built-in suites live inside the package. */
function builtinSuitesDir(): string {
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
      : new NotFoundError(
          `no built-in suite "${ref}"`,
          `Built-in suites: ${listBuiltinSuites().join(', ')}; or pass a path to a suite JSON file.`,
        );
  }
  const bytes = readFileSync(file);
  // Decoding would silently turn bad bytes into U+FFFD and change the prompts being measured.
  const badLine = firstNonUtf8Line(bytes);
  if (badLine !== null)
    throw new ConfigError(`suite ${file} line ${badLine}: not valid UTF-8`, 'Save the suite file as UTF-8.');
  // A byte-order mark (some Windows editors write one) is no JSON token: it goes before parsing.
  return parseSuite(stripByteOrderMark(bytes.toString('utf8')), file);
}

/** The 1-based line holding the first byte sequence that is not UTF-8, or null when all is UTF-8. */
function firstNonUtf8Line(bytes: Buffer): number | null {
  if (isUtf8(bytes)) return null;
  let start = 0;
  for (let line = 1; ; line += 1) {
    const end = bytes.indexOf(0x0a, start);
    if (end === -1 || !isUtf8(bytes.subarray(start, end))) return line;
    start = end + 1;
  }
}
