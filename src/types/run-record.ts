import type { EngineInventory, MachineInventory, ModelInventory } from './inventory-rows.js';
import type { LoopLagRow } from './loop-lag.js';
import type { RunMachineStates, StoredRecord } from './record-rows.js';
import type { ReplayReference, RequestRow, RunRow, WarmupRow } from './run-rows.js';
import type { ServerFacts } from './server-facts.js';
import type {
  DownsampledEnergy,
  IdleSettle,
  Phase,
  StoredChannel,
  StoredSample,
  StoredSource,
  TelemetryErrorCount,
} from './telemetry-rows.js';

/**
 * Everything stored for one run, read back as plain data (store/run-record.ts reads it; analysis/
 * computes from it). No handles, no lazy reads: what analysis sees is exactly this.
 */
export interface RunRecord {
  run: RunRow;
  requests: RequestRow[];
  warmup: WarmupRow | null;
  /** The telemetry channels, and each one's readings by channel id, in time order. */
  channels: StoredChannel[];
  samples: ReadonlyMap<number, StoredSample[]>;
  phases: Phase[];
  /** What each telemetry source's probe found. */
  sources: StoredSource[];
  idleSettles: IdleSettle[];
  telemetryErrors: TelemetryErrorCount[];
  machine: MachineInventory | null;
  model: ModelInventory | null;
  engine: EngineInventory | null;
  replayRefs: ReplayReference[];
  /** The settings record; null for a run from before records were kept. */
  settings: StoredRecord | null;
  serverFacts: { part: number; collectedAt: string; facts: ServerFacts }[];
  machineStates: RunMachineStates;
  /** The client's event-loop lag per level; empty for a run from before it was measured. */
  loopLag: LoopLagRow[];
  /** Set when the run's samples were thinned on export (a bundle's --downsample-ms); null or absent: all kept. */
  downsampled?: DownsampledEnergy | null;
}
