import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/json-schema.js';
import type { ApiPrice } from '../src/cost/price-types.js';
import {
  clientDecodeTokensPerS,
  decodeTokensPerS,
  serverDecodeTokensPerS,
} from '../src/analysis/decode-rate.js';
import { formatRunTable } from '../src/report/format-table.js';
import { costJson } from '../src/report/format-json.js';
import { computeRunCost } from '../src/analysis/run-cost.js';
import { computeRunSummary } from '../src/analysis/summary.js';
import { computeSweep } from '../src/analysis/levels.js';
import { formatRunMarkdown } from '../src/report/format-markdown.js';
import { generateRequestsCsv } from '../src/report/format-csv.js';
import { buildRateFigure, buildSweepFigure } from '../src/report/html/time-figures.js';
import { shapeHtmlSeries } from '../src/report/html/series.js';
import type { Phase } from '../src/store/telemetry.js';
import { computeTokenCounts, describeTokenSources, formatTokensLine } from '../src/analysis/token-counts.js';
import type { RequestRow } from '../src/store/requests.js';
import type { RunRow } from '../src/store/runs.js';

const RUN: RunRow = {
  id: 9,
  status: 'completed',
  startedAt: '2026-11-27T10:00:00.000Z',
  finishedAt: '2026-11-27T10:00:10.000Z',
  backend: 'openai',
  host: 'http://127.0.0.1:1234/v1',
  model: 'qwen2.5-7b-instruct',
  suiteId: 'triage-basic',
  suiteVersion: '1',
  repeatCount: 1,
  plannedRequests: 3,
  settings: {},
  costbenchVersion: '0.1.0',
  error: null,
  warnings: [],
};

/** An ok request as an OpenAI-compatible server without timings leaves it: counts, no durations. */
function row(seq: number, over: Partial<RequestRow>): RequestRow {
  return {
    concurrency: 1,
    seq,
    taskId: `t${seq}`,
    repeatIndex: 0,
    state: 'ok',
    startedAt: RUN.startedAt,
    startOffsetMs: seq * 1000,
    ttftMs: 100,
    lastTokenMs: 1090,
    latencyMs: 1100,
    promptTokens: 40,
    promptEvalMs: null,
    outputTokens: 100,
    evalMs: null,
    loadMs: null,
    serverTotalMs: null,
    doneReason: 'stop',
    chunks: 102,
    malformedLines: 0,
    outputText: null,
    error: null,
    score: null,
    correct: null,
    scoreDetail: null,
    agreement: null,
    agreementMethod: null,
    metricsSource: 'usage',
    cachedPromptTokens: null,
    ...over,
  };
}

const PRICE: ApiPrice = {
  model: 'test-model',
  provider: 'openai',
  inputUsdPerMTok: 1,
  outputUsdPerMTok: 4,
  cachedInputUsdPerMTok: null,
  batchInputUsdPerMTok: null,
  batchOutputUsdPerMTok: null,
  source: 'config',
  asOf: null,
};

describe('decode rates', () => {
  it('times decode on the server when it reports a duration, else on the client clock', () => {
    // 99 tokens after the first over 1090 - 100 = 990 ms
    expect(clientDecodeTokensPerS({ outputTokens: 100, evalMs: null, ttftMs: 100, lastTokenMs: 1090 })).toBe(
      100,
    );
    expect(
      serverDecodeTokensPerS({ outputTokens: 100, evalMs: null, ttftMs: 100, lastTokenMs: 1090 }),
    ).toBeNull();
    expect(decodeTokensPerS({ outputTokens: 100, evalMs: null, ttftMs: 100, lastTokenMs: 1090 })).toEqual({
      tokensPerS: 100,
      timedBy: 'client',
    });
    expect(decodeTokensPerS({ outputTokens: 100, evalMs: 800, ttftMs: 100, lastTokenMs: 1090 })).toEqual({
      tokensPerS: 125,
      timedBy: 'server',
    });
  });

  it('has no client rate with fewer than two tokens or no time between the first and the last', () => {
    expect(
      clientDecodeTokensPerS({ outputTokens: 1, evalMs: null, ttftMs: 100, lastTokenMs: 100 }),
    ).toBeNull();
    expect(
      clientDecodeTokensPerS({ outputTokens: 5, evalMs: null, ttftMs: 100, lastTokenMs: 100 }),
    ).toBeNull();
    expect(
      clientDecodeTokensPerS({ outputTokens: 5, evalMs: null, ttftMs: null, lastTokenMs: 100 }),
    ).toBeNull();
    expect(
      clientDecodeTokensPerS({ outputTokens: null, evalMs: null, ttftMs: 10, lastTokenMs: 100 }),
    ).toBeNull();
  });
});

