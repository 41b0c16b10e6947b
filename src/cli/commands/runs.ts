import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { EXIT } from '../../errors.js';
import { openDb } from '../../store/db.js';
import { countRequests } from '../../store/requests.js';
import { listRuns, markInterruptedRuns } from '../../store/runs.js';
import { isProcessAlive } from '../../util/process-alive.js';
import { hostname } from 'node:os';
import type { CliIo } from '../io.js';

export interface RunsFlags extends ConfigFlags {
  json?: boolean;
  limit?: string;
}

/** `costbench runs`: the stored runs, newest first. */
export function runsCommand(flags: RunsFlags, io: CliIo): number {
  const { dbPath } = loadConfig(flags, io.env, io.cwd);
  const db = openDb(dbPath);
  try {
    markInterruptedRuns(db, hostname(), isProcessAlive, new Date().toISOString());
    const limit = flags.limit === undefined ? 50 : Math.max(1, Number.parseInt(flags.limit, 10) || 50);
    const runs = listRuns(db, limit).map((run) => ({ ...run, requests: countRequests(db, run.id) }));
    if (flags.json === true) {
      io.stdout(JSON.stringify(runs, null, 2) + '\n');
      return EXIT.ok;
    }
    if (runs.length === 0) {
      io.stdout(`no runs yet in ${dbPath}; start one with \`costbench run\`\n`);
      return EXIT.ok;
    }
    io.stdout(
      [
        'id'.padStart(5),
        'status'.padEnd(12),
        'started (UTC)'.padEnd(21),
        'model'.padEnd(28),
        'suite'.padEnd(16),
        'ok/planned',
      ].join('  ') + '\n',
    );
    for (const r of runs) {
      io.stdout(
        [
          String(r.id).padStart(5),
          r.status.padEnd(12),
          r.startedAt.slice(0, 19).replace('T', ' ').padEnd(21),
          r.model.padEnd(28),
          r.suiteId.padEnd(16),
          `${r.requests.ok}/${r.plannedRequests}`,
        ].join('  ') + '\n',
      );
    }
    return EXIT.ok;
  } finally {
    db.close();
  }
}
