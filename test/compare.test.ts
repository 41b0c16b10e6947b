import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareRuns, type Comparison } from '../src/analysis/compare.js';
import { flattenSettings } from '../src/analysis/compare-settings.js';
import { formatCompareMarkdown, formatCompareTable } from '../src/report/format-compare.js';
import { computeRunSummary, type RunSummary } from '../src/analysis/summary.js';
import type { MachineInventory } from '../src/store/inventory.js';
import type { RequestRow } from '../src/store/requests.js';
import type { RunRow } from '../src/store/runs.js';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');

function run(id: number, over: Partial<RunRow> = {}): RunRow {
  return {
    id,
    status: 'completed',
    startedAt: '2026-11-27T10:00:00.000Z',
    finishedAt: '2026-11-27T10:00:10.000Z',
    backend: 'ollama',
    host: 'http://127.0.0.1:11434',
    model: 'llama3.2:latest',
    suiteId: 'triage-basic',
    suiteVersion: '1',
    repeatCount: 1,
    plannedRequests: 3,
    settings: { repeat: 1, keepAlive: '10m', suiteOptions: { temperature: 0 }, model: 'x' },
    costbenchVersion: '0.1.0',
    error: null,
    warnings: [],
    ...over,
  };
}

const MACHINE: MachineInventory = {
  hostname: 'box',
  platform: 'linux',
  osRelease: '6.8',
  arch: 'x64',
  cpuModel: 'AMD Ryzen 9 7950X',
  cpuCores: 32,
  memoryBytes: 64 * 1024 ** 3,
  gpus: [{ vendor: 'NVIDIA', model: 'RTX 4090', vramBytes: 24 * 1024 ** 3 }],
  nodeVersion: 'v20',
  collectedBy: 'test',
};

/** Three ok requests decoding 100 tokens at the given rates, with TTFT and latency as given. */
function summary(
  r: RunRow,
  genRates: number[],
  ttftMs: number[],
  machine: MachineInventory = MACHINE,
  over: Partial<RequestRow> = {},
): RunSummary {
  const rows: RequestRow[] = genRates.map((rate, seq) => ({
    concurrency: 1,
    seq,
    taskId: `t${seq}`,
    repeatIndex: 0,
    state: 'ok',
    startedAt: r.startedAt,
    startOffsetMs: seq * 1000,
    ttftMs: ttftMs[seq] ?? null,
    latencyMs: 1000,
    promptTokens: 10,
    promptEvalMs: 5,
    outputTokens: 100,
    evalMs: (100 / rate) * 1000,
    loadMs: null,
    serverTotalMs: 1000,
    doneReason: 'stop',
    chunks: 101,
    malformedLines: 0,
    outputText: null,
    error: null,
    score: seq === 0 ? 0 : 1,
    correct: seq !== 0,
    scoreDetail: null,
    agreement: null,
    agreementMethod: null,
    lastTokenMs: (ttftMs[seq] ?? 0) + (99 / rate) * 1000,
    metricsSource: 'server',
    cachedPromptTokens: null,
    ...over,
  }));
  return computeRunSummary(r, rows, null, null, machine);
}

