/**
 * Is costbench what limits the embedded engine's measured rate? The same work (the noise model,
 * the same prompts rendered by its chat template and tokenized per request, greedy decoding, the
 * same context settings and lifetime) runs through costbench's embedded backend (engine process,
 * IPC, timing) and through a bare node-llama-cpp `evaluate()` loop in this process.
 *
 * One unit = `concurrency` requests in flight together (one per sequence of the context). Units
 * alternate bare / costbench (which goes first alternates too), so the load other processes put on
 * the machine weighs on both alike: measured here, running the two in blocks of 8 requests instead
 * gave ratios of 0.92-0.96 in either direction of drift, per-request alternation 1.00.
 *
 * Figures per thread count and concurrency:
 * - tok/s: all output tokens of the units / their wall time, each on its own clock; the ratio is the
 *   median of the paired unit ratios (target >= 0.98);
 * - decode: per request, (n - 1) / first-to-last token; costbench's is the figure it stores (timed
 *   in the engine process), the bare loop's is timed the same way around `evaluate()`.
 * The noise model's greedy answers to these prompts run to the token limit, so both sides generate
 * the same tokens (the counts are printed). A thread count that takes every logical core makes
 * llama.cpp's spinning threads fight the process for CPU: that case runs a quarter of the tokens.
 *
 *   npm run bench:embedded [-- --units 24 --tokens 128 --threads 1,2 --concurrency 1,4]
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChatMessage } from '../src/backends/backend.js';
import { LlamaCppBackend } from '../src/backends/llama-cpp.js';
import { buildNoiseGguf } from '../src/models/noise-gguf.js';

const { values } = parseArgs({
  options: {
    units: { type: 'string', default: '24' },
    tokens: { type: 'string', default: '128' },
    threads: { type: 'string', default: availableParallelism() > 1 ? '1,2' : '1' },
    concurrency: { type: 'string', default: '1,4' },
  },
});
const UNITS = Number(values.units);
const CONTEXT = 2048;
const list = (s: string): number[] => s.split(',').map(Number);

const model = join(tmpdir(), `costbench-bench-noise-${process.pid}.gguf`);
writeFileSync(model, buildNoiseGguf());
const messages = (i: number): ChatMessage[] => [
  { role: 'system', content: 'You summarise support tickets in one line.' },
  {
    role: 'user',
    content: `Ticket ${i}: the export to CSV times out after 30 s on large projects; customers on plan ${i % 3} are affected.`,
  },
];

const { getLlama, LlamaLogLevel, resolveChatWrapper } = await import('node-llama-cpp');
const llama = await getLlama({ gpu: 'auto', build: 'never', logLevel: LlamaLogLevel.error, maxThreads: 0 });
// The load and context options the engine process uses (engine-load.ts): the same settings.
const bareModel = await llama.loadModel({
  modelPath: model,
  gpuLayers: 'auto',
  useMmap: true,
  defaultContextFlashAttention: 'auto',
});
const wrapper = resolveChatWrapper(bareModel);
type BareContext = Awaited<ReturnType<typeof bareModel.createContext>>;

/** The prompt as the model's chat template renders it, in tokens: work any harness does per request. */
function promptTokens(i: number) {
  const [system, user] = messages(i);
  const chatHistory = [
    { type: 'system' as const, text: system?.content ?? '' },
    { type: 'user' as const, text: user?.content ?? '' },
    { type: 'model' as const, response: [] },
  ];
  return wrapper.generateContextState({ chatHistory }).contextText.tokenize(bareModel.tokenizer);
}

interface Measured {
  tokens: number;
  ms: number;
  /** Per request: (n - 1) / first-to-last token, tok/s. */
  decode: number[];
}

/** One bare request on a sequence: evaluate until the end of generation or the token limit. */
async function bareRequest(
  context: BareContext,
  i: number,
  limit: number,
): Promise<{ n: number; decode: number | null }> {
  const sequence = context.getSequence();
  let n = 0;
  let first = 0;
  let last = 0;
  for await (const token of sequence.evaluate(promptTokens(i), { temperature: 0, yieldEogToken: true })) {
    last = performance.now();
    if (n === 0) first = last;
    n += 1;
    if (bareModel.isEogToken(token) || n >= limit) break;
  }
  sequence.dispose();
  return { n, decode: n > 1 && last > first ? ((n - 1) / (last - first)) * 1000 : null };
}

