import { describe, expect, it } from 'vitest';
import { computeContextDepth } from '../src/analysis/context-depth.js';
import { computeSweep } from '../src/analysis/levels.js';
import { computeRunRoofline } from '../src/analysis/roofline-for-run.js';
import { toMeasuredWork } from '../src/analysis/run-cost.js';
import type { RunSummary } from '../src/analysis/summary.js';
import type { ModelArchitecture } from '../src/types/model-info.js';
import type { Phase } from '../src/types/telemetry-rows.js';
import { configSchema } from '../src/config/schema.js';
import { loadHardwareTable } from '../src/tables/hardware-read.js';
import { formatContextDepth } from '../src/report/format-context-depth.js';
import { formatRooflineAtDepth } from '../src/report/roofline-text.js';
import { okRequestRow } from './support/request-row.js';

/**
 * Depth 0: the task's own prompt is 100 tokens (okRequestRow: 100 in 50 ms, 100 out in 800 ms).
 * Depth 2000: 2110 and 2090 prompt tokens in 1000 ms each, 100 out in 1000 ms, TTFT 1100 ms.
 * Depth 4000: 4501 prompt tokens, 4000 of them from the server's cache, in 100 ms.
 */
const ROWS = [
  okRequestRow({ contextDepthTokens: 0, seq: 0, repeatIndex: 0, taskId: 'a' }),
  okRequestRow({ contextDepthTokens: 0, seq: 1, repeatIndex: 1, taskId: 'a' }),
  ...[2110, 2090].map((promptTokens, i) =>
    okRequestRow({
      contextDepthTokens: 2000,
      seq: i,
      repeatIndex: i,
      taskId: 'a',
      promptTokens,
      promptEvalMs: 1000,
      evalMs: 1000,
      ttftMs: 1100,
    }),
  ),
  okRequestRow({
    contextDepthTokens: 4000,
    taskId: 'a',
    promptTokens: 4501,
    cachedPromptTokens: 4000,
    promptEvalMs: 100,
  }),
];
const phase = (contextDepthTokens: number, startMs: number): Phase => ({
  name: 'measure',
  concurrency: 1,
  contextDepthTokens,
  startMs,
  endMs: startMs + 1000,
});
const PHASES = [phase(0, 0), phase(2000, 1000), phase(4000, 2000)];

describe('rates at context depth', () => {
  const d = computeContextDepth(ROWS);

  it('measures the depth against the same task at depth 0, with prefill, decode and TTFT per level', () => {
    const at2000 = d?.levels[1];
    // measured depth: median(2110 - 100, 2090 - 100) = median(2010, 1990) = 2000
    expect(at2000?.measuredDepthTokens).toBe(2000);
    // prefill: median(2110 / 1 s, 2090 / 1 s) = 2100 tok/s; decode 100 tokens / 1 s = 100 tok/s
    expect(at2000?.prefillTokensPerS?.median).toBe(2100);
    expect(at2000?.decodeTokensPerS?.median).toBe(100);
    expect(at2000?.ttftMs?.median).toBe(1100);
    // means for the KV term: (2110 + 2090) / 2 = 2100 prompt, 100 output
    expect(at2000?.promptTokensMean).toBe(2100);
    expect(d?.levels.map((l) => l.measuredDepthTokens)).toEqual([0, 2000, 4401]);
    // depth 4000: (4501 - 4000 cached) / 0.1 s = 5010 tok/s
    expect(d?.levels[2]?.prefillTokensPerS?.median).toBe(5010);
  });

  it('flags a measured depth over 10% off the requested one and a level served from the cache', () => {
    // 4401 - 4000 = 401 > 10% of 4000 = 400: +10%; cached 4000 / 4501 = 88.9%
    expect(d?.flags).toEqual([
      'concurrency 1, context depth 4000 tokens: the server counted 4401 tokens of filler, +10% from the 4000 requested (its tokenizer splits the filler words otherwise): read the rates at the measured depth',
      "concurrency 1, context depth 4000 tokens: the server took 89% of the prompt tokens from its cache, so the depth's prefill was mostly not paid",
    ]);
  });

  it('is absent for a run without depths', () => {
    expect(computeContextDepth([okRequestRow()])).toBeNull();
    expect(
      computeSweep([okRequestRow()], [{ name: 'measure', concurrency: 1, startMs: 0, endMs: 1000 }], null),
    ).not.toHaveProperty('contextDepth');
  });

  it('prints a rates-at-depth table', () => {
    const lines = formatContextDepth(d ?? { levels: [], flags: [] });
    expect(lines[1]).toBe('Rates at context depth');
    // depth 0: prefill 100 / 50 ms = 2000 tok/s, decode 100 / 800 ms = 125 tok/s, TTFT 100 ms
    expect(lines[3]?.split(/\s+/).filter(Boolean)).toEqual([
      '1',
      '0',
      '0',
      '2',
      '2000.0',
      '125.0',
      '100.0',
      '—',
    ]);
    expect(lines[4]?.split(/\s+/).filter(Boolean)).toEqual([
      '1',
      '2000',
      '2000',
      '2',
      '2100.0',
      '100.0',
      '1100.0',
      '—',
    ]);
  });
});

const LLAMA31_8B: ModelArchitecture = {
  name: 'llama',
  blockCount: 32,
  headCount: 32,
  headCountKv: 8,
  embeddingLength: 4096,
  keyLength: null,
  valueLength: null,
};

