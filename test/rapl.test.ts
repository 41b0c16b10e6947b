import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeEnergyDeltaUj, parseZoneDirName, selectRaplDomains } from '../src/telemetry/rapl-domains.js';
import type { RaplZone } from '../src/telemetry/rapl-domains.js';
import { RAPL_ROOT_ONLY_REASON, RaplSampler } from '../src/telemetry/rapl.js';
import type { Channel, PollResult, ProbeResult } from '../src/telemetry/sampler.js';
import { useTempDir } from './support/temp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'sys-rapl');
const MAX = 262143328850;
const tempDir = useTempDir('costbench-rapl-');

function channelsOf(result: ProbeResult): Channel[] {
  if (!result.available) throw new Error(`expected available, got: ${result.reason}`);
  return result.channels;
}

function summary(channels: Channel[]): string[] {
  return channels.map((c) => `${c.key} ${c.covers} ${String(c.detail['zone'])}`);
}

function zone(id: string, name: string, extra: Partial<RaplZone> = {}): RaplZone {
  const parsed = parseZoneDirName(id);
  if (parsed === null) throw new Error(id);
  return { ...parsed, name, maxEnergyRangeUj: MAX, ...extra };
}

describe('selectRaplDomains (pure)', () => {
  it('parses zone directory names and ignores the control type', () => {
    expect(parseZoneDirName('intel-rapl:0:2')).toEqual({
      id: 'intel-rapl:0:2',
      mmio: false,
      parentId: 'intel-rapl:0',
    });
    expect(parseZoneDirName('intel-rapl-mmio:0')).toEqual({
      id: 'intel-rapl-mmio:0',
      mmio: true,
      parentId: null,
    });
    expect(parseZoneDirName('intel-rapl')).toBeNull();
  });

  it('uses psys alone when present', () => {
    const selection = selectRaplDomains([
      zone('intel-rapl:0', 'package-0'),
      zone('intel-rapl:0:2', 'dram'),
      zone('intel-rapl:1', 'psys'),
    ]);
    expect(selection.domains.map((d) => `${d.label}:${d.covers}`)).toEqual(['psys:psys']);
    expect(selection.skipped.map((s) => s.zone.id)).toEqual(['intel-rapl:0', 'intel-rapl:0:2']);
  });

  it('labels a dram per package so two sockets get distinct keys', () => {
    const selection = selectRaplDomains([
      zone('intel-rapl:0', 'package-0'),
      zone('intel-rapl:0:0', 'dram'),
      zone('intel-rapl:1', 'package-1'),
      zone('intel-rapl:1:0', 'dram'),
    ]);
    expect(selection.domains.map((d) => d.label)).toEqual([
      'package-0',
      'package-0/dram',
      'package-1',
      'package-1/dram',
    ]);
  });

  it('unwraps one wraparound exactly', () => {
    expect(computeEnergyDeltaUj(262143328850, 1000000, MAX), 'wrap at max').toBe(1000000);
    expect(computeEnergyDeltaUj(262143000000, 1000000, MAX), 'wrap below max').toBe(1328850);
    expect(computeEnergyDeltaUj(100, 350, MAX), 'no wrap').toBe(250);
    expect(computeEnergyDeltaUj(350, 100, 0), 'unknown range').toBeNull();
  });
});

describe('RaplSampler probe on fixture trees', () => {
  it('Intel desktop: package-0 + dram, never core/uncore', async () => {
    const channels = channelsOf(await new RaplSampler({ sysRoot: join(FIXTURES, 'intel-desktop') }).probe());
    expect(summary(channels)).toEqual([
      'rapl:package-0 cpu-package intel-rapl:0',
      'rapl:package-0/dram dram intel-rapl:0:2',
    ]);
    expect(channels.every((c) => c.kind === 'counter' && c.source === 'rapl')).toBe(true);
    expect(channels[1]?.detail['maxEnergyRangeUj']).toBe(65712999613);
    expect(String(channels[0]?.detail['zonesSkipped'])).toContain(
      'intel-rapl:0:0 (core): package-0/core is inside its package domain',
    );
  });

  it('Intel with psys: psys only', async () => {
    const channels = channelsOf(await new RaplSampler({ sysRoot: join(FIXTURES, 'intel-psys') }).probe());
    expect(summary(channels)).toEqual(['rapl:psys psys intel-rapl:1']);
    expect(channels[0]?.detail['selection']).toMatch(/psys.*covers package and dram/);
  });

  it('AMD Zen: both dies, no psys, no core', async () => {
    const channels = channelsOf(await new RaplSampler({ sysRoot: join(FIXTURES, 'amd-zen') }).probe());
    expect(summary(channels)).toEqual([
      'rapl:package-0-die-0 cpu-package intel-rapl:0',
      'rapl:package-0-die-1 cpu-package intel-rapl:1',
    ]);
  });

  it('drops an MMIO zone that duplicates an MSR zone', async () => {
    const channels = channelsOf(await new RaplSampler({ sysRoot: join(FIXTURES, 'intel-mmio') }).probe());
    expect(summary(channels)).toEqual(['rapl:package-0 cpu-package intel-rapl:0']);
    expect(String(channels[0]?.detail['zonesSkipped'])).toContain(
      'intel-rapl-mmio:0 (package-0): duplicates intel-rapl:0 (package-0) through the MMIO interface',
    );
  });

  it('no powercap directory: unavailable with the modprobe hint', async () => {
    const result = await new RaplSampler({ sysRoot: tempDir() }).probe();
    expect(result.available).toBe(false);
    if (result.available) return;
    expect(result.reason).toMatch(
      /^no RAPL powercap interface \(.*\/class\/powercap\/intel-rapl absent\): not an Intel\/AMD x86 Linux machine, or the intel_rapl module is not loaded$/,
    );
    expect(result.hint).toContain('sudo modprobe intel_rapl_msr');
  });

  it('root-only energy_uj (EACCES): unavailable with the CVE reason and a chmod hint', async () => {
    const readFile = (path: string): string => {
      if (path.endsWith('energy_uj')) {
        throw Object.assign(new Error(`EACCES: permission denied, open '${path}'`), {
          code: 'EACCES',
          errno: -13,
          syscall: 'open',
          path,
        });
      }
      return readFileSync(path, 'utf8');
    };
    const result = await new RaplSampler({ sysRoot: join(FIXTURES, 'intel-desktop'), readFile }).probe();
    expect(result.available).toBe(false);
    if (result.available) return;
    expect(result.reason).toBe(RAPL_ROOT_ONLY_REASON);
    expect(result.reason).toBe('RAPL energy counters are readable by root only (CVE-2020-8694)');
    expect(result.hint).toBe(
      `grant read access to ${join(FIXTURES, 'intel-desktop')}/class/powercap/intel-rapl:0/energy_uj (and its sibling zones) to one group: ` +
        '`costbench doctor` prints the udev rule or tmpfiles.d line and how to check it; or run costbench as root',
    );
    expect(result.hint).toContain('udev');
    expect(result.hint).toContain('run costbench as root');
  });
});

