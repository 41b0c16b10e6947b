import type { Config } from '../config/schema.js';
import { AmdSmiSampler } from './amd-smi.js';
import { AppleSampler } from './apple.js';
import { CpuLoadSampler } from './cpu-load.js';
import type { CpuFacts } from './cpu-tdp.js';
import { EstimateSampler } from './estimate.js';
import { HwmonSampler } from './hwmon.js';
import { MeterSampler } from './meter.js';
import { buildNvidiaSamplers } from './nvml/nvidia-default.js';
import { RaplSampler } from './rapl.js';
import { RocmSmiSampler } from './rocm-smi.js';
import type { NamedSampler, ProbeResult } from './sampler.js';

/** Where the samplers read from; tests and containers (host /sys mounted elsewhere) point these elsewhere. */
export interface TelemetryIo {
  env: NodeJS.ProcessEnv;
  sysRoot: string;
  procRoot: string;
  now: () => number;
  fetch?: typeof fetch;
  /** Overrides process.platform (Apple's sampler runs on macOS only). */
  platform?: NodeJS.Platform;
  /** How sysfs files are read (RAPL, hwmon); tests inject EACCES, which root never meets. */
  readFile?: (path: string) => string;
}

/**
 * How often slow sources are read. Utilization, wall plugs (which update about once a second)
 * and tools that start a process per reading (amd-smi, rocm-smi) do not need the power interval.
 */
export const SLOW_PERIOD_MS = 1_000;

export type { NamedSampler } from './sampler.js';

/** The I/O roots from the environment: COSTBENCH_SYS_ROOT and COSTBENCH_PROC_ROOT override /sys and /proc. */
export function telemetryIoFromEnv(env: NodeJS.ProcessEnv): TelemetryIo {
  return {
    env,
    sysRoot: env['COSTBENCH_SYS_ROOT'] ?? '/sys',
    procRoot: env['COSTBENCH_PROC_ROOT'] ?? '/proc',
    now: () => performance.now(),
  };
}

/** Builds one sampler per configured source and tool (the CPU estimate is built apart: it is used only when needed). */
export function buildSamplers(telemetry: Config['telemetry'], io: TelemetryIo): NamedSampler[] {
  const wanted = new Set(telemetry.sources);
  const common = { env: io.env, sysRoot: io.sysRoot, intervalMs: telemetry.intervalMs, now: io.now };
  const reads = io.readFile === undefined ? {} : { readFile: io.readFile };
  const fast = telemetry.intervalMs;
  const slow = Math.max(SLOW_PERIOD_MS, telemetry.intervalMs);
  const samplers: NamedSampler[] = [];
  // nvidia-smi -lms and powermetrics push a reading every intervalMs, stamped when it arrives: draining them once a second (slow) loses nothing.
  // NVML in-process first; nvidia-smi only where NVML cannot be used (nvml/nvidia-default.ts).
  // Counter sources read at every edge (NVML with counters, RAPL) are polled only for the charts.
  const picture = telemetry.pictureIntervalMs;
  if (wanted.has('nvidia')) samplers.push(...buildNvidiaSamplers(common, fast, slow, picture));
  if (wanted.has('amd')) {
    // hwmon first: the same firmware power reading as the tools, at the cost of a file read. Where every
    // card's energy1_input is used it is read at every edge: polls draw the charts (period known after probe).
    const hwmon = new HwmonSampler({ ...common, ...reads, pictureIntervalMs: picture });
    samplers.push({
      name: 'hwmon',
      sampler: hwmon,
      get periodMs() {
        return hwmon.pollPeriodMs;
      },
    });
    samplers.push({ name: 'amd-smi', sampler: new AmdSmiSampler(common), periodMs: slow });
    samplers.push({ name: 'rocm-smi', sampler: new RocmSmiSampler(common), periodMs: slow });
  }
  if (wanted.has('rapl')) {
    const rapl = new RaplSampler({ sysRoot: io.sysRoot, ...reads });
    samplers.push({ name: 'rapl', sampler: rapl, periodMs: picture });
  }
  if (wanted.has('apple')) {
    const apple = new AppleSampler({
      intervalMs: Math.max(telemetry.intervalMs, 100),
      env: io.env,
      now: io.now,
      ...(io.platform === undefined ? {} : { platform: io.platform }),
    });
    samplers.push({ name: 'powermetrics', sampler: apple, periodMs: slow });
  }
  if (wanted.has('meter')) {
    telemetry.meters.forEach((meter, i) => {
      const name = telemetry.meters.length > 1 ? `${meter.kind}-${i}` : meter.kind;
      const sampler = new MeterSampler({
        meter,
        name,
        env: io.env,
        now: io.now,
        ...(io.fetch === undefined ? {} : { fetch: io.fetch }),
      });
      samplers.push({ name: `meter:${name}`, sampler, periodMs: slow });
    });
  }
  samplers.push({ name: 'cpu-load', sampler: new CpuLoadSampler({ procRoot: io.procRoot }), periodMs: slow });
  return samplers;
}

/**
 * The CPU estimate sampler (TDP x a load model): used only where nothing measured covers the CPU.
 * `cpu` is what the inventory knows of the CPU (a bare model string: node:os fills the rest).
 */
export function buildEstimateSampler(
  telemetry: Config['telemetry'],
  io: TelemetryIo,
  cpu?: CpuFacts | string,
): NamedSampler {
  const tdp = telemetry.cpuTdpW === null ? {} : { tdpW: telemetry.cpuTdpW };
  const facts = cpu === undefined ? {} : typeof cpu === 'string' ? { cpuModel: cpu } : { cpu };
  return {
    name: 'estimate',
    periodMs: Math.max(SLOW_PERIOD_MS, telemetry.intervalMs),
    sampler: new EstimateSampler({ procRoot: io.procRoot, ...tdp, ...facts }),
  };
}

/** Probes every sampler at once. A probe that throws despite the contract becomes "unavailable". */
export async function probeAll(
  samplers: readonly NamedSampler[],
): Promise<(NamedSampler & { probe: ProbeResult })[]> {
  return Promise.all(
    samplers.map(async (s) => {
      try {
        // Probe first, then copy: a sampler's period may depend on what its probe found (NVML).
        const probe = await s.sampler.probe();
        return { ...s, probe };
      } catch (error) {
        return {
          ...s,
          probe: {
            available: false as const,
            reason: `probe failed: ${error instanceof Error ? error.message : String(error)}`,
            hint: null,
          },
        };
      }
    }),
  );
}
