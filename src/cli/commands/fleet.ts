import { computeFleet } from '../../analysis/fleet.js';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { ConfigError, EXIT, NotFoundError } from '../../errors.js';
import { formatFleetMarkdown, formatFleetTable } from '../../report/format-fleet.js';
import { formatFleetHtml } from '../../report/html/fleet-page.js';
import { openDb } from '../../store/db.js';
import { runIdsOfSuite, suitesWithRuns } from '../../store/runs.js';
import type { CliIo } from '../io.js';
import { resolve } from 'node:path';
import { writeAtomically } from './metrics.js';
import { readRunAnalysis } from '../run-analysis.js';

export const FLEET_FORMATS = ['table', 'md', 'json', 'html'] as const;

export interface FleetFlags extends ConfigFlags {
  suite?: string;
  volume?: string;
  format?: string;
  out?: string;
}

function parseVolume(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(
      `--volume ${text} is not a number of tasks a month`,
      'Give a whole number from 1, e.g. --volume 100000.',
    );
  return value;
}

/** The suite to show: the one asked for, or the only one with runs. */
function chooseSuite(asked: string | undefined, suites: { suiteId: string; runs: number }[]): string {
  const known = suites.map((s) => `${s.suiteId} (${s.runs} run${s.runs === 1 ? '' : 's'})`).join(', ');
  if (asked !== undefined) {
    if (!suites.some((s) => s.suiteId === asked))
      throw new NotFoundError(
        `no finished runs of suite "${asked}" in this database`,
        `Suites with runs: ${known || 'none'}.`,
      );
    return asked;
  }
  if (suites.length === 1) return (suites[0] as { suiteId: string }).suiteId;
  if (suites.length === 0)
    throw new NotFoundError(
      'no finished runs in this database',
      'Run one with `costbench run`, or import bundles with `costbench import`.',
    );
  throw new ConfigError(
    'several suites have runs: say which one with --suite',
    `Suites with runs: ${known}.`,
  );
}

/**
 * `costbench fleet [--suite s] [--volume n] [--format …] [--out f]`: every machine x model that ran
 * the suite, from its newest run, side by side at one volume, and the cheapest for it.
 */
export function fleetCommand(flags: FleetFlags, io: CliIo): number {
  const format = flags.format ?? 'table';
  if (!(FLEET_FORMATS as readonly string[]).includes(format))
    throw new ConfigError(
      `--format ${format} is not a fleet format`,
      `Use one of: ${FLEET_FORMATS.join(', ')}.`,
    );
  const volume = parseVolume(flags.volume);
  const loaded = loadConfig(flags, io.env, io.cwd);
  const config =
    volume === undefined
      ? loaded.config
      : { ...loaded.config, cost: { ...loaded.config.cost, monthlyTasks: volume } };
  const db = openDb(loaded.dbPath);
  try {
    const suite = chooseSuite(flags.suite, suitesWithRuns(db));
    const analyses = runIdsOfSuite(db, suite)
      .map((id) => readRunAnalysis(db, String(id), config, loaded.dbPath, loaded.file).analysis)
      // A run against a remote API has no machine of its own: it is the other side of `decide`.
      .filter((a) => a.run.remote == null);
    const fleet = computeFleet(suite, analyses);
    const text =
      format === 'json'
        ? JSON.stringify(fleet, null, 2) + '\n'
        : format === 'md'
          ? formatFleetMarkdown(fleet)
          : format === 'html'
            ? formatFleetHtml(fleet)
            : formatFleetTable(fleet);
    if (flags.out === undefined) io.stdout(text);
    else {
      const path = resolve(io.cwd, flags.out);
      writeAtomically(path, text);
      io.stderr(`wrote ${path}\n`);
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}
