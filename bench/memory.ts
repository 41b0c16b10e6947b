/**
 * Memory over a long run: the real CLI (`costbench run`, in its own process) sends --requests
 * short requests, one at a time, to the fake Ollama (in another process: 8 output tokens, no
 * pacing worth the name) while polling the fake nvidia-smi at 10 Hz, and this bench reads the
 * CLI's resident memory (VmRSS in /proc/<pid>/status) every second. Progress comes from the
 * CLI's plain stderr lines ("N/TOTAL ...").
 *
 *   - baseline: RSS once 5% of the requests, and at least 10,000, are done (half the run at most).
 *     V8 keeps growing its young and old generations for the first several thousand requests at
 *     this rate (RSS goes from about 150 to 270 MB); a baseline taken before that counts heap
 *     sizing as growth;
 *   - end: RSS when the last request is done, before the report is computed;
 *   - growth = end - baseline, target under TARGET_GROWTH_MB; a least-squares slope of RSS over
 *     the requests in between (MB per 10k requests) says whether the growth is a trend or GC noise;
 *   - peak: the kernel's high-water mark (VmHWM), report included.
 * Afterwards the database is opened to check one row per request and to give its size.
 * Expected, bounded growth: SQLite's page cache (better-sqlite3 builds with cache_size -16000, so
 * up to 16 MB) fills as the database grows, about 2 MB per 10k requests until it is full.
 * Linux only (/proc).
 *
 *   npm run bench:memory [-- --requests 100000 --tasks 100]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { spawnFakeServer } from './fake-server-process.js';

/** Share of the requests run before the baseline reading, and the least number of them. */
const WARM_SHARE = 0.05;
const MIN_WARM_REQUESTS = 10_000;
/** Pass when the CLI's RSS grows less than this between the baseline and the end. */
const TARGET_GROWTH_MB = 20;
const SAMPLE_EVERY_MS = 1_000;
const ROOT = join(import.meta.dirname, '..', '..');
const DIST = join(import.meta.dirname, '..');

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    tasks: { type: 'string', default: '100' },
  },
});
const TASKS = Number(values.tasks);
const REPEAT = Math.max(1, Math.ceil(Number(values.requests) / TASKS));
const REQUESTS = TASKS * REPEAT;
const WARM_REQUESTS = Math.min(
  Math.max(Math.ceil(REQUESTS * WARM_SHARE), MIN_WARM_REQUESTS),
  Math.floor(REQUESTS / 2),
);

interface RssSample {
  tS: number;
  done: number;
  rssMB: number;
}

interface CliRun {
  exitCode: number | null;
  samples: RssSample[];
  baseline: RssSample | null;
  end: RssSample | null;
  peakMB: number;
  /** Seconds from the start of the measured requests to the last one done. */
  requestsS: number;
  done: number;
  stderrTail: string[];
}

/** A suite of short one-word tasks and a config sampling only nvidia at 10 Hz; returns their paths. */
function writeInputs(dir: string): { suite: string; config: string } {
  const tasks = Array.from({ length: TASKS }, (_, i) => ({
    id: `t-${i}`,
    prompt: `Is ${i} even? Answer yes or no.`,
    expected: [i % 2 === 0 ? 'yes' : 'no'],
  }));
  const suite = {
    id: 'memory-bench',
    version: '1',
    description: 'Short tasks for the memory benchmark.',
    options: { temperature: 0, seed: 42, numPredict: 8 },
    check: { type: 'one-of' },
    tasks,
  };
  const config = { telemetry: { sources: ['nvidia'], intervalMs: 100, idleBaselineS: 0 } };
  writeFileSync(join(dir, 'suite.json'), JSON.stringify(suite));
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  return { suite: join(dir, 'suite.json'), config: join(dir, 'config.json') };
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const script = join(DIST, 'test', 'support', 'fake-ollama-cli.js');
  const args = [
    '--port',
    '0',
    '--gen-rate',
    '100000',
    '--prompt-rate',
    '1000000',
    '--load-ms',
    '0',
    '--output-tokens',
    '8',
  ];
  return spawnFakeServer(script, args);
}

/** VmRSS and VmHWM of a live process in MB (10^6 bytes), or null once it is gone. */
function readRss(pid: number): { rssMB: number; hwmMB: number } | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const kib = (field: string): number =>
    Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  const rssKiB = kib('VmRSS');
  if (!Number.isFinite(rssKiB)) return null; // a zombie has no memory lines
  return { rssMB: (rssKiB * 1024) / 1e6, hwmMB: (kib('VmHWM') * 1024) / 1e6 };
}

/** Runs `costbench run` to the end, reading its RSS every second and at the baseline and end points. */
async function runCli(url: string, dir: string, inputs: { suite: string; config: string }): Promise<CliRun> {
  const args = [
    join(DIST, 'src', 'cli', 'main.js'),
    'run',
    '--suite',
    inputs.suite,
    '--repeat',
    String(REPEAT),
    '--idle',
    '0',
    '--db',
    join(dir, 'bench.db'),
    '--host',
    url,
    '--config',
    inputs.config,
  ];
  const env = {
    ...process.env,
    PATH: `${join(ROOT, 'test', 'fixtures', 'bin')}:${process.env['PATH'] ?? ''}`,
  };
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the CLI did not start');
  const run: CliRun = {
    exitCode: null,
    samples: [],
    baseline: null,
    end: null,
    peakMB: 0,
    requestsS: NaN,
    done: 0,
    stderrTail: [],
  };
  let levelStart = NaN;
  const sample = (): RssSample | null => {
    const rss = readRss(pid);
    if (rss === null) return null;
    run.peakMB = Math.max(run.peakMB, rss.hwmMB);
    const s = { tS: (performance.now() - started) / 1000, done: run.done, rssMB: rss.rssMB };
    run.samples.push(s);
    return s;
  };
  const timer = setInterval(sample, SAMPLE_EVERY_MS);
  createInterface({ input: child.stderr }).on('line', (line) => {
    const progress = /^(\d+)\/(\d+) /.exec(line);
    if (progress === null) {
      if (line.startsWith('concurrency ')) levelStart = performance.now();
      run.stderrTail = [...run.stderrTail, line].slice(-20);
      return;
    }
    run.done = Number(progress[1]);
    if (run.baseline === null && run.done >= WARM_REQUESTS) run.baseline = sample();
    if (run.done === REQUESTS) {
      run.end = sample();
      run.requestsS = (performance.now() - levelStart) / 1000;
    }
  });
  run.exitCode = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  clearInterval(timer);
  return run;
}

