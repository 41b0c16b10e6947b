import type { ServerFacts } from '../types/server-facts.js';
import type { GpuProcess } from '../types/machine-state.js';
import { machineStateWarnings } from './machine-state-warnings.js';
import type { SettingsRecord } from '../types/settings-record.js';
import type { RunMachineStates } from '../types/record-rows.js';
import type { StoredRecord } from '../types/record-rows.js';

/** What a report says about how its run was made: the settings record, the server's facts, the machine's state. */
export interface RecordView {
  /** sha256 of the settings record (canonical JSON); null for a run from before records were kept. */
  digest: string | null;
  record: SettingsRecord | null;
  /** What the server said about itself at the start (part 0) and at each resume. */
  serverFacts: { part: number; collectedAt: string; facts: ServerFacts }[];
  /** The machine at the start and at the end of the run; null where not recorded. */
  machineStates: RunMachineStates;
  /** Machine-state problems known to move results, one sentence each (battery, powersave, a lowered power limit…). */
  warnings: string[];
}

/** GPU process names that are the model server (or the embedded engine's Node process), by backend. */
const SERVER_PROCESS: Record<string, RegExp> = {
  ollama: /ollama/i,
  openai: /llama-server|llama_server|vllm|lm ?studio|lms|python/i,
  'llama-cpp': /node/i,
};

/** The pids on the GPU that are this run's own: the server it measured or the embedded engine (by process name), and costbench when known. */
export function ownGpuPids(
  processes: readonly GpuProcess[],
  backend: string,
  costbenchPid: number | null,
): number[] {
  const server = SERVER_PROCESS[backend];
  const own = processes.filter((p) => server !== undefined && server.test(p.processName)).map((p) => p.pid);
  return costbenchPid === null ? own : [costbenchPid, ...own];
}

/** Builds a run's record view from its stored parts. Pure. */
export function computeRecordView(input: {
  record: StoredRecord | null;
  serverFacts: RecordView['serverFacts'];
  machineStates: RunMachineStates;
  backend: string;
  pid: number | null;
  cpuCores: number | null;
}): RecordView {
  const { start, end } = input.machineStates;
  const processes = [...(start?.gpuProcesses ?? []), ...(end?.gpuProcesses ?? [])];
  const warnings =
    start === null
      ? []
      : machineStateWarnings(start, end, ownGpuPids(processes, input.backend, input.pid), input.cpuCores);
  return {
    digest: input.record?.digest ?? null,
    record: input.record?.record ?? null,
    serverFacts: input.serverFacts,
    machineStates: input.machineStates,
    warnings,
  };
}