describe('roofline at context depth', () => {
  const sweep = computeSweep(ROWS, PHASES, null);
  const s = {
    model: { sizeBytes: 5e9, loadedSizeBytes: 5e9, sizeVramBytes: null, architecture: LLAMA31_8B },
    generationTokensPerS: null,
    clientDecodeTokensPerS: null,
    sweep,
    tokens: {
      promptPerRequest: 2000,
      outputPerRequest: 100,
      sources: { server: 5, usage: 0, chunks: 0, unknown: 0 },
    },
  } as unknown as RunSummary;
  const settings = { ...configSchema.parse({}).roofline, bandwidthGBps: 1000 };
  const result = computeRunRoofline(s, loadHardwareTable(), settings, [
    { name: 'NVIDIA GeForce RTX 4090', vramBytes: null },
  ]);

  it('sizes the KV read per token from the depth: 131072 B per token x (prompt with filler + output / 2)', () => {
    const x = result.roofline;
    // The compared level is concurrency 1 at depth 0: context 100 + 100 / 2 = 150 tokens, not the run's mean.
    expect(x?.kv?.meanContextTokens).toBe(150);
    // depth 2000: 131072 x (2100 + 100 / 2) = 131072 x 2150 = 281,804,800 bytes
    const at2000 = x?.atDepth?.[1];
    expect(at2000?.meanContextTokens).toBe(2150);
    expect(at2000?.kvBytes).toBe(281_804_800);
    expect(at2000?.bytesPerToken).toBe(5_281_804_800);
    // 1000e9 B/s / 5,281,804,800 B = 189.3293 tok/s; decode 100 tok/s = 52.8% of it
    expect(at2000?.ceilingTokensPerS).toBeCloseTo(189.3293, 3);
    expect(at2000?.shareOfCeiling).toBeCloseTo(0.5281805, 6);
    // depth 4000: 131072 x (4501 + 50) = 589,824,000 + 6,684,672 = 596,508,672 bytes
    expect(x?.atDepth?.[2]?.kvBytes).toBe(596_508_672);
    expect(x?.atDepth?.map((a) => a.contextDepthTokens)).toEqual([0, 2000, 4000]);
  });

  it('prints one line per depth', () => {
    expect(result.roofline === null ? [] : formatRooflineAtDepth(result.roofline)[1]).toBe(
      'at depth 2000: ceiling 189.3 tok/s (5.00 GB of weights + 281.8 MB of KV cache at 2150 tokens), decode 100.0 tok/s = 53%',
    );
  });
});

describe('the cost inputs of a run with context depths', () => {
  it("take a task's tokens from the first depth, not the filler of the deeper levels", () => {
    const s = {
      sweep: computeSweep(ROWS, PHASES, null),
      // Over all 5 requests: (100 + 100 + 2110 + 2090 + 4501) / 5 = 1780.2 prompt tokens
      tokens: { promptPerRequest: 1780.2, outputPerRequest: 100, cachedPromptPerRequest: null, sources: {} },
      requests: { ok: 5 },
      energy: null,
      quality: null,
      replay: null,
    } as unknown as RunSummary;
    const work = toMeasuredWork(s);
    // depth 0: (100 + 100) / 2 = 100 prompt, 100 output
    expect(work.promptTokensPerTask).toBe(100);
    expect(work.outputTokensPerTask).toBe(100);
  });
});

describe('a concurrency sweep at several depths', () => {
  const rowsAt = (concurrency: number, contextDepthTokens: number, n: number) =>
    Array.from({ length: n }, (_, i) =>
      okRequestRow({ concurrency, contextDepthTokens, taskId: 'a', seq: i, repeatIndex: i }),
    );
  const at = (concurrency: number, contextDepthTokens: number, startMs: number): Phase => ({
    name: 'measure',
    concurrency,
    contextDepthTokens,
    startMs,
    endMs: startMs + 1000,
  });
  // Depth 0: 2 then 4 tasks in 1 s each; depth 2000: 1 then 1.
  const rows = [...rowsAt(1, 0, 2), ...rowsAt(2, 0, 4), ...rowsAt(1, 2000, 1), ...rowsAt(2, 2000, 1)];
  const phases = [at(1, 0, 0), at(2, 0, 1000), at(1, 2000, 2000), at(2, 2000, 3000)];
  const w = computeSweep(rows, phases, null);

  it('compares concurrencies at the same depth and takes the capacity from the lowest depth', () => {
    // gain: 4/2 - 1 = +100% at depth 0; the first level at 2000 has none; 1/1 - 1 = 0 < 5%: saturated
    expect(
      w?.levels.map((l) => [l.concurrency, l.contextDepthTokens, l.tasksPerS, l.gain, l.saturated]),
    ).toEqual([
      [1, 0, 2, null, false],
      [2, 0, 4, 1, false],
      [1, 2000, 1, null, false],
      [2, 2000, 1, 0, true],
    ]);
    // best: the lowest concurrency within 5% of depth 0's top (4 tasks/s) = 2; depth 0 never saturated
    expect(w?.best).toBe(2);
    expect(w?.saturatedAt).toBeNull();
    expect(w?.contextDepth?.levels.map((l) => [l.concurrency, l.contextDepthTokens])).toEqual([
      [1, 0],
      [2, 0],
      [1, 2000],
      [2, 2000],
    ]);
  });
});