describe('token counts and where they came from', () => {
  it('counts per source, means over the requests that have each count, and cached prompt tokens', () => {
    const t = computeTokenCounts([
      row(0, { metricsSource: 'server', cachedPromptTokens: 16 }),
      row(1, { metricsSource: 'usage', cachedPromptTokens: 0 }),
      row(2, { metricsSource: 'chunks', promptTokens: null, outputTokens: 70 }),
      row(3, { metricsSource: null }),
    ]);
    expect(t).toEqual({
      prompt: 120,
      output: 370,
      requestsWithoutCounts: 1,
      promptPerRequest: 40,
      outputPerRequest: 92.5,
      sources: { server: 1, usage: 1, chunks: 1, unknown: 1 },
      cachedPrompt: 16,
      // rows 0 and 1 report a cache: 16 and 0 tokens, mean 8, of their 40 + 40 prompt tokens
      cachedPromptPerRequest: 8,
      cachedShare: 16 / 80,
    });
    expect(describeTokenSources(t)).toBe(
      "1 requests: counted and timed by the server; 1 requests: counted by the server's tokenizer (usage), not timed; " +
        '1 requests: ESTIMATED, one output token per streamed chunk (the server sent no usage; prompt tokens unknown); 1 requests: source not recorded',
    );
  });

  it('says it once when every request has the same source', () => {
    const chunks = computeTokenCounts([row(0, { metricsSource: 'chunks', promptTokens: null })]);
    expect(formatTokensLine(chunks)).toBe(
      'Tokens: 0 prompt, 100 output; ESTIMATED, one output token per streamed chunk (the server sent no usage; prompt tokens unknown); 1 requests without a prompt or output count',
    );
    expect(
      formatTokensLine(computeTokenCounts([row(0, { metricsSource: 'server', cachedPromptTokens: 8 })])),
    ).toBe(
      "Tokens: 40 prompt (8 from the server's prompt cache: 20%), 100 output; counted and timed by the server",
    );
  });
});

describe("prompt tokens taken from the server's cache (llama.cpp cache_n, vLLM cached_tokens)", () => {
  it('bills every prompt token and computes the prefill rate on the evaluated ones only', () => {
    // A 400-token system prompt from the cache + 100 task tokens evaluated in 50 ms: 100 / 0.05 s = 2000 tok/s
    // (counting all 500 would say 10 000 tok/s). The Tokens line shows 400 of 500 cached: 80%.
    const cached = row(0, {
      metricsSource: 'server',
      promptTokens: 500,
      cachedPromptTokens: 400,
      promptEvalMs: 50,
      evalMs: 1000,
    });
    const s = computeRunSummary(RUN, [cached], null, null, null);
    expect(s.promptTokensPerS?.median, 'prefill tok/s').toBe(2000);
    expect(s.tokens.promptPerRequest, 'every prompt token, what an API bills').toBe(500);
    expect(s.tokens.cachedPromptPerRequest).toBe(400);
    expect(formatTokensLine(s.tokens)).toBe(
      "Tokens: 500 prompt (400 from the server's prompt cache: 80%), 100 output; counted and timed by the server",
    );
    // Unknown cache (Ollama): all prompt tokens over the prompt time, as the server reports them.
    const unknown = computeRunSummary(RUN, [{ ...cached, cachedPromptTokens: null }], null, null, null);
    expect(unknown.promptTokensPerS?.median).toBe(10_000);
  });
});

