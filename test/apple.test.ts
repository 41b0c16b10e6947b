import { delimiter, join } from 'node:path';
import { userInfo } from 'node:os';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import {
  classifyPowermetricsFailure,
  parsePowermetricsBlock,
  parsePowermetricsLine,
} from '../src/telemetry/apple-parse.js';
import { AppleSampler } from '../src/telemetry/apple.js';
import type { Sample } from '../src/telemetry/sampler.js';

const BIN = join(import.meta.dirname, 'fixtures', 'bin-apple');

function fakeEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: `${BIN}${delimiter}${process.env['PATH'] ?? ''}`, ...extra };
}

const NEW_BLOCK = `*** Sampled system activity (Tue Nov 28 11:43:30 2023 -0800) (1002.60ms elapsed) ***

**** Processor usage ****

E-Cluster HW active frequency: 1031 MHz
CPU Power: 823 mW
GPU Power: 26 mW
ANE Power: 323 mW
Combined Power (CPU + GPU + ANE): 1172 mW

**** GPU usage ****

GPU HW active frequency: 389 MHz
GPU Power: 26 mW
`;

const OLD_BLOCK = `*** Sampled system activity (Wed Jan 12 09:00:00 2022 +0100) (1000.40ms elapsed) ***
ANE Power: 0 mW
DRAM Power: 123 mW
CPU Power: 1211 mW
GPU Power: 139 mW
Package Power: 1473 mW
`;

describe('powermetrics parsing (pure)', () => {
  it('reads the current format in watts', () => {
    expect(Object.fromEntries(parsePowermetricsBlock(NEW_BLOCK))).toEqual({
      cpu: 0.823,
      gpu: 0.026,
      ane: 0.323,
      combined: 1.172,
    });
  });

  it('reads the older Package Power format as the combined rail', () => {
    expect(Object.fromEntries(parsePowermetricsBlock(OLD_BLOCK))).toEqual({
      ane: 0,
      cpu: 1.211,
      gpu: 0.139,
      combined: 1.473,
    });
  });

  it('ignores lines that are not power readings', () => {
    expect(parsePowermetricsLine('GPU HW active frequency: 389 MHz')).toBeNull();
    expect(parsePowermetricsLine('Intel energy model derived package power (CPUs+GT+SA): 1.43W')).toBeNull();
    expect(parsePowermetricsLine('DRAM Power: 123 mW')).toBeNull();
  });

  it('recognizes sudo and powermetrics refusals', () => {
    expect(classifyPowermetricsFailure('sudo: a password is required\n')).toBe('sudo-password');
    expect(classifyPowermetricsFailure('powermetrics must be invoked as the superuser\n')).toBe(
      'not-superuser',
    );
    expect(classifyPowermetricsFailure('sudo: powermetrics: command not found\n')).toBe('not-found');
  });
});

describe('AppleSampler probe (fake sudo and powermetrics)', () => {
  it('is unavailable off macOS', async () => {
    const result = await new AppleSampler({ intervalMs: 100, platform: 'linux', env: fakeEnv() }).probe();
    expect(result).toMatchObject({ available: false, reason: 'powermetrics is macOS-only (this is linux)' });
  });

  it('offers cpu, gpu, ane and combined channels', async () => {
    const result = await new AppleSampler({ intervalMs: 100, platform: 'darwin', env: fakeEnv() }).probe();
    if (!result.available) throw new Error(result.reason);
    expect(result.channels.map((c) => `${c.key} ${c.covers} ${c.kind}`)).toEqual([
      'apple:cpu cpu sampled',
      'apple:gpu gpu sampled',
      'apple:ane ane sampled',
      'apple:combined soc sampled',
    ]);
  });

  it('sudo wanting a password: unavailable, hint with the sudoers line', async () => {
    const result = await new AppleSampler({
      intervalMs: 100,
      platform: 'darwin',
      env: fakeEnv({ FAKE_SUDO_PASSWORD: '1' }),
    }).probe();
    expect(result.available).toBe(false);
    if (result.available) return;
    expect(result.reason).toBe('sudo needs a password to run powermetrics (sudo -n refused)');
    expect(result.hint).toContain(`${userInfo().username} ALL=(root) NOPASSWD: /usr/bin/powermetrics`);
    expect(result.hint).toContain('sudo visudo -f /etc/sudoers.d/costbench');
  });

  it('powermetrics without root: unavailable with the superuser reason', async () => {
    const result = await new AppleSampler({
      intervalMs: 100,
      platform: 'darwin',
      env: fakeEnv({ FAKE_POWERMETRICS_NOT_ROOT: '1' }),
    }).probe();
    expect(result).toMatchObject({
      available: false,
      reason: 'powermetrics must be invoked as the superuser',
    });
  });
});

