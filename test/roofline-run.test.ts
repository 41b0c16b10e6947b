import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import type { RunSummary } from '../src/analysis/summary.js';
import { computeRunRoofline } from '../src/analysis/roofline-for-run.js';
import { loadHardwareTable } from '../src/tables/hardware-read.js';
import type { ModelArchitecture } from '../src/backends/backend.js';
import type { TokenCounts } from '../src/analysis/token-counts.js';
import { formatRooflineBytes, formatRooflineShare } from '../src/report/roofline-text.js';

const table = loadHardwareTable();
const settings = configSchema.parse({}).roofline;

const LLAMA31_8B: ModelArchitecture = {
  name: 'llama',
  blockCount: 32,
  headCount: 32,
  headCountKv: 8,
  embeddingLength: 4096,
  keyLength: null,
  valueLength: null,
};

/**
 * Just the parts of a summary the roofline reads: weights on disk (sizeBytes), the size in memory
 * and in GPU memory, the decode median, the model's shape and the mean tokens per request.
 */
function summary(
  sizeBytes: number | null,
  sizeVramBytes: number | null,
  decodeMedian: number | null,
  over: {
    loadedSizeBytes?: number | null;
    architecture?: ModelArchitecture | null;
    tokens?: Partial<TokenCounts>;
  } = {},
): RunSummary {
  const tokens = {
    promptPerRequest: 500,
    outputPerRequest: 200,
    sources: { server: 1, usage: 0, chunks: 0, unknown: 0 },
    ...over.tokens,
  };
  return {
    model: {
      name: 'm',
      digest: null,
      family: null,
      parameterSize: null,
      parameterCount: null,
      quantization: null,
      contextLength: null,
      sizeBytes,
      loadedSizeBytes: over.loadedSizeBytes ?? sizeBytes,
      sizeVramBytes,
      serverVersion: null,
      architecture: over.architecture ?? null,
    },
    generationTokensPerS:
      decodeMedian === null
        ? null
        : {
            count: 1,
            min: decodeMedian,
            median: decodeMedian,
            p95: decodeMedian,
            max: decodeMedian,
            mean: decodeMedian,
            stdDev: 0,
            ci95: null,
            cv: 0,
            outliers: [],
          },
    sweep: null,
    tokens,
  } as unknown as RunSummary;
}

const RTX_4090 = [{ name: 'NVIDIA GeForce RTX 4090', vramBytes: null }];

