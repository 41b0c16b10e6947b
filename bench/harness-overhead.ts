/**
 * Harness overhead: the same streaming chat requests against the fake Ollama, or with
 * --backend openai the fake llama.cpp server (each in its own process), through
 *   - a bare client loop: the `ollama` package, or fetch + SSE line splitting + JSON.parse,
 *   - costbench's backend (guarded fetch or SSE decoder, TTFT clock, metrics parsing),
 *   - the same plus the SQLite row write the run loop does after every request,
 * at concurrency 1, 8, 64 and 256 (--concurrency), with the server in two regimes (--regimes):
 *   - paced: each stream decodes at --paced-rate tok/s (default 1000, faster than single-stream
 *     decode on most local hardware): what a user's measurement sees. Target ratio >= 0.98.
 *   - unthrottled: the server writes as fast as it can, so the client is the bottleneck: the
 *     ceiling of what each client path can consume, and the overhead in the worst case.
 * Rounds alternate between modes; the median round counts. Each round also reports the client's
 * CPU time per output token (process.cpuUsage of this process, user + system, over the round's
 * tokens: the fair figure when client and server share few cores) and the event-loop lag during
 * the round (perf_hooks.monitorEventLoopDelay, p99 and max). A round runs at least
 * 2 x concurrency requests, so every level is really reached.
 *
 *   npm run bench:overhead [-- --backend ollama|openai --requests 48 --rounds 5 --tokens 200 --paced-rate 1000
 *                             --concurrency 1,8,64,256 --regimes paced,unthrottled]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { Ollama } from 'ollama';
import type { Backend } from '../src/backends/backend.js';
import { OllamaBackend } from '../src/backends/ollama.js';
import { OpenAiBackend } from '../src/backends/openai.js';
import { openDb, type Db } from '../src/store/db.js';
import { insertRequest } from '../src/store/requests.js';
import { insertRun } from '../src/store/runs.js';
import { spawnFakeServer } from './fake-server-process.js';

type Mode = 'bare client' | 'costbench backend' | 'backend + SQLite row';
const MODES: Mode[] = ['bare client', 'costbench backend', 'backend + SQLite row'];
const MODEL = 'llama3.2:latest';
const MESSAGES = [
  { role: 'user' as const, content: 'Triage this issue: login fails with 500 after upgrading to 4.2.0.' },
];

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '48' },
    rounds: { type: 'string', default: '5' },
    tokens: { type: 'string', default: '200' },
    'paced-rate': { type: 'string', default: '1000' },
    backend: { type: 'string', default: 'ollama' },
    concurrency: { type: 'string', default: '1,8,64,256' },
    regimes: { type: 'string', default: 'paced,unthrottled' },
  },
});
const KIND = values.backend === 'openai' ? 'openai' : 'ollama';
const REQUESTS = Number(values.requests);
const ROUNDS = Number(values.rounds);
const TOKENS = Number(values.tokens);
const LEVELS = values.concurrency.split(',').map(Number);
const REGIMES = values.regimes.split(',');
/** The lag monitor's timer interval; Node records whole intervals, so the lag is a sample minus this. */
const LAG_RESOLUTION_MS = 10;

async function startServer(genRate: number): Promise<{ url: string; child: ChildProcess }> {
  const script = join(
    import.meta.dirname,
    '..',
    'test',
    'support',
    KIND === 'ollama' ? 'fake-ollama-cli.js' : 'fake-openai-cli.js',
  );
  const common = [
    '--port',
    '0',
    '--gen-rate',
    String(genRate),
    '--prompt-rate',
    '1000000',
    '--output-tokens',
    String(TOKENS),
  ];
  const args =
    KIND === 'ollama'
      ? [...common, '--load-ms', '0', '--parallel', String(Math.max(...LEVELS))]
      : [...common, '--flavor', 'llama.cpp', '--model', MODEL, '--parallel', String(Math.max(...LEVELS))];
  return spawnFakeServer(script, args);
}

