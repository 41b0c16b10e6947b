/**
 * The pure parts of remote runs: the usage object (fuzzed), the price-table match, the spend
 * guard's arithmetic, Retry-After, and the redirect rules that keep the key at its origin.
 * Reproduce the fuzz with FUZZ_SEED=<seed>.
 */
import { describe, expect, it } from 'vitest';
import { OpenAiBackend } from '../src/backends/openai.js';
import { parseChunk, parseUsage } from '../src/backends/openai-sse.js';
import { fetchFollowingRedirects, RedirectRefused } from '../src/backends/redirect-fetch.js';
import { isRemoteBackend, knownRemoteHost } from '../src/backends/remote-hosts.js';
import { parseRetryAfterMs } from '../src/backends/retry-after.js';
import { defaultConfig } from '../src/config/json-schema.js';
import { matchPriceKey, priceKeyCandidates } from '../src/cost/price-match.js';
import { checkRemoteRun, resolveRemoteRun } from '../src/runner/remote-run.js';
import {
  SpendGuard,
  computeRequestCostUsd,
  promptBytesOf,
  worstCaseCostUsd,
} from '../src/runner/spend-guard.js';
import { VALUES_BY_TYPE, createRng, deriveSeed, rawJson, stringify, type Json } from './support/fuzz.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 20_251_202);
const PRICE = { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6, cachedInputUsdPerMTok: 0.075 };

describe('usage objects, fuzzed: any value is a whole count or unknown, never a crash or a negative cost', () => {
  const odd: Json[] = [
    ...Object.values(VALUES_BY_TYPE).flat(),
    -5,
    Number.MAX_SAFE_INTEGER,
    2 ** 60,
    rawJson('NaN'),
    rawJson('1e400'),
    '1000',
  ];
  it(`holds for 3000 random usage objects (seed ${SEED})`, () => {
    const rng = createRng(deriveSeed(SEED, 'usage'));
    for (let i = 0; i < 3000; i += 1) {
      const field = (): Json | undefined => (rng.chance(0.2) ? undefined : rng.pick(odd));
      const usage: Record<string, Json> = {};
      for (const [key, value] of [
        ['prompt_tokens', field()],
        ['completion_tokens', field()],
        ['prompt_tokens_details', rng.chance(0.7) ? { cached_tokens: field() ?? null } : field()],
        ['completion_tokens_details', rng.chance(0.7) ? { reasoning_tokens: field() ?? null } : field()],
      ] as const)
        if (value !== undefined) usage[key] = value;
      const top = rng.chance(0.9) ? usage : rng.pick(odd);
      // Through the JSON text, as it arrives: 1e400 becomes Infinity, NaN is not JSON at all.
      let text = stringify({ choices: [], usage: top });
      if (text.includes('NaN')) text = text.replaceAll('NaN', 'null');
      const label = `seed ${SEED}, case ${i}: ${text}`;
      const parsed = parseChunk(JSON.parse(text) as Record<string, unknown>).usage;
      if (parsed === null) continue;
      for (const count of [
        parsed.promptTokens,
        parsed.completionTokens,
        parsed.cachedTokens,
        parsed.reasoningTokens ?? null,
      ]) {
        if (count !== null) {
          expect(Number.isSafeInteger(count) && count >= 0, label).toBe(true);
        }
      }
      const cost = computeRequestCostUsd(
        {
          promptTokens: parsed.promptTokens,
          cachedPromptTokens: parsed.cachedTokens,
          outputTokens: parsed.completionTokens,
        },
        PRICE,
      );
      if (cost !== null) expect(cost >= 0 && Number.isFinite(cost), label).toBe(true);
    }
  });

  it('reads the documented fields exactly, and drops a part larger than its total', () => {
    expect(
      parseUsage({
        prompt_tokens: 1000,
        completion_tokens: 500,
        prompt_tokens_details: { cached_tokens: 200 },
        completion_tokens_details: { reasoning_tokens: 100 },
      }),
    ).toEqual({ promptTokens: 1000, completionTokens: 500, cachedTokens: 200, reasoningTokens: 100 });
    expect(
      parseUsage({
        prompt_tokens: '1000',
        completion_tokens: -1,
        prompt_tokens_details: null,
        completion_tokens_details: { reasoning_tokens: 2 ** 53 },
      }),
    ).toEqual({ promptTokens: null, completionTokens: null, cachedTokens: null, reasoningTokens: null });
    expect(
      parseUsage({ prompt_tokens: 10, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 11 } }),
      'cached above prompt: unknown',
    ).toEqual({ promptTokens: 10, completionTokens: 5, cachedTokens: null, reasoningTokens: null });
    expect(parseUsage(null)).toBeNull();
    expect(parseUsage('lots')).toBeNull();
  });
});

