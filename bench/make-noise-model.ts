/**
 * Writes the noise model (llama architecture, byte vocabulary, random weights from a fixed seed):
 *   npm run make-noise-model -- out.gguf [--f16] [--layers n] [--embedding n] [--seed n]
 * Its answers are noise; its speed is real compute.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildNoiseGguf, DEFAULT_NOISE_SHAPE } from '../src/models/noise-gguf.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    f16: { type: 'boolean' },
    layers: { type: 'string' },
    embedding: { type: 'string' },
    seed: { type: 'string' },
  },
});
const out = positionals[0];
if (out === undefined) {
  console.error(
    'usage: npm run make-noise-model -- out.gguf [--f16] [--layers n] [--embedding n] [--seed n]',
  );
  process.exit(2);
}
const shape = {
  ...DEFAULT_NOISE_SHAPE,
  tensorType: values.f16 === true ? ('f16' as const) : ('f32' as const),
  ...(values.layers === undefined ? {} : { layers: Number(values.layers) }),
  ...(values.embedding === undefined
    ? {}
    : { embeddingLength: Number(values.embedding), feedForwardLength: 2 * Number(values.embedding) }),
  ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
};
const bytes = buildNoiseGguf(shape);
writeFileSync(out, bytes);
console.log(
  `wrote ${out}: ${bytes.length} bytes, ${shape.layers} layers, embedding ${shape.embeddingLength}, ${shape.tensorType}`,
);
