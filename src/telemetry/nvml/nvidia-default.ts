/**
 * The default NVIDIA path: NVML in-process first; nvidia-smi only when NVML cannot be used, and
 * then its channels say why ("nvidia-smi fallback: <why NVML failed>"). Both are listed as
 * probed tools (`nvml`, `nvidia-smi`), so a run records why each was or was not used.
 */
import { NvidiaSampler } from '../nvidia.js';
import type { NvidiaSamplerOptions } from '../nvidia.js';
import type { NamedSampler, PollResult, ProbeResult, Sampler } from '../sampler.js';
import { NvmlSampler } from './sampler.js';
import type { NvmlSamplerOptions } from './sampler.js';

/** The reason nvidia-smi gives when NVML reads the GPUs. */
export const NVML_IN_USE_REASON = 'not needed: NVML reads the NVIDIA GPUs in-process';

/** nvidia-smi, probed only after NVML failed; its channels carry NVML's failure. */
export class NvidiaSmiFallback implements Sampler {
  readonly source = 'nvidia' as const;

  constructor(
    private readonly nvml: NvmlSampler,
    private readonly smi: NvidiaSampler,
  ) {}

  /** Unavailable when NVML works; else nvidia-smi's probe, each channel saying why NVML was not used. */
  async probe(): Promise<ProbeResult> {
    const nvml = await this.nvml.probe();
    if (nvml.available) return { available: false, reason: NVML_IN_USE_REASON, hint: null };
    const smi = await this.smi.probe();
    if (!smi.available) return smi;
    const fallback = `nvidia-smi fallback: ${nvml.reason}`;
    return {
      available: true,
      channels: smi.channels.map((c) => ({ ...c, detail: { ...c.detail, reader: 'nvidia-smi', fallback } })),
    };
  }

  start(): Promise<void> {
    return this.smi.start();
  }

  poll(nowMs: number): Promise<PollResult> {
    return this.smi.poll(nowMs);
  }

  stop(): Promise<void> {
    return this.smi.stop();
  }
}

/** Options both readers share (those of the nvidia-smi sampler, plus NVML's own). */
export type NvidiaDefaultOptions = NvidiaSamplerOptions &
  Omit<NvmlSamplerOptions, 'intervalMs' | 'env' | 'now'>;

/**
 * The NVML sampler and the nvidia-smi fallback, as named samplers. Where every GPU has an energy
 * counter, the counters are read at every request's and phase's edge, so NVML's polls only draw
 * the charts: every `pictureMs` (the sampler's pollPeriodMs, known after the probe). A GPU without
 * a counter keeps the power interval (`fastMs`): its energy is integrated from those polls.
 * nvidia-smi pushes its readings, so draining them once a second (`slowMs`) loses nothing.
 */
export function buildNvidiaSamplers(
  options: NvidiaDefaultOptions,
  fastMs: number,
  slowMs: number,
  pictureMs: number = fastMs,
): NamedSampler[] {
  const nvml = new NvmlSampler({ ...options, intervalMs: fastMs, slowIntervalMs: pictureMs });
  const smi = new NvidiaSmiFallback(nvml, new NvidiaSampler(options));
  return [
    {
      name: 'nvml',
      sampler: nvml,
      get periodMs() {
        return nvml.pollPeriodMs;
      },
    },
    { name: 'nvidia-smi', sampler: smi, periodMs: slowMs },
  ];
}
