import { readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { BundleError, ConfigError, describeError } from '../errors.js';
import { BUNDLE_EXTENSION } from './bundle-format.js';

/** Writes a bundle's text gzip'd to `path`, through a temporary file renamed into place (no half file). */
export function writeBundleFile(path: string, text: string): number {
  const data = gzipSync(Buffer.from(text, 'utf8'));
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (error) {
    throw new ConfigError(
      `cannot write bundle ${path}: ${describeError(error)}`,
      'Check that the directory exists and is writable.',
    );
  }
  return data.length;
}

/** A bundle file's text, unzipped. Throws BundleError for a file that is not gzip or is cut short. */
export function readBundleFile(path: string): string {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (error) {
    throw new ConfigError(`cannot read bundle ${path}: ${describeError(error)}`, 'Check the path.');
  }
  try {
    return gunzipSync(data).toString('utf8');
  } catch (error) {
    throw new BundleError(
      `bundle ${path} is truncated or corrupt: ${describeError(error)}`,
      'Copy or export it again.',
    );
  }
}

/** The bundle files a path names: the file itself, or a directory's *.costbench.jsonl.gz in name order. */
export function listBundleFiles(path: string): string[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (error) {
    throw new ConfigError(
      `cannot read ${path}: ${describeError(error)}`,
      'Give a bundle file or a directory of them.',
    );
  }
  if (!isDir) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith(BUNDLE_EXTENSION))
    .sort()
    .map((name) => join(path, name));
}
