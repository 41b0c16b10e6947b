import type { BreakEven } from '../cost/cost-types.js';
import { gpuNamesOf } from './analyze-run.js';
import type { RunSummary } from './summary.js';

/**
 * Every machine x model that ran a suite, side by side, from each one's newest run: speed, energy,
 * cost per task and per correct task at one volume, capacity, break-even against the compared APIs,
 * and the cheapest machine for the volume. Pure: the caller chose and analysed the runs.
 */

/** How a machine is told apart from another, stably across databases (never by a row id). */
export interface MachineIdentity {
  hostname: string;
  /** sha256 of /etc/machine-id where the run recorded it: the same box across renames and databases. */
  machineIdSha256: string | null;
  /** GPU models (and VRAM), which tell apart two hosts of one name on different hardware. */
  gpus: string[];
  /**
   * The GPUs' UUIDs, sorted, where the run recorded them: a card swapped for another of its model
   * makes another machine. Absent: not recorded; the GPU models stand in.
   */
  gpuUuids?: string[];
  cpu: string | null;
  /**
   * What the user can match against a box: the machine id hash's first 8 hex and each GPU UUID's
   * first group ("3f2a9c01 GPU-5f3b2c1a GPU-0a1b2c3d"). Absent where neither was recorded.
   */
  shortId?: string;
}

/** Hex of the machine id's hash shown in {@link MachineIdentity.shortId}. */
export const SHORT_MACHINE_ID_HEX = 8;

/** "GPU-5f3b2c1a" of "GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a": the UUID's first group. */
function uuidPrefix(uuid: string): string {
  const [vendor = uuid, first] = uuid.split('-');
  return first === undefined ? uuid : `${vendor}-${first}`;
}

function shortIdOf(machineIdSha256: string | null, gpuUuids: readonly string[] | null): string | null {
  const parts = [
    ...(machineIdSha256 === null ? [] : [machineIdSha256.slice(0, SHORT_MACHINE_ID_HEX)]),
    ...(gpuUuids ?? []).map(uuidPrefix),
  ];
  return parts.length === 0 ? null : parts.join(' ');
}

/** One machine x model: its newest run of the suite and the figures the fleet compares. */
export interface FleetEntry {
  machine: MachineIdentity;
  model: string;
  runId: number;
  backend: string;
  finishedAt: string | null;
  /** All output tokens / all decode time (server counts), and the prefill rate's median. */
  decodeTokensPerS: number | null;
  prefillTokensPerS: number | null;
  tasksPerS: number | null;
  totalJPerTask: number | null;
  marginalJPerTask: number | null;
  /** The energy includes an estimate (CPU TDP x load): the figures that rest on it are estimates too. */
  energyIsEstimate: boolean;
  accuracy: number | null;
  /** In the cost's currency at the fleet's volume; null: unknown (the full view lacks an input). */
  fullPerTask: number | null;
  marginalPerTask: number | null;
  fullPerCorrectTask: number | null;
  /** Tasks one machine does in a month at a steady load; null without a capacity. */
  capacityPerMonth: number | null;
  /** Each compared API: where the cheaper option flips (full view). */
  breakEven: { api: string; breakEven: BreakEven }[];
}

export interface Fleet {
  suite: string;
  /** Suite versions seen; more than one means the tasks changed between runs. */
  suiteVersions: string[];
  volume: number | null;
  currency: string | null;
  entries: FleetEntry[];
  /**
   * The entry with the lowest full cost per task at the volume (per correct task where every entry
   * was scored); null when no entry has a full cost. Ties: the first in the table's order.
   */
  cheapest: { index: number; basis: 'per correct task' | 'per task'; value: number } | null;
  warnings: string[];
}

function identityOf(s: RunSummary): MachineIdentity {
  const gpus = gpuNamesOf(s).map((g) =>
    g.vramBytes === null ? g.name : `${g.name} ${Math.round(g.vramBytes / 2 ** 30)} GiB`,
  );
  const machineIdSha256 = s.machine?.machineIdSha256 ?? null;
  const uuids = s.machine?.gpuUuids;
  const gpuUuids = uuids === undefined || uuids.length === 0 ? null : [...new Set(uuids)].sort();
  const shortId = shortIdOf(machineIdSha256, gpuUuids);
  return {
    hostname: s.machine?.hostname ?? 'unknown',
    machineIdSha256,
    gpus: [...new Set(gpus)].sort(),
    ...(gpuUuids === null ? {} : { gpuUuids }),
    cpu: s.machine === null ? null : s.machine.cpuModel,
    ...(shortId === null ? {} : { shortId }),
  };
}

/**
 * A stable key of a machine x model: the machine id where recorded (else the hostname), CPU, the
 * GPUs' UUIDs where recorded (else their models), and the model. Two boxes of one name with their
 * own machine ids stay apart; a renamed box stays one; a box whose GPU was swapped for another of
 * its model is another machine.
 */
