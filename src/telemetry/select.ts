import type { Channel } from './sampler.js';

/** Whether a channel counts toward the machine total, and why. */
export interface Selection {
  key: string;
  inTotal: boolean;
  why: string;
  /** The same device is read through a preferred tool: this reading need not be taken at all. */
  redundant: boolean;
}

/**
 * One tool per AMD GPU: a tool with an energy counter first, in this order (hwmon's energy1_input,
 * read in-process at every edge, before amd-smi's, a process once a second; each where it passed its
 * checks), else hwmon (a file read) before the tools that start a process per reading.
 */
export const AMD_PREFERENCE = ['hwmon:', 'amd-smi:', 'rocm-smi:'] as const;

/**
 * Chooses which channels add up to the machine's power without counting anything twice. Pure.
 * - Wall meters cover everything: they alone count, one per power supply (the first meter of each
 *   supply label; unlabelled meters count as one supply, since they may read the same power).
 * - GPUs: every NVIDIA board; for AMD, one tool's channels (one with an energy counter, hwmon's
 *   before amd-smi's; else hwmon, else amd-smi, else rocm-smi; on an APU hwmon whatever the counters).
 * - CPU: RAPL psys alone (it contains package and DRAM), else packages + DRAM; an APU package
 *   reading already includes the CPU, so RAPL packages do not count beside it (DRAM still does).
 * - Apple: the combined SoC reading, else CPU + GPU + ANE.
 * - The CPU estimate counts only where nothing measured covers the CPU.
 * - Utilization-only channels never count.
 */
/** The supply a wall meter covers (its `supply` detail), or null when not labelled. */
function supplyOf(channel: Channel): string | null {
  const supply = channel.detail['supply'];
  return typeof supply === 'string' && supply !== '' ? supply : null;
}

/** Wall meters: the first of each supply counts; the others read a supply already counted. */
function selectWall(walls: readonly Channel[]): Map<string, Selection> {
  const firstBySupply = new Map<string | null, Channel>();
  const out = new Map<string, Selection>();
  for (const c of walls) {
    const supply = supplyOf(c);
    const first = firstBySupply.get(supply);
    if (first === undefined) {
      firstBySupply.set(supply, c);
      const why = supply === null ? 'wall meter: the whole machine' : `wall meter: supply ${supply}`;
      out.set(c.key, { key: c.key, inTotal: true, why, redundant: false });
      continue;
    }
    const why =
      supply === null
        ? `reads the same supply as ${first.key} (unlabelled); ` +
          'if it covers another supply, set its telemetry.meters[].supply'
        : `reads supply ${supply}, as ${first.key} does`;
    out.set(c.key, { key: c.key, inTotal: false, why, redundant: false });
  }
  return out;
}

export function selectChannels(channels: readonly Channel[]): Selection[] {
  const walls = channels.filter((c) => c.covers === 'wall');
  const wallSelection = selectWall(walls);
  const wallKeys = walls.filter((c) => wallSelection.get(c.key)?.inTotal === true).map((c) => c.key);
  const has = (covers: Channel['covers']): boolean => channels.some((c) => c.covers === covers);
  const amdPower = (c: Channel): boolean => c.covers === 'gpu-board' || c.covers === 'apu-package';
  // A tool with an energy counter (hwmon's energy1_input first, then amd-smi's) wins over sampled power,
  // except on an APU, where only hwmon says the reading covers the CPU too.
  const amdApu = channels.some((c) => c.source === 'amd' && c.covers === 'apu-package');
  const amdCounterTool = amdApu
    ? undefined
    : AMD_PREFERENCE.find((prefix) =>
        channels.some((c) => c.key.startsWith(prefix) && amdPower(c) && c.kind === 'counter'),
      );
  const amdTool =
    amdCounterTool ??
    AMD_PREFERENCE.find((prefix) => channels.some((c) => c.key.startsWith(prefix) && amdPower(c)));
  const psys = has('psys');
  const apu = channels.some(
    (c) => c.covers === 'apu-package' && amdTool !== undefined && c.key.startsWith(amdTool),
  );
  const measuredCpu =
    psys ||
    apu ||
    has('cpu-package') ||
    has('soc') ||
    channels.some((c) => c.covers === 'cpu' && c.kind !== 'estimate');

  return channels.map((c): Selection => {
    const yes = (why: string): Selection => ({ key: c.key, inTotal: true, why, redundant: false });
    const no = (why: string): Selection => ({ key: c.key, inTotal: false, why, redundant: false });
    const isAmdGpu =
      c.source === 'amd' && (c.covers === 'gpu-board' || c.covers === 'apu-package' || c.covers === 'none');
    if (isAmdGpu && amdTool !== undefined && !c.key.startsWith(amdTool)) {
      return {
        key: c.key,
        inTotal: false,
        why: `same GPU read through ${amdTool.slice(0, -1)}`,
        redundant: true,
      };
    }
    if (c.covers === 'none') return no('utilization only');
    const wall = wallSelection.get(c.key);
    if (wall !== undefined) return wall;
    if (walls.length > 0) return no(`inside the wall meter readings (${wallKeys.join(' + ')})`);
    switch (c.covers) {
      case 'gpu-board':
      case 'apu-package': {
        if (c.covers === 'apu-package' && psys) return no('inside RAPL psys');
        return yes(c.covers === 'apu-package' ? 'APU package: CPU and GPU together' : 'GPU board');
      }
      case 'psys':
        return yes('RAPL psys: package, DRAM and more');
      case 'cpu-package':
        if (psys) return no('inside RAPL psys');
        if (apu) return no('inside the APU package reading');
        return yes('CPU package');
      case 'dram':
        return psys ? no('inside RAPL psys') : yes('DRAM');
      case 'soc':
        return yes('Apple SoC: CPU + GPU + ANE');
      case 'cpu':
      case 'gpu':
      case 'ane':
        if (has('soc')) return no('inside the Apple combined reading');
        if (c.kind === 'estimate')
          return measuredCpu
            ? no('a measured source covers the CPU')
            : yes('CPU estimate: no measured CPU source');
        return yes(`Apple ${c.covers.toUpperCase()}`);
      default:
        return no('not counted');
    }
  });
}

/** Whether a CPU estimate is needed: nothing measured covers the CPU. */
export function needsCpuEstimate(channels: readonly Channel[]): boolean {
  return !channels.some(
    (c) =>
      (['wall', 'psys', 'cpu-package', 'apu-package', 'soc'] as const).some((k) => c.covers === k) ||
      (c.covers === 'cpu' && c.kind !== 'estimate'),
  );
}
