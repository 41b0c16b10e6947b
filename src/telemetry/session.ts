import type { Config } from '../config/schema.js';
import type { TelemetrySink } from '../types/telemetry-rows.js';
import {
  buildEstimateSampler,
  buildSamplers,
  probeAll,
  type NamedSampler,
  type TelemetryIo,
} from './build.js';
import { labelGuestSideProbe } from './estimate.js';
import { DEFAULT_FLUSH_EVERY_MS, Poller, type ScheduledSampler } from './poller.js';
import type { CpuFacts } from './cpu-tdp.js';
import type { Channel, ProbeResult } from './sampler.js';
import { needsCpuEstimate, selectChannels, type Selection } from './select.js';
import { makeWaitForSteadyPower, RecentPower, STEADY_WINDOW_MS, type WaitForSteadyPower } from './steady.js';
import { sleep as realSleep } from '../util/sleep.js';

/** A running telemetry session for one run. */
export interface TelemetrySession {
  /** Channels that are being read, with whether each counts toward the machine total. */
  channels: (Channel & { inTotal: boolean })[];
  /** Current machine power from the newest readings of the counted channels, for live display. */
  liveWatts(): { watts: number; estimated: boolean } | null;
  /**
   * Waits until the measured power of the counted channels is flat (see steady.ts), for an idle
   * baseline; null when no measured channel gives power (nothing to wait for).
   */
  waitForSteadyPower: WaitForSteadyPower | null;
  /** Reads the counter sources now (NVML energy, RAPL): called at request and phase edges. */
  markBoundary(): void;
  /** Stops the poller and every sampler, writing what is buffered. */
  stop(): Promise<void>;
}

