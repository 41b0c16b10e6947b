import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { ConfigError, EXIT } from '../../errors.js';
import { formatPrometheus, type MetricsRun } from '../../report/format-prometheus.js';
import { openDb } from '../../store/db.js';
import { latestRunPerSeries } from '../../store/runs.js';
import type { CliIo } from '../io.js';
import { serveMetrics, parseListenAddress } from '../metrics-server.js';
import { readRunAnalysis } from '../run-analysis.js';

export interface MetricsFlags extends ConfigFlags {
  out?: string;
  serve?: string;
}

/** The exposition text of the newest run of each model x suite x machine x backend in the database. */
export function metricsText(flags: ConfigFlags, io: Pick<CliIo, 'env' | 'cwd'>): string {
  const { config, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  const db = openDb(dbPath);
  try {
    const runs: MetricsRun[] = latestRunPerSeries(db).map((s) => ({
      labels: { model: s.model, suite: s.suiteId, machine: s.machine, backend: s.backend },
      analysis: readRunAnalysis(db, String(s.runId), config, dbPath, file).analysis,
    }));
    return formatPrometheus(runs);
  } finally {
    db.close();
  }
}

/**
 * Writes `text` to `path` so that a reader (node_exporter's textfile collector) never sees half a
 * file: a temporary file in the same folder, then a rename over the target.
 */
export function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`cannot write ${path}: ${reason}`, 'Give --out a path in a folder you can write.');
  }
}

/**
 * `costbench metrics [--out file] [--serve addr]`: the latest runs in Prometheus's text format on
 * stdout, into a file written atomically, or served at http://addr/metrics until stopped.
 */
export async function metricsCommand(
  flags: MetricsFlags,
  io: CliIo,
  stop: { signal: AbortSignal; code: () => number },
): Promise<number> {
  if (flags.out !== undefined && flags.serve !== undefined)
    throw new ConfigError(
      '--out and --serve do not go together',
      'Write a file, or serve /metrics: one of them.',
    );
  if (flags.serve !== undefined) {
    const address = parseListenAddress(flags.serve);
    metricsText(flags, io); // bad config or database: fail now, not at the first scrape
    const server = await serveMetrics(address, () => metricsText(flags, io));
    io.stderr(`serving Prometheus metrics at http://${server.url}/metrics (Ctrl-C stops)\n`);
    await new Promise<void>((done) => stop.signal.addEventListener('abort', () => done(), { once: true }));
    await server.close();
    return EXIT.ok;
  }
  const text = metricsText(flags, io);
  if (flags.out === undefined) io.stdout(text);
  else writeAtomically(resolve(io.cwd, flags.out), text);
  return EXIT.ok;
}
