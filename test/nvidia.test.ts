import { writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { NvidiaSampler } from '../src/telemetry/nvidia.js';
import {
  choosePowerField,
  parseNvidiaGpuList,
  parseNvidiaLine,
  parseNvidiaTimestamp,
  parseNvidiaValue,
  parseQueryGpuHelp,
  powerFieldsToQuery,
  readingTimeMs,
  streamFields,
} from '../src/telemetry/nvidia-parse.js';
import type { PollResult, Sample, SamplerError } from '../src/telemetry/sampler.js';
import { makeTempDir } from './support/temp.js';

const BIN = fileURLToPath(new URL('./fixtures/bin', import.meta.url));
const MIB = 1024 * 1024;

/** The real environment with the fake tools first on PATH, plus the FAKE_* switches of one case. */
function fakeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, PATH: `${BIN}${delimiter}${process.env['PATH'] ?? ''}`, ...extra };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds for everything collected so far, or 5 s pass (then the assertions say what was missing). */
async function pollUntil(sampler: NvidiaSampler, done: (all: PollResult) => boolean): Promise<PollResult> {
  const all: PollResult = { samples: [], errors: [] };
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const result = await sampler.poll(performance.now());
    all.samples.push(...result.samples);
    all.errors.push(...result.errors);
    if (done(all)) break;
    await sleep(20);
  }
  return all;
}

const byKey = (samples: Sample[], key: string): Sample[] => samples.filter((s) => s.channelKey === key);

function sampler(extra: Record<string, string>, intervalMs = 50): NvidiaSampler {
  return new NvidiaSampler({ env: fakeEnv(extra), intervalMs });
}

const NO_DRIVER =
  "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.";

const HELP_EXCERPT = `List of valid properties to query for the switch "--query-gpu=":

"timestamp"
The timestamp of when the query was made in format "YYYY/MM/DD HH:MM:SS.msec".

"power.draw"
The last measured power draw for the entire board, in watts. On Ampere or newer devices, returns average power draw over 1 sec.

"power.draw.instant"
The last measured instant power draw for the entire board, in watts.

"clocks.current.sm" or "clocks.sm"
Current frequency of SM (Streaming Multiprocessor) clock.
`;

