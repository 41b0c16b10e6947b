/**
 * Sampler overhead: CPU time of costbench's poller at 10 Hz reading every fixture source
 * (fake nvidia-smi, amd-smi, rocm-smi, powermetrics executables; hwmon and RAPL fixture sysfs
 * trees; a Shelly plug served by another process; /proc/stat; the CPU estimate) for --seconds,
 * as % of one core, beside a naive sampler that starts one nvidia-smi process per sample.
 * Target: the poller under 0.5% of a core. Also measured: the sets of sources real machines have
 * (no machine has nvidia-smi, AMD hwmon and macOS powermetrics at once, as the fixture run does).
 *
 * "poller" is this process's own CPU time (process.cpuUsage), which is what costbench adds to
 * the machine being measured. The long-lived sensor tools run as child processes; their CPU is
 * reported apart (from /proc/self/stat cutime+cstime, read after they exit). The fakes are Node
 * scripts, so their own cost says nothing about the real tools; the count of processes started does.
 *
 *   npm run bench:sampler [-- --seconds 60]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configSchema } from '../src/config/schema.js';
import { buildEstimateSampler, buildSamplers, probeAll } from '../src/telemetry/build.js';
import { Poller, type ScheduledSampler } from '../src/telemetry/poller.js';
import type { Sampler } from '../src/telemetry/sampler.js';
import { planSamplers } from '../src/telemetry/session.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '60' } } });
const SECONDS = Number(values.seconds);
const INTERVAL_MS = 100;
const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const ENV = {
  ...process.env,
  PATH: `${join(FIXTURES, 'bin')}:${join(FIXTURES, 'bin-apple')}:${process.env['PATH'] ?? ''}`,
};

/** CPU seconds of waited-for children, from /proc/self/stat (Linux). */
function childrenCpuS(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[13]) + Number(fields[14]); // cutime + cstime (fields 16, 17 of the full line)
  return ticks / 100; // USER_HZ is 100 on Linux
}