describe('the price-table key for a remote host and model', () => {
  const table = new Set([
    'gpt-4o-mini',
    'openrouter/openai/gpt-4o-mini',
    'groq/llama-3.1-8b-instant',
    'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    'gemini/gemini-2.5-flash',
    'claude-haiku-4-5',
    'mistral/mistral-small-latest',
    'deepseek/deepseek-chat',
    'fireworks_ai/accounts/fireworks/models/qwen3-8b',
  ]);
  const has = (key: string): boolean => table.has(key);
  it.each([
    ['api.openai.com', 'gpt-4o-mini', 'gpt-4o-mini'],
    ['openrouter.ai', 'openai/gpt-4o-mini', 'openrouter/openai/gpt-4o-mini'],
    ['api.groq.com', 'llama-3.1-8b-instant', 'groq/llama-3.1-8b-instant'],
    [
      'api.together.xyz',
      'meta-llama/Llama-3.3-70B-Instruct-Turbo',
      'together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo',
    ],
    ['generativelanguage.googleapis.com', 'gemini-2.5-flash', 'gemini/gemini-2.5-flash'],
    ['generativelanguage.googleapis.com', 'models/gemini-2.5-flash', 'gemini/gemini-2.5-flash'],
    ['api.anthropic.com', 'claude-haiku-4-5', 'claude-haiku-4-5'],
    ['api.mistral.ai', 'mistral-small-latest', 'mistral/mistral-small-latest'],
    ['api.deepseek.com', 'deepseek-chat', 'deepseek/deepseek-chat'],
    [
      'api.fireworks.ai',
      'accounts/fireworks/models/qwen3-8b',
      'fireworks_ai/accounts/fireworks/models/qwen3-8b',
    ],
    ['127.0.0.1', 'gpt-4o-mini', 'gpt-4o-mini'],
    ['api.groq.com', 'no-such-model', null],
  ])('%s + %s -> %s', (host, model, key) => {
    expect(matchPriceKey(host, model, has)).toBe(key);
  });

  it('takes --price-model when the table has it, and nothing else', () => {
    expect(matchPriceKey('127.0.0.1', 'my-proxy-name', has, 'gpt-4o-mini')).toBe('gpt-4o-mini');
    expect(matchPriceKey('api.openai.com', 'gpt-4o-mini', has, 'gpt-9')).toBeNull();
    expect(priceKeyCandidates('api.groq.com', 'x')).toEqual(['groq/x', 'x']);
  });

  it('knows the public API hosts, and a self-hosted server stays local', () => {
    expect(knownRemoteHost('https://api.openai.com/v1')?.keyEnv).toBe('OPENAI_API_KEY');
    expect(knownRemoteHost('http://127.0.0.1:8080/v1')).toBeNull();
    const openai = { kind: 'openai', remote: 'auto' as const };
    expect(isRemoteBackend(openai, 'https://openrouter.ai/api/v1')).toBe(true);
    expect(isRemoteBackend(openai, 'http://127.0.0.1:8080/v1')).toBe(false);
    expect(isRemoteBackend({ ...openai, remote: false }, 'https://api.openai.com/v1')).toBe(false);
    expect(isRemoteBackend({ ...openai, remote: true }, 'http://127.0.0.1:8080/v1')).toBe(true);
  });
});

