import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CpuLoadSampler, computeUtilization, parseProcStat } from '../src/telemetry/cpu-load.js';
import {
  DEFAULT_IDLE_FRACTION,
  EstimateSampler,
  computeEstimatedPowerW,
  cpuFactsFromModel,
} from '../src/telemetry/estimate.js';
import type { Sampler } from '../src/telemetry/sampler.js';
import { useTempDir } from './support/temp.js';

const PROC = join(import.meta.dirname, 'fixtures', 'proc');
const tempDir = useTempDir('costbench-proc-');

function snapshot(n: number): string {
  return readFileSync(join(PROC, `stat-${n}`), 'utf8');
}

function times(n: number): { total: number; idle: number } {
  const parsed = parseProcStat(snapshot(n));
  if (parsed === null) throw new Error(`stat-${n} did not parse`);
  return parsed;
}

/** A procRoot whose `stat` the test replaces with fixture snapshot n. */
function procRoot(): { root: string; show: (n: number) => void } {
  const root = tempDir();
  const show = (n: number): void => copyFileSync(join(PROC, `stat-${n}`), join(root, 'stat'));
  show(0);
  return { root, show };
}

/** Polls `sampler` once per snapshot 1..4 and returns what each poll returned for `field`. */
async function pollSnapshots(
  sampler: Sampler,
  show: (n: number) => void,
  field: 'utilizationPct' | 'powerW',
): Promise<(number | null | undefined)[]> {
  const values: (number | null | undefined)[] = [];
  for (const n of [1, 2, 3, 4]) {
    show(n);
    const result = await sampler.poll(n * 100);
    expect(result.errors).toEqual([]);
    values.push(result.samples[0]?.[field]);
  }
  return values;
}

describe('/proc/stat utilization (pure)', () => {
  it('parses the aggregate cpu line, leaving guest time out of the total', () => {
    expect(times(0), 'stat-0').toEqual({ total: 100000, idle: 84000 });
  });

  it('computes busy delta / total delta exactly', () => {
    expect(computeUtilization(times(0), times(1)), '25%').toBe(0.25);
    expect(computeUtilization(times(1), times(2)), 'idle + iowait only').toBe(0);
    expect(computeUtilization(times(2), times(3)), '50%').toBe(0.5);
    expect(computeUtilization(times(3), times(4)), '100%').toBe(1);
    expect(computeUtilization(times(4), times(4)), 'no time passed').toBeNull();
  });

  it('rejects text without a cpu line', () => {
    expect(parseProcStat('intr 1 2 3\n')).toBeNull();
  });
});

describe('CpuLoadSampler', () => {
  it('reports utilization between polls', async () => {
    const { root, show } = procRoot();
    const sampler = new CpuLoadSampler({ procRoot: root });
    expect(await sampler.probe()).toMatchObject({
      available: true,
      channels: [{ key: 'cpu-load', source: 'cpu-load', covers: 'none', kind: 'sampled' }],
    });
    await sampler.start();
    show(1);
    const result = await sampler.poll(100);
    expect(result.samples).toEqual([
      {
        channelKey: 'cpu-load',
        tMs: 100,
        powerW: null,
        energyJ: null,
        utilizationPct: 25,
        memoryUsedBytes: null,
        clockMhz: null,
        temperatureC: null,
      },
    ]);
    expect(await pollSnapshots(sampler, show, 'utilizationPct').then((v) => v.slice(1))).toEqual([
      0, 50, 100,
    ]);
  });

  it('is unavailable without /proc/stat', async () => {
    expect(await new CpuLoadSampler({ procRoot: tempDir() }).probe()).toMatchObject({ available: false });
  });
});

