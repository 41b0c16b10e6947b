import type { Backend } from '../backends/backend.js';
import {
  machineStateOptionsFromEnv,
  readMachineState,
  type MachineStatePhase,
} from '../inventory/machine-state.js';
import type { Db } from '../store/db.js';
import { insertMachineState } from '../store/machine-states.js';
import { insertServerFacts } from '../store/records.js';
import type { ServerFacts } from '../types/server-facts.js';

/** Reads and stores the machine's state (CPU scaling, power source, load, GPU limits and processes); never throws. */
export async function recordMachineState(
  db: Db,
  runId: number,
  phase: MachineStatePhase,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  insertMachineState(db, runId, await readMachineState(phase, machineStateOptionsFromEnv(env)));
}

/**
 * Stores what the server says about itself for this model (version, context, slots, placement).
 * Called once the warm-up loaded the model, at each start of the run (Ollama lists a model in
 * /api/ps only once loaded; the embedded engine knows its settings only then). What the server
 * did not tell is in the facts' errors.
 */
export async function recordServerFacts(
  db: Db,
  runId: number,
  backend: Backend,
  model: string,
  signal?: AbortSignal,
): Promise<ServerFacts> {
  const facts = await backend.serverFacts(model, signal);
  insertServerFacts(db, runId, facts, new Date().toISOString());
  return facts;
}
