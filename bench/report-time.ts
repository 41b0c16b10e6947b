/**
 * Report time on a year of nightly runs: builds a synthetic database with the real migrations
 * (--runs nightly runs of --requests requests, --samples telemetry samples each), then times
 * `report latest` (table, json, html), `runs` and `cost latest` in-process through main(), and
 * `report latest` once in a fresh process (start-up included). Targets: the table under 1 s,
 * HTML under 3 s (median of the in-process repetitions). When one fails, or with --profile,
 * it times each step of a report and prints the hottest functions of a --cpu-prof child.
 *
 * Samples per run are split 10:1 between an NVIDIA GPU sampled at 10 Hz and a RAPL package
 * counter read at 1 Hz, so 36,000 samples = 32,727 + 3,273 over a 54.5-minute run.
 *
 *   npm run bench:report [-- --runs 365 --requests 500 --samples 36000 --repeat 5 --keep year.db --profile]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { main } from '../src/cli/main.js';
import type { CliIo } from '../src/cli/io.js';
import { loadConfig } from '../src/config/load.js';
import { configSchema } from '../src/config/schema.js';
import { computeEnergySummary } from '../src/analysis/energy-summary.js';
import { formatRunTable } from '../src/report/format-table.js';
import { htmlSeriesOf } from '../src/report/html/series.js';
import { renderHtmlReport } from '../src/cli/html-report.js';
import { analyzeRun } from '../src/analysis/analyze-run.js';
import { analysisSettingsOf, readAnalysisTables } from '../src/cli/run-analysis.js';
import { readRunRecord } from '../src/store/run-record.js';
import { openDb, type Db } from '../src/store/db.js';
import { insertMachine, insertModel } from '../src/store/inventory.js';
import { insertRequest, insertWarmup, listRequests, type RequestRow } from '../src/store/requests.js';
import { finishRun, getRun, insertRun } from '../src/store/runs.js';
import {
  insertChannel,
  insertPhase,
  insertSource,
  insertTelemetryBatch,
  listChannels,
  listPhases,
  listSamples,
  listSources,
} from '../src/store/telemetry.js';
import type { Channel, Sample } from '../src/telemetry/sampler.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '365' },
    requests: { type: 'string', default: '500' },
    samples: { type: 'string', default: '36000' },
    repeat: { type: 'string', default: '5' },
    keep: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const RUNS = Number(values.runs);
const REQUESTS = Number(values.requests);
const SAMPLES = Number(values.samples);
const REPEAT = Number(values.repeat);
const TABLE_TARGET_MS = 1_000;
const HTML_TARGET_MS = 3_000;
/** Bytes a run takes on disk, over-estimated (measured: about 65 B a sample, 1.5 KB a request) for the free-space check. */
const ESTIMATE_BYTES_PER_SAMPLE = 100;
const ESTIMATE_BYTES_PER_REQUEST = 3_000;
const FIRST_NIGHT = Date.parse('2025-01-01T02:00:00Z');
const DAY_MS = 86_400_000;
const WARMUP_MS = 2_800;
const IDLE_MS = 30_000;
const TASKS = 50;
const NUM_PREDICT = 1024;
const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.js');
const GPU: Channel = {
  key: 'nvidia:0',
  source: 'nvidia',
  device: 'NVIDIA GeForce RTX 4090',
  kind: 'sampled',
  covers: 'gpu-board',
  detail: { index: 0, field: 'power.draw.instant', powerLimitW: 450, periodMs: 100, powerReadable: true },
};
const RAPL: Channel = {
  key: 'rapl:package-0',
  source: 'rapl',
  device: 'package-0',
  kind: 'counter',
  covers: 'cpu-package',
  detail: { zone: 'intel-rapl:0' },
};
const ERRORS = [
  'HTTP 500: llama runner process has terminated: exit status 2',
  'the connection closed mid-answer (after 212 chunks)',
  'timed out after 300000 ms',
];
const TEXT = Array.from(
  { length: 400 },
  (_, i) =>
    `{"type":"bug","priority":"p${i % 4}","area":"api","why":"step ${i}: the handler maps claims before the session exists"} `,
).join('');

