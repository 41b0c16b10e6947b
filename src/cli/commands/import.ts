import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { ConfigError, EXIT } from '../../errors.js';
import { listBundleFiles, readBundleFile } from '../../store/bundle-file.js';
import { BUNDLE_EXTENSION, BUNDLE_FORMAT_VERSION, parseBundle } from '../../store/bundle-format.js';
import { importBundle, type ImportResult } from '../../store/bundle-import.js';
import { schemaVersion } from '../../store/bundle-export.js';
import { openDb } from '../../store/db.js';
import { packageVersion } from '../../util/package-root.js';
import { resolve } from 'node:path';
import type { CliIo } from '../io.js';

function describeResult(file: string, r: ImportResult): string {
  const added =
    r.added.length === 0
      ? 'added none'
      : `added ${r.added.length} (as run ${r.added.map((a) => a.runId).join(', ')})`;
  const present =
    r.present.length === 0
      ? ''
      : `, ${r.present.length} already present (run ${r.present.map((p) => p.runId).join(', ')})`;
  return `${file}: ${added}${present}\n`;
}

/**
 * `costbench import <file|dir>…`: each bundle in one transaction, in the order given (a directory's
 * bundles in name order). The first bundle that fails stops the import with its error; the ones
 * before it stay imported, and importing them again changes nothing.
 */
export function importCommand(paths: readonly string[], flags: ConfigFlags, io: CliIo): number {
  const files = paths.flatMap((p) => listBundleFiles(resolve(io.cwd, p)));
  if (files.length === 0)
    throw new ConfigError(
      `no bundle in ${paths.join(', ')}`,
      `Bundles are files named *${BUNDLE_EXTENSION}.`,
    );
  const { dbPath } = loadConfig(flags, io.env, io.cwd);
  const db = openDb(dbPath);
  try {
    const limits = {
      formatVersion: BUNDLE_FORMAT_VERSION,
      schemaVersion: schemaVersion(db),
      costbenchVersion: packageVersion(),
    };
    for (const file of files) {
      const bundle = parseBundle(readBundleFile(file), file, limits);
      io.stdout(describeResult(file, importBundle(db, bundle, file, new Date().toISOString())));
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}