describe('nvidia-smi parsing', () => {
  it('reads the field list of --help-query-gpu and prefers power.draw.instant', () => {
    const fields = parseQueryGpuHelp(HELP_EXCERPT);
    expect([...fields].sort(), 'fields').toEqual([
      'clocks.current.sm',
      'clocks.sm',
      'power.draw',
      'power.draw.instant',
      'timestamp',
    ]);
    expect(choosePowerField(fields), 'with instant').toBe('power.draw.instant');
    expect(choosePowerField(new Set(['power.draw', 'timestamp'])), 'without instant').toBe('power.draw');
  });

  it('reads values: numbers, and null for anything in brackets', () => {
    expect(parseNvidiaValue(' 287.41 '), 'number').toBe(287.41);
    expect(parseNvidiaValue('97'), 'integer').toBe(97);
    expect(parseNvidiaValue('[N/A]'), 'N/A').toBeNull();
    expect(parseNvidiaValue('[Not Supported]'), 'Not Supported').toBeNull();
    expect(parseNvidiaValue('[Unknown Error]'), 'Unknown Error').toBeNull();
    expect(parseNvidiaValue('287.41 W'), 'with a unit').toBeUndefined();
    expect(parseNvidiaValue(''), 'empty').toBeUndefined();
  });

  it('parses a streamed line into exact values (MiB to bytes)', () => {
    const line = '2018/10/10 13:06:03.419, 0, 287.41, 97, 10342, 2730, 63';
    const parsed = parseNvidiaLine(line, streamFields('power.draw.instant'));
    expect(parsed).toEqual({
      ok: true,
      value: {
        index: 0,
        timestamp: '2018/10/10 13:06:03.419',
        power: { 'power.draw.instant': 287.41 },
        utilizationPct: 97,
        memoryUsedBytes: 10342 * MIB,
        clockMhz: 2730,
        temperatureC: 63,
      },
    });
    expect(10342 * MIB, 'memoryUsedBytes').toBe(10_844_372_992);
  });

  it('turns [N/A], [Not Supported] and [Unknown Error] into null', () => {
    const line = '2026/11/27 13:06:03.419, 3, [N/A], [Not Supported], 0, [Unknown Error], 31';
    const parsed = parseNvidiaLine(line, streamFields('power.draw'));
    expect(parsed.ok && parsed.value, 'reading').toEqual({
      index: 3,
      timestamp: '2026/11/27 13:06:03.419',
      power: { 'power.draw': null },
      utilizationPct: null,
      memoryUsedBytes: 0,
      clockMhz: null,
      temperatureC: 31,
    });
  });

  it('rejects malformed lines with a message instead of throwing', () => {
    const fields = streamFields('power.draw.instant');
    const cases: [string, string][] = [
      ['Failed to sample: garbage, [GPU is lost', 'expected 7 columns, got 2'],
      ['2026/11/27 13:06:03.419, 0, 287.41 W, 97, 10342, 2730, 63', 'bad power.draw.instant "287.41 W"'],
      ['yesterday, 0, 287.41, 97, 10342, 2730, 63', 'bad timestamp "yesterday"'],
      ['2026/11/27 13:06:03.419, [N/A], 287.41, 97, 10342, 2730, 63', 'bad GPU index "[N/A]"'],
      ['', 'expected 7 columns, got 1'],
    ];
    for (const [line, message] of cases) {
      const parsed = parseNvidiaLine(line, fields);
      expect(parsed.ok, line).toBe(false);
      if (!parsed.ok) expect(parsed.message, line).toContain(message);
    }
  });

  it('parses the probe-time GPU list, including a MIG-style GPU with no power reading', () => {
    const csv = [
      '0, GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a, 00000000:01:00.0, 450.00, 287.41, NVIDIA GeForce RTX 4090',
      '1, GPU-11111111-2222-4333-8444-555555555555, 00000000:07:00.0, [N/A], [N/A], NVIDIA A100-SXM4-80GB',
      '',
    ].join('\n');
    expect(parseNvidiaGpuList(csv)).toEqual({
      ok: true,
      value: [
        {
          index: 0,
          uuid: 'GPU-5f3b2c1a-9d4e-4c7b-8a61-2f0e9d8c7b6a',
          pciBusId: '00000000:01:00.0',
          name: 'NVIDIA GeForce RTX 4090',
          powerLimitW: 450,
          powerField: 'power.draw.instant',
          powerReadable: true,
        },
        {
          index: 1,
          uuid: 'GPU-11111111-2222-4333-8444-555555555555',
          pciBusId: '00000000:07:00.0',
          name: 'NVIDIA A100-SXM4-80GB',
          powerLimitW: null,
          powerField: 'power.draw.instant',
          powerReadable: false,
        },
      ],
    });
    expect(parseNvidiaGpuList('0, GPU-x, 450.00').ok, 'too few columns').toBe(false);
  });
});

