import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { buildSamplers, probeAll } from '../src/telemetry/build.js';
import { NVML_IN_USE_REASON } from '../src/telemetry/nvml/nvidia-default.js';
import { NvmlSampler } from '../src/telemetry/nvml/sampler.js';
import type { Channel, ProbeResult } from '../src/telemetry/sampler.js';
import { buildFakeNvml } from './support/fake-nvml/build.js';
import { useTempDir } from './support/temp.js';

const fake = buildFakeNvml();
afterAll(() => {
  if (fake.ok) fake.remove();
});
const SKIP = fake.ok ? '' : ` (skipped: ${fake.reason})`;
const tempDir = useTempDir('costbench-nvml-');
const BIN = fileURLToPath(new URL('./fixtures/bin', import.meta.url));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** The fake counter's update period (its default). */
const PERIOD_MS = 50;

/** FAKE_NVML_* set for the current test: the fake runs in this process and reads its environment at nvmlInit_v2. */
const fakeSwitches = new Set<string>();
afterEach(() => {
  for (const name of fakeSwitches) delete process.env[name];
  fakeSwitches.clear();
});

/**
 * The fake NVML's switches (into process.env, where the in-process library reads them), power per
 * GPU in mW written to files, and its init/shutdown log; `env` is what the sampler is given.
 */
function fakeEnv(
  powerMw: number[],
  extra: Record<string, string> = {},
): { env: NodeJS.ProcessEnv; log: string } {
  const dir = tempDir();
  powerMw.forEach((mw, i) => writeFileSync(join(dir, `power-${i}`), String(mw)));
  const log = join(dir, 'calls.log');
  const env: Record<string, string> = {
    COSTBENCH_NVML_LIB: fake.ok ? fake.path : 'none',
    FAKE_NVML_GPUS: String(powerMw.length),
    FAKE_NVML_POWER_DIR: dir,
    FAKE_NVML_LOG: log,
    ...extra,
  };
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('FAKE_NVML_')) continue;
    process.env[name] = value;
    fakeSwitches.add(name);
  }
  return { env, log };
}

const calls = (log: string): string[] => readFileSync(log, 'utf8').trim().split('\n');
const channelsOf = (probe: ProbeResult): Channel[] => (probe.available ? probe.channels : []);

