import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  parseAmdSmiMetric,
  parseAmdSmiStatic,
  parseJsonOutput,
  parseQuantity,
  parseRocmSmi,
} from '../src/telemetry/amd-parse.js';
import { AmdSmiSampler } from '../src/telemetry/amd-smi.js';
import { HwmonSampler, describeReadError, parsePciSlot, parseSysfsInteger } from '../src/telemetry/hwmon.js';
import { RocmSmiSampler } from '../src/telemetry/rocm-smi.js';
import type { PollResult, Sampler } from '../src/telemetry/sampler.js';
import { makeTempDir } from './support/temp.js';

const BIN = fileURLToPath(new URL('./fixtures/bin', import.meta.url));
const SYS_DGPU = fileURLToPath(new URL('./fixtures/sys-amd/dgpu', import.meta.url));
const SYS_APU = fileURLToPath(new URL('./fixtures/sys-amd/apu', import.meta.url));
const NO_PATH = { PATH: '/nonexistent/costbench-test-bin' };
const W = { W: 1, mW: 1e-3 };

/** The real environment with the fake tools first on PATH, plus the FAKE_* switches of one case. */
function fakeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // No ROCm install here: the version is unknown unless a test writes one.
  const path = `${BIN}${delimiter}${process.env['PATH'] ?? ''}`;
  return { ...process.env, PATH: path, ROCM_PATH: '/nonexistent/costbench-rocm', ...extra };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls at a fixed poller time until `done` holds, or 5 s pass; a fixed time starts at most one run. */
async function pollAt(
  sampler: Sampler,
  nowMs: number,
  done: (r: PollResult) => boolean,
): Promise<PollResult> {
  const all: PollResult = { samples: [], errors: [] };
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const result = await sampler.poll(nowMs);
    all.samples.push(...result.samples);
    all.errors.push(...result.errors);
    if (done(all)) break;
    await sleep(10);
  }
  return all;
}

const metricRuns = (log: string): number =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('metric')).length;