describe("issue 13 item 9: power.draw.instant per GPU, and nvidia-smi's own timestamps", () => {
  it('queries both power fields where the help lists instant, and reads each GPU with the first that gives it a number', () => {
    expect(powerFieldsToQuery(parseQueryGpuHelp(HELP_EXCERPT))).toEqual(['power.draw.instant', 'power.draw']);
    expect(powerFieldsToQuery(new Set(['power.draw']))).toEqual(['power.draw']);
    const csv = [
      '0, GPU-a, 00000000:01:00.0, 450.00, 287.41, 286.90, NVIDIA GeForce RTX 4090',
      '1, GPU-b, 00000000:07:00.0, 400.00, [N/A], 211.50, NVIDIA A100-SXM4-80GB',
      '2, GPU-c, 00000000:08:00.0, 400.00, [N/A], [N/A], NVIDIA A100-SXM4-80GB MIG 1g.10gb',
    ].join('\n');
    const gpus = parseNvidiaGpuList(csv, ['power.draw.instant', 'power.draw']);
    expect(gpus.ok && gpus.value.map((g) => [g.index, g.powerField, g.powerReadable, g.name])).toEqual([
      [0, 'power.draw.instant', true, 'NVIDIA GeForce RTX 4090'],
      [1, 'power.draw', true, 'NVIDIA A100-SXM4-80GB'], // was power.draw.instant: N/A, no power at all
      [2, 'power.draw.instant', false, 'NVIDIA A100-SXM4-80GB MIG 1g.10gb'],
    ]);
  });

  it('parses the timestamp as local time, fractions of a second included', () => {
    expect(parseNvidiaTimestamp('2018/10/10 13:06:03.419')).toBe(
      new Date(2018, 9, 10, 13, 6, 3, 419).getTime(),
    );
    expect(parseNvidiaTimestamp('2018/10/10 13:06:03')).toBe(new Date(2018, 9, 10, 13, 6, 3, 0).getTime());
    expect(parseNvidiaTimestamp('yesterday')).toBeNull();
  });

  it('places a reading at its timestamp on the monotonic clock, or at its arrival when that is implausible', () => {
    const epochMs = new Date(2026, 10, 27, 13, 6, 3, 419).getTime();
    // The wall clock read epochMs + 250 when the monotonic clock read 10_000: wall - mono = epochMs - 9_750.
    const offset = epochMs - 9_750;
    // The reading was taken at monotonic 9_750, and its line arrived 1 s later (drained once a second).
    expect(readingTimeMs('2026/11/27 13:06:03.419', 10_750, offset)).toEqual({
      tMs: 9_750,
      from: 'timestamp',
    });
    expect(readingTimeMs('2026/11/27 13:06:03.419', 25_000, offset), '15 s late: a clock step').toEqual({
      tMs: 25_000,
      from: 'arrival',
    });
    expect(readingTimeMs('2026/11/27 13:06:03.419', 9_600, offset), '150 ms before it was taken').toEqual({
      tMs: 9_600,
      from: 'arrival',
    });
    expect(readingTimeMs(null, 10_750, offset)).toEqual({ tMs: 10_750, from: 'arrival' });
  });
});

