import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { buildNoiseGguf, NOISE_MODEL_NAME } from '../src/models/noise-gguf.js';
import { runCli } from './support/cli.js';
import { makeTempDir } from './support/temp.js';

type Row = Record<string, number | string | null>;

const NUM_PREDICT = 24;
const SYSTEM = 'Answer in JSON.';
/** Prompts with spaces, multi-byte characters and an emoji: every byte is a token of the noise model. */
const TASKS = [
  { id: 'a', prompt: 'Triage: "disk full" on /var — ünïcödé 🚀' },
  { id: 'b', prompt: 'Login fails with 500 after the upgrade.', format: 'json' },
  { id: 'c', prompt: 'How do I paginate?' },
];
const SUITE = {
  id: 'e2e-embedded',
  version: '1',
  description: 'Three short tasks for the embedded engine.',
  system: SYSTEM,
  options: { temperature: 0, seed: 7, numPredict: NUM_PREDICT },
  tasks: TASKS,
};

/** The noise model's chat template, rendered by hand: `<|role|>\n` + content + `\n` per message, then the assistant's turn. */
function renderByHand(system: string, prompt: string): string {
  return `<|system|>\n${system}\n<|user|>\n${prompt}\n<|assistant|>\n`;
}

/**
 * What the engine should have generated, computed here on a separate node-llama-cpp: the model's
 * chat wrapper renders the prompt, greedy decoding on the same settings (1 thread, 1 sequence,
 * the same context), stopping as the engine does (end of generation, the template's "\n", numPredict).
 */
async function reference(modelPath: string, tasks: typeof TASKS) {
  const { getLlama, LlamaLogLevel, resolveChatWrapper, LlamaGrammarEvaluationState } =
    await import('node-llama-cpp');
  // The compute backend the engine finds too (gpu auto), so the arithmetic is the same on a GPU machine.
  const llama = await getLlama({ gpu: 'auto', build: 'never', logLevel: LlamaLogLevel.error, maxThreads: 0 });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 2048, sequences: 1, threads: 1 });
  const wrapper = resolveChatWrapper(model);
  const out = new Map<string, { promptTokens: number; outputTokens: number; text: string }>();
  for (const t of tasks) {
    const history = [
      { type: 'system' as const, text: SYSTEM },
      { type: 'user' as const, text: t.prompt },
      { type: 'model' as const, response: [] },
    ];
    const prompt = wrapper
      .generateContextState({ chatHistory: history })
      .contextText.tokenize(model.tokenizer);
    const sequence = context.getSequence();
    const grammar =
      t.format === 'json'
        ? new LlamaGrammarEvaluationState({ model, grammar: await llama.getGrammarFor('json') })
        : undefined;
    const tokens: number[] = [];
    for await (const token of sequence.evaluate(prompt, {
      temperature: 0,
      seed: 7,
      yieldEogToken: true,
      ...(grammar ? { grammarEvaluationState: grammar } : {}),
    })) {
      tokens.push(token);
      if (
        model.isEogToken(token) ||
        model.detokenize([token], true).includes('\n') ||
        tokens.length >= NUM_PREDICT
      )
        break;
    }
    const text = model.detokenize(tokens.filter((x) => !model.isEogToken(x as never)) as never);
    out.set(t.id, {
      promptTokens: prompt.length,
      outputTokens: tokens.length,
      text: text.split('\n')[0] ?? '',
    });
    sequence.dispose();
  }
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  return out;
}