describe('amd-smi parsing', () => {
  it('reads quantities: numbers, strings, N/A and {value, unit} with W or mW', () => {
    expect(parseQuantity(35, W), 'number').toBe(35);
    expect(parseQuantity('35.0', W), 'string').toBe(35);
    expect(parseQuantity('10 W', W), 'string with unit').toBe(10);
    expect(parseQuantity('N/A', W), 'N/A').toBeNull();
    expect(parseQuantity({ value: 10, unit: 'W' }, W), 'W object').toBe(10);
    expect(parseQuantity({ value: 10500, unit: 'mW' }, W), 'mW object').toBe(10.5);
    expect(parseQuantity({ value: 'N/A', unit: 'W' }, W), 'N/A object').toBeNull();
    expect(parseQuantity({ value: 10, unit: 'mV' }, W), 'wrong unit').toBeUndefined();
    expect(parseQuantity('UNTHROTTLED', W), 'not a number').toBeUndefined();
  });

  it('parses the list shape, with usage and energy', () => {
    const json = [
      {
        gpu: 0,
        usage: {
          gfx_activity: { value: 42, unit: '%' },
          umc_activity: { value: 1, unit: '%' },
          vcn_activity: [{ value: 0, unit: '%' }, 'N/A'],
        },
        power: {
          socket_power: { value: 110, unit: 'W' },
          gfx_voltage: { value: 780, unit: 'mV' },
          throttle_status: 'UNTHROTTLED',
        },
        energy: { total_energy_consumption: { value: 98765.4, unit: 'J' } },
      },
      { gpu: 1, power: { socket_power: 'N/A' }, usage: 'N/A' },
    ];
    expect(parseAmdSmiMetric(json)).toEqual({
      ok: true,
      value: [
        { gpu: 0, powerW: 110, powerField: 'socket_power', utilizationPct: 42, energyJ: 98765.4 },
        { gpu: 1, powerW: null, powerField: 'socket_power', utilizationPct: null, energyJ: null },
      ],
    });
  });

  it('parses the gpu_data shape, mW, string values and older power keys', () => {
    const json = {
      gpu_data: [
        { gpu: 0, power: { socket_power: { value: 20500, unit: 'mW' } } },
        { gpu: '1', power: { socket_power: 'N/A', current_socket_power: '17 W', average_socket_power: 16 } },
        {
          gpu: 2,
          power: { average_socket_power: 16 },
          energy: { total_energy_consumption: { value: 5000, unit: 'mJ' } },
        },
      ],
    };
    expect(parseAmdSmiMetric(json)).toEqual({
      ok: true,
      value: [
        { gpu: 0, powerW: 20.5, powerField: 'socket_power', utilizationPct: null, energyJ: null },
        { gpu: 1, powerW: 17, powerField: 'current_socket_power', utilizationPct: null, energyJ: null },
        { gpu: 2, powerW: 16, powerField: 'average_socket_power', utilizationPct: null, energyJ: 5 },
      ],
    });
  });

  it('rejects output it cannot read, saying what was wrong', () => {
    expect(parseAmdSmiMetric({ something: [] }), 'wrong shape').toEqual({
      ok: false,
      message: 'expected a JSON list of GPUs or {"gpu_data": [...]}',
    });
    expect(parseAmdSmiMetric([{ power: {} }]), 'no gpu').toEqual({
      ok: false,
      message: 'bad or missing "gpu" index: undefined',
    });
    expect(parseAmdSmiMetric([{ gpu: 0, power: { socket_power: 'UNTHROTTLED' } }]), 'bad power').toEqual({
      ok: false,
      message: 'GPU 0: unreadable power: {"socket_power":"UNTHROTTLED"}',
    });
    const oddUsage = [
      {
        gpu: 0,
        power: { socket_power: 90 },
        usage: { gfx_activity: [{ value: 5, unit: '%' }] },
        energy: { total_energy_consumption: 'lots' },
      },
    ];
    expect(parseAmdSmiMetric(oddUsage), 'odd usage and energy only lose those fields').toEqual({
      ok: true,
      value: [{ gpu: 0, powerW: 90, powerField: 'socket_power', utilizationPct: null, energyJ: null }],
    });
  });

  it('finds the JSON after banner lines, and refuses text that is not JSON', () => {
    expect(
      parseJsonOutput('WARNING: One or more commands failed.\n{"card0": {}}\n'),
      'after a warning',
    ).toEqual({ ok: true, value: { card0: {} } });
    expect(parseJsonOutput('GPU: 0\n    POWER:\n'), 'plain text').toEqual({
      ok: false,
      message: 'no JSON in output: "GPU: 0\n    POWER:"',
    });
    expect(parseJsonOutput('[{"gpu": 0,').ok, 'truncated').toBe(false);
  });

  it('reads names and PCI addresses from amd-smi static', () => {
    const json = [
      { gpu: 0, asic: { market_name: 'AMD Instinct MI300X' }, bus: { bdf: '0000:05:00.0' } },
      { gpu: 1, asic: { market_name: 'N/A' } },
    ];
    expect(parseAmdSmiStatic(json)).toEqual({
      ok: true,
      value: [
        { gpu: 0, name: 'AMD Instinct MI300X', bdf: '0000:05:00.0' },
        { gpu: 1, name: null, bdf: null },
      ],
    });
  });
});

