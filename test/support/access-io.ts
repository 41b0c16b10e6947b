import { readdirSync, readFileSync } from 'node:fs';
import type { AccessIo } from '../../src/telemetry/access-scan.js';

/** A real-shaped EACCES, as fs throws it for a user without the permission (root never meets it). */
export function eacces(path: string): Error {
  return Object.assign(new Error(`EACCES: permission denied, open '${path}'`), {
    code: 'EACCES',
    errno: -13,
    syscall: 'open',
    path,
  });
}

/** fs.readFileSync, except that reads of existing files matching `deny` throw EACCES (absent ones still ENOENT). */
export function denyingReadFile(deny: RegExp | null): (path: string) => string {
  return (path) => {
    const text = readFileSync(path, 'utf8');
    if (deny?.test(path) === true) throw eacces(path);
    return text;
  };
}

/**
 * The real file system, except: reads of existing files matching `deny` throw EACCES (absent files
 * still throw ENOENT), nodes in `closed` cannot be opened, and groups come from `groups`.
 */
export function fixtureIo(
  deny: RegExp | null,
  closed: readonly string[] = [],
  groups: Record<string, string> = {},
): AccessIo {
  return {
    readFile: denyingReadFile(deny),
    listDir: (path) => readdirSync(path),
    canOpen: (path) => !closed.includes(path),
    groupOf: (path) => groups[path] ?? 'root',
  };
}
