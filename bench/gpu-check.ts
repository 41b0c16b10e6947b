/**
 * Issue 18 "On a real GPU": idle / busy / idle steps, each GPU's NVML energy counter read at the
 * step edges beside nvidia-smi's power.draw.instant and power.draw (one `-lms` stream, lines
 * stamped on arrival) and NVML's own power, integrated over each step. Prints, per step and GPU:
 * counter energy vs the integrated samples, the idle power, the counter's update period, and
 * whether nvidia-smi writes each line into a pipe as it is made (or in blocks).
 * Runs from the bundle (bench/gpu-bundle.sh, bench/gpu-check.sh); here, on the fakes:
 *
 *   COSTBENCH_NVML_LIB=<fake .so.1> PATH=test/fixtures/bin:$PATH node dist/bench/gpu-check.js --busy-cmd 'sleep 2'
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { NvmlSampler } from '../src/telemetry/nvml/sampler.js';
import type { NvmlCounterReading } from '../src/telemetry/nvml/sampler.js';

const { values } = parseArgs({
  options: {
    'idle-s': { type: 'string', default: '20' },
    'busy-s': { type: 'string', default: '20' },
    'smi-ms': { type: 'string', default: '100' },
    'busy-cmd': { type: 'string' },
    out: { type: 'string', default: 'gpu-check-result.json' },
  },
});
const IDLE_S = Number(values['idle-s']);
const BUSY_S = Number(values['busy-s']);
const SMI_MS = Number(values['smi-ms']);
/** A matmul loop on cuda:0; says "ready" once CUDA is up, so the busy step leaves its start-up out. */
const TORCH_LOOP =
  'import sys,time,torch\n' +
  'a=torch.randn(8192,8192,device="cuda");b=a@a;torch.cuda.synchronize();print("ready",flush=True)\n' +
  'end=time.time()+float(sys.argv[1])+5\n' +
  'while time.time()<end:\n  b=a@a\n  torch.cuda.synchronize()\n';
const READY_TIMEOUT_MS = 120_000;

