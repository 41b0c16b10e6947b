/**
 * Is costbench what limits the embedded engine's measured rate? The same workload (the noise
 * model, the same prompts rendered by the model's chat template, greedy decoding, the same stop
 * rules, the same context settings) runs through costbench's embedded backend (engine process,
 * IPC, timing) and through a bare node-llama-cpp `evaluate()` loop in this process, at each
 * concurrency and thread count, in alternating rounds. Figures: output tok/s of each (all tokens
 * / wall time of the workload) and their ratio (target >= 0.98).
 *
 *   npm run bench:embedded [-- --rounds 5 --requests 8 --tokens 256 --threads 1,2 --concurrency 1,4]
 */
import { writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChatMessage } from '../src/backends/backend.js';
import { LlamaCppBackend } from '../src/backends/llama-cpp.js';
import { buildNoiseGguf } from '../src/models/noise-gguf.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' }, requests: { type: 'string', default: '8' }, tokens: { type: 'string', default: '256' },
    threads: { type: 'string', default: availableParallelism() > 1 ? '1,2' : '1' }, concurrency: { type: 'string', default: '1,4' },
  },
});
const ROUNDS = Number(values.rounds);
const REQUESTS = Number(values.requests);
const TOKENS = Number(values.tokens);
const CONTEXT = 2048;
const list = (s: string): number[] => s.split(',').map(Number);

const model = join(tmpdir(), `costbench-bench-noise-${process.pid}.gguf`);
writeFileSync(model, buildNoiseGguf());
const messages = (i: number): ChatMessage[] => [
  { role: 'system', content: 'You summarise support tickets in one line.' },
  { role: 'user', content: `Ticket ${i}: the export to CSV times out after 30 s on large projects; customers on plan ${i % 3} are affected.` },
];

const { getLlama, LlamaLogLevel, resolveChatWrapper } = await import('node-llama-cpp');
const llama = await getLlama({ gpu: 'auto', build: 'never', logLevel: LlamaLogLevel.error, maxThreads: 0 });
const bareModel = await llama.loadModel({ modelPath: model });
const wrapper = resolveChatWrapper(bareModel);

/** The bare loop: C sequences of one context, each running its share of the requests, same stop rules. */
async function bare(threads: number, concurrency: number): Promise<{ tokens: number; ms: number }> {
  const context = await bareModel.createContext({ contextSize: CONTEXT, sequences: concurrency, threads });
  const prompts = Array.from({ length: REQUESTS }, (_, i) =>
    wrapper.generateContextState({ chatHistory: [{ type: 'system', text: messages(i)[0]?.content ?? '' }, { type: 'user', text: messages(i)[1]?.content ?? '' }, { type: 'model', response: [] }] })
      .contextText.tokenize(bareModel.tokenizer));
  let next = 0;
  let tokens = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    const sequence = context.getSequence();
    for (let i = next++; i < REQUESTS; i = next++) {
      await sequence.clearHistory();
      let n = 0;
      for await (const token of sequence.evaluate(prompts[i] ?? [], { temperature: 0, yieldEogToken: true })) {
        n += 1;
        if (bareModel.isEogToken(token) || bareModel.detokenize([token], true).includes('\n') || n >= TOKENS) break;
      }
      tokens += n;
    }
  }));
  const ms = performance.now() - t0;
  await context.dispose();
  return { tokens, ms };
}

/** The same workload through costbench's embedded backend, timed on costbench's clock. */
async function costbench(backend: LlamaCppBackend, concurrency: number): Promise<{ tokens: number; ms: number; decode: number[] }> {
  let next = 0;
  let tokens = 0;
  const decode: number[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let i = next++; i < REQUESTS; i = next++) {
      const r = await backend.chat({ model, messages: messages(i), options: { temperature: 0, numPredict: TOKENS }, timeoutMs: 600_000 });
      if (r.state !== 'ok') throw new Error(`request failed: ${r.state === 'errored' ? r.error : 'aborted'}`);
      tokens += r.metrics.outputTokens ?? 0;
      if (r.metrics.evalMs !== null && r.metrics.evalMs > 0) decode.push(((r.metrics.evalTokens ?? 0) / r.metrics.evalMs) * 1000);
    }
  }));
  return { tokens, ms: performance.now() - t0, decode };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[m] ?? NaN) : ((s[m - 1] ?? NaN) + (s[m] ?? NaN)) / 2;
};
const f = (x: number, d = 0): string => x.toFixed(d);

console.log(`bench:embedded — noise model, ${REQUESTS} requests of up to ${TOKENS} tokens, ${ROUNDS} alternating rounds, `
  + `${availableParallelism()} logical cores; tok/s = all output tokens / wall time of the workload`);
console.log(['threads', 'conc', 'bare tok/s', 'costbench tok/s', 'ratio p50', 'ratio min', 'ratio max', 'tokens (bare/cb)', 'engine decode p50'].map((h) => h.padStart(17)).join(''));
for (const threads of list(values.threads)) {
  for (const concurrency of list(values.concurrency)) {
    const backend = new LlamaCppBackend({
      modelSpec: model, cwd: tmpdir(), seed: null,
      load: { threads, gpuLayers: 'auto', contextSize: CONTEXT, batchSize: 'auto', flashAttention: 'auto', kvCacheType: 'f16', mmap: true, sequences: concurrency },
    });
    await backend.warmUp(model);
    await bare(threads, concurrency);
    const ratios: number[] = [];
    const bareRates: number[] = [];
    const cbRates: number[] = [];
    const decode: number[] = [];
    let counts = '';
    for (let round = 0; round < ROUNDS; round += 1) {
      // Alternate which goes first, so a drift in machine load weighs on both alike.
      const order = round % 2 === 0 ? ['bare', 'cb'] : ['cb', 'bare'];
      const got: Record<string, { tokens: number; ms: number }> = {};
      for (const which of order) {
        if (which === 'bare') got['bare'] = await bare(threads, concurrency);
        else {
          const r = await costbench(backend, concurrency);
          decode.push(...r.decode);
          got['cb'] = r;
        }
      }
      const b = got['bare'] as { tokens: number; ms: number };
      const c = got['cb'] as { tokens: number; ms: number };
      bareRates.push((b.tokens / b.ms) * 1000);
      cbRates.push((c.tokens / c.ms) * 1000);
      ratios.push(((c.tokens / c.ms) * 1000) / ((b.tokens / b.ms) * 1000));
      counts = `${b.tokens}/${c.tokens}`;
    }
    await backend.close();
    console.log([String(threads), String(concurrency), f(median(bareRates)), f(median(cbRates)), f(median(ratios), 3), f(Math.min(...ratios), 3),
      f(Math.max(...ratios), 3), counts, f(median(decode))].map((c) => c.padStart(17)).join(''));
  }
}
await bareModel.dispose();
await llama.dispose();
