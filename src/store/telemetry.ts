import type { Channel, Sample, SamplerError, SourceName } from '../types/readings.js';
import type { Db } from './db.js';
import { prepared } from './prepared.js';
import type {
  PhaseName,
  Phase,
  StoredChannel,
  StoredSource,
  IdleSettle,
  TelemetrySink,
} from '../types/telemetry-rows.js';
export type { PhaseName, Phase, StoredChannel, StoredSource, IdleSettle } from '../types/telemetry-rows.js';

/** Adds a channel to a run, or returns the one it has under that key (a resumed run keeps its channels). */
export function insertChannel(
  db: Db,
  runId: number,
  channel: Channel,
  inTotal: boolean,
  intervalMs: number,
): number {
  db.prepare(
    `INSERT INTO telemetry_channels (run_id, key, source, device, kind, covers, in_total, interval_ms, detail_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (run_id, key) DO NOTHING`,
  ).run(
    runId,
    channel.key,
    channel.source,
    channel.device,
    channel.kind,
    channel.covers,
    inTotal ? 1 : 0,
    intervalMs,
    JSON.stringify(channel.detail),
  );
  const row = db
    .prepare('SELECT id FROM telemetry_channels WHERE run_id = ? AND key = ?')
    .get(runId, channel.key) as { id: number };
  return row.id;
}

export function insertSource(db: Db, runId: number, s: StoredSource): void {
  db.prepare(
    'INSERT OR REPLACE INTO telemetry_sources (run_id, source, available, reason, hint) VALUES (?, ?, ?, ?, ?)',
  ).run(runId, s.source, s.available ? 1 : 0, s.reason, s.hint);
}

/**
 * Writes a batch of samples and errors in one transaction. `channelIds` maps channel keys to
 * row ids; `originMs` is subtracted so stored times are offsets on the run's clock.
 */
export function insertTelemetryBatch(
  db: Db,
  runId: number,
  channelIds: ReadonlyMap<string, number>,
  originMs: number,
  samples: readonly Sample[],
  errors: readonly (SamplerError & { source: SourceName })[],
): void {
  const sampleStmt = prepared(
    db,
    'INSERT INTO samples (channel_id, t_ms, power_w, energy_j, utilization_pct, memory_used_bytes, clock_mhz, temperature_c) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const errorStmt = prepared(
    db,
    'INSERT INTO telemetry_errors (run_id, source, channel_key, t_ms, message) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const s of samples) {
      const id = channelIds.get(s.channelKey);
      if (id === undefined) continue;
      sampleStmt.run(
        id,
        s.tMs - originMs,
        s.powerW,
        s.energyJ,
        s.utilizationPct,
        s.memoryUsedBytes,
        s.clockMhz,
        s.temperatureC,
      );
    }
    for (const e of errors) errorStmt.run(runId, e.source, e.channelKey, e.tMs - originMs, e.message);
  })();
}

