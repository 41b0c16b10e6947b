import { isReplayRun } from '../../record/workload.js';
import { loadConfig, type LoadedConfig } from '../../config/load.js';
import { parseOllamaHost } from '../../config/ollama-host.js';
import type { Config } from '../../config/schema.js';
import { ConfigError } from '../../errors.js';
import { inventoryOptionsFromEnv, readMachineInventory } from '../../inventory/machine.js';
import { machineDifferences, softwareDifferences } from '../../record/machine-differences.js';
import { readSoftware } from '../../record/software.js';
import { openDb } from '../../store/db.js';
import { getMachine } from '../../store/inventory.js';
import { getRecord, type StoredRecord } from '../../store/records.js';
import { getRun, type RunRow } from '../../store/runs.js';
import type { CliIo } from '../io.js';
import { runCommand } from './run.js';

export interface RerunFlags {
  config?: string;
  db?: string;
  /** The server's address today, when it moved since the first run. */
  host?: string;
  json?: boolean;
}

type Stop = Parameters<typeof runCommand>[2];

/** The configuration of a rerun: the first run's record, today's store, cost and roofline inputs. Pure. */
export function rerunConfig(
  run: RunRow,
  stored: StoredRecord,
  today: Config,
  host: string | undefined,
): Config {
  const recorded = stored.record.config;
  const threads = stored.record.engineThreads;
  return {
    ...recorded,
    run: { ...recorded.run, model: run.model, suite: stored.record.suite.source },
    backend: {
      ...recorded.backend,
      host: host ?? recorded.backend.host,
      ...(threads === null ? {} : { threads }),
    },
    store: today.store,
    cost: today.cost,
    roofline: today.roofline,
  } as Config;
}

/**
 * `costbench rerun <id>`: a new run with the settings the first one recorded (model, suite,
 * levels, telemetry, engine settings, request options), saying first what differs here (machine,
 * software). Cost uses today's inputs, as every report does.
 */
export async function rerunCommand(ref: string, flags: RerunFlags, io: CliIo, stop: Stop): Promise<number> {
  const today = loadConfig(
    {
      ...(flags.config === undefined ? {} : { config: flags.config }),
      ...(flags.db === undefined ? {} : { db: flags.db }),
    },
    io.env,
    io.cwd,
  );
  const db = openDb(today.dbPath);
  let run: RunRow;
  let stored: StoredRecord | null;
  let machine: ReturnType<typeof getMachine>;
  try {
    run = getRun(db, ref);
    stored = getRecord(db, run.id);
    machine = getMachine(db, run.id);
  } finally {
    db.close();
  }
  if (stored === null) {
    throw new ConfigError(
      `run ${run.id} has no settings record (an older costbench made it), so it cannot be rerun as it was`,
      `Start a new run with the same flags; \`costbench report ${run.id} --format json\` shows the settings it stored.`,
    );
  }
  const config = rerunConfig(run, stored, today.config, flags.host);
  const here = [
    ...machineDifferences(machine, await readMachineInventory(inventoryOptionsFromEnv(io.env))),
    ...softwareDifferences(stored.record.software, readSoftware()),
  ];
  io.stderr(
    `rerun of run ${run.id} with its settings (record ${stored.digest.slice(0, 12)})${here.length === 0 ? ' on the same machine and software' : `; here differs: ${here.join('; ')}`}\n`,
  );
  const loaded: LoadedConfig = {
    config,
    file: today.file,
    host: parseOllamaHost(config.backend.host),
    dbPath: today.dbPath,
  };
  const replay = isReplayRun(run, stored.record) ? stored.record.suite : null;
  return runCommand(
    {
      ...(flags.json === undefined ? {} : { json: flags.json }),
      ...(replay === null
        ? {}
        : {
            replay: replay.source,
            ...(replay.replayOutput === null ? {} : { replayOutput: replay.replayOutput }),
          }),
      rerunOf: run.id,
    },
    io,
    stop,
    loaded,
  );
}