interface Point {
  tMs: number;
  w: number;
}
interface Step {
  name: string;
  t0: number;
  t1: number;
  start: NvmlCounterReading[];
  end: NvmlCounterReading[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Energy (J) over [t0, t1] from power points: trapezoid inside, the nearest reading held to each edge. */
function integrateJ(points: readonly Point[], t0: number, t1: number): number | null {
  const inside = points.filter((p) => p.tMs >= t0 && p.tMs <= t1);
  if (inside.length === 0) return null;
  const first = inside[0] as Point;
  const last = inside[inside.length - 1] as Point;
  let j = first.w * (first.tMs - t0) + last.w * (t1 - last.tMs);
  for (let i = 1; i < inside.length; i++) {
    const [a, b] = [inside[i - 1] as Point, inside[i] as Point];
    j += ((a.w + b.w) / 2) * (b.tMs - a.tMs);
  }
  return j / 1000;
}

/** One nvidia-smi stream; each line stamped when it arrives. */
function startSmi(fields: string[], onLine: (tMs: number, cells: string[]) => void): ChildProcess {
  const child = spawn(
    'nvidia-smi',
    [`--query-gpu=${fields.join(',')}`, '--format=csv,noheader,nounits', '-lms', String(SMI_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  if (child.stdout !== null)
    createInterface({ input: child.stdout }).on('line', (line) =>
      onLine(
        performance.now(),
        line.split(',').map((c) => c.trim()),
      ),
    );
  return child;
}

async function instantSupported(): Promise<boolean> {
  const child = spawn('nvidia-smi', ['--help-query-gpu'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let text = '';
  child.stdout.on('data', (d: Buffer) => (text += d.toString()));
  await new Promise((resolve) => child.on('close', resolve));
  return text.includes('"power.draw.instant"');
}

/** Whether lines came one by one (about the -lms period apart) or in bursts (a block-buffered pipe). */
function flushVerdict(arrivals: readonly number[]): string {
  const gaps = arrivals
    .slice(1)
    .map((t, i) => t - (arrivals[i] ?? t))
    .sort((a, b) => a - b);
  if (gaps.length < 5) return `too few lines (${arrivals.length}) to tell`;
  const median = gaps[Math.floor(gaps.length / 2)] ?? 0;
  const bursts = gaps.filter((g) => g < 5).length / gaps.length;
  const verdict =
    median >= SMI_MS / 2 && bursts < 0.1
      ? 'flushes each line into the pipe'
      : 'writes in blocks (buffered) into the pipe';
  return `${verdict}: median gap ${median.toFixed(1)} ms between one GPU's lines, ${(bursts * 100).toFixed(0)}% under 5 ms`;
}

/** Starts the busy command; with the default loop, resolves once it says "ready" (CUDA up). */
async function startBusy(cmd: string, waitReady: boolean): Promise<ChildProcess> {
  const child = spawn('sh', ['-c', cmd], { stdio: ['ignore', waitReady ? 'pipe' : 'inherit', 'inherit'] });
  if (!waitReady || child.stdout === null) return child;
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, READY_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    lines.on('line', (line) => (line.trim() === 'ready' ? done() : console.log(line)));
    child.on('exit', done);
  });
  return child;
}

async function runStep(
  name: string,
  seconds: number,
  nvml: NvmlSampler,
  busy: ChildProcess | null,
): Promise<Step> {
  const t0 = performance.now();
  const start = nvml.readNow({ record: false });
  await sleep(seconds * 1000);
  const end = nvml.readNow({ record: false });
  const t1 = performance.now();
  busy?.kill('SIGTERM');
  return { name, t0, t1, start, end };
}

async function main(): Promise<void> {
  const nvml = new NvmlSampler({ intervalMs: 100 });
  const probe = await nvml.probe();
  if (!probe.available) throw new Error(`NVML: ${probe.reason}`);
  for (const c of probe.channels) {
    console.log(
      `${c.key} ${c.device}: ${c.kind}, counter period ${String(c.detail['counterPeriodMs'])} ms, library ${nvml.library}`,
    );
  }
  const instant = await instantSupported();
  const fields = ['index', 'power.draw', ...(instant ? ['power.draw.instant'] : [])];
  const smi: Record<string, Point[]> = {};
  const arrivals = new Map<string, number[]>();
  const proc = startSmi(fields, (tMs, cells) => {
    const gpu = cells[0] ?? '?';
    (arrivals.get(gpu) ?? arrivals.set(gpu, []).get(gpu))?.push(tMs);
    fields.slice(1).forEach((field, i) => {
      const w = Number(cells[i + 1]);
      if (Number.isFinite(w)) (smi[`${gpu}/${field}`] ??= []).push({ tMs, w });
    });
  });
  await nvml.start();
  const nvmlPower: Record<string, Point[]> = {};
  const timer = setInterval(() => {
    void nvml.poll(performance.now()).then(({ samples }) => {
      for (const s of samples)
        if (s.powerW !== null) (nvmlPower[s.channelKey] ??= []).push({ tMs: s.tMs, w: s.powerW });
    });
  }, SMI_MS);
  await sleep(1500); // let nvidia-smi's first lines arrive before the first step
  const custom = values['busy-cmd'];
  const steps = [await runStep('idle-before', IDLE_S, nvml, null)];
  // exec: the kill at the step's end reaches python itself, not only the shell.
  const busy = await startBusy(custom ?? `exec python3 -c '${TORCH_LOOP}' ${BUSY_S}`, custom === undefined);
  steps.push(await runStep('busy', BUSY_S, nvml, busy));
  steps.push(await runStep('idle-after', IDLE_S, nvml, null));
  clearInterval(timer);
  await nvml.stop();
  proc.kill('SIGTERM');

  const rows = steps.flatMap((step) =>
    step.end.map((end) => {
      const gpu = end.channelKey.split(':')[1] ?? '0';
      const start = step.start.find((r) => r.channelKey === end.channelKey);
      const counterJ = start?.energyJ != null && end.energyJ !== null ? end.energyJ - start.energyJ : null;
      const seconds = (step.t1 - step.t0) / 1000;
      const integrated = (points: Point[] | undefined): number | null =>
        integrateJ(points ?? [], step.t0, step.t1);
      return {
        step: step.name,
        gpu: end.channelKey,
        seconds,
        counterJ,
        counterW: counterJ === null ? null : counterJ / seconds,
        nvmlPowerJ: integrated(nvmlPower[end.channelKey]),
        smiDrawJ: integrated(smi[`${gpu}/power.draw`]),
        smiInstantJ: instant ? integrated(smi[`${gpu}/power.draw.instant`]) : null,
      };
    }),
  );
  const fmt = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(1));
  console.log(
    'step         gpu       s      counter J  counter W  nvml power J  smi power.draw J  smi instant J',
  );
  for (const r of rows) {
    console.log(
      [
        r.step.padEnd(12),
        r.gpu.padEnd(9),
        r.seconds.toFixed(1).padStart(5),
        fmt(r.counterJ).padStart(10),
        fmt(r.counterW).padStart(10),
        fmt(r.nvmlPowerJ).padStart(13),
        fmt(r.smiDrawJ).padStart(17),
        fmt(r.smiInstantJ).padStart(14),
      ].join(' '),
    );
  }
  const idle = rows
    .filter((r) => r.step.startsWith('idle') && r.counterW !== null)
    .map((r) => `${r.gpu} ${r.step} ${fmt(r.counterW)} W`);
  console.log(`idle power (counter): ${idle.join(', ')}`);
  const flush = [...arrivals].map(([gpu, times]) => `GPU ${gpu}: ${flushVerdict(times)}`);
  console.log(`nvidia-smi -lms ${SMI_MS} into a pipe: ${flush.join('; ')}`);
  writeFileSync(
    values.out,
    JSON.stringify({ channels: probe.channels, rows, idle, flush, instant }, null, 2),
  );
  console.log(`written: ${values.out}`);
}

await main();