describe('rocm-smi parsing', () => {
  it('reads both power keys, N/A, the secondary die of an MI250, and ignores other keys', () => {
    const json = {
      system: { 'Driver version': '6.8.5' },
      card10: { 'Average Graphics Package Power (W)': 'N/A', 'GPU use (%)': 'N/A' },
      card1: {
        'Average Graphics Package Power (W)': 'N/A (Secondary die)',
        'GPU use (%)': '80',
        'PCI Bus': '0000:04:00.0',
      },
      card0: {
        'Average Graphics Package Power (W)': '222.0',
        'GPU use (%)': '99',
        'PCI Bus': '0000:03:00.0',
      },
      card2: { 'Current Socket Graphics Package Power (W)': '35.0', 'GPU use (%)': '12' },
    };
    expect(parseRocmSmi(json)).toEqual({
      ok: true,
      value: [
        {
          card: 'card0',
          index: 0,
          powerW: 222,
          powerField: 'Average Graphics Package Power (W)',
          secondaryDie: false,
          utilizationPct: 99,
          pciBus: '0000:03:00.0',
        },
        {
          card: 'card1',
          index: 1,
          powerW: null,
          powerField: 'Average Graphics Package Power (W)',
          secondaryDie: true,
          utilizationPct: 80,
          pciBus: '0000:04:00.0',
        },
        {
          card: 'card2',
          index: 2,
          powerW: 35,
          powerField: 'Current Socket Graphics Package Power (W)',
          secondaryDie: false,
          utilizationPct: 12,
          pciBus: null,
        },
        {
          card: 'card10',
          index: 10,
          powerW: null,
          powerField: 'Average Graphics Package Power (W)',
          secondaryDie: false,
          utilizationPct: null,
          pciBus: null,
        },
      ],
    });
  });

  it('rejects values it cannot read', () => {
    expect(parseRocmSmi([]), 'not an object').toEqual({
      ok: false,
      message: 'expected a JSON object keyed by card',
    });
    expect(parseRocmSmi({ card0: { 'Average Graphics Package Power (W)': 'lots' } }), 'bad power').toEqual({
      ok: false,
      message: 'card0: unreadable "Average Graphics Package Power (W)": "lots"',
    });
  });
});

