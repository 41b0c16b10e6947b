import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildNoiseGguf,
  DEFAULT_NOISE_SHAPE,
  noiseTensors,
  NOISE_MODEL_NAME,
  toHalfBits,
} from '../src/models/noise-gguf.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();

describe('half precision bits', () => {
  it('rounds floats to IEEE 754 binary16', () => {
    expect(toHalfBits(1), '1').toBe(0x3c00);
    expect(toHalfBits(-2), '-2').toBe(0xc000);
    expect(toHalfBits(0.5), '0.5').toBe(0x3800);
    expect(toHalfBits(65504), 'largest half').toBe(0x7bff);
    expect(toHalfBits(1e6), 'overflow to infinity').toBe(0x7c00);
    expect(toHalfBits(2 ** -14), 'smallest normal').toBe(0x0400);
    expect(toHalfBits(2 ** -24), 'smallest subnormal').toBe(0x0001);
    expect(toHalfBits(2 ** -26), 'underflow to 0').toBe(0);
    // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10: ties go to the even mantissa (1).
    expect(toHalfBits(1 + 2 ** -11), 'tie to even').toBe(0x3c00);
    expect(toHalfBits(1 + 3 * 2 ** -11), 'tie to even, up').toBe(0x3c02);
  });
});

describe('the noise model file', () => {
  it('is the same for the same seed, and has the GGUF v3 header', () => {
    const a = buildNoiseGguf();
    expect(a.equals(buildNoiseGguf()), 'same seed, same bytes').toBe(true);
    expect(a.equals(buildNoiseGguf({ ...DEFAULT_NOISE_SHAPE, seed: 7 })), 'another seed').toBe(false);
    expect(a.subarray(0, 4).toString('latin1'), 'magic').toBe('GGUF');
    expect(a.readUInt32LE(4), 'version').toBe(3);
    // token_embd, output_norm, output, then 9 tensors a layer
    expect(Number(a.readBigUInt64LE(8)), 'tensor count').toBe(3 + 9 * DEFAULT_NOISE_SHAPE.layers);
    expect(noiseTensors(DEFAULT_NOISE_SHAPE)).toHaveLength(3 + 9 * DEFAULT_NOISE_SHAPE.layers);
  });

  it('F16 matrices take half the bytes of F32', () => {
    const shape = { ...DEFAULT_NOISE_SHAPE, layers: 1 };
    const matrixValues = noiseTensors(shape)
      .filter((t) => t.matrix)
      .reduce((acc, t) => acc + (t.dims[0] ?? 0) * (t.dims[1] ?? 0), 0);
    const f32 = buildNoiseGguf(shape).length;
    const f16 = buildNoiseGguf({ ...shape, tensorType: 'f16' }).length;
    // Every matrix here is a multiple of 32 bytes in both types, so padding does not differ.
    expect(f32 - f16, '2 bytes saved per matrix value').toBe(matrixValues * 2);
  });

  it('loads in llama.cpp (node-llama-cpp), tokenizes byte-exactly and generates', async () => {
    const path = join(tempDir(), 'noise.gguf');
    writeFileSync(path, buildNoiseGguf({ ...DEFAULT_NOISE_SHAPE, tensorType: 'f16' }));
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    const model = await llama.loadModel({ modelPath: path });
    try {
      expect(model.fileInfo.metadata.general.name, 'name').toBe(NOISE_MODEL_NAME);
      const text = 'Triage: "disk full" — ünïcödé 🚀';
      const tokens = model.tokenize(text);
      // Byte fallback: one token per UTF-8 byte, except each space, which is the vocabulary's ▁.
      expect(tokens, 'one token per byte').toHaveLength(
        Buffer.byteLength(text.replace(/ /g, ''), 'utf8') + (text.match(/ /g)?.length ?? 0),
      );
      expect(model.detokenize(tokens), 'round trip').toBe(text);
      const context = await model.createContext({ contextSize: 256, threads: 1 });
      const generated: number[] = [];
      for await (const token of context.getSequence().evaluate(tokens, { temperature: 0 })) {
        generated.push(token);
        if (generated.length === 8) break;
      }
      expect(generated, 'eight tokens generated').toHaveLength(8);
      await context.dispose();
    } finally {
      await model.dispose();
      await llama.dispose();
    }
  });
});
