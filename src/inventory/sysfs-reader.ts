/**
 * Reading small sysfs/procfs files for the machine state. A missing file is simply absent (many
 * are optional: boost, energy_performance_preference); any other failure (permission, I/O) is
 * absent too and leaves one line in `errors`, since a sensor that cannot be read is data.
 */
import { readFileSync, readdirSync } from 'node:fs';

/** How a file is read; tests inject EACCES, which root never meets. */
export type ReadFile = (path: string) => string;

/** Reads a file as UTF-8. */
export const readFileUtf8: ReadFile = (path) => readFileSync(path, 'utf8');

/** Trimmed file contents and directory listings, null where absent or unreadable. */
export interface SysfsReader {
  /** The file's text, trimmed; null if missing or unreadable. */
  text(path: string): string | null;
  /** The file's text as a number; null if missing, unreadable or not a number. */
  number(path: string): number | null;
  /** The directory's entries, sorted; null if missing or unreadable. */
  list(dir: string): string[] | null;
}

const ABSENT = new Set(['ENOENT', 'ENOTDIR', 'ENODEV', 'ENXIO']);

/** A reader that appends one line per unexpected failure to `errors`. */
export function sysfsReader(readFile: ReadFile, errors: string[]): SysfsReader {
  const attempt = <T>(path: string, fn: () => T): T | null => {
    try {
      return fn();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== undefined && ABSENT.has(code)) return null;
      errors.push(`${path}: ${describeReadError(error)}`);
      return null;
    }
  };
  const text = (path: string): string | null => attempt(path, () => readFile(path))?.trim() ?? null;
  return {
    text,
    number: (path) => {
      const value = text(path);
      return value === null || !/^-?\d+(\.\d+)?$/.test(value) ? null : Number(value);
    },
    list: (dir) => attempt(dir, () => readdirSync(dir).sort()),
  };
}

function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied (${code})`;
  return code ?? (error instanceof Error ? error.message : String(error));
}