export interface StartTelemetryInput {
  /** Where the probes' outcomes, the channels and the readings go (store/telemetry.ts: telemetrySink). */
  sink: TelemetrySink;
  telemetry: Config['telemetry'];
  io: TelemetryIo;
  /** The run's time zero on io.now's scale: samples are stored as offsets from it. */
  originMs: number;
  /** What the inventory knows of the CPU, for the estimate's TDP (default: node:os's model string). */
  cpu?: CpuFacts | string;
  /** The machine is a VM: a CPU estimate is labelled a guest-side estimate. */
  guestSide?: boolean;
  /** Told about a failed write of samples (the run goes on; the readings are kept and retried). */
  onWarning?: (message: string) => void;
  /** How a wait for steady power sleeps between looks (default: a timer; returns early on the signal). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Which probed samplers to start, which channels count toward the total, and which tools are skipped as redundant. */
export function planSamplers(probed: readonly (NamedSampler & { probe: ProbeResult })[]): {
  available: (NamedSampler & { probe: ProbeResult })[];
  skipped: { name: string; why: string }[];
  channels: Channel[];
  selection: Map<string, Selection>;
} {
  const usable = probed.filter((p) => p.probe.available);
  const allChannels = usable.flatMap((p) => (p.probe.available ? p.probe.channels : []));
  const selection = new Map(selectChannels(allChannels).map((s) => [s.key, s]));
  // A GPU tool whose every channel is the same GPU read more cheaply elsewhere is not started at all.
  const redundant = (p: (typeof usable)[number]): boolean =>
    p.probe.available && p.probe.channels.every((c) => selection.get(c.key)?.redundant === true);
  const available = usable.filter((p) => !redundant(p));
  const skipped = usable.filter(redundant).map((p) => ({
    name: p.name,
    why: (p.probe.available ? selection.get(p.probe.channels[0]?.key ?? '')?.why : undefined) ?? 'redundant',
  }));
  return {
    available,
    skipped,
    channels: available.flatMap((p) => (p.probe.available ? p.probe.channels : [])),
    selection,
  };
}

/**
 * Probes every configured source, records what can and cannot be measured (and how to enable
 * it), adds the CPU estimate only when nothing measured covers the CPU, chooses the channels
 * that add up to the machine total, and starts polling them. Readings go to the sink in batches.
 */
export async function startTelemetry(input: StartTelemetryInput): Promise<TelemetrySession> {
  const { sink, telemetry, io } = input;
  const probed = await probeAll(buildSamplers(telemetry, io));
  const measured = probed.flatMap((p) => (p.probe.available ? p.probe.channels : []));
  if (telemetry.sources.includes('estimate') && needsCpuEstimate(measured)) {
    const estimate = await probeAll([buildEstimateSampler(telemetry, io, input.cpu)]);
    const labelled = estimate.map((p) => ({ ...p, probe: labelGuestSideProbe(p.probe) }));
    probed.push(...(input.guestSide === true ? labelled : estimate));
  }
  for (const p of probed) {
    sink.addSource(
      p.probe.available
        ? { source: p.name, available: true, reason: null, hint: null }
        : { source: p.name, available: false, reason: p.probe.reason, hint: p.probe.hint },
    );
  }
  const plan = planSamplers(probed);
  for (const p of plan.skipped)
    sink.addSource({ source: p.name, available: true, reason: `not started: ${p.why}`, hint: null });
  const { selection, channels, available } = plan;
  const channelIds = new Map<string, number>();
  // Counter sources (NVML, RAPL, hwmon energy1_input) are also read at every request's and phase's edge:
  // the channel says so (only counter channels: a sampled card of hwmon or NVML gives nothing at edges).
  const atEdges = new Set(
    available.flatMap((p) =>
      p.sampler.boundary !== undefined && p.probe.available
        ? p.probe.channels.filter((c) => c.kind === 'counter').map((c) => c.key)
        : [],
    ),
  );
  // A counter read at every edge is polled only for the charts: its own poll period is its cadence
  // (the analysis judges reading gaps against it; boundary readings close together say nothing of it).
  const edgePeriodMs = new Map(
    available.flatMap((p) =>
      p.sampler.boundary !== undefined && p.probe.available
        ? p.probe.channels.map((c) => [c.key, Math.max(telemetry.intervalMs, p.periodMs)] as const)
        : [],
    ),
  );
  const chosen = channels.map((c) => {
    const inTotal = selection.get(c.key)?.inTotal ?? false;
    const detail = {
      ...c.detail,
      selection: selection.get(c.key)?.why ?? null,
      ...(atEdges.has(c.key) ? { readAtEdges: true } : {}),
    };
    const intervalMs = edgePeriodMs.get(c.key) ?? telemetry.intervalMs;
    channelIds.set(c.key, sink.addChannel({ ...c, detail }, inTotal, intervalMs));
    return { ...c, inTotal };
  });

  const counted = chosen.filter((c) => c.inTotal && c.covers !== 'none');
  const measuredPower = counted.filter((c) => c.kind !== 'estimate');
  // Pushed readings arrive up to a second late: keep the steady window and more.
  const recent =
    measuredPower.length === 0
      ? null
      : new RecentPower(new Set(measuredPower.map((c) => c.key)), STEADY_WINDOW_MS * 3);

  const started: ScheduledSampler[] = [];
  for (const p of available) {
    try {
      await p.sampler.start();
      started.push({ sampler: p.sampler, periodMs: p.periodMs });
    } catch (error) {
      input.onWarning?.(
        `${p.name} could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const poller = new Poller({
    samplers: started,
    intervalMs: telemetry.intervalMs,
    flushEveryMs: DEFAULT_FLUSH_EVERY_MS,
    now: io.now,
    onFlush: (samples, errors) => sink.addBatch(channelIds, input.originMs, samples, errors),
    onFlushError: (error) =>
      input.onWarning?.(
        `could not write samples yet (kept for the next try): ${error instanceof Error ? error.message : String(error)}`,
      ),
    ...(recent === null ? {} : { onSamples: (samples) => recent.add(samples) }),
  });
  poller.start();

  return {
    channels: chosen,
    liveWatts() {
      const latest = poller.latest();
      const readings = counted.map((c) => latest.get(c.key)?.powerW ?? null);
      if (readings.length === 0 || readings.some((w) => w === null)) return null;
      return {
        watts: readings.reduce((a: number, w) => a + (w as number), 0),
        estimated: counted.some((c) => c.kind === 'estimate'),
      };
    },
    waitForSteadyPower:
      recent === null
        ? null
        : makeWaitForSteadyPower({ recent, now: io.now, sleep: input.sleep ?? realSleep }),
    markBoundary: () => poller.boundary(),
    stop: () => poller.stop(),
  };
}