/** mulberry32: a small seeded generator, so every build of the year is the same data. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Roughly normal (sum of four uniforms), mean 0, sd about 1. */
function noise(rng: () => number): number {
  return (rng() + rng() + rng() + rng() - 2) * 1.73;
}

interface Layout {
  durationMs: number;
  measureStartMs: number;
  measureEndMs: number;
}

function layoutOf(samples: number): Layout {
  const durationMs = Math.round((samples / 11) * 1000);
  return { durationMs, measureStartMs: WARMUP_MS + IDLE_MS, measureEndMs: durationMs - IDLE_MS };
}

/** One request's figures before it is placed in time; errored ones carry their message. */
function drawRequest(rng: () => number, seq: number, genRate: number): RequestRow {
  const base = {
    concurrency: 1,
    seq,
    taskId: `task-${String(seq % TASKS).padStart(2, '0')}`,
    repeatIndex: Math.floor(seq / TASKS),
    startedAt: '',
    startOffsetMs: 0,
    chunks: 0,
    malformedLines: 0,
    agreement: null,
    agreementMethod: null,
    cachedPromptTokens: null,
  };
  if (rng() < 0.006) {
    return {
      ...base,
      state: 'errored',
      ttftMs: null,
      lastTokenMs: null,
      metricsSource: null,
      latencyMs: 800 + rng() * 3000,
      promptTokens: null,
      promptEvalMs: null,
      outputTokens: null,
      evalMs: null,
      loadMs: null,
      serverTotalMs: null,
      doneReason: null,
      outputText: null,
      error: ERRORS[Math.floor(rng() * ERRORS.length)] ?? null,
      score: 0,
      correct: false,
      scoreDetail: 'request errored',
    };
  }
  const promptTokens = Math.round(280 + rng() * 1200);
  const outputTokens = Math.min(NUM_PREDICT, Math.round(Math.exp(Math.log(380) + 0.45 * noise(rng))));
  const promptEvalMs = (promptTokens / (2400 * (1 + 0.05 * noise(rng)))) * 1000;
  const evalMs = (outputTokens / (genRate * (1 + 0.03 * noise(rng)))) * 1000;
  const loadMs = 12 + rng() * 8;
  const serverTotalMs = loadMs + promptEvalMs + evalMs + 2;
  const correct = rng() < 0.84;
  const offset = Math.floor(rng() * (TEXT.length - outputTokens * 4));
  const ttftMs = loadMs + promptEvalMs + 15 + rng() * 8;
  return {
    ...base,
    state: 'ok',
    ttftMs,
    lastTokenMs: ttftMs + evalMs,
    metricsSource: 'server',
    latencyMs: serverTotalMs + 8 + rng() * 6,
    promptTokens,
    promptEvalMs,
    outputTokens,
    evalMs,
    loadMs,
    serverTotalMs,
    doneReason: outputTokens === NUM_PREDICT ? 'length' : 'stop',
    chunks: outputTokens + 1,
    outputText: TEXT.slice(offset, offset + outputTokens * 4),
    error: null,
    score: correct ? 1 : Math.floor(rng() * 3) / 3,
    correct,
    scoreDetail: correct ? null : 'priority: expected "p1", got "p2"',
  };
}

/** A run's requests, one at a time, spread evenly over the measured window (shrunk to fit when too long). */
function planRequests(rng: () => number, layout: Layout, startMs: number, count: number): RequestRow[] {
  const drawn = Array.from({ length: count }, (_, seq) =>
    drawRequest(rng, seq, 62 * (1 + 0.04 * noise(rng))),
  );
  const windowMs = layout.measureEndMs - layout.measureStartMs;
  const busyMs = drawn.reduce((acc, r) => acc + r.latencyMs, 0);
  const fit = busyMs > windowMs * 0.97 ? (windowMs * 0.97) / busyMs : 1;
  const scale = (v: number | null): number | null => (v === null ? null : v * fit);
  const gapMs = (windowMs - busyMs * fit) / count;
  let t = layout.measureStartMs;
  return drawn.map((r) => {
    const placed = {
      ...r,
      startOffsetMs: t,
      startedAt: new Date(startMs + t).toISOString(),
      latencyMs: r.latencyMs * fit,
      ttftMs: scale(r.ttftMs),
      lastTokenMs: scale(r.lastTokenMs),
      promptEvalMs: scale(r.promptEvalMs),
      evalMs: scale(r.evalMs),
      serverTotalMs: scale(r.serverTotalMs),
    };
    t += placed.latencyMs + gapMs;
    return placed;
  });
}

