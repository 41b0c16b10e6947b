/**
 * NVML overhead, on the fake libnvidia-ml.so.1 (test/support/fake-nvml, built here with cc):
 * - the cost of one FFI call through koffi (energy counter, power) and of readNow() per GPU;
 * - this process's CPU, as % of one core, for the NVML path: power, utilization and the like
 *   polled once a second (telemetry.pictureIntervalMs, the default) or every 100 ms (10 Hz charts),
 *   plus the energy counters read at request boundaries (--boundaries per second), beside the
 *   nvidia-smi path (fake nvidia-smi, -lms 100, drained
 *   once a second; its child's CPU reported apart).
 * The fake answers from memory: a real driver's call adds an ioctl (microseconds), so the
 * per-call figure is koffi's share, not the driver's.
 *
 *   npm run bench:nvml [-- --seconds 10 --boundaries 20]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configSchema } from '../src/config/schema.js';
import { buildSamplers, probeAll } from '../src/telemetry/build.js';
import { openNvml } from '../src/telemetry/nvml/library.js';
import { NvmlSampler } from '../src/telemetry/nvml/sampler.js';
import { Poller } from '../src/telemetry/poller.js';
import type { ScheduledSampler } from '../src/telemetry/poller.js';
import { buildFakeNvml } from '../test/support/fake-nvml/build.js';

const { values } = parseArgs({
  options: { seconds: { type: 'string', default: '10' }, boundaries: { type: 'string', default: '20' } },
});
const SECONDS = Number(values.seconds);
const BOUNDARIES_PER_S = Number(values.boundaries);
const ROOT = join(import.meta.dirname, '..', '..');
const CALLS = 1_000_000;

function childrenCpuS(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

function nsPerCall(call: () => unknown, n = CALLS): number {
  for (let i = 0; i < 10_000; i++) call();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) call();
  return Number(process.hrtime.bigint() - start) / n;
}

async function measure(
  samplers: ScheduledSampler[],
  boundary: (() => void) | null,
): Promise<{ cpuPct: number; childCpuS: number; samples: number }> {
  for (const { sampler } of samplers) await sampler.start();
  let samples = 0;
  const childBefore = childrenCpuS();
  const before = process.cpuUsage();
  const started = performance.now();
  const poller = new Poller({
    samplers,
    intervalMs: 100,
    flushEveryMs: 1000,
    now: () => performance.now(),
    onFlush: (s) => (samples += s.length),
  });
  poller.start();
  const timer = boundary === null ? null : setInterval(boundary, 1000 / BOUNDARIES_PER_S);
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  if (timer !== null) clearInterval(timer);
  await poller.stop();
  for (const { sampler } of samplers) await sampler.stop();
  const used = process.cpuUsage(before);
  const wallMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    cpuPct: ((used.user + used.system) / 1000 / wallMs) * 100,
    childCpuS: childrenCpuS() - childBefore,
    samples,
  };
}

async function main(): Promise<void> {
  const fake = buildFakeNvml();
  if (!fake.ok) throw new Error(fake.reason);
  process.env['FAKE_NVML_GPUS'] = '2';
  try {
    const opened = await openNvml({ env: { COSTBENCH_NVML_LIB: fake.path }, platform: 'linux' });
    if (!opened.ok) throw new Error(opened.reason);
    const { api } = opened;
    api.init();
    const device = api.handleByIndex(0);
    if (!device.ok) throw new Error('no device');
    const energyNs = nsPerCall(() => api.totalEnergyMj(device.value));
    const powerNs = nsPerCall(() => api.powerMw(device.value));
    api.shutdown();

    const nvml = new NvmlSampler({
      env: { COSTBENCH_NVML_LIB: fake.path },
      intervalMs: 100,
      slowIntervalMs: 1000,
    });
    const nvmlFast = new NvmlSampler({ env: { COSTBENCH_NVML_LIB: fake.path }, intervalMs: 100 });
    await nvmlFast.probe();
    const probe = await nvml.probe();
    if (!probe.available) throw new Error(probe.reason);
    await nvml.start();
    const readNowNs = nsPerCall(() => nvml.readNow({ record: false }), 200_000);
    await nvml.stop();

    const idleRun = await measure([], () => undefined);
    const nvmlRun = await measure([{ sampler: nvml, periodMs: nvml.pollPeriodMs }], () => nvml.readNow());
    const fastRun = await measure([{ sampler: nvmlFast, periodMs: nvmlFast.pollPeriodMs }], () =>
      nvmlFast.readNow(),
    );
    const telemetry = configSchema.parse({}).telemetry;
    const smiEnv = {
      ...process.env,
      COSTBENCH_NVML_LIB: 'none',
      FAKE_NVIDIA_GPUS: 'rtx4090x2',
      PATH: `${join(ROOT, 'test', 'fixtures', 'bin')}:${process.env['PATH'] ?? ''}`,
    };
    const probed = await probeAll(
      buildSamplers(
        { ...telemetry, sources: ['nvidia'] },
        { env: smiEnv, sysRoot: '/nonexistent', procRoot: '/proc', now: () => performance.now() },
      ),
    );
    const smi = probed
      .filter((p) => p.name === 'nvidia-smi' && p.probe.available)
      .map((p) => ({ sampler: p.sampler, periodMs: p.periodMs }));
    const smiRun = await measure(smi, null);

    console.log(`NVML through koffi, fake library, 2 GPUs (${CALLS.toLocaleString()} calls each):`);
    console.log(`  nvmlDeviceGetTotalEnergyConsumption  ${(energyNs / 1000).toFixed(3)} µs/call`);
    console.log(`  nvmlDeviceGetPowerUsage              ${(powerNs / 1000).toFixed(3)} µs/call`);
    console.log(`  readNow() (2 GPUs, no recording)     ${(readNowNs / 1000).toFixed(3)} µs/call`);
    console.log(`CPU over ${SECONDS} s, % of one core (this process):`);
    console.log(`  baseline: a ${BOUNDARIES_PER_S}/s timer doing nothing     ${idleRun.cpuPct.toFixed(3)}%`);
    console.log(
      `  NVML: poll every ${nvml.pollPeriodMs} ms (the default) + readNow ${BOUNDARIES_PER_S}/s  ${nvmlRun.cpuPct.toFixed(3)}%  (${nvmlRun.samples} samples)`,
    );
    console.log(
      `  NVML: poll every ${nvmlFast.pollPeriodMs} ms (10 Hz charts) + readNow ${BOUNDARIES_PER_S}/s  ${fastRun.cpuPct.toFixed(3)}%  (${fastRun.samples} samples)`,
    );
    console.log(
      `  nvidia-smi -lms ${telemetry.intervalMs}, drained 1/s       ${smiRun.cpuPct.toFixed(3)}%  (${smiRun.samples} samples; fake nvidia-smi child ${smiRun.childCpuS.toFixed(2)} CPU s, a Node script: says nothing of the real tool)`,
    );
  } finally {
    fake.remove();
  }
}

await main();