export function insertPhase(db: Db, runId: number, phase: Phase): void {
  db.prepare(
    'INSERT INTO phases (run_id, name, concurrency, context_depth_tokens, start_ms, end_ms) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(runId, phase.name, phase.concurrency, phase.contextDepthTokens ?? null, phase.startMs, phase.endMs);
}

/** An open-loop measure phase's facts, stored with it (absent on a closed-loop one). */
export interface OpenLoopPhase {
  arrivalRatePerS: number;
  latencyBoundMs: number | null;
  /** The p95 TTFT bound, ms; null: none. */
  ttftBoundMs?: number | null;
}

/** A phase stored while it runs: {@link openPhaseWindow}. */
export interface PhaseWindow {
  /** Stores the phase as ending at `endMs` (inserting it the first time). */
  extendTo(endMs: number): void;
  /** Marks a stored open-loop phase as stopped early, over-saturated (nothing when none is stored yet). */
  markOverSaturated(): void;
}

/**
 * A phase written as its work finishes rather than when it ends: nothing is stored until the first
 * `extendTo`, then each call moves the stored end. A measure phase extended as each request's row
 * is written keeps, after a kill, exactly the time its stored requests took; the resumed run adds
 * a window of its own, so the wall time between the kill and the resume is in no phase.
 */
export function openPhaseWindow(
  db: Db,
  runId: number,
  name: PhaseName,
  concurrency: number,
  startMs: number,
  open?: OpenLoopPhase | null,
  contextDepthTokens: number | null = null,
): PhaseWindow {
  let rowid: number | bigint | null = null;
  return {
    extendTo(endMs: number): void {
      if (rowid === null) {
        rowid = prepared(
          db,
          'INSERT INTO phases (run_id, name, concurrency, context_depth_tokens, start_ms, end_ms, arrival_rate_per_s, latency_bound_ms, ttft_bound_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          runId,
          name,
          concurrency,
          contextDepthTokens,
          startMs,
          endMs,
          open?.arrivalRatePerS ?? null,
          open?.latencyBoundMs ?? null,
          open?.ttftBoundMs ?? null,
        ).lastInsertRowid;
      } else {
        prepared(db, 'UPDATE phases SET end_ms = ? WHERE rowid = ?').run(endMs, rowid);
      }
    },
    markOverSaturated(): void {
      if (rowid !== null) prepared(db, 'UPDATE phases SET over_saturated = 1 WHERE rowid = ?').run(rowid);
    },
  };
}

export function listPhases(db: Db, runId: number): Phase[] {
  const rows = db
    .prepare(
      `SELECT name, concurrency, context_depth_tokens AS contextDepthTokens, start_ms AS startMs, end_ms AS endMs,
         arrival_rate_per_s AS arrivalRatePerS, over_saturated AS overSaturated, latency_bound_ms AS latencyBoundMs,
         ttft_bound_ms AS ttftBoundMs
       FROM phases WHERE run_id = ? ORDER BY start_ms`,
    )
    .all(runId) as (Omit<Phase, 'overSaturated' | 'contextDepthTokens'> & {
    overSaturated: number | null;
    contextDepthTokens: number | null;
  })[];
  // Closed-loop phases carry none of the open-loop fields, and a phase without filler no depth: they
  // stay absent, as before they existed, so records and reports of older runs stay as they were.
  return rows.map(
    ({ arrivalRatePerS, overSaturated, latencyBoundMs, ttftBoundMs, contextDepthTokens, ...rest }) => ({
      ...rest,
      ...(contextDepthTokens == null ? {} : { contextDepthTokens }),
      ...(arrivalRatePerS == null ? {} : { arrivalRatePerS }),
      ...(overSaturated == null ? {} : { overSaturated: overSaturated === 1 }),
      ...(latencyBoundMs == null ? {} : { latencyBoundMs }),
      ...(ttftBoundMs == null ? {} : { ttftBoundMs }),
    }),
  );
}

export function listChannels(db: Db, runId: number): StoredChannel[] {
  const rows = db
    .prepare('SELECT * FROM telemetry_channels WHERE run_id = ? ORDER BY id')
    .all(runId) as Record<string, string | number>[];
  return rows.map((r) => ({
    id: Number(r['id']),
    key: String(r['key']),
    source: String(r['source']) as SourceName,
    device: String(r['device']),
    kind: String(r['kind']) as Channel['kind'],
    covers: String(r['covers']) as Channel['covers'],
    inTotal: r['in_total'] === 1,
    intervalMs: Number(r['interval_ms']),
    detail: JSON.parse(String(r['detail_json'])) as Channel['detail'],
  }));
}

/** A channel's samples in time order, on the run's clock. */
export function listSamples(db: Db, channelId: number): Omit<Sample, 'channelKey'>[] {
  return db
    .prepare(
      `SELECT t_ms AS tMs, power_w AS powerW, energy_j AS energyJ, utilization_pct AS utilizationPct,
         memory_used_bytes AS memoryUsedBytes, clock_mhz AS clockMhz, temperature_c AS temperatureC
       FROM samples WHERE channel_id = ? ORDER BY t_ms`,
    )
    .all(channelId) as Omit<Sample, 'channelKey'>[];
}

export function insertIdleSettle(db: Db, runId: number, s: IdleSettle): void {
  db.prepare(
    `INSERT OR REPLACE INTO idle_settles
       (run_id, phase, start_ms, settled_ms, steady, max_ms, window_ms, tolerance)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(runId, s.phase, s.startMs, s.settledMs, s.steady ? 1 : 0, s.maxMs, s.windowMs, s.tolerance);
}

export function listIdleSettles(db: Db, runId: number): IdleSettle[] {
  const rows = db
    .prepare(
      `SELECT phase, start_ms AS startMs, settled_ms AS settledMs, steady, max_ms AS maxMs,
       window_ms AS windowMs, tolerance
     FROM idle_settles WHERE run_id = ? ORDER BY start_ms`,
    )
    .all(runId) as (Omit<IdleSettle, 'steady'> & { steady: number })[];
  return rows.map((r) => ({ ...r, steady: r.steady === 1 }));
}

export function listSources(db: Db, runId: number): StoredSource[] {
  const rows = db
    .prepare('SELECT source, available, reason, hint FROM telemetry_sources WHERE run_id = ? ORDER BY source')
    .all(runId) as { source: string; available: number; reason: string | null; hint: string | null }[];
  return rows.map((r) => ({ ...r, available: r.available === 1 }));
}

/** Sampler error counts per source and channel, with the first message of each. */
export function countTelemetryErrors(
  db: Db,
  runId: number,
): { source: string; channelKey: string | null; count: number; firstMessage: string }[] {
  return db
    .prepare(
      `SELECT source, channel_key AS channelKey, count(*) AS count, min(message) AS firstMessage
       FROM telemetry_errors WHERE run_id = ? GROUP BY source, channel_key ORDER BY source`,
    )
    .all(runId) as { source: string; channelKey: string | null; count: number; firstMessage: string }[];
}

/** A telemetry sink that writes a run's sources, channels and readings to the database. */
export function telemetrySink(db: Db, runId: number): TelemetrySink {
  return {
    addSource: (source) => insertSource(db, runId, source),
    addChannel: (channel, inTotal, intervalMs) => insertChannel(db, runId, channel, inTotal, intervalMs),
    addBatch: (channelIds, originMs, samples, errors) =>
      insertTelemetryBatch(db, runId, channelIds, originMs, samples, errors),
  };
}