/** Least-squares slope of RSS over requests done, in MB per 10k requests, between the baseline and the end. */
function slopeMBPer10k(samples: readonly RssSample[], from: number, to: number): number | null {
  const xs = samples.filter((s) => s.done >= from && s.done <= to);
  if (xs.length < 3) return null;
  const meanX = xs.reduce((a, s) => a + s.done, 0) / xs.length;
  const meanY = xs.reduce((a, s) => a + s.rssMB, 0) / xs.length;
  const sxy = xs.reduce((a, s) => a + (s.done - meanX) * (s.rssMB - meanY), 0);
  const sxx = xs.reduce((a, s) => a + (s.done - meanX) ** 2, 0);
  return sxx === 0 ? null : (sxy / sxx) * 10_000;
}

/** Rows the run left in the database, and the database's size on disk (with its WAL, if any). */
function readDb(path: string): { requestRows: number; okRows: number; sampleRows: number; sizeMB: number } {
  const db = new Database(path, { readonly: true });
  try {
    const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
    const size = (p: string): number => (existsSync(p) ? statSync(p).size : 0);
    return {
      requestRows: count('SELECT count(*) AS n FROM requests'),
      okRows: count("SELECT count(*) AS n FROM requests WHERE state = 'ok'"),
      sampleRows: count('SELECT count(*) AS n FROM samples'),
      sizeMB: (size(path) + size(`${path}-wal`)) / 1e6,
    };
  } finally {
    db.close();
  }
}

/** The RSS trace at about ten evenly spaced points, for the table. */
function trace(samples: readonly RssSample[]): RssSample[] {
  const step = Math.max(1, Math.floor(samples.length / 10));
  return samples.filter((_, i) => i % step === 0 || i === samples.length - 1);
}

function report(run: CliRun, dbPath: string): void {
  const f = (n: number | null | undefined, d = 1): string =>
    n === null || n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(d);
  const db = readDb(dbPath);
  const growthMB = run.baseline !== null && run.end !== null ? run.end.rssMB - run.baseline.rssMB : null;
  const measured = run.end === null ? run.samples : run.samples.slice(0, run.samples.indexOf(run.end) + 1); // not the report's
  const slope = slopeMBPer10k(measured, run.baseline?.done ?? 0, REQUESTS);
  const requestsPerS = REQUESTS / run.requestsS;
  const pass =
    growthMB !== null && growthMB < TARGET_GROWTH_MB && run.exitCode === 0 && db.requestRows === REQUESTS;
  console.log('   time s     done   RSS MB');
  for (const s of trace(run.samples))
    console.log(`${f(s.tS).padStart(9)} ${String(s.done).padStart(8)} ${f(s.rssMB).padStart(8)}`);
  console.log(
    `exit ${run.exitCode}; ${REQUESTS} requests in ${f(run.requestsS)} s: ${f(requestsPerS, 0)} requests/s`,
  );
  console.log(
    `RSS MB: baseline ${f(run.baseline?.rssMB)} (at ${run.baseline?.done ?? '—'} done), end ${f(run.end?.rssMB)}, growth ${f(growthMB)} (target < ${TARGET_GROWTH_MB}), trend ${f(slope, 2)} per 10k requests, peak ${f(run.peakMB)} (VmHWM, report included)`,
  );
  console.log(
    `DB: ${db.requestRows} request rows (${db.okRows} ok; expected ${REQUESTS}), ${db.sampleRows} power samples, ${f(db.sizeMB)} MB`,
  );
  console.log(pass ? 'PASS' : `FAIL${run.exitCode === 0 ? '' : `\n${run.stderrTail.join('\n')}`}`);
  console.log(
    JSON.stringify({
      requests: REQUESTS,
      tasks: TASKS,
      repeat: REPEAT,
      exitCode: run.exitCode,
      requestsS: run.requestsS,
      requestsPerS,
      baselineRssMB: run.baseline?.rssMB ?? null,
      baselineDone: run.baseline?.done ?? null,
      endRssMB: run.end?.rssMB ?? null,
      growthMB,
      slopeMBPer10kRequests: slope,
      peakRssMB: run.peakMB,
      targetGrowthMB: TARGET_GROWTH_MB,
      ...db,
      pass,
      samples: run.samples,
    }),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'costbench-bench-'));
  const { url, child } = await startServer();
  try {
    console.log(
      `memory: ${REQUESTS} requests (${TASKS} tasks x ${REPEAT}), telemetry at 10 Hz from the fake nvidia-smi; node ${process.version}`,
    );
    const run = await runCli(url, dir, writeInputs(dir));
    report(run, join(dir, 'bench.db'));
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