describe('costbench run --backend llama-cpp, end to end on the generated noise model', () => {
  const dir = makeTempDir();
  const modelPath = join(dir.path, 'noise.gguf');
  const db = join(dir.path, 'runs.db');
  let run: { code: number; stdout: string; stderr: string };
  let expected: Awaited<ReturnType<typeof reference>>;

  beforeAll(async () => {
    writeFileSync(modelPath, buildNoiseGguf());
    writeFileSync(join(dir.path, 'suite.json'), JSON.stringify(SUITE));
    run = await runCli(
      [
        'run',
        '--backend',
        'llama-cpp',
        '--model',
        'noise.gguf',
        '--suite',
        'suite.json',
        '--threads',
        '1',
        '--gpu-layers',
        '0',
        '--idle',
        '0',
        '--json',
      ],
      { COSTBENCH_DB: db },
      dir.path,
    );
    expected = await reference(modelPath, TASKS);
  }, 120_000);
  afterAll(() => dir.remove());

  it('exits 0 and reports the run, labelled as the noise model', () => {
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary.run.backend).toBe('llama-cpp');
    expect(summary.requests).toEqual({
      planned: 3,
      ok: 3,
      errored: 0,
      aborted: 0,
      notRun: 0,
      truncated: summary.requests.truncated,
      malformedLines: 0,
    });
    expect(summary.run.warnings, 'labelled').toContain(
      'noise model: answers are noise; speeds are real compute (costbench-noise, random weights)',
    );
    expect(summary.model).toMatchObject({
      family: 'llama',
      quantization: 'F32',
      parameterCount: 362_112,
      contextLength: 2048,
    });
    expect(summary.model?.architecture).toEqual({
      name: 'llama',
      blockCount: 2,
      headCount: 4,
      headCountKv: 2,
      embeddingLength: 128,
      keyLength: null,
      valueLength: null,
    });
    expect(summary.engine).toMatchObject({
      computeBackend: expect.stringMatching(/^(cpu|cuda|vulkan|metal)$/),
      threads: 1,
      gpuLayers: 0,
      totalLayers: 3,
      sequences: 1,
      contextSize: 2048,
      kvCacheType: 'f16',
      flashAttention: 'auto',
      mmap: true,
    });
    expect(summary.tokens.sources, 'counted and timed by the engine').toEqual({
      server: 3,
      usage: 0,
      chunks: 0,
      unknown: 0,
    });
    expect(NOISE_MODEL_NAME).toContain('answers are noise');
  });

  it("counts prompt tokens as the model's tokenizer does: byte for byte the rendered template", () => {
    const rows = new Database(db, { readonly: true })
      .prepare('SELECT * FROM requests ORDER BY seq')
      .all() as Row[];
    for (const t of TASKS) {
      const row = rows.find((r) => r['task_id'] === t.id);
      expect(row?.['prompt_tokens'], `${t.id}: node-llama-cpp's tokenizer`).toBe(
        expected.get(t.id)?.promptTokens,
      );
      // The noise vocabulary is bytes (each space one "▁"): the count is the rendered prompt's UTF-8 length.
      expect(row?.['prompt_tokens'], `${t.id}: bytes of the template rendered by hand`).toBe(
        Buffer.byteLength(renderByHand(SYSTEM, t.prompt)),
      );
    }
  });

  it('counts output tokens exactly: the same greedy tokens and text as a separate node-llama-cpp', () => {
    const rows = new Database(db, { readonly: true })
      .prepare('SELECT * FROM requests ORDER BY seq')
      .all() as Row[];
    for (const t of TASKS) {
      const row = rows.find((r) => r['task_id'] === t.id);
      expect(row?.['output_tokens'], `${t.id}: output tokens`).toBe(expected.get(t.id)?.outputTokens);
      expect(row?.['output_text'], `${t.id}: answer text`).toBe(expected.get(t.id)?.text);
      expect(row?.['threads'], `${t.id}: threads`).toBe(1);
      expect(row?.['cached_prompt_tokens'], `${t.id}: no prompt cache`).toBe(0);
    }
  });

  it('engine and client timings relate as their definitions say', () => {
    const rows = new Database(db, { readonly: true })
      .prepare('SELECT * FROM requests ORDER BY seq')
      .all() as Row[];
    for (const r of rows) {
      const n = (k: string): number => Number(r[k]);
      const label = `task ${String(r['task_id'])}`;
      expect(r['metrics_source'], label).toBe('server');
      // The engine's intervals lie inside the client's: same monotonic clock, no tolerance needed.
      expect(n('ttft_ms'), `${label}: client TTFT >= engine prefill`).toBeGreaterThanOrEqual(
        n('prompt_eval_ms'),
      );
      expect(n('latency_ms'), `${label}: client latency >= engine total`).toBeGreaterThanOrEqual(
        n('server_total_ms'),
      );
      expect(n('last_token_ms'), `${label}: last token within the latency`).toBeLessThanOrEqual(
        n('latency_ms'),
      );
      expect(
        n('prompt_eval_ms') + (r['eval_ms'] === null ? 0 : n('eval_ms')),
        `${label}: prefill + decode <= engine total`,
      ).toBeLessThanOrEqual(n('server_total_ms'));
      if (n('output_tokens') < 2) continue;
      expect(n('eval_tokens'), `${label}: the decode window covers n - 1 tokens`).toBe(
        n('output_tokens') - 1,
      );
      // Client window = engine window + (last message delay - first message delay); the first delay is at most
      // client TTFT - engine prefill, so the client's window can be shorter than the engine's by that much only.
      const slack = n('ttft_ms') - n('prompt_eval_ms');
      expect(
        n('last_token_ms') - n('ttft_ms'),
        `${label}: client decode window vs engine's`,
      ).toBeGreaterThanOrEqual(n('eval_ms') - slack);
    }
  });

  it('stores the engine, the cold load apart from the requests, and prints measured tok/s', async () => {
    const sqlite = new Database(db, { readonly: true });
    const engine = sqlite.prepare('SELECT * FROM run_engines').get() as Row;
    const warmup = sqlite.prepare('SELECT * FROM warmups').get() as Row;
    sqlite.close();
    expect(engine['gpu_layers'], '--gpu-layers 0').toBe(0);
    expect(engine['chat_template']).toBe('JinjaTemplate');
    expect(Number(engine['model_load_ms']), 'model load timed').toBeGreaterThan(0);
    expect(warmup['state']).toBe('ok');
    expect(Number(warmup['load_ms']), 'warm-up load = model load + context').toBeCloseTo(
      Number(engine['model_load_ms']) + Number(engine['context_ms']),
      6,
    );
    const table = await runCli(['report'], { COSTBENCH_DB: db }, dir.path);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^Generation tok\/s \(engine\)\s+\d+\.\d/m);
    expect(table.stdout).toMatch(/^Throughput: [\d.]+ tasks\/s, \d+\.\d output tok\/s/m);
    expect(table.stdout).toMatch(
      /^Engine {3}llama\.cpp \(node-llama-cpp [\d.]+\) on (CPU|CUDA|VULKAN|METAL).* · threads 1 · 0\/3 layers on the GPU/m,
    );
    expect(table.stdout).toContain('noise model: answers are noise; speeds are real compute');
  });
});