/** GPU power: prefill spike, decode plateau, a decaying tail between requests, low in the idle phases. */
function gpuSamples(
  rng: () => number,
  layout: Layout,
  requests: readonly RequestRow[],
  drift: number,
): Sample[] {
  const out: Sample[] = [];
  let next = 0;
  let lastEndMs = -Infinity;
  let temperatureC = 34;
  for (let tMs = 0; tMs < layout.durationMs; tMs += 100) {
    while (
      next < requests.length &&
      (requests[next]?.startOffsetMs ?? 0) + (requests[next]?.latencyMs ?? 0) < tMs
    ) {
      lastEndMs = (requests[next]?.startOffsetMs ?? 0) + (requests[next]?.latencyMs ?? 0);
      next += 1;
    }
    const r = requests[next];
    const busy = r !== undefined && r.startOffsetMs <= tMs;
    const prefill = busy && tMs < r.startOffsetMs + (r.ttftMs ?? 0);
    const warm = tMs < WARMUP_MS;
    const idleW = 24 + 40 * Math.exp(-(tMs - lastEndMs) / 4000);
    const powerW = (prefill ? 330 : busy ? 265 : warm ? 140 : idleW) * drift + noise(rng) * (busy ? 9 : 1.5);
    temperatureC += ((busy ? 71 : 38) - temperatureC) * 0.002;
    out.push({
      channelKey: GPU.key,
      tMs: tMs + rng() * 3,
      powerW,
      energyJ: null,
      utilizationPct: busy ? 92 + rng() * 8 : 0,
      memoryUsedBytes: tMs < WARMUP_MS / 2 ? 420e6 : 9.8e9,
      clockMhz: busy || warm ? 2520 : 210,
      temperatureC,
    });
  }
  return out;
}

/** The CPU package counter, read once a second: cumulative joules, and the mean power since the last read. */
function raplSamples(rng: () => number, layout: Layout, gpu: readonly Sample[]): Sample[] {
  const out: Sample[] = [];
  let energyJ = 0;
  for (let s = 0; s * 1000 < layout.durationMs; s += 1) {
    const gpuW = gpu[s * 10]?.powerW ?? 0;
    const powerW = 16 + (gpuW > 100 ? 22 : 0) + noise(rng) * 1.2;
    if (s > 0) energyJ += powerW;
    out.push({
      channelKey: RAPL.key,
      tMs: s * 1000 + rng() * 2,
      powerW: s === 0 ? null : powerW,
      energyJ,
      utilizationPct: null,
      memoryUsedBytes: null,
      clockMhz: null,
      temperatureC: null,
    });
  }
  return out;
}

