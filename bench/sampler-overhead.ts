/**
 * Sampler overhead: CPU time of costbench's whole telemetry path for --seconds, as % of one core,
 * for the sets of sources real machines have, beside a baseline with no source. Every measurement
 * also runs a 20/s "request edge" timer that calls the poller's boundary(), as a run does at each
 * request's start and end (10 requests/s): counter sources (NVML, RAPL) are read there, and the
 * baseline has the same timer, so "above baseline" is what telemetry adds to a run.
 * Target (issue 18): NVML counters at the edges with 1 Hz pictures under 0.1% of a core above it.
 *
 * Sources: the fake libnvidia-ml.so.1 (test/support/fake-nvml, built here with cc, 2 GPUs), fake
 * nvidia-smi, amd-smi, rocm-smi and powermetrics executables, hwmon and RAPL fixture sysfs trees,
 * a Shelly plug served by another process, /proc/stat, the CPU estimate.
 *
 * "this process" is the process's CPU time from /proc/self/task/<tid>/schedstat (ns) summed over
 * its threads, less the fake NVML's own counter thread ("fake-nvml-tick", which stands for the
 * GPU's firmware: the real library runs no such thread in the caller). The long-lived sensor
 * tools run as child processes; their CPU is reported apart (from /proc/self/stat cutime+cstime,
 * read after they exit). The fakes are Node scripts, so their own cost says nothing about the real
 * tools; the count of processes started does.
 *
 * The headline (NVML path above the baseline), at each of --edge-rates (default 2 and 20 edges/s),
 * alternates baseline and NVML measurements for --rounds rounds, the order flipped each round, after a short warm-up of each, and takes the median
 * of the per-round differences: other work on the machine moves single measurements by more than
 * the 0.1% being measured.
 *
 *   npm run bench:sampler [-- --seconds 20 --rounds 3 --edge-rates 2,20]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { configSchema } from '../src/config/schema.js';
import { buildEstimateSampler, buildSamplers, probeAll } from '../src/telemetry/build.js';
import { Poller, type ScheduledSampler } from '../src/telemetry/poller.js';
import type { Sampler } from '../src/telemetry/sampler.js';
import { planSamplers } from '../src/telemetry/session.js';
import { buildFakeNvml } from '../test/support/fake-nvml/build.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    'edge-rates': { type: 'string', default: '2,20' },
  },
});
const SECONDS = Number(values.seconds);
/** Rounds of baseline and NVML, alternating, for the headline figure (the median of their differences). */
const ROUNDS = Number(values.rounds);
const INTERVAL_MS = 100;
/** Request edges per second (a start and an end per request: 10 requests/s). */
const EDGES_PER_S = 20;
/** Edge rates of the headline: 2/s is a request a second (a short local answer); 20/s is 10 a second. */
const EDGE_RATES = (values['edge-rates'] ?? '2,20').split(',').map(Number);
/** The fake NVML's counter thread: left out of this process's CPU (see the header). */
const FAKE_THREAD = 'fake-nvml-tick';
const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures');
const ENV = {
  ...process.env,
  PATH: `${join(FIXTURES, 'bin')}:${join(FIXTURES, 'bin-apple')}:${process.env['PATH'] ?? ''}`,
};

/** CPU seconds of this process's threads (schedstat, ns), the fake NVML's thread apart. */
function threadsCpuS(): { ownS: number; fakeS: number } {
  let ownS = 0;
  let fakeS = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const ns = Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
      const comm = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      if (comm === FAKE_THREAD) fakeS += ns / 1e9;
      else ownS += ns / 1e9;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return { ownS, fakeS };
}

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

function measure(label: string, samplers: ScheduledSampler[], edgesPerS = EDGES_PER_S) {
  return measureFor(SECONDS, label, samplers, edgesPerS);
}