describe('compareRuns (pure)', () => {
  const base = summary(run(1), [190, 200, 210], [40, 50, 60]);
  const faster = summary(
    run(2, { settings: { repeat: 3, keepAlive: '10m', suiteOptions: { temperature: 0.7 }, model: 'y' } }),
    [390, 400, 410],
    [45, 50, 55],
  );
  const c = compareRuns([base, faster]);
  const figure = (key: string) => c.figures.find((f) => f.key === key);

  it('gives each figure its delta against the first run, absolute and relative', () => {
    const gen = figure('generationTokensPerSMedian');
    expect(gen?.values[0]).toMatchObject({ value: 200, delta: null, ciOverlap: null });
    expect(gen?.values[1]?.value, 'median').toBe(400);
    expect(gen?.values[1]?.delta, 'delta').toEqual({ absolute: 200, relative: 1 });
    expect(
      figure('accuracy')?.values.map((v) => v.value),
      'accuracy',
    ).toEqual([2 / 3, 2 / 3]);
    expect(figure('accuracy')?.values[1]?.delta, 'no change').toEqual({ absolute: 0, relative: 0 });
    expect(
      figure('energyPerTaskJ')?.values.map((v) => v.value),
      'no energy measured',
    ).toEqual([null, null]);
  });

  it('says whether the 95% intervals overlap', () => {
    // t(0.975, 2) = 4.302653; stdDev 10, n 3: half-width 24.84
    expect(figure('generationTokensPerSMedian')?.values[0]?.ci95?.low, 'ci low').toBeCloseTo(
      200 - (4.302653 * 10) / Math.sqrt(3),
      4,
    );
    expect(figure('generationTokensPerSMedian')?.values[1]?.ciOverlap, '200 vs 400 tok/s').toBe(false);
    expect(figure('ttftMedianMs')?.values[1]?.ciOverlap, 'same TTFT').toBe(true);
    expect(figure('tasksPerS')?.values[1]?.ciOverlap, 'no interval, no verdict').toBeNull();
  });

  it('compares servers that time decode differently by the client-timed decode, and says why', () => {
    const vllm = summary(
      run(3, { backend: 'openai', host: 'http://127.0.0.1:8000/v1' }),
      [300, 310, 320],
      [40, 50, 60],
      MACHINE,
      { evalMs: null, metricsSource: 'usage' },
    );
    const lm = summary(run(4, { backend: 'openai' }), [280, 290, 300], [40, 50, 60], MACHINE, {
      evalMs: null,
      promptTokens: null,
      metricsSource: 'chunks',
    });
    const x = compareRuns([base, vllm, lm]);
    const values = (key: string) => x.figures.find((f) => f.key === key)?.values.map((v) => v.value);
    expect(values('generationTokensPerSMedian'), 'only Ollama times decode on the server').toEqual([
      200,
      null,
      null,
    ]);
    // lastTokenMs - ttftMs = 99 tokens at the rate: the client-timed rate is the rate
    expect(
      values('clientDecodeTokensPerSMedian')?.map((v) =>
        v === null || v === undefined ? v : Math.round(v * 1e6) / 1e6,
      ),
    ).toEqual([200, 310, 290]);
    expect(x.runs.map((r) => [r.server, r.tokenSources])).toEqual([
      ['ollama', 'server'],
      ['openai', 'usage'],
      ['openai', 'chunks (ESTIMATE)'],
    ]);
    expect(x.warnings).toEqual([
      'runs 1, 3, 4 have no settings record (made before costbench kept one): telemetry settings, server facts and machine state cannot be compared',
      'the servers differ (run 1: ollama; run 3: openai; run 4: openai): each times generation its own way (or not at all), so compare "decode median, client-timed", which costbench times the same way on every server',
      'the output tokens of run 4 were counted one per streamed chunk (ESTIMATE): its token-based figures and API costs are estimates',
    ]);
  });

  it('lists the settings that differ, flattened, leaving out the ones shown apart', () => {
    expect(flattenSettings({ a: 1, b: { c: 'x', d: [1, 2] } })).toEqual(
      new Map([
        ['a', '1'],
        ['b.c', '"x"'],
        ['b.d', '[1,2]'],
      ]),
    );
    expect(c.settingsDiffer).toEqual([
      { key: 'repeat', values: ['1', '3'], movesResults: true },
      { key: 'suiteOptions.temperature', values: ['0', '0.7'], movesResults: true },
    ]);
    // Runs without settings records: the settings each run stored, and a warning that says so.
    expect(c.warnings).toEqual([
      'settings that move results differ: repeat (1 vs 3); suiteOptions.temperature (0 vs 0.7)',
      'runs 1, 2 have no settings record (made before costbench kept one): telemetry settings, server facts and machine state cannot be compared',
    ]);
  });

  it('warns when suites or machines differ', () => {
    const elsewhere = summary(run(3, { suiteId: 'support-routing' }), [200, 200, 200], [50, 50, 50], {
      ...MACHINE,
      gpus: [],
    });
    const w = compareRuns([base, elsewhere]).warnings;
    expect(w).toEqual([
      'runs 1, 3 have no settings record (made before costbench kept one): telemetry settings, server facts and machine state cannot be compared',
      'the suites differ (run 1: triage-basic v1; run 3: support-routing v1): different prompts, so the figures are not comparable',
      'the machines differ (run 3 vs run 1): the differences include the hardware, not only the model or settings',
    ]);
  });

  it('formats deltas and verdicts as text and Markdown', () => {
    const text = formatCompareTable(c);
    expect(text).toContain('Runs 1 and 2 side by side (changes against run 1)');
    expect(text).toMatch(/generation median, tok\/s\s+200\.0\s+400\.0 {2}\+200\.0 \(\+100\.0%\)/);
    expect(text).toMatch(/95% CI of the mean\s+\[175\.2, 224\.8\]\s+\[375\.2, 424\.8\] {2}no overlap/);
    expect(text).toMatch(/TTFT median, ms\s+50\.0\s+50\.0 {2}0\.0 \(0\.0%\)/);
    expect(text).toContain('overlap: not distinguishable');
    expect(text).toMatch(/accuracy\s+66\.7%\s+66\.7% {2}0\.0 pp \(0\.0%\)/);
    expect(text).toMatch(/setting suiteOptions\.temperature\s+0\s+0\.7/);
    const md = formatCompareMarkdown(c);
    expect(md).toContain('| figure | run 1 | run 2 |');
    expect(md).toContain('| generation median, tok/s | 200.0 | 400.0  +200.0 (+100.0%) |');
    expect(md).toContain('| 95% CI of the mean | \\[175.2, 224.8\\] | \\[375.2, 424.8\\]  no overlap |');
  });
});