describe('billed cost and the spend guard', () => {
  it('bills (prompt - cached) x input + cached x cached input + completion x output', () => {
    // (800 x 0.15 + 200 x 0.075 + 500 x 0.60) / 1e6 = (120 + 15 + 300) / 1e6 = 0.000435
    const usage = { promptTokens: 1000, cachedPromptTokens: 200, outputTokens: 500 };
    expect(computeRequestCostUsd(usage, PRICE)).toBeCloseTo(0.000435, 15);
    // No cached price: cached tokens at the input price: (1000 x 0.15 + 500 x 0.60) / 1e6 = 0.00045
    expect(computeRequestCostUsd(usage, { ...PRICE, cachedInputUsdPerMTok: null })).toBeCloseTo(0.00045, 15);
    expect(computeRequestCostUsd({ ...usage, outputTokens: null }, PRICE), 'no usage').toBeNull();
  });

  it('reserves the worst case: every prompt byte an input token, every allowed output token', () => {
    // [{"role":"user","content":"héllo"}] is 35 characters, 36 UTF-8 bytes (é is two).
    expect(promptBytesOf([{ role: 'user', content: 'héllo' }])).toBe(36);
    // (36 x 0.15 + 1024 x 0.60) / 1e6 = (5.4 + 614.4) / 1e6 = 0.0006198
    expect(worstCaseCostUsd(36, 1024, PRICE)).toBeCloseTo(0.0006198, 15);
  });

  it('refuses a request that could pass the cap, counting the reservations in flight', () => {
    const guard = new SpendGuard(1);
    expect(guard.reserve(0.4)).toEqual({ ok: true, usd: 0.4 });
    expect(guard.reserve(0.4)).toEqual({ ok: true, usd: 0.4 });
    // In flight: 0.8 reserved; 0.8 + 0.3 > 1.
    expect(guard.reserve(0.3)).toEqual({
      ok: false,
      reason:
        'spend cap: 0.0000 USD spent (+0.8000 reserved in flight) of 1.00; the next request could cost up to 0.3000',
    });
    guard.settle(0.4, 0.1);
    guard.settle(0.4, 0.0712);
    // Spent 0.1712, nothing in flight: 0.1712 + 0.8288 = 1.0 is allowed, one more cent is not.
    expect(guard.spent).toBeCloseTo(0.1712, 15);
    expect(guard.reserve(0.9).ok).toBe(false);
    expect(guard.reserve(0.8).ok).toBe(true);
  });
});