describe('RaplSampler poll', () => {
  it('unwraps 262143328850 -> 1000000 and reports cumulative energy and power exactly', async () => {
    const sysRoot = tempDir();
    cpSync(join(FIXTURES, 'intel-mmio'), sysRoot, { recursive: true });
    const energyFile = join(sysRoot, 'class', 'powercap', 'intel-rapl:0', 'energy_uj');
    const sampler = new RaplSampler({ sysRoot });
    channelsOf(await sampler.probe());
    await sampler.start();

    writeFileSync(energyFile, '262143000000\n');
    const first = await sampler.poll(1000);
    writeFileSync(energyFile, '262143328850\n');
    const second = await sampler.poll(1100);
    writeFileSync(energyFile, '1000000\n');
    const third = await sampler.poll(1200);

    expect(first.samples).toMatchObject([
      { channelKey: 'rapl:package-0', tMs: 1000, energyJ: 0, powerW: null },
    ]);
    expect(second.samples).toMatchObject([
      { channelKey: 'rapl:package-0', tMs: 1100, energyJ: 0.32885, powerW: 3.2885 },
    ]);
    expect(third.samples[0]?.energyJ, 'cumulative J after the wrap').toBe(1.32885);
    expect(third.samples[0]?.powerW, '1 J over 100 ms').toBe(10);
    expect([first, second, third].flatMap((r) => r.errors)).toEqual([]);
    await sampler.stop();
    await sampler.stop();
  });

  it('a counter that stops reading is an error and a gap, not a throw', async () => {
    const sysRoot = tempDir();
    cpSync(join(FIXTURES, 'intel-mmio'), sysRoot, { recursive: true });
    const energyFile = join(sysRoot, 'class', 'powercap', 'intel-rapl:0', 'energy_uj');
    const sampler = new RaplSampler({ sysRoot });
    await sampler.start();
    writeFileSync(energyFile, 'garbage\n');
    const result = await sampler.poll(5);
    expect(result.samples).toEqual([]);
    expect(result.errors).toEqual([
      {
        tMs: 5,
        channelKey: 'rapl:package-0',
        message: `${energyFile} does not hold a whole number of microjoules`,
      },
    ]);
  });

  it('issue 13 item 9: with no known range, a counter that goes down is a wrap of unknown size, not a frozen counter', async () => {
    // Before: 2000000 -> 500000 was an error, and the sampler kept comparing with 2000000, so every
    // reading below it (1500000 too) was an error: the channel stayed stale until the counter climbed back.
    const sysRoot = tempDir();
    cpSync(join(FIXTURES, 'intel-mmio'), sysRoot, { recursive: true });
    const zoneDir = join(sysRoot, 'class', 'powercap', 'intel-rapl:0');
    rmSync(join(zoneDir, 'max_energy_range_uj'));
    const energyFile = join(zoneDir, 'energy_uj');
    const sampler = new RaplSampler({ sysRoot });
    const channels = channelsOf(await sampler.probe());
    expect(channels[0]?.detail['maxEnergyRangeUj'], 'range unknown').toBe(0);
    await sampler.start();
    const read = async (uj: number, tMs: number): Promise<PollResult> => {
      writeFileSync(energyFile, `${uj}\n`);
      return sampler.poll(tMs);
    };
    await read(1_000_000, 0);
    const before = await read(2_000_000, 100); // 1 J in 100 ms: 10 W
    const wrap = await read(500_000, 200);
    const after = await read(1_500_000, 300);
    expect(before.samples[0], 'before').toMatchObject({ energyJ: 1, powerW: 10 });
    // The drop is reported as it is (1 J - 1.5 J): the energy summary leaves that interval out.
    expect(wrap.samples[0], 'the wrap: a reading, no power').toMatchObject({
      tMs: 200,
      energyJ: -0.5,
      powerW: null,
    });
    expect(
      wrap.errors.map((e) => e.message),
      'marked',
    ).toEqual([
      `${energyFile} went down (2000000 -> 500000 uJ) and max_energy_range_uj is unknown: taken as a wrap of unknown size, that interval is left out`,
    ]);
    expect(after.samples[0], 'after: counting again').toMatchObject({ tMs: 300, energyJ: 0.5, powerW: 10 });
    expect(after.errors, 'no error after').toEqual([]);
  });
});