describe('costbench compare, end to end', () => {
  const dir = makeTempDir();
  const db = join(dir.path, 'runs.db');
  const servers: FakeOllama[] = [];

  beforeAll(async () => {
    for (const genTokensPerS of [200, 400]) {
      const server = await startFakeOllama({ genTokensPerS, loadMs: 10, defaultOutputTokens: 40 });
      servers.push(server);
      const result = await runCli([
        'run',
        '--suite',
        SUITE,
        '--repeat',
        '2',
        '--idle',
        '0',
        '--host',
        server.url,
        '--db',
        db,
      ]);
      expect(result.code, result.stderr).toBe(0);
    }
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    dir.remove();
  });

  it('shows the generation speed doubled (+100%) with separate 95% intervals', async () => {
    const json = await runCli(['compare', '1', '2', '--format', 'json', '--db', db]);
    expect(json.code, json.stderr).toBe(0);
    const c = JSON.parse(json.stdout) as Comparison;
    expect(c.runs.map((r) => [r.id, r.model, r.quantization, r.suite, r.concurrency])).toEqual([
      [1, 'llama3.2:latest', 'Q4_K_M', 'e2e', [1]],
      [2, 'llama3.2:latest', 'Q4_K_M', 'e2e', [1]],
    ]);
    const gen = c.figures.find((f) => f.key === 'generationTokensPerSMedian')?.values[1];
    // Decoding runs on absolute deadlines, so only the last token's wake-up (and a loaded test machine) blurs the rates.
    expect(Math.abs((gen?.delta?.relative ?? 0) - 1), 'gen tok/s delta near +100%').toBeLessThan(0.1);
    expect(gen?.ciOverlap).toBe(false);
    expect(
      c.settingsDiffer.filter((d) => d.movesResults),
      'nothing that moves results differs',
    ).toEqual([]);
    expect(
      c.settingsDiffer.map((d) => d.key),
      'the server address differs',
    ).toContain('backend.host');
    expect(
      c.warnings.filter((w) => w.includes('differ')),
      'same suite, same machine',
    ).toEqual([]);
    expect(c.volume, 'cost at the configured volume').toBe(10000);

    const text = await runCli(['compare', '1', '2', '--db', db]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/generation median, tok\/s\s+\d+\.\d\s+\d+\.\d {2}\+\d+\.\d \(\+\d+\.\d%\)/);
    expect(text.stdout).toMatch(/95% CI of the mean.* no overlap/);
    const md = await runCli(['compare', '1', '2', '--format', 'md', '--db', db]);
    expect(md.stdout).toContain('| figure | run 1 | run 2 |');
  });

  it('needs two ids (exit 2 with a hint), and every id must exist (exit 6)', async () => {
    const one = await runCli(['compare', '1', '--db', db]);
    expect(one.code).toBe(2);
    expect(one.stderr).toBe(
      'costbench: compare needs at least two runs, got only 1\n  hint: Give two or more run ids from `costbench runs`, the baseline first: e.g. costbench compare 3 5\n',
    );
    const none = await runCli(['compare', '--db', db]);
    expect(none.code).toBe(2);
    const unknown = await runCli(['compare', '1', '99', '--db', db]);
    expect(unknown.code).toBe(6);
    expect(unknown.stderr.split('\n')[0]).toMatch(/^costbench: no run 99 in .*runs\.db$/);
  });
});