// These cases start real child processes (the fake tools), so they run concurrently to keep the
// file fast; each stops its own sampler. Poller times are passed explicitly so spacing is exact.
describe.concurrent('AMD tool samplers with the fake amd-smi and rocm-smi', () => {
  it('amd-smi: unavailable when not on PATH, when the driver fails, and on output that is not JSON', async () => {
    const [missing, failing, garbage] = await Promise.all([
      new AmdSmiSampler({ env: NO_PATH, intervalMs: 100 }).probe(),
      new AmdSmiSampler({ env: fakeEnv({ FAKE_AMDSMI_FAIL: '1' }), intervalMs: 100 }).probe(),
      new AmdSmiSampler({ env: fakeEnv({ FAKE_AMDSMI_GARBAGE: '1' }), intervalMs: 100 }).probe(),
    ]);
    expect(missing, 'missing').toEqual({
      available: false,
      reason: 'amd-smi not found on PATH',
      hint: 'install ROCm (amd-smi, package amd-smi-lib) or use the hwmon sampler',
    });
    expect(failing, 'failing').toEqual({
      available: false,
      reason:
        'amd-smi exited with code 1: ERROR:root:Unable to detect any GPU devices, check amdgpu version and module status (sudo modprobe amdgpu)',
      hint: 'check that the amdgpu driver is loaded and that your user may open /dev/kfd and /dev/dri (groups render and video)',
    });
    expect(garbage.available, 'garbage').toBe(false);
    if (!garbage.available)
      expect(garbage.reason, 'garbage reason').toBe(
        'unexpected amd-smi output: no JSON in output: "GPU: 0\n    POWER:\n        SOCKET_POWER: 20 W"',
      );
  });

  it('amd-smi: one channel per GPU; runs spaced >= 1000 ms apart; failures mid-run are errors and gaps', async ({
    onTestFinished,
  }) => {
    const dir = makeTempDir('costbench-amd-');
    const log = join(dir.path, 'calls');
    const env = fakeEnv({ FAKE_AMDSMI_LOG: log });
    // The clock stands still but for the start-up check's wait (2000 ms); the counter does not move.
    let clockMs = 5000;
    const sleepFake = async (ms: number): Promise<void> => void (clockMs += ms);
    const s = new AmdSmiSampler({ env, intervalMs: 100, now: () => clockMs, sleep: sleepFake });
    onTestFinished(async () => {
      await s.stop();
      dir.remove();
    });
    const probe = await s.probe();
    expect(probe).toEqual({
      available: true,
      channels: [
        {
          key: 'amd-smi:0',
          source: 'amd',
          device: 'AMD Instinct MI300X',
          kind: 'sampled',
          covers: 'gpu-board',
          detail: {
            gpu: 0,
            pciBusId: '0000:05:00.0',
            reader: 'amd-smi',
            field: 'socket_power',
            powerReadable: true,
            energyCounter: false,
            // 142 W x 2 s = 284 J sampled, while the counter stayed at 123456.789 J.
            energyNote:
              'energy.total_energy_consumption: not used: the counter cannot be checked against power (counter 0 J vs sampled power 284 J over 2 s)',
            fallback:
              'amd-smi energy counter not used: the counter cannot be checked against power (counter 0 J vs sampled power 284 J over 2 s)',
            periodMs: 1000,
            transport:
              'one amd-smi process per reading, at most one per 1000 ms: amd-smi has no streaming mode we can rely on',
          },
        },
      ],
    });
    await s.start();
    expect(clockMs, 'the start-up check waited 2000 ms').toBe(7000);
    expect(metricRuns(log), 'runs after probe: two, for the start-up check').toBe(2);

    const first = await pollAt(s, 0, (r) => r.samples.length > 0);
    expect(first, 'first run').toEqual({
      samples: [
        {
          channelKey: 'amd-smi:0',
          tMs: 7000,
          powerW: 142,
          energyJ: null, // the counter is not used
          utilizationPct: 37,
          memoryUsedBytes: null,
          clockMhz: null,
          temperatureC: null,
        },
      ],
      errors: [],
    });
    await sleep(50);
    expect(await s.poll(999), 'too soon: nothing new').toEqual({ samples: [], errors: [] });
    expect(metricRuns(log), 'no run before 1000 ms').toBe(3);

    env['FAKE_AMDSMI_GARBAGE'] = '1'; // the next run prints text, not JSON
    const garbage = await pollAt(s, 1000, (r) => r.errors.length > 0);
    expect(garbage.samples, 'no samples from garbage').toEqual([]);
    expect(
      garbage.errors.map((e) => e.message),
      'garbage',
    ).toEqual(['amd-smi: no JSON in output: "GPU: 0\n    POWER:\n        SOCKET_POWER: 20 W"']);

    env['FAKE_AMDSMI_FAIL'] = '1';
    const failed = await pollAt(s, 2000, (r) => r.errors.length > 0);
    expect(failed.samples, 'no samples from a failed run').toEqual([]);
    expect(failed.errors.map((e) => e.message)[0], 'failure').toMatch(
      /^amd-smi exited with code 1: ERROR:root:Unable to detect any GPU devices/,
    );
    expect(metricRuns(log), 'probe (2) + 3 spaced runs').toBe(5);
  });

  it('amd-smi: {gpu_data} shape in mW, no -E on old versions, a run in flight is never doubled, stop() aborts it', async ({
    onTestFinished,
  }) => {
    const dir = makeTempDir('costbench-amd-');
    const log = join(dir.path, 'calls');
    const env = fakeEnv({
      FAKE_AMDSMI_LOG: log,
      FAKE_AMDSMI_SHAPE: 'gpu_data',
      FAKE_AMDSMI_POWER_UNIT: 'mW',
      FAKE_AMDSMI_NO_ENERGY: '1',
    });
    const s = new AmdSmiSampler({ env, intervalMs: 100 });
    onTestFinished(async () => {
      await s.stop();
      dir.remove();
    });
    const probe = await s.probe();
    expect(probe.available).toBe(true);
    if (!probe.available) return;
    expect(probe.channels[0]?.detail['energyCounter'], 'energyCounter').toBe(false);
    expect(probe.channels[0]?.detail['energyNote'], 'energyNote').toBe(
      'energy.total_energy_consumption: this amd-smi has no -E (energy)',
    );
    await s.start();
    const run = await pollAt(s, 0, (r) => r.samples.length > 0);
    expect(
      run.samples.map((x) => [x.channelKey, x.powerW, x.energyJ, x.utilizationPct]),
      'mW to W',
    ).toEqual([['amd-smi:0', 142, null, 37]]);

    env['FAKE_AMDSMI_DELAY_MS'] = '5000'; // from now on a run hangs until stop() kills it
    await s.poll(1000); // starts a run
    const deadline = Date.now() + 5000;
    while (metricRuns(log) < 4 && Date.now() < deadline) await sleep(10); // the slow run has begun
    expect(await s.poll(5000), 'in flight: nothing yet').toEqual({ samples: [], errors: [] });
    await sleep(50);
    await s.poll(6000); // still in flight: skipped, although spacing allows a run
    const t0 = Date.now();
    await s.stop(); // aborts the run in flight
    expect(Date.now() - t0, 'stop() did not wait for the 5 s run').toBeLessThan(3000);
    expect(await s.poll(9000), 'after stop').toEqual({ samples: [], errors: [] });
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines, 'calls').toEqual([
      'metric -p -u -E --json',
      'metric -p -u --json',
      'static --asic --bus --json',
      'metric -p -u --json',
      'metric -p -u --json',
    ]);
  });

  it('amd-smi -E: a counter that passes the start-up check makes a counter channel; N/A and a drop are gaps and errors', async ({
    onTestFinished,
  }) => {
    const dir = makeTempDir('costbench-amd-');
    const log = join(dir.path, 'calls');
    // One entry per metric run: two for the probe's check, then the runs polled.
    const seq = [
      [{ powerW: 220, energyJ: 1000 }],
      [{ powerW: 230, energyJ: 1450.5 }], // 450.5 J vs (220 + 230) / 2 W x 2 s = 450 J: kept
      [{ powerW: 230, energyJ: 1500 }], // first reading after start(): 0 J
      [{ powerW: 230, energyJ: 1650.5 }], // 150.5 J
      [{ powerW: 230, energyJ: 'N/A' }], // a gap
      [{ powerW: 230, energyJ: 3 }], // went down: 3 - 1500 = -1497, with an error
    ];
    const env = fakeEnv({
      FAKE_AMDSMI_LOG: log,
      FAKE_AMDSMI_SEQ: JSON.stringify(seq),
      FAKE_AMDSMI_STATE: join(dir.path, 'state'),
    });
    let clockMs = 0;
    const sleepFake = async (ms: number): Promise<void> => void (clockMs += ms);
    const s = new AmdSmiSampler({ env, intervalMs: 100, now: () => clockMs, sleep: sleepFake });
    onTestFinished(async () => {
      await s.stop();
      dir.remove();
    });
    const probe = await s.probe();
    expect(probe.available).toBe(true);
    if (!probe.available) return;
    const gpu = probe.channels[0];
    expect(gpu?.kind, 'kind').toBe('counter');
    expect(gpu?.detail['energyCounter']).toBe(true);
    expect(gpu?.detail['energyNote']).toBe(
      'energy.total_energy_consumption: start-up check: counter 450.5 J vs sampled power 450 J over 2 s: 1x apart, within 10x',
    );
    expect(gpu?.detail['fallback'], 'no fallback').toBeUndefined();
    expect(metricRuns(log), 'two runs at probe').toBe(2);
    await s.start();
    const got: [number | null, number | null][] = [];
    const errors: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const r = await pollAt(s, i * 1000, (x) => x.samples.length > 0);
      got.push(...r.samples.map((x): [number | null, number | null] => [x.powerW, x.energyJ]));
      errors.push(...r.errors.map((e) => e.message));
    }
    expect(got).toEqual([
      [230, 0],
      [230, 150.5], // 1650.5 - 1500
      [230, null],
      [230, -1497], // 3 - 1500
    ]);
    expect(errors).toEqual([
      'amd-smi GPU 0: energy counter went down (1650.5 -> 3 J): a reset or wrap of unknown size, that interval is left out',
    ]);
  });

  it('amd-smi -E: a counter off by 100x, on ROCm before 6.3, or N/A is not used, and the channel says why', async ({
    onTestFinished,
  }) => {
    const dir = makeTempDir('costbench-amd-');
    onTestFinished(() => dir.remove());
    const noSleep = async (): Promise<void> => undefined;
    const probeWith = async (extra: Record<string, string>, now: () => number) => {
      const s = new AmdSmiSampler({ env: fakeEnv(extra), intervalMs: 100, now, sleep: noSleep });
      const probe = await s.probe();
      await s.stop();
      return probe.available ? probe.channels[0] : undefined;
    };
    // 300 W x 2 s = 600 J sampled; the counter moved 6 J: 100x apart.
    let clockMs = 0;
    const off = await probeWith(
      {
        FAKE_AMDSMI_SEQ: JSON.stringify([[{ powerW: 300, energyJ: 1000 }], [{ powerW: 300, energyJ: 1006 }]]),
        FAKE_AMDSMI_STATE: join(dir.path, 'off-state'),
      },
      () => (clockMs += 1000), // 1000 after the first run, 2000 after the second
    );
    expect(off?.kind, 'off by 100x').toBe('sampled');
    expect(off?.detail['energyCounter']).toBe(false);
    expect(off?.detail['fallback']).toBe(
      'amd-smi energy counter not used: it disagrees with sampled power by more than 10x (counter 6 J vs sampled power 600 J over 2 s: 100x apart)',
    );

    const rocm = join(dir.path, 'rocm');
    mkdirSync(join(rocm, '.info'), { recursive: true });
    writeFileSync(join(rocm, '.info', 'version'), '6.2.4-120\n');
    const oldLog = join(dir.path, 'old-calls');
    const old = await probeWith({ ROCM_PATH: rocm, FAKE_AMDSMI_LOG: oldLog }, () => 0);
    expect(old?.kind, 'ROCm 6.2.4').toBe('sampled');
    expect(old?.detail['fallback']).toBe(
      "amd-smi energy counter not used: ROCm 6.2.4 is older than 6.3, where amd-smi's energy counter is unreliable",
    );
    expect(metricRuns(oldLog), 'no start-up check on old ROCm').toBe(1);

    const naLog = join(dir.path, 'na-calls');
    const na = await probeWith(
      {
        FAKE_AMDSMI_LOG: naLog,
        FAKE_AMDSMI_GPUS: JSON.stringify([{ powerW: 142, util: 37, energyJ: null }]),
      },
      () => 0,
    );
    expect(na?.kind, 'N/A').toBe('sampled');
    expect(na?.detail['energyNote']).toBe(
      'energy.total_energy_consumption: no energy counter reported (N/A)',
    );
    expect(na?.detail['fallback'], 'nothing to fall back from').toBeUndefined();
    expect(metricRuns(naLog), 'no start-up check without a counter').toBe(1);
  });

  it('rocm-smi: unavailable when missing or failing; cards, the secondary die and samples otherwise', async ({
    onTestFinished,
  }) => {
    const [missing, failing] = await Promise.all([
      new RocmSmiSampler({ env: NO_PATH, intervalMs: 100 }).probe(),
      new RocmSmiSampler({ env: fakeEnv({ FAKE_ROCMSMI_FAIL: '1' }), intervalMs: 100 }).probe(),
    ]);
    expect(missing, 'missing').toEqual({
      available: false,
      reason: 'rocm-smi not found on PATH',
      hint: 'install ROCm (rocm-smi; amd-smi is its successor) or use the hwmon sampler',
    });
    expect(failing.available === false && failing.reason, 'failing').toBe(
      'rocm-smi exited with code 2: ERROR:root:Driver not initialized (amdgpu not found in modules)',
    );

    const cards = JSON.stringify([
      { power: 200, use: 90 },
      { secondary: true, use: 80 },
    ]);
    const s = new RocmSmiSampler({
      env: fakeEnv({ FAKE_ROCMSMI_CARDS: cards, FAKE_ROCMSMI_KEY: 'current', FAKE_ROCMSMI_WARN: '1' }),
      intervalMs: 100,
      now: () => 42,
    });
    onTestFinished(() => s.stop());
    const probe = await s.probe();
    expect(probe.available).toBe(true);
    if (!probe.available) return;
    expect(
      probe.channels.map((c) => [c.key, c.covers, c.device]),
      'channels',
    ).toEqual([
      ['rocm-smi:card0', 'gpu-board', 'AMD GPU card0'],
      ['rocm-smi:card1', 'none', 'AMD GPU card1 (secondary die)'],
    ]);
    expect(probe.channels[0]?.detail, 'card0 detail').toMatchObject({
      pciBusId: '0000:03:00.0',
      field: 'Current Socket Graphics Package Power (W)',
      powerReadable: true,
    });
    expect(probe.channels[1]?.detail, 'card1 detail').toMatchObject({
      pciBusId: '0000:04:00.0',
      secondaryDie: true,
    });
    await s.start();
    const run = await pollAt(s, 0, (r) => r.samples.length > 0);
    expect(run.errors, 'errors').toEqual([]);
    expect(
      run.samples.map((x) => [x.channelKey, x.tMs, x.powerW, x.utilizationPct]),
      'samples',
    ).toEqual([
      ['rocm-smi:card0', 42, 200, 90],
      ['rocm-smi:card1', 42, null, 80],
    ]);
  });
});