/** A unit of bare work: `concurrency` requests at once on the context's sequences. */
async function bareUnit(
  context: BareContext,
  concurrency: number,
  unit: number,
  limit: number,
): Promise<Measured> {
  const t0 = performance.now();
  const done = await Promise.all(
    Array.from({ length: concurrency }, (_, k) => bareRequest(context, unit * concurrency + k, limit)),
  );
  return {
    tokens: done.reduce((a, d) => a + d.n, 0),
    ms: performance.now() - t0,
    decode: done.flatMap((d) => (d.decode === null ? [] : [d.decode])),
  };
}

/** The same unit through costbench's embedded backend, timed on costbench's clock. */
async function costbenchUnit(
  backend: LlamaCppBackend,
  concurrency: number,
  unit: number,
  limit: number,
): Promise<Measured> {
  const t0 = performance.now();
  const done = await Promise.all(
    Array.from({ length: concurrency }, async (_, k) => {
      const r = await backend.chat({
        model,
        messages: messages(unit * concurrency + k),
        options: { temperature: 0, numPredict: limit },
        timeoutMs: 600_000,
      });
      if (r.state !== 'ok') throw new Error(`request failed: ${r.state === 'errored' ? r.error : 'aborted'}`);
      return r.metrics;
    }),
  );
  return {
    tokens: done.reduce((a, m) => a + (m.outputTokens ?? 0), 0),
    ms: performance.now() - t0,
    decode: done.flatMap((m) =>
      m.evalMs !== null && m.evalMs > 0 ? [((m.evalTokens ?? 0) / m.evalMs) * 1000] : [],
    ),
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const rate = (m: Measured): number => (m.tokens / m.ms) * 1000;

/** One configuration: alternating units, then its row of figures. */
async function measure(threads: number, concurrency: number, limit: number): Promise<string[]> {
  const backend = new LlamaCppBackend({
    modelSpec: model,
    cwd: tmpdir(),
    seed: null,
    load: {
      threads,
      gpuLayers: 'auto',
      contextSize: CONTEXT,
      batchSize: 'auto',
      flashAttention: 'auto',
      kvCacheType: 'f16',
      mmap: true,
      sequences: concurrency,
    },
  });
  await backend.warmUp(model);
  const context = await bareModel.createContext({
    sequences: concurrency,
    threads,
    flashAttention: 'auto',
    contextSize: CONTEXT,
  });
  await bareUnit(context, concurrency, 0, limit);
  await costbenchUnit(backend, concurrency, 0, limit);
  const pairs: { bare: Measured; cb: Measured }[] = [];
  for (let unit = 0; unit < UNITS; unit += 1) {
    const bareFirst = unit % 2 === 0;
    const b = bareFirst ? await bareUnit(context, concurrency, unit, limit) : null;
    const cb = await costbenchUnit(backend, concurrency, unit, limit);
    pairs.push({ bare: b ?? (await bareUnit(context, concurrency, unit, limit)), cb });
  }
  await backend.close();
  await context.dispose();
  const ratios = pairs.map((p) => rate(p.cb) / rate(p.bare));
  const bareDecode = median(pairs.flatMap((p) => p.bare.decode));
  const cbDecode = median(pairs.flatMap((p) => p.cb.decode));
  const tokens = `${pairs.reduce((a, p) => a + p.bare.tokens, 0)}/${pairs.reduce((a, p) => a + p.cb.tokens, 0)}`;
  return [
    String(threads),
    String(concurrency),
    median(pairs.map((p) => rate(p.bare))).toFixed(0),
    median(pairs.map((p) => rate(p.cb))).toFixed(0),
    median(ratios).toFixed(3),
    Math.min(...ratios).toFixed(3),
    Math.max(...ratios).toFixed(3),
    tokens,
    bareDecode.toFixed(0),
    cbDecode.toFixed(0),
    (cbDecode / bareDecode).toFixed(3),
  ];
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `bench:embedded: noise model, ${UNITS} alternating units per row, up to ${values.tokens} tokens a request, ` +
    `${availableParallelism()} logical cores, load average ${load()}`,
);
console.log(
  [
    'threads',
    'conc',
    'bare tok/s',
    'costbench tok/s',
    'ratio p50',
    'ratio min',
    'ratio max',
    'tokens bare/cb',
    'decode bare p50',
    'decode cb p50',
    'decode ratio',
  ]
    .map((h) => h.padStart(16))
    .join(''),
);
for (const threads of list(values.threads)) {
  const everyCore = threads >= availableParallelism() && availableParallelism() <= 4;
  const limit = everyCore ? Math.max(8, Math.round(Number(values.tokens) / 4)) : Number(values.tokens);
  for (const concurrency of list(values.concurrency))
    console.log((await measure(threads, concurrency, limit)).map((c) => c.padStart(16)).join(''));
}
console.log(`load average at the end: ${load()}`);
await bareModel.dispose();
await llama.dispose();