/** Polls until `enough` says so, or fails after a deadline (no fixed sleeps to be flaky about). */
async function collect(sampler: AppleSampler, enough: (samples: Sample[]) => boolean): Promise<Sample[]> {
  const samples: Sample[] = [];
  const deadline = Date.now() + 4000;
  while (!enough(samples)) {
    if (Date.now() > deadline) throw new Error(`timed out with ${samples.length} samples`);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const result = await sampler.poll(0);
    expect(result.errors).toEqual([]);
    samples.push(...result.samples);
  }
  return samples;
}

const combinedCount = (samples: Sample[]): number =>
  samples.filter((s) => s.channelKey === 'apple:combined').length;

describe('AppleSampler streaming', () => {
  it('parses the long-lived stream into exact watts, stamped on arrival', async () => {
    const sampler = new AppleSampler({ intervalMs: 20, platform: 'darwin', env: fakeEnv() });
    const startedMs = performance.now();
    await sampler.start();
    try {
      const samples = await collect(sampler, (s) => combinedCount(s) >= 3);
      const polledMs = performance.now();
      const first = samples.slice(0, 4).map((s) => [s.channelKey, s.powerW]);
      expect(first).toEqual([
        ['apple:cpu', 0.823],
        ['apple:gpu', 0.026],
        ['apple:ane', 0.323],
        ['apple:combined', 1.172],
      ]);
      const times = samples.filter((s) => s.channelKey === 'apple:combined').map((s) => s.tMs);
      expect(
        [...times].sort((a, b) => a - b),
        'blocks in arrival order',
      ).toEqual(times);
      expect(new Set(times).size, 'one stamp per block').toBe(times.length);
      expect(samples.every((s) => s.tMs > startedMs && s.tMs <= polledMs && s.energyJ === null)).toBe(true);
    } finally {
      await sampler.stop();
      await sampler.stop();
    }
  });

  it('reads the older Package Power stream as apple:combined', async () => {
    const sampler = new AppleSampler({
      intervalMs: 20,
      platform: 'darwin',
      env: fakeEnv({ FAKE_POWERMETRICS_OLD: '1' }),
    });
    await sampler.start();
    try {
      const samples = await collect(sampler, (s) => combinedCount(s) >= 1);
      expect(samples.find((s) => s.channelKey === 'apple:combined')?.powerW).toBe(1.473);
      expect(samples.find((s) => s.channelKey === 'apple:cpu')?.powerW).toBe(1.211);
    } finally {
      await sampler.stop();
    }
  });

  it('a powermetrics that exits is an error in the next poll, not a throw', async () => {
    const sampler = new AppleSampler({
      intervalMs: 20,
      platform: 'darwin',
      env: fakeEnv({ FAKE_POWERMETRICS_NOT_ROOT: '1' }),
    });
    await sampler.start();
    const deadline = Date.now() + 4000;
    let errors: string[] = [];
    while (errors.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      errors = (await sampler.poll(0)).errors.map((e) => e.message);
    }
    expect(errors).toEqual(['powermetrics exited (exit 1): powermetrics must be invoked as the superuser']);
    await sampler.stop();
  });
});