/** The least a client can do with an OpenAI-compatible stream: split SSE events, parse each, keep the usage. */
async function bareOpenAi(url: string): Promise<number> {
  const response = await fetch(`${url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: MODEL,
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    }),
  });
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffered = '';
  let tokens = 0;
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    buffered += decoder.decode(read.value, { stream: true });
    const events = buffered.split('\n\n');
    buffered = events.pop() ?? '';
    for (const event of events) {
      const data = event.startsWith('data: ') ? event.slice(6) : '';
      if (data === '' || data === '[DONE]') continue;
      const usage = (JSON.parse(data) as { usage?: { completion_tokens?: number } }).usage;
      if (usage?.completion_tokens !== undefined) tokens = usage.completion_tokens;
    }
  }
  return tokens;
}

async function oneRequest(
  mode: Mode,
  url: string,
  backend: Backend,
  db: Db,
  runId: number,
  seq: number,
): Promise<number> {
  if (mode === 'bare client' && KIND === 'openai') return bareOpenAi(url);
  if (mode === 'bare client') {
    const stream = await new Ollama({ host: url }).chat({ model: MODEL, messages: MESSAGES, stream: true });
    let tokens = 0;
    for await (const chunk of stream) if (chunk.done) tokens = chunk.eval_count ?? 0;
    return tokens;
  }
  const result = await backend.chat(
    { model: MODEL, messages: MESSAGES, options: {}, timeoutMs: 60_000 },
    () => undefined,
  );
  if (result.state !== 'ok') throw new Error(result.error); // counted as a failed request by the round
  if (mode === 'backend + SQLite row') {
    insertRequest(db, runId, {
      concurrency: 1,
      seq,
      taskId: 't',
      repeatIndex: seq,
      state: 'ok',
      startedAt: new Date().toISOString(),
      startOffsetMs: 0,
      ttftMs: result.ttftMs,
      latencyMs: result.latencyMs,
      promptTokens: result.metrics.promptTokens,
      promptEvalMs: result.metrics.promptEvalMs,
      outputTokens: result.metrics.outputTokens,
      evalMs: result.metrics.evalMs,
      loadMs: result.metrics.loadMs,
      serverTotalMs: result.metrics.totalMs,
      doneReason: result.doneReason,
      chunks: result.chunks,
      malformedLines: result.malformedLines,
      outputText: result.text,
      error: null,
      score: null,
      correct: null,
      scoreDetail: null,
      agreement: null,
      agreementMethod: null,
      lastTokenMs: result.lastTokenMs,
      metricsSource: result.metricsSource,
      cachedPromptTokens: result.cachedPromptTokens,
    });
  }
  return result.metrics.outputTokens ?? 0;
}

/** One round's figures: throughput, the client's CPU per token, the event-loop lag. */
interface RoundResult {
  tokensPerS: number;
  cpuUsPerToken: number;
  lagP99Ms: number;
  lagMaxMs: number;
  /** Requests that failed (the fake server closing a connection under 256 streams): counted, not fatal. */
  failed: number;
}

/** Runs max(REQUESTS, 2 x concurrency) requests with `concurrency` in flight. */
async function round(
  mode: Mode,
  concurrency: number,
  url: string,
  backend: Backend,
  db: Db,
  runId: number,
  seqBase: number,
): Promise<RoundResult> {
  const requests = Math.max(REQUESTS, 2 * concurrency);
  let next = 0;
  let tokens = 0;
  let failed = 0;
  const lag = monitorEventLoopDelay({ resolution: LAG_RESOLUTION_MS });
  lag.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const seq = seqBase + next;
      next += 1;
      try {
        const received = await oneRequest(mode, url, backend, db, runId, seq); // not `tokens += await`: that reads tokens before the await
        tokens += received;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  lag.disable();
  const lagMs = (ns: number): number => Math.max(0, ns / 1e6 - LAG_RESOLUTION_MS);
  return {
    tokensPerS: (tokens / wallMs) * 1000,
    cpuUsPerToken: (used.user + used.system) / tokens,
    lagP99Ms: lag.count === 0 ? 0 : lagMs(lag.percentile(99)),
    lagMaxMs: lag.count === 0 ? 0 : lagMs(lag.max),
    failed,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function regime(
  name: string,
  genRate: number,
  db: Db,
  runId: number,
): Promise<Record<string, unknown>[]> {
  const { url, child } = await startServer(genRate);
  const backend: Backend =
    KIND === 'ollama' ? new OllamaBackend({ host: url }) : new OpenAiBackend({ host: url });
  let seqBase = runId * 1e9 + genRate;
  const results: Record<string, unknown>[] = [];
  try {
    if (KIND === 'ollama') await new Ollama({ host: url }).chat({ model: MODEL, messages: [] });
    for (const mode of MODES)
      await round(mode, Math.min(8, Math.max(...LEVELS)), url, backend, db, runId, (seqBase += 1_000_000)); // warm the JIT and the sockets
    for (const concurrency of LEVELS) {
      const samples = new Map<Mode, RoundResult[]>(MODES.map((m) => [m, []]));
      for (let r = 0; r < ROUNDS; r += 1) {
        for (const mode of MODES)
          samples
            .get(mode)
            ?.push(await round(mode, concurrency, url, backend, db, runId, (seqBase += 1_000_000)));
      }
      const of = (mode: Mode, key: keyof RoundResult): number =>
        median((samples.get(mode) ?? []).map((s) => s[key]));
      const bare = of('bare client', 'tokensPerS');
      for (const mode of MODES) {
        const tokensPerS = of(mode, 'tokensPerS');
        const figures = {
          cpuUsPerToken: of(mode, 'cpuUsPerToken'),
          lagP99Ms: of(mode, 'lagP99Ms'),
          lagMaxMs: of(mode, 'lagMaxMs'),
          failed: (samples.get(mode) ?? []).reduce((sum, s) => sum + s.failed, 0),
        };
        console.log(
          `${name.padEnd(12)} ${String(concurrency).padStart(11)}  ${mode.padEnd(22)} ${tokensPerS.toFixed(0).padStart(13)}   ${(tokensPerS / bare).toFixed(3).padStart(13)}   ${figures.cpuUsPerToken.toFixed(2).padStart(10)}   ${figures.lagP99Ms.toFixed(1).padStart(8)}   ${figures.lagMaxMs.toFixed(1).padStart(8)}${figures.failed > 0 ? `   (${figures.failed} failed)` : ''}`,
        );
        results.push({
          backend: KIND,
          regime: name,
          serverGenTokensPerS: genRate,
          concurrency,
          mode,
          tokensPerS,
          ratioToBare: tokensPerS / bare,
          ...figures,
          rounds: samples.get(mode),
        });
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
  return results;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'costbench-bench-'));
  const db = openDb(join(dir, 'bench.db'));
  const runId = insertRun(db, {
    startedAt: new Date().toISOString(),
    backend: KIND,
    host: 'fake',
    model: MODEL,
    suiteId: 'bench',
    suiteVersion: '1',
    repeatCount: 1,
    plannedRequests: 0,
    settings: {},
    costbenchVersion: 'bench',
    pid: process.pid,
  });
  try {
    const pacedRate = Number(values['paced-rate']);
    console.log(
      `harness overhead (${KIND === 'ollama' ? 'Ollama: bare = the ollama package' : 'OpenAI-compatible, fake llama.cpp: bare = fetch + SSE split + JSON.parse'}): ${REQUESTS} requests x ${TOKENS} tokens per round, ${ROUNDS} rounds per mode, median round; node ${process.version}`,
    );
    console.log(
      'regime       concurrency  mode                   output tok/s   ratio to bare   CPU µs/tok   lag p99 ms  lag max ms',
    );
    const results: Record<string, unknown>[] = [];
    for (const name of REGIMES)
      results.push(...(await regime(name, name === 'paced' ? pacedRate : 1_000_000_000, db, runId)));
    console.log(
      JSON.stringify({ backend: KIND, requests: REQUESTS, tokens: TOKENS, rounds: ROUNDS, results }),
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