function startShelly(): Promise<{ url: string; child: ChildProcess }> {
  const code = `require('node:http').createServer((q, r) => { r.setHeader('content-type', 'application/json'); r.end(JSON.stringify({ id: 0, apower: 88.5, voltage: 231.2, aenergy: { total: 1234.567 } })); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) =>
    child.stdout?.once('data', (d: Buffer) => resolve({ url: `127.0.0.1:${d.toString().trim()}`, child })),
  );
}

async function measure(
  label: string,
  samplers: ScheduledSampler[],
): Promise<{ label: string; cpuPct: number; childCpuS: number; samples: number }> {
  for (const { sampler } of samplers) await sampler.start();
  let samples = 0;
  const childBefore = childrenCpuS();
  const before = process.cpuUsage();
  const started = performance.now();
  const poller = new Poller({
    samplers,
    intervalMs: INTERVAL_MS,
    flushEveryMs: 1000,
    now: () => performance.now(),
    onFlush: (s) => (samples += s.length),
  });
  poller.start();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  await poller.stop();
  const used = process.cpuUsage(before);
  const wallMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the children be reaped
  return {
    label,
    cpuPct: ((used.user + used.system) / 1000 / wallMs) * 100,
    childCpuS: childrenCpuS() - childBefore,
    samples,
  };
}

/** The naive way: one nvidia-smi process per sample. */
class ProcessPerSampleNvidia implements Sampler {
  readonly source = 'nvidia' as const;
  private busy = false;
  probe() {
    return Promise.resolve({ available: true as const, channels: [] });
  }
  start() {
    return Promise.resolve();
  }
  poll(nowMs: number) {
    if (this.busy) return Promise.resolve({ samples: [], errors: [] });
    this.busy = true;
    return new Promise<{ samples: never[]; errors: never[] }>((resolve) => {
      const child = spawn('nvidia-smi', ['--query-gpu=index,power.draw', '--format=csv,noheader,nounits'], {
        env: ENV,
      });
      child.stdout.resume();
      child.on('close', () => {
        this.busy = false;
        void nowMs;
        resolve({ samples: [], errors: [] });
      });
    });
  }
  stop() {
    return Promise.resolve();
  }
}

/** Polled and reads nothing: the cost of the 10 Hz tick alone. */
class IdleSampler implements Sampler {
  readonly source = 'cpu-load' as const;
  probe() {
    return Promise.resolve({ available: true as const, channels: [] });
  }
  start() {
    return Promise.resolve();
  }
  poll() {
    return Promise.resolve({ samples: [], errors: [] });
  }
  stop() {
    return Promise.resolve();
  }
}

/** One sysfs root holding both fixture trees (AMD hwmon under class/drm, RAPL under class/powercap). */
function combinedSysRoot(): string {
  const root = mkdtempSync(join(tmpdir(), 'costbench-sys-'));
  cpSync(join(FIXTURES, 'sys-amd', 'dgpu', 'class', 'drm'), join(root, 'class', 'drm'), { recursive: true });
  cpSync(join(FIXTURES, 'sys-rapl', 'intel-desktop', 'class', 'powercap'), join(root, 'class', 'powercap'), {
    recursive: true,
  });
  return root;
}

async function main(): Promise<void> {
  const shelly = await startShelly();
  const sysRoot = combinedSysRoot();
  const telemetry = configSchema.parse({
    telemetry: { meters: [{ kind: 'shelly', host: shelly.url }], cpuTdpW: 65 },
  }).telemetry;
  const io = {
    env: ENV,
    sysRoot,
    procRoot: '/proc',
    now: () => performance.now(),
    platform: 'darwin' as const,
  };
  // Fresh samplers for each measurement: a stopped sampler is not restarted.
  const probeFresh = async () => {
    const probed = await probeAll([...buildSamplers(telemetry, io), buildEstimateSampler(telemetry, io)]);
    const unavailable = probed.filter((p) => !p.probe.available).map((p) => p.name);
    if (unavailable.length > 0) throw new Error(`fixture sources unavailable: ${unavailable.join(', ')}`);
    return probed;
  };
  const plan = planSamplers(await probeFresh());
  const chosen = plan.available.map((p) => ({ sampler: p.sampler, periodMs: p.periodMs }));
  const everything = (await probeFresh()).map((p) => ({
    sampler: p.sampler,
    periodMs: telemetry.intervalMs,
  }));
  console.log(`sampler overhead: ${SECONDS} s at ${1000 / INTERVAL_MS} Hz, node ${process.version}`);
  console.log(
    `costbench starts: ${plan.available.map((p) => `${p.name}@${p.periodMs}ms`).join(', ')}; skips ${plan.skipped.map((s) => `${s.name} (${s.why})`).join(', ')}`,
  );
  try {
    // What real machines start: pushed readings (nvidia-smi, powermetrics) are drained once a second,
    // so only file-read power sources (RAPL, hwmon) keep the 10 Hz tick.
    const machines: { label: string; names: string[] }[] = [
      { label: 'Linux + NVIDIA, not root (smi, load, est.)', names: ['nvidia-smi', 'cpu-load', 'estimate'] },
      { label: 'Linux + NVIDIA, root (smi, RAPL, load)', names: ['nvidia-smi', 'rapl', 'cpu-load'] },
      { label: 'Linux + AMD GPU (hwmon, RAPL, load)', names: ['hwmon', 'rapl', 'cpu-load'] },
      { label: 'macOS (powermetrics)', names: ['powermetrics'] },
    ];
    const results = [];
    for (const m of machines) {
      const set = (await probeFresh())
        .filter((p) => m.names.includes(p.name))
        .map((p) => ({ sampler: p.sampler, periodMs: p.periodMs }));
      results.push(await measure(m.label, set));
    }
    results.push(
      await measure('every fixture source a run would start', chosen),
      await measure('every fixture source, all at 10 Hz', everything),
      await measure('naive: one nvidia-smi process per sample', [
        { sampler: new ProcessPerSampleNvidia(), periodMs: INTERVAL_MS },
      ]),
      await measure('a bare 100 ms timer, no source', [
        { sampler: new IdleSampler(), periodMs: INTERVAL_MS },
      ]),
    );
    for (const r of results) {
      console.log(
        `${r.label.padEnd(46)} ${r.cpuPct.toFixed(3).padStart(7)}% of one core (this process)   children ${r.childCpuS.toFixed(2)} CPU-s   ${r.samples} samples`,
      );
    }
    console.log(JSON.stringify({ seconds: SECONDS, intervalMs: INTERVAL_MS, results }));
  } finally {
    shelly.child.kill();
    rmSync(sysRoot, { recursive: true, force: true });
  }
}

await main();