describe('HwmonSampler (fixture sysfs trees)', () => {
  it('finds AMD cards only, preferring power1_input over power1_average', async () => {
    const s = new HwmonSampler({ sysRoot: SYS_DGPU, intervalMs: 100 });
    const probe = await s.probe();
    expect(probe.available).toBe(true);
    if (!probe.available) return;
    expect(
      probe.channels.map((c) => c.key),
      'keys (card1 is NVIDIA)',
    ).toEqual(['hwmon:card0', 'hwmon:card2']);
    expect(probe.channels[0]).toEqual({
      key: 'hwmon:card0',
      source: 'amd',
      device: 'AMD GPU card0',
      kind: 'sampled',
      covers: 'gpu-board',
      detail: {
        card: 'card0',
        pciBusId: '0000:03:00.0',
        hwmon: 'hwmon3',
        file: 'power1_input',
        instantaneous: true,
        periodMs: 100,
        vramTotalBytes: 25753026560,
        apu: false,
      },
    });
    expect(probe.channels[1]?.detail, 'card2').toMatchObject({
      file: 'power1_average',
      instantaneous: false,
      pciBusId: '0000:0c:00.0',
      apu: false,
    });
  });

  it('reads power in W and the other sensors with their units converted', async () => {
    const s = new HwmonSampler({ sysRoot: SYS_DGPU, intervalMs: 100 });
    await s.start();
    expect(await s.poll(1234)).toEqual({
      samples: [
        {
          channelKey: 'hwmon:card0',
          tMs: 1234,
          powerW: 41.25,
          energyJ: null,
          utilizationPct: 12,
          memoryUsedBytes: 794341376,
          clockMhz: 1802,
          temperatureC: 49,
        },
        {
          channelKey: 'hwmon:card2',
          tMs: 1234,
          powerW: 254,
          energyJ: null,
          utilizationPct: 99,
          memoryUsedBytes: 2147483648,
          clockMhz: null,
          temperatureC: null,
        },
      ],
      errors: [],
    });
  });

  it('flags an APU: its reading covers the package, CPU included', async () => {
    const s = new HwmonSampler({ sysRoot: SYS_APU, intervalMs: 100 });
    const probe = await s.probe();
    expect(probe.available).toBe(true);
    if (!probe.available) return;
    expect(probe.channels[0]?.covers, 'covers').toBe('apu-package');
    expect(probe.channels[0]?.detail, 'detail').toMatchObject({
      apu: true,
      note: 'includes the CPU: do not add RAPL',
      apuHeuristic: 'mem_info_vram_total under 1073741824 bytes',
      file: 'power1_average',
      instantaneous: false,
    });
    const poll = await s.poll(5);
    expect(
      poll.samples.map((x) => [x.channelKey, x.powerW, x.temperatureC]),
      'samples',
    ).toEqual([['hwmon:card0', 18.5, 52]]);
  });

  it('is unavailable without a drm directory or without an AMD card', async ({ onTestFinished }) => {
    const dir = makeTempDir('costbench-hwmon-');
    onTestFinished(dir.remove);
    const none = await new HwmonSampler({ sysRoot: join(dir.path, 'nothing'), intervalMs: 100 }).probe();
    expect(none.available === false && none.reason, 'no drm').toBe(
      `no ${join(dir.path, 'nothing', 'class', 'drm')}: not Linux, or sysfs is not mounted`,
    );
    cpSync(join(SYS_DGPU, 'class', 'drm', 'card1'), join(dir.path, 'class', 'drm', 'card1'), {
      recursive: true,
    });
    const nvidiaOnly = await new HwmonSampler({ sysRoot: dir.path, intervalMs: 100 }).probe();
    expect(nvidiaOnly.available === false && nvidiaOnly.reason, 'NVIDIA only').toBe(
      `no AMD GPU with a hwmon power sensor under ${join(dir.path, 'class', 'drm')}`,
    );
  });

  it('turns permission denied into a probe hint, and into per-channel errors mid-run (injected EACCES)', async () => {
    const eacces = (path: string): Error =>
      Object.assign(new Error(`EACCES: permission denied, open '${path}'`), { code: 'EACCES' });
    let deny = true;
    const readFile = (path: string): string => {
      if (deny && /power1_(input|average)$/.test(path)) throw eacces(path);
      return readFileSync(path, 'utf8');
    };
    const refused = await new HwmonSampler({ sysRoot: SYS_APU, intervalMs: 100, readFile }).probe();
    const powerPath = join(SYS_APU, 'class/drm/card0/device/hwmon/hwmon6/power1_average');
    expect(refused, 'probe').toEqual({
      available: false,
      reason: `permission denied reading ${powerPath}`,
      hint: `grant read access to ${join(SYS_APU, 'class', 'drm')}/card*/device/hwmon/hwmon*/power1_* to one group: \`costbench doctor\` prints the udev rule and how to check it; or run costbench as root`,
    });

    deny = false;
    const s = new HwmonSampler({ sysRoot: SYS_APU, intervalMs: 100, readFile });
    expect((await s.probe()).available, 'readable at probe').toBe(true);
    deny = true;
    expect(await s.poll(10), 'mid-run').toEqual({
      samples: [],
      errors: [
        {
          tMs: 10,
          channelKey: 'hwmon:card0',
          message: `permission denied reading ${powerPath}: grant read access to one group (\`costbench doctor\` says how) or run as root`,
        },
      ],
    });
    expect(describeReadError('/x', new Error('EIO: i/o error')), 'other errors').toBe(
      'cannot read /x: EIO: i/o error',
    );
  });

  // Root reads files whatever their mode, so chmod 000 proves nothing there: skipped as root
  // (the injected-EACCES case above covers the same path).
  it.skipIf(process.getuid?.() === 0)(
    'reports a real chmod 000 power file as permission denied',
    async ({ onTestFinished }) => {
      const dir = makeTempDir('costbench-hwmon-');
      onTestFinished(dir.remove);
      cpSync(SYS_APU, dir.path, { recursive: true });
      const power = join(dir.path, 'class/drm/card0/device/hwmon/hwmon6/power1_average');
      chmodSync(power, 0o000);
      const probe = await new HwmonSampler({ sysRoot: dir.path, intervalMs: 100 }).probe();
      expect(probe.available === false && probe.reason, 'reason').toBe(`permission denied reading ${power}`);
    },
  );

  it('reports a power file that is not a number as an error, not a crash', async ({ onTestFinished }) => {
    const dir = makeTempDir('costbench-hwmon-');
    onTestFinished(dir.remove);
    cpSync(SYS_APU, dir.path, { recursive: true });
    const s = new HwmonSampler({ sysRoot: dir.path, intervalMs: 100 });
    expect((await s.probe()).available).toBe(true);
    const power = join(dir.path, 'class/drm/card0/device/hwmon/hwmon6/power1_average');
    writeFileSync(power, 'garbage\n');
    expect(await s.poll(3)).toEqual({
      samples: [],
      errors: [
        {
          tMs: 3,
          channelKey: 'hwmon:card0',
          message: `${power} does not hold a whole number of microwatts: "garbage"`,
        },
      ],
    });
  });

  it('parses sysfs integers and PCI slots', () => {
    expect(parseSysfsInteger('35000000\n'), 'integer').toBe(35000000);
    expect(parseSysfsInteger('3.5'), 'not an integer').toBeNull();
    expect(parsePciSlot('DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n'), 'slot').toBe('0000:03:00.0');
    expect(parsePciSlot('DRIVER=amdgpu\n'), 'none').toBeNull();
  });
});