// These cases start real child processes (the fake nvidia-smi), so they run concurrently to keep
// the file fast; each stops its own sampler.
describe.concurrent('NvidiaSampler with the fake nvidia-smi', () => {
  describe('probe', () => {
    it('is unavailable, with an install hint, when nvidia-smi is not on PATH', async () => {
      const s = new NvidiaSampler({ env: { PATH: '/nonexistent/costbench-test-bin' }, intervalMs: 100 });
      const probe = await s.probe();
      expect(probe).toEqual({
        available: false,
        reason: 'nvidia-smi not found on PATH',
        hint: 'install the NVIDIA driver utilities (nvidia-smi ships with the driver) or add their directory to PATH',
      });
    });

    it('is unavailable, with the driver message, when nvidia-smi cannot reach the driver (exit 9)', async () => {
      const probe = await sampler({ FAKE_NVIDIA_NO_DRIVER: '1' }).probe();
      expect(probe.available).toBe(false);
      if (probe.available) return;
      expect(probe.reason, 'reason').toBe(`nvidia-smi exited with code 9: ${NO_DRIVER}`);
      expect(probe.hint, 'hint').toContain('the NVIDIA kernel driver is not loaded');
    });

    it('records a failed start as an error instead of throwing', async () => {
      const s = new NvidiaSampler({ env: { PATH: '/nonexistent/costbench-test-bin' }, intervalMs: 50 });
      await s.start();
      const first = await s.poll(0);
      expect(first.samples, 'samples').toEqual([]);
      expect(
        first.errors.map((e: SamplerError) => e.message),
        'errors',
      ).toEqual(['not started: nvidia-smi not found on PATH']);
      expect(await s.poll(1), 'later polls').toEqual({ samples: [], errors: [] });
      await s.stop();
    });
  });

  describe('sampling at -lms 50', () => {
    it('lists two GPUs, samples both with the configured values, follows power changes, and stop() kills the child', async ({
      onTestFinished,
    }) => {
      const dir = makeTempDir('costbench-nvidia-');
      const powerFile = join(dir.path, 'watts'); // absent at first: each GPU reads its configured power
      const s = sampler({ FAKE_NVIDIA_GPUS: 'rtx4090x2', FAKE_NVIDIA_POWER_FILE: powerFile }, 50);
      onTestFinished(async () => {
        await s.stop();
        dir.remove();
      });
      const probe = await s.probe();
      expect(probe.available).toBe(true);
      if (!probe.available) return;
      expect(
        probe.channels.map((c) => c.key),
        'keys',
      ).toEqual(['nvidia:0', 'nvidia:1']);
      expect(probe.channels[1]).toEqual({
        key: 'nvidia:1',
        source: 'nvidia',
        device: 'NVIDIA GeForce RTX 4090',
        kind: 'sampled',
        covers: 'gpu-board',
        detail: {
          index: 1,
          uuid: 'GPU-0a1b2c3d-4e5f-4a6b-9c7d-8e9f0a1b2c3d',
          pciBusId: '00000000:41:00.0',
          field: 'power.draw.instant',
          fieldNote: 'instantaneous board power',
          averagingMs: null,
          timeBase: "nvidia-smi's timestamp, mapped onto the run clock (arrival time when over 10 s off)",
          powerLimitW: 450,
          periodMs: 50,
          powerReadable: true,
        },
      });

      const t0 = performance.now();
      await s.start();
      const all = await pollUntil(
        s,
        (r) => byKey(r.samples, 'nvidia:0').length >= 3 && byKey(r.samples, 'nvidia:1').length >= 3,
      );
      const t1 = performance.now();
      expect(all.errors, 'errors').toEqual([]);
      const gpu0 = byKey(all.samples, 'nvidia:0');
      const gpu1 = byKey(all.samples, 'nvidia:1');
      expect(gpu0.length, 'GPU 0 samples').toBeGreaterThanOrEqual(3);
      expect(gpu1.length, 'GPU 1 samples').toBeGreaterThanOrEqual(3);
      for (const sample of gpu0) {
        expect(sample, 'GPU 0').toMatchObject({
          powerW: 287.41,
          energyJ: null,
          utilizationPct: 97,
          memoryUsedBytes: 10342 * MIB,
          clockMhz: 2730,
          temperatureC: 63,
        });
      }
      for (const sample of gpu1) {
        expect(sample, 'GPU 1').toMatchObject({
          powerW: 31.05,
          utilizationPct: 0,
          memoryUsedBytes: 3 * MIB,
          clockMhz: 210,
          temperatureC: 35,
        });
      }
      for (const sample of all.samples) {
        expect(sample.tMs, 'tMs after start').toBeGreaterThanOrEqual(t0);
        expect(sample.tMs, 'tMs before the last poll').toBeLessThanOrEqual(t1);
      }

      writeFileSync(powerFile, '250.5'); // "load": both GPUs now read 250.5 W
      const loaded = await pollUntil(s, (r) => byKey(r.samples, 'nvidia:1').some((x) => x.powerW === 250.5));
      expect(
        byKey(loaded.samples, 'nvidia:1').some((x) => x.powerW === 250.5),
        'follows the power file',
      ).toBe(true);

      const pid = s.pid;
      expect(pid, 'pid').toBeTypeOf('number');
      expect(isAlive(pid ?? -1), 'alive before stop').toBe(true);
      await s.stop();
      expect(isAlive(pid ?? -1), 'gone after stop').toBe(false);
      await s.stop();
      const after = await s.poll(performance.now());
      expect(after.errors, 'a requested stop is not an error').toEqual([]);
    });

    it('falls back to power.draw without power.draw.instant; keeps a GPU whose power reads [N/A] (MIG), sampling null power', async ({
      onTestFinished,
    }) => {
      const s = sampler({ FAKE_NVIDIA_GPUS: 'a100-mig', FAKE_NVIDIA_NO_INSTANT: '1' });
      onTestFinished(() => s.stop());
      const probe = await s.probe();
      expect(probe.available).toBe(true);
      if (!probe.available) return;
      expect(
        probe.channels.map((c) => c.key),
        'keys',
      ).toEqual(['nvidia:0']);
      const detail = probe.channels[0]?.detail ?? {};
      expect(detail['field'], 'field').toBe('power.draw');
      expect(detail['fieldNote'], 'fieldNote').toBe(
        'power.draw: a 1 s average on Ampere and newer (instantaneous on older GPUs); this driver has no power.draw.instant',
      );
      expect(detail['powerReadable'], 'powerReadable').toBe(false);
      expect(detail['powerLimitW'], 'powerLimitW').toBe(400);
      expect(detail['note'], 'note').toBe(
        'power.draw reads N/A here (e.g. a MIG instance): samples carry no power',
      );
      await s.start();
      const all = await pollUntil(s, (r) => r.samples.length >= 2);
      expect(all.samples.length, 'samples').toBeGreaterThanOrEqual(2);
      for (const sample of all.samples)
        expect(sample, 'sample').toMatchObject({
          powerW: null,
          utilizationPct: null,
          memoryUsedBytes: 0,
          temperatureC: 31,
        });
    });

    it('issue 13 item 9: a GPU whose power.draw.instant reads [N/A] is read with power.draw; the other keeps instant', async ({
      onTestFinished,
    }) => {
      const s = sampler({ FAKE_NVIDIA_GPUS: 'mixed-instant' });
      onTestFinished(() => s.stop());
      const probe = await s.probe();
      expect(probe.available).toBe(true);
      if (!probe.available) return;
      expect(
        probe.channels.map((c) => [
          c.key,
          c.detail['field'],
          c.detail['averagingMs'],
          c.detail['powerReadable'],
        ]),
      ).toEqual([
        ['nvidia:0', 'power.draw.instant', null, true],
        ['nvidia:1', 'power.draw', 1000, true],
      ]);
      expect(probe.channels[1]?.detail['fieldNote']).toBe(
        'power.draw.instant reads N/A on this GPU: power.draw instead, a 1 s average on Ampere and newer (instantaneous on older GPUs)',
      );
      await s.start();
      const all = await pollUntil(s, (r) => byKey(r.samples, 'nvidia:1').length >= 2);
      expect(
        byKey(all.samples, 'nvidia:1')
          .map((x) => x.powerW)
          .slice(0, 2),
        'GPU 1 (was null: no power)',
      ).toEqual([211.5, 211.5]);
      expect(byKey(all.samples, 'nvidia:0')[0]?.powerW, 'GPU 0').toBe(287.41);
    });

    it("issue 13 item 9: stamps readings with nvidia-smi's timestamp, not the arrival", async ({
      onTestFinished,
    }) => {
      // A wall clock 3 s ahead of the real one: a reading's timestamp maps 3 s before its arrival (within the
      // 10 s a timestamp is trusted), so every sample lies at least ~3 s before the poll that collected it.
      const s = new NvidiaSampler({ env: fakeEnv({}), intervalMs: 50, wallClock: () => Date.now() + 3000 });
      onTestFinished(() => s.stop());
      await s.start();
      const lates: number[] = [];
      const deadline = Date.now() + 5000;
      while (lates.length < 3 && Date.now() < deadline) {
        const pollMs = performance.now();
        for (const x of (await s.poll(pollMs)).samples) lates.push(pollMs - x.tMs);
        await sleep(20);
      }
      expect(lates.length).toBeGreaterThanOrEqual(3);
      // Timestamps have whole milliseconds: allow 2 ms. Stamped on arrival, these would be near 0.
      for (const late of lates) expect(late, 'poll time - sample time').toBeGreaterThan(2998);
    });

    it('counts malformed lines as errors, reports the sensor dying once, then leaves a gap without throwing', async ({
      onTestFinished,
    }) => {
      // Two GPUs, power [N/A], a garbage line after every second tick, death after 6 lines (3 ticks).
      const s = sampler({
        FAKE_NVIDIA_GPUS: 'rtx4090x2',
        FAKE_NVIDIA_NA: '1',
        FAKE_NVIDIA_GARBAGE: '1',
        FAKE_NVIDIA_DIE_AFTER: '6',
      });
      onTestFinished(() => s.stop());
      await s.start();
      const all = await pollUntil(s, (r) => r.errors.some((e) => e.message.startsWith('nvidia-smi exited')));
      expect(all.samples.length, 'samples before it died').toBe(6);
      expect(
        all.samples.every((x) => x.powerW === null && x.temperatureC !== null),
        'FAKE_NVIDIA_NA: null power, not zero',
      ).toBe(true);
      expect(all.errors.map((e) => e.message)).toEqual([
        'nvidia-smi: expected 8 columns, got 2: "Failed to sample: garbage, [GPU is lost"',
        'nvidia-smi exited with code 1: Unable to determine the device handle for GPU0000:01:00.0: GPU is lost.  Reboot the system to recover this GPU',
      ]);
      for (let i = 0; i < 3; i++) {
        await sleep(20);
        expect(await s.poll(performance.now()), `poll ${i} after death`).toEqual({ samples: [], errors: [] });
      }
    });
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