describe('a run from a server that times nothing (vLLM) or counts nothing (LM Studio)', () => {
  const vllm = computeRunSummary(
    RUN,
    [row(0, {}), row(1, { lastTokenMs: 595 }), row(2, { lastTokenMs: 1420 })],
    null,
    null,
    null,
  );

  it('reports the client-timed decode beside an unknown server rate', () => {
    expect(vllm.generationTokensPerS).toBeNull();
    // 99 tokens over 990, 495 and 1320 ms
    expect(vllm.clientDecodeTokensPerS).toMatchObject({ count: 3, min: 75, median: 100, max: 200 });
    const table = formatRunTable(vllm);
    expect(table).toMatch(/Decode tok\/s \(client-timed\)\s+100\.0\s+190\.0\s+75\.0\s+200\.0\s+3/);
    expect(table).toContain(
      "Tokens: 120 prompt, 300 output; counted by the server's tokenizer (usage), not timed",
    );
  });

  it('prices the API from the usage counts without an estimate note', () => {
    const { cost } = computeRunCost(vllm, defaultConfig().cost, [PRICE], { models: ['test-model'] });
    expect(cost.apiTokens).toBe('server');
    expect(cost.perTask).toMatchObject({
      promptTokens: 40,
      outputTokens: 100,
      tokensCountedBy: 'server',
    });
    // 40 × 1 + 100 × 4 USD per 1M tokens
    expect(cost.apis[0]?.task.perTask).toBeCloseTo(440e-6, 12);
    expect(cost.notes.join('\n')).not.toMatch(/ESTIMATE|UNDERSTATED/);
  });

  it('marks chunk-counted tokens as an estimate and an API cost without prompt tokens as understated', () => {
    const lmStudio = computeRunSummary(
      RUN,
      [
        row(0, { metricsSource: 'chunks', promptTokens: null }),
        row(1, { metricsSource: 'chunks', promptTokens: null }),
      ],
      null,
      null,
      null,
    );
    const { cost } = computeRunCost(lmStudio, defaultConfig().cost, [PRICE], { models: ['test-model'] });
    expect(cost.apiTokens).toBe('chunks');
    expect(cost.perTask).toMatchObject({
      promptTokens: 0,
      outputTokens: 100,
      tokensCountedBy: 'chunks',
    });
    // The JSON reports carry the sources in words, at the keys' places as before.
    const json = costJson(cost) as typeof cost & { perTask: { tokensCountedBy: string } };
    expect(Object.keys(json)).toEqual(Object.keys(cost));
    expect(Object.keys(json.perTask)).toEqual(Object.keys(cost.perTask));
    expect(json.apiTokens).toBe('local stream chunks (ESTIMATE)');
    expect(json.perTask.tokensCountedBy).toBe('stream chunks (ESTIMATE)');
    expect(json.cachedShare.source).toBe('none reported (0)');
    expect(cost.apis[0]?.task.perTask).toBeCloseTo(400e-6, 12);
    expect(cost.notes).toContain(
      'output tokens were counted one per streamed chunk, an ESTIMATE: the server sent no usage (LM Studio); the API side is priced from that estimate',
    );
    expect(
      cost.notes.some((n) =>
        n.startsWith(
          'the server reported no prompt token counts: the API side prices output tokens only, so every API cost here is UNDERSTATED',
        ),
      ),
    ).toBe(true);
    const table = formatRunTable({ ...lmStudio, cost });
    expect(table).toContain('100 output tokens (counted by stream chunks: ESTIMATE)');
    expect(table).toContain('API side counted with: local stream chunks (ESTIMATE)');
  });

  it('averages per-task tokens over the requests that have counts, not over every ok request', () => {
    const mixed = computeRunSummary(
      RUN,
      [row(0, { promptTokens: 60 }), row(1, { promptTokens: null, outputTokens: null })],
      null,
      null,
      null,
    );
    const { cost } = computeRunCost(mixed, defaultConfig().cost, [PRICE], { models: ['test-model'] });
    expect(cost.perTask.promptTokens).toBe(60);
    expect(cost.perTask.outputTokens).toBe(100);
  });
});