/** Writes night `index` (0-based) with the store's own insert functions, in one transaction. */
function insertNight(db: Db, index: number): void {
  const rng = seeded(index + 1);
  const layout = layoutOf(SAMPLES);
  const startMs = FIRST_NIGHT + index * DAY_MS;
  const config = configSchema.parse({});
  db.transaction(() => {
    const runId = insertRun(db, {
      startedAt: new Date(startMs).toISOString(),
      backend: 'ollama',
      host: config.backend.host,
      model: 'qwen2.5:14b',
      suiteId: 'nightly-synthetic',
      suiteVersion: '1',
      repeatCount: Math.ceil(REQUESTS / TASKS),
      plannedRequests: REQUESTS,
      costbenchVersion: '0.1.0',
      pid: 4242,
      settings: {
        ...config.run,
        repeat: Math.ceil(REQUESTS / TASKS),
        ...config.backend,
        suiteOptions: { temperature: 0, seed: 42, numPredict: NUM_PREDICT },
        modelChosenBecause: 'requested',
      },
    });
    insertMachine(db, runId, {
      hostname: 'bench-box',
      platform: 'linux',
      osRelease: '6.8.0-49-generic',
      arch: 'x64',
      cpuModel: 'AMD Ryzen 9 7950X',
      cpuCores: 16,
      memoryBytes: 68_719_476_736,
      gpus: [{ vendor: 'NVIDIA', model: GPU.device, vramBytes: 25_757_220_864 }],
      nodeVersion: 'v20.18.0',
      collectedBy: 'systeminformation',
    });
    insertModel(db, runId, {
      name: 'qwen2.5:14b',
      digest: '7cdf5a0187d5',
      family: 'qwen2',
      parameterSize: '14.8B',
      parameterCount: 14_770_033_664,
      quantization: 'Q4_K_M',
      contextLength: 32_768,
      sizeBytes: 10_950_000_000,
      sizeVramBytes: 10_950_000_000,
      serverVersion: '0.5.7',
      architecture: {
        name: 'qwen2',
        blockCount: 48,
        headCount: 40,
        headCountKv: 8,
        embeddingLength: 5120,
        keyLength: null,
        valueLength: null,
      },
    });
    insertWarmup(db, runId, {
      state: 'ok',
      alreadyLoaded: false,
      startOffsetMs: 0,
      latencyMs: WARMUP_MS - 40,
      loadMs: null,
      doneReason: 'load',
      error: null,
    });
    for (const [source, available, reason] of [
      ['nvidia', true, null],
      ['rapl', true, null],
      ['amd', false, 'amd-smi not found on PATH'],
      ['meter', false, 'no meter configured'],
    ] as const) {
      insertSource(db, runId, { source, available, reason, hint: null });
    }
    const ids = new Map(
      [GPU, RAPL].map((c) => [c.key, insertChannel(db, runId, c, true, c === GPU ? 100 : 1000)]),
    );
    const requests = planRequests(rng, layout, startMs, REQUESTS);
    for (const r of requests) insertRequest(db, runId, r);
    const gpu = gpuSamples(rng, layout, requests, 1 + 0.04 * noise(rng));
    insertTelemetryBatch(db, runId, ids, 0, [...gpu, ...raplSamples(rng, layout, gpu)], []);
    const phases = [
      ['warmup', 0, 0, WARMUP_MS],
      ['idle-before', 0, WARMUP_MS, layout.measureStartMs],
      ['measure', 1, layout.measureStartMs, layout.measureEndMs],
      ['idle-after', 0, layout.measureEndMs, layout.durationMs],
    ] as const;
    for (const [name, concurrency, s, e] of phases)
      insertPhase(db, runId, { name, concurrency, startMs: s, endMs: e });
    // A run with a few errored requests still completes: only a failed warm-up or no ok request fails it.
    finishRun(db, runId, 'completed', new Date(startMs + layout.durationMs).toISOString(), null);
  })();
}