describe('Retry-After', () => {
  const headers = (h: Record<string, string>): Headers => new Headers(h);
  const NOW = Date.parse('2026-12-02T10:00:00Z');
  it.each([
    [{ 'retry-after': '7' }, 7000],
    [{ 'retry-after': '0.5' }, 500],
    [{ 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    [{ 'retry-after': 'Wed, 02 Dec 2026 10:00:30 GMT' }, 30_000],
    [{ 'retry-after': 'Wed, 02 Dec 2026 09:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, null],
    [{ 'retry-after': '-3' }, null],
    [{}, null],
  ])('%o -> %s ms', (h, ms) => {
    expect(parseRetryAfterMs(headers(h), NOW)).toBe(ms);
  });
});

describe('redirects: the key stays at its origin', () => {
  type Call = { url: string; method: string; authorization: string | undefined };
  function fakeFetch(routes: Record<string, [number, string | null]>): {
    fetch: typeof fetch;
    calls: Call[];
  } {
    const calls: Call[] = [];
    const impl = (async (input: string, init?: RequestInit) => {
      const headers = (init?.headers ?? {}) as Record<string, string>;
      calls.push({ url: input, method: init?.method ?? 'GET', authorization: headers['authorization'] });
      const [status, location] = routes[input] ?? [200, null];
      return new Response(status === 200 ? 'ok' : null, {
        status,
        headers: location === null ? {} : { location },
      });
    }) as typeof fetch;
    return { fetch: impl, calls };
  }
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' };

  it('sends the key to the same origin, and follows a 307 to another origin without it', async () => {
    const { fetch, calls } = fakeFetch({
      'https://a.test/v1/x': [307, '/v1/y'],
      'https://a.test/v1/y': [308, 'https://b.test/v1/z'],
    });
    const response = await fetchFollowingRedirects(
      fetch,
      'https://a.test/v1/x',
      init,
      'https://a.test',
      'Bearer k',
    );
    expect(response.status).toBe(200);
    expect(calls).toEqual([
      { url: 'https://a.test/v1/x', method: 'POST', authorization: 'Bearer k' },
      { url: 'https://a.test/v1/y', method: 'POST', authorization: 'Bearer k' },
      { url: 'https://b.test/v1/z', method: 'POST', authorization: undefined },
    ]);
  });

  it('refuses a POST turned into a GET, a downgrade to http, and a sixth hop', async () => {
    const post302 = fakeFetch({ 'https://a.test/v1/x': [302, 'https://a.test/v1/y'] });
    await expect(
      fetchFollowingRedirects(post302.fetch, 'https://a.test/v1/x', init, 'https://a.test', null),
    ).rejects.toThrow(RedirectRefused);
    const downgrade = fakeFetch({ 'https://a.test/v1/x': [307, 'http://a.test/v1/x'] });
    await expect(
      fetchFollowingRedirects(downgrade.fetch, 'https://a.test/v1/x', init, 'https://a.test', null),
    ).rejects.toThrow('refused a redirect from https to http://a.test');
    const loop = fakeFetch({ 'https://a.test/v1/x': [307, 'https://a.test/v1/x'] });
    await expect(
      fetchFollowingRedirects(loop.fetch, 'https://a.test/v1/x', init, 'https://a.test', null),
    ).rejects.toThrow('more than 5 redirects');
    expect(loop.calls).toHaveLength(6);
  });
});

describe('the OpenAI backend against a remote API', () => {
  const sse = (events: unknown[]): string =>
    events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
  const request = {
    model: 'o4-mini',
    messages: [{ role: 'user' as const, content: 'hi' }],
    options: { numPredict: 64 },
    timeoutMs: 10_000,
  };

  it('sends max_completion_tokens to api.openai.com, and reads reasoning tokens', async () => {
    const bodies: Record<string, unknown>[] = [];
    const fetchImpl = (async (_url: string, init?: RequestInit) => {
      bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      const usage = {
        prompt_tokens: 12,
        completion_tokens: 40,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 32 },
      };
      const text = sse([
        { choices: [{ index: 0, delta: { content: 'hello' }, finish_reason: null }] },
        { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        { choices: [], usage },
      ]);
      return new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    }) as typeof fetch;
    const backend = new OpenAiBackend({
      host: 'https://api.openai.com:443/v1',
      apiKey: 'k',
      fetch: fetchImpl,
      remote: true,
    });
    const result = await backend.chat(request);
    expect(result.state).toBe('ok');
    expect(result.reasoningTokens).toBe(32);
    expect(result.metrics.outputTokens, 'reasoning inside the completion count').toBe(40);
    expect(bodies[0]?.['max_completion_tokens']).toBe(64);
    expect(bodies[0]?.['max_tokens']).toBeUndefined();
    expect(await backend.version()).toBe('remote API');
  });

  it('hands a 429 back with the wait its Retry-After asks', async () => {
    const fetchImpl = (async () =>
      new Response(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } }), {
        status: 429,
        headers: { 'content-type': 'application/json', 'retry-after': '3' },
      })) as typeof fetch;
    const backend = new OpenAiBackend({
      host: 'https://openrouter.ai/api/v1',
      fetch: fetchImpl,
      remote: true,
    });
    const result = await backend.chat(request);
    expect(result.state).toBe('errored');
    if (result.state === 'errored') {
      expect(result.status).toBe(429);
      expect(result.retryAfterMs).toBe(3000);
      expect(result.error).toBe('HTTP 429: Rate limit reached');
    }
  });
});

describe('the price a remote run is billed at', () => {
  const base = {
    provider: 'openai',
    cachedInputUsdPerMTok: 0.075,
    source: 'bundled' as const,
    asOf: '2026-07-18',
  };
  const table = {
    sources: [],
    prices: [
      {
        ...base,
        model: 'gpt-4o-mini',
        inputUsdPerMTok: 0.15,
        outputUsdPerMTok: 0.6,
        batchInputUsdPerMTok: 0.075,
        batchOutputUsdPerMTok: 0.3,
      },
      {
        ...base,
        model: 'groq/llama-3.1-8b-instant',
        provider: 'groq',
        inputUsdPerMTok: 0.05,
        outputUsdPerMTok: 0.08,
        cachedInputUsdPerMTok: null,
        batchInputUsdPerMTok: null,
        batchOutputUsdPerMTok: null,
      },
    ],
  };
  const config = defaultConfig();

  it('matches host and model, with batch prices under --batch', () => {
    const plain = resolveRemoteRun(config, 'https://api.openai.com:443/v1', 'gpt-4o-mini', table);
    expect(plain).toEqual({
      note: null,
      remote: {
        priceModel: 'gpt-4o-mini',
        provider: 'openai',
        inputUsdPerMTok: 0.15,
        outputUsdPerMTok: 0.6,
        cachedInputUsdPerMTok: 0.075,
        batch: false,
        priceSource: 'bundled',
        priceAsOf: '2026-07-18',
        maxSpendUsd: 1,
        stopReason: null,
      },
    });
    const batched = { ...config, cost: { ...config.cost, batch: true } };
    const batch = resolveRemoteRun(batched, 'https://api.openai.com/v1', 'gpt-4o-mini', table).remote;
    expect([batch.inputUsdPerMTok, batch.outputUsdPerMTok, batch.batch]).toEqual([0.075, 0.3, true]);
    const groq = resolveRemoteRun(batched, 'https://api.groq.com/openai/v1', 'llama-3.1-8b-instant', table);
    expect(groq.remote.priceModel).toBe('groq/llama-3.1-8b-instant');
    expect(groq.remote.batch).toBe(false);
    expect(groq.note).toBe(
      '--batch: the price table has no batch price for groq/llama-3.1-8b-instant; billed at its standard price',
    );
  });

  it('refuses an unknown price, naming the model and how to add one', () => {
    expect(() => resolveRemoteRun(config, 'https://api.groq.com/openai/v1', 'mixtral-9x', table)).toThrow(
      'no price for model "mixtral-9x" at api.groq.com (looked for "groq/mixtral-9x", "mixtral-9x" in the price table)',
    );
  });

  it('refuses plain http for a remote run, and --remote for another backend', () => {
    const openai = { ...config.backend, kind: 'openai' as const };
    expect(() => checkRemoteRun(openai, 'http://api.openai.com/v1')).toThrow('a remote run needs https');
    expect(checkRemoteRun({ ...openai, allowInsecure: true }, 'http://api.openai.com/v1')).toBe(true);
    expect(checkRemoteRun(openai, 'http://127.0.0.1:8080/v1')).toBe(false);
    expect(() => checkRemoteRun({ ...config.backend, remote: true }, 'http://127.0.0.1:11434')).toThrow(
      '--remote needs --backend openai',
    );
  });
});

describe("a resumed remote run's spend so far", () => {
  it('counts billed costs, the worst case of requests without usage, and nothing for a refused request', async () => {
    const { spentBefore } = await import('../src/runner/remote-billing.js');
    const { okRequestRow } = await import('./support/request-row.js');
    const price = { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6, cachedInputUsdPerMTok: 0.075 };
    const planned = [
      {
        seq: 0,
        taskId: 'a',
        repeatIndex: 0,
        messages: [{ role: 'user' as const, content: 'hi' }],
        options: { numPredict: 100 },
        format: undefined,
        check: null,
        expected: undefined,
      },
    ];
    const row = okRequestRow({ taskId: 'a' });
    const rows = [
      { ...row, costUsd: 0.0004 },
      // Broke mid-stream, no usage: it may have been billed. [{"role":"user","content":"hi"}] is 32 bytes:
      // (32 x 0.15 + 100 x 0.6) / 1e6 = 0.0000648.
      { ...row, state: 'errored' as const, chunks: 5, error: 'stream ended before the final chunk' },
      // The same at a context depth of 10 tokens: 32 + 40 bytes -> (72 x 0.15 + 60) / 1e6 = 0.0000708.
      { ...row, state: 'errored' as const, chunks: 5, error: 'x', contextDepthTokens: 10 },
      // Refused before any output: not billed.
      {
        ...row,
        state: 'errored' as const,
        chunks: 0,
        error: 'HTTP 429: Rate limit reached (after 5 retries)',
      },
    ];
    expect(spentBefore(rows, planned, price, 1024)).toBeCloseTo(0.0004 + 0.0000648 + 0.0000708, 12);
  });
});