describe('output tok/s from chunk counts (LM Studio) is marked ESTIMATE wherever it appears', () => {
  // Two levels, 2 requests each, 100 chunk-counted tokens per request; level 1 ran 2 s, level 2 ran 1.25 s:
  // output tok/s 200 / 2 = 100 and 200 / 1.25 = 160, both from one-token-per-chunk counts.
  const rows = [1, 2].flatMap((c) =>
    [0, 1].map((i) => row(i, { concurrency: c, metricsSource: 'chunks', promptTokens: null })),
  );
  const phases: Phase[] = [
    { name: 'measure', concurrency: 1, startMs: 0, endMs: 2000 },
    { name: 'measure', concurrency: 2, startMs: 2000, endMs: 3250 },
  ];
  const sweep = computeSweep(rows, phases, null);
  const s = computeRunSummary(RUN, rows, null, null, null, null, [], 3250, null, sweep);

  it('JSON: each level says its output tok/s is an estimate', () => {
    expect(sweep?.levels.map((l) => [l.concurrency, l.outputTokensPerS, l.outputTokensEstimated])).toEqual([
      [1, 100, true],
      [2, 160, true],
    ]);
    const measured = computeSweep(
      rows.map((r) => ({ ...r, metricsSource: 'usage' as const })),
      phases,
      null,
    );
    expect(measured?.levels.map((l) => l.outputTokensEstimated)).toEqual([false, false]);
  });

  it('table and Markdown: the cells carry ~ and the word ESTIMATE', () => {
    const table = formatRunTable(s);
    expect(table).toMatch(/^1 +2 +1\.00 +~100\.0 +—/m);
    expect(table).toContain('~ out tok/s: ESTIMATE, output tokens counted one per streamed chunk');
    expect(table).toMatch(/^Decode tok\/s \(client\) ESTIMATE +\d/m);
    const single = formatRunTable({
      ...s,
      sweep: sweep === null ? null : { ...sweep, levels: sweep.levels.slice(0, 1) },
    });
    expect(single).toContain(
      'Throughput: 1.00 tasks/s, ~100.0 output tok/s ESTIMATE (one token per streamed chunk) (one request at a time)',
    );
    const md = formatRunMarkdown(s);
    expect(md).toContain('| 1 | 2 | 1.00 | \\~100.0 ESTIMATE |');
  });

  it('CSV: each request says whether its counts are estimates', () => {
    const [header, first] = [...generateRequestsCsv(9, rows.slice(0, 1))];
    const columns = header?.trimEnd().split(',') ?? [];
    const cells = first?.trimEnd().split(',') ?? [];
    expect(cells[columns.indexOf('tokens_estimated')]).toBe('true');
    const [, usage] = [...generateRequestsCsv(9, [row(0, {})])];
    expect(usage?.trimEnd().split(',')[columns.indexOf('tokens_estimated')]).toBe('false');
  });

  it('HTML: the sweep figure and the per-request rates are labelled as estimates', () => {
    const figure = buildSweepFigure(s);
    expect(figure.provenance).toEqual(['measured', 'estimate']);
    expect(figure.caption).toContain(
      'output tokens/s is an ESTIMATE: output tokens counted one per streamed chunk',
    );
    expect(
      buildRateFigure(shapeHtmlSeries([], new Map(), phases, rows)).data?.levels.map((l) => l.estimate),
    ).toEqual([true, true]);
  });
});