/** Builds (or tops up) the database to RUNS nights; refuses to start when the disk cannot hold it. */
function buildDatabase(path: string): void {
  const db = openDb(path);
  try {
    const have = (db.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
    const needBytes =
      (RUNS - have) * (SAMPLES * ESTIMATE_BYTES_PER_SAMPLE + REQUESTS * ESTIMATE_BYTES_PER_REQUEST);
    const fs = statfsSync(dirname(path));
    const freeBytes = fs.bavail * fs.bsize;
    console.log(
      `database ${path}: ${have} runs stored, ${Math.max(0, RUNS - have)} to build; needs up to ${gb(needBytes)}, ${gb(freeBytes)} free`,
    );
    if (needBytes > freeBytes * 0.9)
      throw new Error(
        `not enough free disk in ${dirname(path)}: choose another place with --keep <path>, or fewer --runs`,
      );
    const started = performance.now();
    for (let i = have; i < RUNS; i += 1) {
      insertNight(db, i);
      if ((i + 1) % 25 === 0)
        console.log(`  ${i + 1}/${RUNS} runs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    if (RUNS > have)
      console.log(
        `built ${RUNS - have} runs in ${((performance.now() - started) / 1000).toFixed(1)} s (${((performance.now() - started) / (RUNS - have)) | 0} ms a run)`,
      );
  } finally {
    db.close();
  }
  console.log(`file size ${gb(statSync(path).size)}`);
}

function gb(bytes: number): string {
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

function median(sorted: readonly number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** Times `argv` through main() in this process; a non-zero exit code is an error, not a timing. */
async function timeInProcess(argv: string[], io: CliIo): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i += 1) {
    let stderr = '';
    const started = performance.now();
    const code = await main(argv, { ...io, stderr: (t) => void (stderr += t) });
    times.push(performance.now() - started);
    if (code !== 0) throw new Error(`costbench ${argv.join(' ')} exited ${code}: ${stderr}`);
  }
  return times.sort((a, b) => a - b);
}

function timeChild(args: string[], cwd: string, nodeArgs: string[] = []): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, [...nodeArgs, CLI, ...args], {
    cwd,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const ms = performance.now() - started;
  if (child.status !== 0)
    throw new Error(`costbench ${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return ms;
}

/** Each step of `report latest` (table and html), timed apart, on the same database. */
function profileSteps(dbPath: string, cwd: string): [string, number][] {
  const steps: [string, number][] = [];
  const time = <T>(name: string, f: () => T): T => {
    const started = performance.now();
    const value = f();
    steps.push([name, performance.now() - started]);
    return value;
  };
  const db = time('openDb (migrations check)', () => openDb(dbPath));
  try {
    const run = getRun(db, 'latest');
    const requests = time('listRequests', () => listRequests(db, run.id));
    const channels = listChannels(db, run.id);
    const samples = time(
      'listSamples (all channels)',
      () => new Map(channels.map((c) => [c.id, listSamples(db, c.id)])),
    );
    const phases = listPhases(db, run.id);
    time('computeEnergySummary', () =>
      computeEnergySummary(channels, samples, phases, requests, listSources(db, run.id)),
    );
    const record = time('readRunRecord (all of the above and the rest)', () => readRunRecord(db, 'latest'));
    const { config, file } = loadConfig({ db: dbPath }, { PATH: process.env['PATH'] }, cwd);
    const tables = time('readAnalysisTables (hardware; prices when asked)', () =>
      readAnalysisTables(config, dbPath, file),
    );
    const costed = time('analyzeRun (summary, prices, roofline)', () =>
      analyzeRun(record, tables, analysisSettingsOf(config, file)),
    );
    time('formatRunTable', () => formatRunTable(costed));
    const series = time('htmlSeriesOf (from the record)', () => htmlSeriesOf(record));
    time('renderHtmlReport', () => renderHtmlReport(costed, series));
  } finally {
    db.close();
  }
  return steps;
}

/** The functions with the most self time in a V8 .cpuprofile, as [function (file:line), ms]. */
function hottest(profilePath: string, top = 10): [string, number][] {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id);
    const where =
      frame === undefined
        ? '?'
        : `${frame.functionName || '(anonymous)'} ${frame.url === '' ? '' : `${relative(process.cwd(), frame.url.replace('file://', ''))}:${frame.lineNumber + 1}`}`;
    self.set(where, (self.get(where) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, top);
}

async function measure(dbPath: string, work: string): Promise<boolean> {
  const io: CliIo = {
    stdout: () => undefined,
    stderr: () => undefined,
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    cwd: work,
    isTty: false,
  };
  const db = ['--db', dbPath];
  const htmlOut = join(work, 'report.html');
  const cases: [string, string[], number | null][] = [
    ['report latest (table)', ['report', 'latest', ...db], TABLE_TARGET_MS],
    ['report latest --format json', ['report', 'latest', '--format', 'json', ...db], null],
    [
      'report latest --format html --out',
      ['report', 'latest', '--format', 'html', '--out', htmlOut, ...db],
      HTML_TARGET_MS,
    ],
    ['runs', ['runs', ...db], null],
    ['cost latest', ['cost', 'latest', ...db], null],
  ];
  console.log(
    `\nin-process main(), ${REPEAT} times each (the first call also pays the lazy imports); node ${process.version}`,
  );
  console.log('command                              median ms     max ms   target');
  const results: Record<string, unknown>[] = [];
  let pass = true;
  for (const [name, argv, targetMs] of cases) {
    const times = await timeInProcess(argv, io);
    const med = median(times);
    const verdict = targetMs === null ? '' : `${med < targetMs ? 'PASS' : 'FAIL'} (< ${targetMs} ms)`;
    pass &&= targetMs === null || med < targetMs;
    console.log(
      `${name.padEnd(36)} ${med.toFixed(0).padStart(9)} ${(times.at(-1) ?? NaN).toFixed(0).padStart(10)}   ${verdict}`,
    );
    results.push({
      command: name,
      medianMs: med,
      maxMs: times.at(-1),
      timesMs: times,
      targetMs,
      pass: targetMs === null ? null : med < targetMs,
    });
  }
  console.log(`html file ${(statSync(htmlOut).size / 1e6).toFixed(2)} MB`);
  const coldMs = timeChild(['report', 'latest', ...db], work);
  const startupMs = timeChild(['--version'], work);
  console.log(
    `cold: node dist/src/cli/main.js report latest (fresh process, start-up included): ${coldMs.toFixed(0)} ms   ${coldMs < TABLE_TARGET_MS ? 'PASS' : 'FAIL'} (< ${TABLE_TARGET_MS} ms)`,
  );
  console.log(
    `      of which start-up, as \`costbench --version\` takes in a fresh process: ${startupMs.toFixed(0)} ms`,
  );
  pass &&= coldMs < TABLE_TARGET_MS;
  console.log(
    JSON.stringify({
      runs: RUNS,
      requests: REQUESTS,
      samples: SAMPLES,
      repeat: REPEAT,
      dbBytes: statSync(dbPath).size,
      results,
      coldReportTableMs: coldMs,
      coldVersionMs: startupMs,
      pass,
    }),
  );
  return pass;
}

function profile(dbPath: string, work: string): void {
  const passes = Array.from({ length: REPEAT }, () => profileSteps(dbPath, work));
  console.log(`\nwhere the time goes (median of ${REPEAT} passes, warm process):`);
  for (const [i, [name]] of (passes[0] ?? []).entries()) {
    const ms = median(passes.map((p) => p[i]?.[1] ?? NaN).sort((a, b) => a - b));
    console.log(`  ${name.padEnd(48)} ${ms.toFixed(0).padStart(6)} ms`);
  }
  for (const args of [
    ['report', 'latest'],
    ['report', 'latest', '--format', 'html', '--out', join(work, 'prof.html')],
  ]) {
    const dir = join(work, `cpuprof-${args.length}`);
    timeChild([...args, '--db', dbPath], work, ['--cpu-prof', '--cpu-prof-dir', dir]);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (file === undefined) continue;
    console.log(`\nhottest functions (self time) of \`costbench ${args.join(' ')}\` in a fresh process:`);
    for (const [where, ms] of hottest(join(dir, file)))
      console.log(`  ${ms.toFixed(0).padStart(6)} ms  ${where}`);
  }
}

async function run(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'costbench-report-time-'));
  const dbPath = values.keep === undefined ? join(work, 'year.db') : resolve(values.keep);
  console.log(
    `report time: ${RUNS} runs x ${REQUESTS} requests x ${SAMPLES} samples (${GPU.key} at 10 Hz + ${RAPL.key} at 1 Hz)${existsSync(dbPath) ? ', reusing the database' : ''}`,
  );
  try {
    buildDatabase(dbPath);
    const pass = await measure(dbPath, work);
    if (!pass || values.profile) profile(dbPath, work);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await run();