describe.skipIf(!fake.ok)(`NvmlSampler on the fake NVML${SKIP}`, () => {
  it('a counter channel per GPU, its update period found at probe, NVML shut down after the probe', async () => {
    const { env, log } = fakeEnv([200_000, 30_000], {
      FAKE_NVML_NAMES: 'NVIDIA GeForce RTX 4090,NVIDIA A100-SXM4-80GB',
    });
    const sampler = new NvmlSampler({ env, intervalMs: 100 });
    const probe = await sampler.probe();
    const channels = channelsOf(probe);
    expect(
      channels.map((c) => [c.key, c.device, c.kind, c.covers]),
      'channels',
    ).toEqual([
      ['nvidia:0', 'NVIDIA GeForce RTX 4090', 'counter', 'gpu-board'],
      ['nvidia:1', 'NVIDIA A100-SXM4-80GB', 'counter', 'gpu-board'],
    ]);
    const detail = channels[0]?.detail ?? {};
    expect(
      [detail['uuid'], detail['pciBusId'], detail['powerLimitW'], detail['library'], detail['periodMs']],
      'facts',
    ).toEqual([
      'GPU-fa4e0000-0000-0000-0000-000000000000',
      '00000000:01:00.0',
      450,
      env['COSTBENCH_NVML_LIB'],
      100,
    ]);
    const period = detail['counterPeriodMs'];
    expect(
      typeof period === 'number' && period >= PERIOD_MS - 5 && period <= PERIOD_MS * 2,
      `counterPeriodMs ${String(period)}`,
    ).toBe(true);
    expect(sampler.pollPeriodMs, 'the power interval').toBe(100);
    const slowed = new NvmlSampler({ env, intervalMs: 100, slowIntervalMs: 1000, counterProbeBudgetMs: 0 });
    await slowed.probe();
    expect(slowed.pollPeriodMs, 'slowed: counters read at boundaries carry the energy').toBe(1000);
    expect(calls(log), 'each probe initialises and shuts down').toEqual([
      'init',
      'shutdown',
      'init',
      'shutdown',
    ]);
  });

  it('energy from the counter: known power over a known time, within one counter period', async () => {
    const { env, log } = fakeEnv([200_000]);
    const sampler = new NvmlSampler({ env, intervalMs: 100 });
    await sampler.probe();
    await sampler.start();
    const first = sampler.readNow();
    await sleep(400);
    const last = sampler.readNow();
    const polled = await sampler.poll(performance.now());
    await sampler.stop();
    const [a, b] = [first[0], last[0]];
    if (a === undefined || b === undefined || a.energyJ === null || b.energyJ === null)
      throw new Error('no counter readings');
    const expectedJ = (200 * (b.tMs - a.tMs)) / 1000;
    // One counter period, plus 10 ms for the fake's counter thread waking late on a busy machine.
    const toleranceJ = (200 * (PERIOD_MS + 10)) / 1000;
    expect(
      Math.abs(b.energyJ - a.energyJ - expectedJ),
      `|${b.energyJ - a.energyJ} - ${expectedJ}| J`,
    ).toBeLessThanOrEqual(toleranceJ);
    expect(a.error, 'no error').toBeNull();
    // The boundary readings come back as samples at the next poll, then the poll's own reading.
    const samples = polled.samples;
    expect(
      samples.map((s) => s.energyJ),
      'recorded boundary readings',
    ).toEqual([a.energyJ, b.energyJ, expect.any(Number)]);
    const polledSample = samples[2];
    expect(
      [
        polledSample?.powerW,
        polledSample?.utilizationPct,
        polledSample?.memoryUsedBytes,
        polledSample?.clockMhz,
        polledSample?.temperatureC,
      ],
      'fields',
    ).toEqual([200, 97, 10342 * 1024 * 1024, 2730, 63]);
    expect(polled.errors).toEqual([]);
    expect(calls(log), 'init and shutdown paired').toEqual(['init', 'shutdown', 'init', 'shutdown']);
  });

  it('no energy counter (before Volta): sampled power, said in the channel, polled at the power interval', async () => {
    const { env } = fakeEnv([75_500], { FAKE_NVML_NOT_SUPPORTED: 'nvmlDeviceGetTotalEnergyConsumption' });
    const sampler = new NvmlSampler({ env, intervalMs: 100 });
    const [channel] = channelsOf(await sampler.probe());
    expect([channel?.kind, channel?.detail['field'], channel?.detail['counterPeriodMs']]).toEqual([
      'sampled',
      'nvmlDeviceGetPowerUsage',
      null,
    ]);
    expect(String(channel?.detail['fieldNote'])).toContain(
      'nvmlDeviceGetTotalEnergyConsumption: Not Supported (NVML_ERROR_NOT_SUPPORTED, 3)',
    );
    const slowed = new NvmlSampler({ env, intervalMs: 100, slowIntervalMs: 1000, counterProbeBudgetMs: 0 });
    await slowed.probe();
    expect(slowed.pollPeriodMs, 'sampled power is never slowed').toBe(100);
    await sampler.start();
    expect(sampler.readNow(), 'no counter to read').toEqual([]);
    const { samples, errors } = await sampler.poll(1234);
    await sampler.stop();
    expect(samples.map((s) => [s.channelKey, s.tMs, s.powerW, s.energyJ])).toEqual([
      ['nvidia:0', 1234, 75.5, null],
    ]);
    expect(errors).toEqual([]);
  });

  it('driver not loaded: unavailable with the reason, and nvidia-smi is used instead, saying why', async () => {
    const { env, log } = fakeEnv([100_000], {
      FAKE_NVML_INIT_ERROR: '9',
      PATH: `${BIN}${delimiter}${process.env['PATH'] ?? ''}`,
      FAKE_NVIDIA_GPUS: 'rtx4090',
    });
    const telemetry = { sources: ['nvidia'], intervalMs: 100, meters: [], cpuTdpW: null } as never;
    const probed = await probeAll(
      buildSamplers(telemetry, {
        env,
        sysRoot: '/nonexistent',
        procRoot: '/proc',
        now: () => performance.now(),
      }),
    );
    const nvml = probed.find((p) => p.name === 'nvml')?.probe;
    const reason = `${fake.ok ? fake.path : ''}: nvmlInit_v2: Driver Not Loaded (NVML_ERROR_DRIVER_NOT_LOADED, 9)`;
    expect(nvml).toEqual({
      available: false,
      reason,
      hint: expect.stringContaining('the NVIDIA kernel driver is not loaded'),
    });
    const smi = probed.find((p) => p.name === 'nvidia-smi');
    const [channel] = channelsOf(smi?.probe ?? { available: false, reason: '', hint: null });
    expect([channel?.key, channel?.kind, channel?.detail['reader'], channel?.detail['fallback']]).toEqual([
      'nvidia:0',
      'sampled',
      'nvidia-smi',
      `nvidia-smi fallback: ${reason}`,
    ]);
    expect(smi?.periodMs, 'nvidia-smi drained once a second').toBe(1000);
    expect(calls(log), 'a failed init needs no shutdown').toEqual(['init']);
  });

  it('with NVML working, nvidia-smi is not used and says so; NVML is polled at the power interval', async () => {
    const { env } = fakeEnv([100_000]);
    const telemetry = { sources: ['nvidia'], intervalMs: 100, meters: [], cpuTdpW: null } as never;
    const probed = await probeAll(
      buildSamplers(telemetry, {
        env,
        sysRoot: '/nonexistent',
        procRoot: '/proc',
        now: () => performance.now(),
      }),
    );
    const byName = new Map(probed.map((p) => [p.name, p]));
    expect(byName.get('nvml')?.probe.available, 'nvml').toBe(true);
    expect(byName.get('nvml')?.periodMs, 'nvml: the power interval').toBe(100);
    expect(byName.get('nvidia-smi')?.probe).toEqual({
      available: false,
      reason: NVML_IN_USE_REASON,
      hint: null,
    });
  });

  it('a GPU lost mid-run: its reads become one error and a gap, the other GPU goes on', async () => {
    const { env } = fakeEnv([100_000, 50_000], { FAKE_NVML_LOST_GPU: '1', FAKE_NVML_LOST_AFTER_MS: '300' });
    const sampler = new NvmlSampler({ env, intervalMs: 100 });
    await sampler.probe();
    await sampler.start();
    const before = await sampler.poll(1);
    await sleep(400);
    const lost = await sampler.poll(2);
    const after = await sampler.poll(3);
    const boundary = sampler.readNow({ record: false });
    await sampler.stop();
    expect(
      before.samples.map((s) => s.channelKey),
      'both before',
    ).toEqual(['nvidia:0', 'nvidia:1']);
    expect(
      lost.samples.map((s) => s.channelKey),
      'GPU 0 goes on',
    ).toEqual(['nvidia:0']);
    expect(lost.errors).toEqual([
      {
        tMs: 2,
        channelKey: 'nvidia:1',
        message:
          'nvmlDeviceGetTotalEnergyConsumption: GPU is lost (NVML_ERROR_GPU_IS_LOST, 15): no more readings from GPU 1 in this run',
      },
    ]);
    expect([after.samples.map((s) => s.channelKey), after.errors], 'reported once').toEqual([
      ['nvidia:0'],
      [],
    ]);
    expect(
      boundary.map((r) => r.channelKey),
      'readNow skips the lost GPU',
    ).toEqual(['nvidia:0']);
  });

  it('shuts NVML down at stop and on process exit while started; stop twice is safe', async () => {
    const { env, log } = fakeEnv([100_000]);
    const sampler = new NvmlSampler({ env, intervalMs: 100 });
    const listeners = process.listenerCount('exit');
    await sampler.start();
    expect(process.listenerCount('exit'), 'exit handler while started').toBe(listeners + 1);
    await sampler.stop();
    await sampler.stop();
    expect(process.listenerCount('exit'), 'removed at stop').toBe(listeners);
    expect(calls(log)).toEqual(['init', 'shutdown', 'init', 'shutdown']);
    expect(await sampler.poll(5), 'a poll after stop reads nothing').toEqual({ samples: [], errors: [] });
  });
});

