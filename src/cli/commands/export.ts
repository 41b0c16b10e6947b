import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { ConfigError, EXIT } from '../../errors.js';
import { readMachineIdentity } from '../../inventory/machine-identity.js';
import { energyOf } from '../../analysis/analyze-run.js';
import type { DownsampleOutcome } from '../../store/bundle-downsample.js';
import { buildBundle, selectRuns } from '../../store/bundle-export.js';
import { BUNDLE_EXTENSION, encodeBundle } from '../../store/bundle-format.js';
import { writeBundleFile } from '../../store/bundle-file.js';
import { openDb, type Db } from '../../store/db.js';
import { readRunRecord } from '../../store/run-record.js';
import { packageVersion } from '../../util/package-root.js';
import { resolve } from 'node:path';
import type { CliIo } from '../io.js';

export interface ExportFlags extends ConfigFlags {
  since?: string;
  all?: boolean;
  output?: string;
  downsampleMs?: string;
}

/** --downsample-ms as a number of milliseconds; undefined without it. Throws ConfigError for anything else. */
export function parseDownsampleMs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = value.trim() === '' ? Number.NaN : Number(value);
  if (!Number.isFinite(ms) || ms <= 0)
    throw new ConfigError(
      `--downsample-ms ${value} is not a positive number of milliseconds`,
      'e.g. --downsample-ms 1000: about one sample per channel per second (energy figures stay exact).',
    );
  return ms;
}

/** The line saying how each run's samples were thinned. */
function downsampleLine(intervalMs: number, outcomes: ReadonlyMap<number, DownsampleOutcome>): string {
  const parts = [...outcomes].map(([id, o]) => {
    if (o.state === 'thinned') return `run ${id} ${o.before} -> ${o.after}`;
    return o.why === 'already-downsampled'
      ? `run ${id} as it was (downsampled before)`
      : `run ${id} all kept`;
  });
  return `samples, about one per channel per ${intervalMs} ms: ${parts.join(', ')}; energy figures from all samples\n`;
}

/** The run's energy summary from all its samples, as JSON (what a thinned run carries). */
function energyJsonOf(db: Db, runId: number): string | null {
  const energy = energyOf({ ...readRunRecord(db, String(runId)), downsampled: null });
  return energy === null ? null : JSON.stringify(energy);
}

/** `costbench export <runs…|--since date> -o file`: the runs as one bundle file. */
export function exportCommand(refs: readonly string[], flags: ExportFlags, io: CliIo): number {
  if (flags.output === undefined)
    throw new ConfigError('export needs an output file: -o <file>', `Name it *${BUNDLE_EXTENSION}.`);
  if (refs.length === 0 && flags.since === undefined && flags.all !== true)
    throw new ConfigError(
      'export needs run ids, --since <date> or --all',
      'e.g. `costbench export 3 4 -o a.costbench.jsonl.gz`.',
    );
  if (flags.since !== undefined && Number.isNaN(Date.parse(flags.since)))
    throw new ConfigError(
      `--since ${flags.since} is not a date`,
      'Give an ISO date, e.g. 2026-11-30 or 2026-11-30T18:00Z.',
    );
  const downsampleMs = parseDownsampleMs(flags.downsampleMs);
  // --all: every run started since the epoch, i.e. all of them.
  const since =
    flags.all === true
      ? new Date(0).toISOString()
      : flags.since === undefined
        ? undefined
        : new Date(flags.since).toISOString();
  const { dbPath } = loadConfig(flags, io.env, io.cwd);
  const db = openDb(dbPath);
  try {
    const { ids, running } = selectRuns(db, { refs, ...(since === undefined ? {} : { since }) });
    for (const id of running)
      io.stderr(`run ${id} is still running: left out (export it when it has finished)\n`);
    if (ids.length === 0) throw new ConfigError('no finished run to export', 'See `costbench runs`.');
    const origin = {
      costbenchVersion: packageVersion(),
      createdAt: new Date().toISOString(),
      exportedBy: readMachineIdentity(),
    };
    const downsample =
      downsampleMs === undefined
        ? undefined
        : { intervalMs: downsampleMs, energyJson: (id: number) => energyJsonOf(db, id) };
    const { bundle, downsampled } = buildBundle(db, ids, origin, downsample);
    const path = resolve(io.cwd, flags.output);
    const bytes = writeBundleFile(path, encodeBundle(bundle));
    const noun = ids.length === 1 ? 'run' : 'runs';
    io.stdout(
      `exported ${ids.length} ${noun} (${ids.join(', ')}) to ${path} (${(bytes / 1024).toFixed(1)} KiB)\n`,
    );
    if (downsampleMs !== undefined) io.stdout(downsampleLine(downsampleMs, downsampled));
    if (!path.endsWith(BUNDLE_EXTENSION))
      io.stderr(`note: \`costbench import <dir>\` reads only files named *${BUNDLE_EXTENSION}\n`);
    return EXIT.ok;
  } finally {
    db.close();
  }
}
