import { describe, expect, it } from 'vitest';
import { configSchema } from '../src/config/schema.js';
import type { RunSummary } from '../src/report/summary.js';
import { computeRunRoofline } from '../src/roofline/for-run.js';
import { loadHardwareTable } from '../src/roofline/hardware.js';

const table = loadHardwareTable();
const settings = configSchema.parse({}).roofline;

/** Just the parts of a summary the roofline reads. */
function summary(sizeBytes: number | null, sizeVramBytes: number | null, decodeMedian: number | null): RunSummary {
  return {
    model: { name: 'm', digest: null, family: null, parameterSize: null, parameterCount: null, quantization: null, contextLength: null, sizeBytes, sizeVramBytes, serverVersion: null },
    generationTokensPerS: decodeMedian === null ? null : { count: 1, min: decodeMedian, median: decodeMedian, p95: decodeMedian, max: decodeMedian, mean: decodeMedian, stdDev: 0, ci95: null, cv: 0, outliers: [] },
    sweep: null,
  } as unknown as RunSummary;
}

describe('computeRunRoofline', () => {
  it('the known case: RTX 4090 (1008 GB/s), a 4.58 GB model at 130.58 tok/s is about 59% of the ceiling', () => {
    const result = computeRunRoofline(summary(4.58e9, 4.58e9, 130.58), table, settings, [{ name: 'NVIDIA GeForce RTX 4090', vramBytes: null }]);
    expect(result.roofline).toMatchObject({ deviceId: 'nvidia-rtx-4090', how: 'exact', bandwidthGBps: 1008, impossible: false });
    expect(result.roofline?.ceilingTokensPerS).toBeCloseTo(220.0873, 3);
    expect(result.roofline?.shareOfCeiling).toBeCloseTo(0.5933, 4);
  });

  it('flags a decode speed above the ceiling as impossible', () => {
    const result = computeRunRoofline(summary(4.58e9, 4.58e9, 300), table, settings, [{ name: 'NVIDIA GeForce RTX 4090', vramBytes: null }]);
    expect(result.roofline?.impossible).toBe(true);
  });

  it('says why when it cannot compute one', () => {
    expect(computeRunRoofline(summary(4.58e9, 2e9, 50), table, settings, [{ name: 'NVIDIA GeForce RTX 4090', vramBytes: null }])).toEqual({
      roofline: null, why: 'the model spills into CPU memory: set roofline.device to the memory that bounds it',
    });
    expect(computeRunRoofline(summary(4.58e9, null, 50), table, settings, [])).toEqual({
      roofline: null, why: 'no GPU found: set roofline.device (e.g. a cpu_memory id) for a CPU-only machine',
    });
    expect(computeRunRoofline(summary(4.58e9, null, 50), table, { device: 'nope', bandwidthGBps: null }, [])).toEqual({
      roofline: null, why: 'roofline.device "nope" is not in data/hardware.json',
    });
  });

  it('uses a configured device, e.g. system memory for a CPU-only box', () => {
    const result = computeRunRoofline(summary(4.58e9, null, 10), table, { device: 'ddr5-5600-2ch', bandwidthGBps: null }, []);
    expect(result.roofline?.how).toBe('config');
    expect(result.roofline?.bandwidthGBps).toBe(89.6);
  });

  it('falls back to the client-timed decode where the server times none (vLLM, LM Studio), and says so', () => {
    const vllm = { ...summary(4.58e9, 4.58e9, null), clientDecodeTokensPerS: { count: 3, min: 120, median: 130.58, p95: 140, max: 140, mean: 130, stdDev: 10, ci95: null, cv: 0.08, outliers: [] } } as RunSummary;
    const result = computeRunRoofline(vllm, table, settings, [{ name: 'NVIDIA GeForce RTX 4090', vramBytes: null }]);
    expect(result.roofline).toMatchObject({ decodeTokensPerS: 130.58, decodeTimedBy: 'client' });
    expect(result.roofline?.shareOfCeiling).toBeCloseTo(0.5933, 4);
    expect(computeRunRoofline(summary(4.58e9, 4.58e9, 130.58), table, settings, [{ name: 'NVIDIA GeForce RTX 4090', vramBytes: null }]).roofline?.decodeTimedBy).toBe('server');
  });
});