describe('computeRunRoofline', () => {
  it('the known case: RTX 4090 (1008 GB/s), a 4.58 GB model at 130.58 tok/s is about 59% of the ceiling', () => {
    const result = computeRunRoofline(summary(4.58e9, 4.58e9, 130.58), table, settings, [
      { name: 'NVIDIA GeForce RTX 4090', vramBytes: null },
    ]);
    expect(result.roofline).toMatchObject({
      deviceId: 'nvidia-rtx-4090',
      how: 'exact',
      bandwidthGBps: 1008,
      impossible: false,
    });
    expect(result.roofline?.ceilingTokensPerS).toBeCloseTo(220.0873, 3);
    expect(result.roofline?.shareOfCeiling).toBeCloseTo(0.5933, 4);
  });

  it("the model's architecture unknown (OpenAI-compatible servers): weights only, and it says the KV term is missing", () => {
    const result = computeRunRoofline(summary(4.58e9, 4.58e9, 130.58), table, settings, RTX_4090);
    expect(result.roofline).toMatchObject({
      weightBytes: 4.58e9,
      kvBytes: null,
      kv: null,
      bytesPerToken: 4.58e9,
      estimate: false,
    });
    expect(result.roofline?.kvMissing).toBe(
      "the server does not describe the model's architecture (layers, KV heads)",
    );
  });

  it('llama3.1:8b Q4_K_M at 130 tok/s: weights 4.92 GB + KV at 500 + 200 / 2 tokens of context, not the 6.5 GB in memory', () => {
    // KV: 131072 bytes x 600 tokens = 78.6432 MB; 1008e9 / 4.9986432e9 = 201.6547 tok/s; 130 / that = 64.47%
    // (the loaded 6.5 GB in its place gave 130 / 155.08 = 83.8%)
    const s = summary(4.92e9, 6.5e9, 130, { loadedSizeBytes: 6.5e9, architecture: LLAMA31_8B });
    const result = computeRunRoofline(s, table, settings, RTX_4090);
    expect(result.roofline?.kv).toEqual({
      bytesPerContextToken: 131_072,
      meanContextTokens: 600,
      cacheType: 'f16',
      cacheTypeAssumed: true,
    });
    expect(result.roofline).toMatchObject({
      weightBytes: 4.92e9,
      kvBytes: 78_643_200,
      bytesPerToken: 4_998_643_200,
      kvMissing: null,
    });
    expect(result.roofline?.shareOfCeiling).toBeCloseTo(0.644666, 6);
    // Loaded with num_ctx 32768, Ollama reports 4.92 + 4.29 GB of cache + buffers, about 9.5 GB: that size said 130 tok/s
    // was 122% of the ceiling, "impossible". What is read per token does not depend on num_ctx: still 64.47%.
    const ctx32k = computeRunRoofline(
      summary(4.92e9, 9.5e9, 130, { loadedSizeBytes: 9.5e9, architecture: LLAMA31_8B }),
      table,
      settings,
      RTX_4090,
    );
    expect(ctx32k.roofline?.shareOfCeiling).toBeCloseTo(0.644666, 6);
    expect(ctx32k.roofline?.impossible).toBe(false);
    // A context that really is 32k tokens long reads 131072 x 32100 = 4.21 GB of cache per token: then 130 tok/s is impossible.
    const long = computeRunRoofline(
      summary(4.92e9, 9.5e9, 130, {
        loadedSizeBytes: 9.5e9,
        architecture: LLAMA31_8B,
        tokens: { promptPerRequest: 32_000 },
      }),
      table,
      settings,
      RTX_4090,
    );
    expect(long.roofline?.kvBytes).toBe(131_072 * 32_100);
    expect(long.roofline?.impossible).toBe(true);
  });

  it("a run stored before the weights' size was kept apart: no roofline, and why", () => {
    expect(
      computeRunRoofline(summary(null, 6.5e9, 130, { loadedSizeBytes: 6.5e9 }), table, settings, RTX_4090),
    ).toEqual({
      roofline: null,
      why: "the weights' size was not recorded (a run stored before costbench kept it apart from the size in memory, which includes the KV cache)",
    });
  });

  it('marks a decode speed from chunk-count token estimates (LM Studio) as an estimate', () => {
    const lmStudio = summary(4.58e9, null, 130, {
      tokens: { promptPerRequest: null, sources: { server: 0, usage: 0, chunks: 3, unknown: 0 } },
    });
    const roofline = computeRunRoofline(lmStudio, table, settings, RTX_4090).roofline;
    expect(roofline?.estimate).toBe(true);
    if (roofline == null) throw new Error('no roofline');
    // 1008e9 / 4.58e9 = 220.1 tok/s; 130 / 220.1 = 59%
    expect(formatRooflineShare(roofline)).toBe(
      'decode ~130.0 tok/s ESTIMATE (output tokens counted one per streamed chunk) is 59% of the ceiling 220.1 tok/s (1008 GB/s NVIDIA GeForce RTX 4090, exact name match)',
    );
    expect(formatRooflineBytes(roofline)).toBe(
      "4.58 GB read per token: weights only; the KV cache term is missing (the server does not describe the model's architecture (layers, KV heads)), so the ceiling is too high",
    );
  });

  it('flags a decode speed above the ceiling as impossible', () => {
    const result = computeRunRoofline(summary(4.58e9, 4.58e9, 300), table, settings, [
      { name: 'NVIDIA GeForce RTX 4090', vramBytes: null },
    ]);
    expect(result.roofline?.impossible).toBe(true);
  });

  it('says why when it cannot compute one', () => {
    // 2 GB of the 4.58 GB in memory on the GPU
    expect(
      computeRunRoofline(summary(4.58e9, 2e9, 50), table, settings, [
        { name: 'NVIDIA GeForce RTX 4090', vramBytes: null },
      ]),
    ).toEqual({
      roofline: null,
      why: 'the model spills into CPU memory: set roofline.device to the memory that bounds it',
    });
    expect(computeRunRoofline(summary(4.58e9, null, 50), table, settings, [])).toEqual({
      roofline: null,
      why: 'no GPU found: set roofline.device (e.g. a cpu_memory id) for a CPU-only machine',
    });
    expect(
      computeRunRoofline(summary(4.58e9, null, 50), table, { device: 'nope', bandwidthGBps: null }, []),
    ).toEqual({
      roofline: null,
      why: 'roofline.device "nope" is not in data/hardware.json',
    });
  });

  it('uses a configured device, e.g. system memory for a CPU-only box', () => {
    const result = computeRunRoofline(
      summary(4.58e9, null, 10),
      table,
      { device: 'ddr5-5600-2ch', bandwidthGBps: null },
      [],
    );
    expect(result.roofline?.how).toBe('config');
    expect(result.roofline?.bandwidthGBps).toBe(89.6);
  });

  it('falls back to the client-timed decode where the server times none (vLLM, LM Studio), and says so', () => {
    const vllm = {
      ...summary(4.58e9, 4.58e9, null),
      clientDecodeTokensPerS: {
        count: 3,
        min: 120,
        median: 130.58,
        p95: 140,
        max: 140,
        mean: 130,
        stdDev: 10,
        ci95: null,
        cv: 0.08,
        outliers: [],
      },
    } as RunSummary;
    const result = computeRunRoofline(vllm, table, settings, [
      { name: 'NVIDIA GeForce RTX 4090', vramBytes: null },
    ]);
    expect(result.roofline).toMatchObject({ decodeTokensPerS: 130.58, decodeTimedBy: 'client' });
    expect(result.roofline?.shareOfCeiling).toBeCloseTo(0.5933, 4);
    expect(
      computeRunRoofline(summary(4.58e9, 4.58e9, 130.58), table, settings, [
        { name: 'NVIDIA GeForce RTX 4090', vramBytes: null },
      ]).roofline?.decodeTimedBy,
    ).toBe('server');
  });
});