describe.skipIf(!fake.ok)(`NvmlSampler in a process that exits without stop()${SKIP}`, () => {
  it('shuts NVML down from its exit handler (needs the build: dist/)', () => {
    const { env, log } = fakeEnv([100_000]);
    const sampler = fileURLToPath(new URL('../dist/src/telemetry/nvml/sampler.js', import.meta.url));
    const script = `const { NvmlSampler } = await import(${JSON.stringify(sampler)});
      const s = new NvmlSampler({ intervalMs: 100, counterProbeBudgetMs: 0 });
      await s.start();
      process.exit(0);`;
    execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    expect(calls(log), 'probe, then start, then the exit handler').toEqual([
      'init',
      'shutdown',
      'init',
      'shutdown',
    ]);
  });
});

describe('NvmlSampler without a library', () => {
  it('COSTBENCH_NVML_LIB=none: unavailable, nothing loaded', async () => {
    const sampler = new NvmlSampler({ env: { COSTBENCH_NVML_LIB: 'none' }, intervalMs: 100 });
    expect(await sampler.probe()).toEqual({
      available: false,
      reason: 'NVML turned off (COSTBENCH_NVML_LIB=none)',
      hint: null,
    });
    await sampler.start();
    expect((await sampler.poll(7)).errors).toEqual([
      {
        tMs: expect.any(Number),
        channelKey: null,
        message: 'not started: NVML turned off (COSTBENCH_NVML_LIB=none)',
      },
    ]);
  });
});