describe('CPU power estimate', () => {
  it('is linear between idleFraction x TDP and TDP (exact values)', () => {
    expect(DEFAULT_IDLE_FRACTION).toBe(0.1);
    expect(
      [0, 0.5, 1].map((u) => computeEstimatedPowerW(170, u)),
      '170 W table CPU',
    ).toEqual([17, 93.5, 170]);
    expect(
      [0, 0.5, 1].map((u) => computeEstimatedPowerW(65, u)),
      '65 W configured',
    ).toEqual([6.5, 35.75, 65]);
    expect(computeEstimatedPowerW(100, 0.25, 0.2), 'other idle fraction').toBe(40);
  });

  it('table CPU: labelled estimate channel and exact power at 0, 50 and 100 % load', async () => {
    const { root, show } = procRoot();
    const sampler = new EstimateSampler({ procRoot: root, cpuModel: 'AMD Ryzen 9 7950X 16-Core Processor' });
    const probe = await sampler.probe();
    expect(probe).toEqual({
      available: true,
      channels: [
        {
          key: 'estimate:cpu',
          source: 'estimate',
          device: 'AMD Ryzen 9 7950X 16-Core Processor',
          kind: 'estimate',
          covers: 'cpu',
          detail: {
            estimate: true,
            tdpW: 170,
            tdpLowW: 170,
            tdpHighW: 170,
            tdpFrom: 'table',
            tdpBasis: 'Ryzen 9 7950X: rated 170 W',
            tdpSource: 'AMD product specifications page, "Default TDP"',
            model: 'linear',
            idleFraction: 0.1,
            formula: 'TDP x (idleFraction + (1 - idleFraction) x utilization)',
            note: 'ESTIMATE from rated power and /proc/stat utilization, not a measurement',
          },
        },
      ],
    });
    await sampler.start();
    expect(await pollSnapshots(sampler, show, 'powerW'), 'at 25, 0, 50, 100 %').toEqual([
      55.25, 17, 93.5, 170,
    ]);
  });

  it('configured TDP wins over the table', async () => {
    const { root, show } = procRoot();
    const sampler = new EstimateSampler({
      procRoot: root,
      cpuModel: 'AMD Ryzen 9 7950X 16-Core Processor',
      tdpW: 65,
    });
    expect(await sampler.probe()).toMatchObject({
      available: true,
      channels: [{ detail: { tdpW: 65, tdpFrom: 'config' } }],
    });
    await sampler.start();
    expect(await pollSnapshots(sampler, show, 'powerW'), 'at 25, 0, 50, 100 %').toEqual([
      21.125, 6.5, 35.75, 65,
    ]);
  });

  it('"AMD EPYC" (no model number): a class range; the samples use its middle, the detail carries the range', async () => {
    const { root, show } = procRoot();
    const cpu = {
      ...cpuFactsFromModel('AMD EPYC', 32),
      vendor: 'AuthenticAMD',
      physicalCores: 16,
      sockets: 1,
    };
    const sampler = new EstimateSampler({ procRoot: root, cpu });
    // The real table: 16 cores x 5.625-12.5 W per core = 90-200 W (test/cpu-tdp.test.ts); point 145 W.
    expect(await sampler.probe()).toMatchObject({
      available: true,
      channels: [{ device: 'AMD EPYC', detail: { tdpW: 145, tdpLowW: 90, tdpHighW: 200, tdpFrom: 'class' } }],
    });
    await sampler.start();
    // 145 x (0.1 + 0.9 u): 0.25 -> 47.125, 0 -> 14.5, 0.5 -> 79.75, 1 -> 145.
    expect(await pollSnapshots(sampler, show, 'powerW'), 'at 25, 0, 50, 100 %').toEqual([
      47.125, 14.5, 79.75, 145,
    ]);
  });

  it('Apple silicon: unavailable, left to powermetrics, with the config hint', async () => {
    const { root } = procRoot();
    const cpu = { ...cpuFactsFromModel('Apple M2 Pro', 12), vendor: 'Apple' };
    const result = await new EstimateSampler({ procRoot: root, cpu }).probe();
    expect(result).toEqual({
      available: false,
      reason:
        'no TDP can be assumed for CPU "Apple M2 Pro": Apple silicon has no published TDP: ' +
        'it is measured with powermetrics (telemetry.sources "apple")',
      hint: "set telemetry.cpuTdpW in the config to the CPU's rated power in watts",
    });
  });
});