async function measureFor(
  seconds: number,
  label: string,
  samplers: ScheduledSampler[],
  edgesPerS = EDGES_PER_S,
): Promise<{ label: string; cpuPct: number; fakeNvmlCpuPct: number; childCpuS: number; samples: number }> {
  for (const { sampler } of samplers) await sampler.start();
  let samples = 0;
  const poller = new Poller({
    samplers,
    intervalMs: INTERVAL_MS,
    flushEveryMs: 1000,
    now: () => performance.now(),
    onFlush: (s) => (samples += s.length),
  });
  const childBefore = childrenCpuS();
  const before = threadsCpuS();
  const started = performance.now();
  poller.start();
  const edges = setInterval(() => poller.boundary(), 1000 / edgesPerS);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(edges);
  // Read before stop: the fake's thread ends at nvmlShutdown, and stop's last poll is a one-off.
  const after = threadsCpuS();
  const wallMs = performance.now() - started;
  await poller.stop();
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the children be reaped
  return {
    label,
    cpuPct: ((after.ownS - before.ownS) * 1000 * 100) / wallMs,
    fakeNvmlCpuPct: ((after.fakeS - before.fakeS) * 1000 * 100) / wallMs,
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
  const fake = buildFakeNvml();
  if (!fake.ok) throw new Error(fake.reason);
  const shelly = await startShelly();
  const sysRoot = combinedSysRoot();
  const telemetry = configSchema.parse({
    telemetry: { meters: [{ kind: 'shelly', host: shelly.url }], cpuTdpW: 65 },
  }).telemetry;
  const io = (env: NodeJS.ProcessEnv) => ({
    env,
    sysRoot,
    procRoot: '/proc',
    now: () => performance.now(),
    platform: 'darwin' as const,
  });
  const withNvml = { ...ENV, COSTBENCH_NVML_LIB: fake.path, FAKE_NVML_GPUS: '2' };
  const withoutNvml = { ...ENV, COSTBENCH_NVML_LIB: 'none' };
  // Fresh samplers for each measurement: a stopped sampler is not restarted.
  const probeFresh = async (env: NodeJS.ProcessEnv) => {
    const probed = await probeAll([
      ...buildSamplers(telemetry, io(env)),
      buildEstimateSampler(telemetry, io(env)),
    ]);
    const needed = env === withNvml ? ['nvml'] : ['nvidia-smi'];
    const unavailable = probed
      .filter((p) => !p.probe.available && (needed.includes(p.name) || !p.name.startsWith('nv')))
      .map((p) => p.name);
    if (unavailable.length > 0) throw new Error(`fixture sources unavailable: ${unavailable.join(', ')}`);
    return probed;
  };
  const pick = async (env: NodeJS.ProcessEnv, names: readonly string[]) =>
    (await probeFresh(env))
      .filter((p) => names.includes(p.name))
      .map((p) => ({ sampler: p.sampler, periodMs: p.periodMs }));
  const plan = planSamplers(await probeFresh(withoutNvml));
  const chosen = plan.available.map((p) => ({ sampler: p.sampler, periodMs: p.periodMs }));
  const everything = (await probeFresh(withoutNvml)).map((p) => ({
    sampler: p.sampler,
    periodMs: telemetry.intervalMs,
  }));
  console.log(
    `sampler overhead: ${SECONDS} s each, poller interval ${INTERVAL_MS} ms, pictures every ${telemetry.pictureIntervalMs} ms, ${EDGES_PER_S} request edges/s, node ${process.version}`,
  );
  console.log(
    `costbench starts (no NVML): ${plan.available.map((p) => `${p.name}@${p.periodMs}ms`).join(', ')}; skips ${plan.skipped.map((s) => `${s.name} (${s.why})`).join(', ')}`,
  );
  try {
    const nvmlNames = ['nvml', 'cpu-load', 'estimate'];
    const nvmlLabel = 'Linux + NVIDIA, NVML (nvml, load, est.)';
    const baseLabel = 'baseline: no source, the edge timer only';
    // Warm-up (JIT, first reads), not counted.
    await measureFor(2, baseLabel, []);
    await measureFor(2, nvmlLabel, await pick(withNvml, nvmlNames));
    const rounds: { edgesPerS: number; baseline: number; nvml: number }[] = [];
    for (const edgesPerS of EDGE_RATES) {
      for (let r = 0; r < ROUNDS; r++) {
        const base = async () => (await measure(baseLabel, [], edgesPerS)).cpuPct;
        const nvml = async () =>
          (await measure(nvmlLabel, await pick(withNvml, nvmlNames), edgesPerS)).cpuPct;
        if (r % 2 === 0) {
          const b = await base();
          rounds.push({ edgesPerS, baseline: b, nvml: await nvml() });
        } else {
          const n = await nvml();
          rounds.push({ edgesPerS, baseline: await base(), nvml: n });
        }
      }
    }
    const results = [await measure(baseLabel, [])];
    // What real machines start. NVML and RAPL are counters read at every edge and polled for the
    // charts (pictureIntervalMs); pushed readings (nvidia-smi, powermetrics) are drained once a
    // second; hwmon power is sampled at the power interval.
    const machines: { label: string; env: NodeJS.ProcessEnv; names: string[] }[] = [
      {
        label: 'Linux + NVIDIA, NVML (nvml, load, est.)',
        env: withNvml,
        names: ['nvml', 'cpu-load', 'estimate'],
      },
      {
        label: 'Linux + NVIDIA, NVML, root (nvml, RAPL, load)',
        env: withNvml,
        names: ['nvml', 'rapl', 'cpu-load'],
      },
      {
        label: 'Linux + NVIDIA, nvidia-smi (smi, load, est.)',
        env: withoutNvml,
        names: ['nvidia-smi', 'cpu-load', 'estimate'],
      },
      {
        label: 'Linux + AMD GPU (hwmon, RAPL, load)',
        env: withoutNvml,
        names: ['hwmon', 'rapl', 'cpu-load'],
      },
      { label: 'macOS (powermetrics)', env: withoutNvml, names: ['powermetrics'] },
    ];
    for (const m of machines) results.push(await measure(m.label, await pick(m.env, m.names)));
    results.push(
      await measure('every fixture source a run would start', chosen),
      await measure('every fixture source, all at 10 Hz', everything),
      await measure('naive: one nvidia-smi process per sample', [
        { sampler: new ProcessPerSampleNvidia(), periodMs: INTERVAL_MS },
      ]),
    );
    const baseline = results[0]?.cpuPct ?? 0;
    for (const r of results) {
      const above = r === results[0] ? '' : `  (+${(r.cpuPct - baseline).toFixed(3)} above baseline)`;
      const fakeThread =
        r.fakeNvmlCpuPct > 0 ? `  fake NVML thread ${r.fakeNvmlCpuPct.toFixed(3)}%, left out` : '';
      console.log(
        `${r.label.padEnd(46)} ${r.cpuPct.toFixed(3).padStart(7)}% of one core${above}   children ${r.childCpuS.toFixed(2)} CPU-s   ${r.samples} samples${fakeThread}`,
      );
    }
    for (const edgesPerS of EDGE_RATES) {
      const mine = rounds.filter((r) => r.edgesPerS === edgesPerS);
      const differences = mine.map((r) => r.nvml - r.baseline).sort((a, b) => a - b);
      const median = differences[Math.floor(differences.length / 2)] ?? NaN;
      console.log(
        `${edgesPerS} edges/s, rounds (baseline, NVML, difference; % of one core): ${mine.map((r) => `${r.baseline.toFixed(3)} ${r.nvml.toFixed(3)} ${(r.nvml - r.baseline).toFixed(3)}`).join(' | ')}`,
      );
      console.log(
        `NVML counters at ${edgesPerS} edges/s + ${telemetry.pictureIntervalMs} ms pictures (nvml, cpu-load, estimate): median ${median.toFixed(3)}% of one core above the baseline over ${mine.length} rounds of ${SECONDS} s (target < 0.1%: ${median < 0.1 ? 'met' : 'not met'})`,
      );
    }
    console.log(
      JSON.stringify({ seconds: SECONDS, intervalMs: INTERVAL_MS, edgesPerS: EDGES_PER_S, rounds, results }),
    );
  } finally {
    shelly.child.kill();
    rmSync(sysRoot, { recursive: true, force: true });
    fake.remove();
  }
}

await main();