export function fleetKey(s: RunSummary): string {
  const id = identityOf(s);
  return JSON.stringify([id.machineIdSha256 ?? id.hostname, id.cpu, id.gpuUuids ?? id.gpus, s.run.model]);
}

function bestTasksPerS(s: RunSummary): number | null {
  const levels = s.sweep?.levels ?? [];
  const best = levels.find((l) => l.concurrency === s.sweep?.best) ?? levels[0];
  return best?.tasksPerS ?? null;
}

function entryOf(s: RunSummary): FleetEntry {
  const c = s.cost;
  const t = s.energy?.total;
  const accuracy = s.quality === null || s.quality.scored === 0 ? null : s.quality.accuracy;
  return {
    machine: identityOf(s),
    model: s.run.model,
    runId: s.run.id,
    backend: s.run.backend,
    finishedAt: s.run.finishedAt,
    decodeTokensPerS: s.generationTokensPerSOverall,
    prefillTokensPerS: s.promptTokensPerS?.median ?? null,
    tasksPerS: bestTasksPerS(s),
    totalJPerTask: c?.perTask.totalJ ?? t?.perTaskJ ?? null,
    marginalJPerTask: c?.perTask.marginalJ ?? t?.perTaskMarginalJ ?? null,
    energyIsEstimate: t?.includesEstimate ?? false,
    accuracy,
    fullPerTask: c?.local.fullPerTask ?? null,
    marginalPerTask: c?.local.marginalPerTask ?? null,
    fullPerCorrectTask: c?.local.fullPerCorrectTask ?? null,
    capacityPerMonth: c?.capacityPerMachinePerMonth ?? null,
    breakEven: (c?.apis ?? []).map((a) => ({ api: a.model, breakEven: a.breakEvenFull })),
  };
}

function cheapestOf(entries: readonly FleetEntry[]): Fleet['cheapest'] {
  const scored = entries.length > 0 && entries.every((e) => e.accuracy !== null);
  const basis = scored ? ('per correct task' as const) : ('per task' as const);
  let best: Fleet['cheapest'] = null;
  entries.forEach((e, index) => {
    const value = scored ? e.fullPerCorrectTask : e.fullPerTask;
    if (value !== null && (best === null || value < best.value)) best = { index, basis, value };
  });
  return best;
}

/**
 * The fleet of `runs` (each analysed with cost at one volume): the newest run per machine x model
 * (by id order within a database, by finish time across), ordered by full cost per task, unknown last.
 */
export function computeFleet(suite: string, runs: readonly RunSummary[]): Fleet {
  const newest = new Map<string, RunSummary>();
  for (const s of runs) {
    const key = fleetKey(s);
    const seen = newest.get(key);
    if (
      seen === undefined ||
      (s.run.finishedAt ?? s.run.startedAt) > (seen.run.finishedAt ?? seen.run.startedAt)
    )
      newest.set(key, s);
  }
  const chosen = [...newest.values()];
  const entries = chosen.map(entryOf).sort((a, b) => {
    const x = a.fullPerTask ?? Infinity;
    const y = b.fullPerTask ?? Infinity;
    return x === y
      ? a.machine.hostname.localeCompare(b.machine.hostname) || a.model.localeCompare(b.model)
      : x - y;
  });
  const currencies = [...new Set(chosen.flatMap((s) => (s.cost === null ? [] : [s.cost.currency])))];
  const volumes = [...new Set(chosen.flatMap((s) => (s.cost === null ? [] : [s.cost.volume])))];
  const versions = [...new Set(chosen.map((s) => s.run.suiteVersion))].sort();
  const warnings: string[] = [];
  if (versions.length > 1)
    warnings.push(
      `the runs used different versions of suite ${suite} (${versions.join(', ')}): their tasks differ`,
    );
  const notCompleted = entries.filter(
    (e) => chosen.find((s) => s.run.id === e.runId)?.run.status !== 'completed',
  );
  if (notCompleted.length > 0)
    warnings.push(
      `not completed, figures partial: ${notCompleted.map((e) => `${e.machine.hostname} × ${e.model}`).join(', ')}`,
    );
  const estimated = entries.filter((e) => e.energyIsEstimate);
  if (estimated.length > 0)
    warnings.push(
      `energy (and the cost on it) is an ESTIMATE on ${estimated.map((e) => e.machine.hostname).join(', ')}: no power meter was read there`,
    );
  const unscored = entries.filter((e) => e.accuracy === null);
  if (unscored.length > 0 && unscored.length < entries.length)
    warnings.push('some runs were not scored: the cheapest is chosen per task, not per correct task');
  return {
    suite,
    suiteVersions: versions,
    volume: volumes.length === 1 ? (volumes[0] as number) : null,
    currency: currencies.length === 1 ? (currencies[0] as string) : null,
    entries,
    cheapest: currencies.length > 1 ? null : cheapestOf(entries),
    warnings:
      currencies.length > 1
        ? [...warnings, `costs in several currencies (${currencies.join(', ')}): no cheapest`]
        : warnings,
  };
}
