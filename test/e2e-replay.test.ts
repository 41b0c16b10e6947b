import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli, type CliResult } from './support/cli.js';
import { useFakeOllamaBench } from './support/e2e.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'replay');
const REQUESTS = join(FIXTURES, 'requests.jsonl');
const OUTPUT = join(FIXTURES, 'output.jsonl');

interface OutputLine {
  custom_id: string;
  response: {
    status_code: number;
    body: {
      usage?: {
        prompt_tokens: number;
        completion_tokens: number;
        prompt_tokens_details?: { cached_tokens?: number };
      };
    };
  } | null;
}

/** The billed usage of the fixture's answered requests, read straight from the file. */
function billedUsage(replayedIds: readonly string[]): {
  prompt: number;
  completion: number;
  cached: number;
  n: number;
} {
  const lines = readFileSync(OUTPUT, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as OutputLine);
  const used = lines.filter((l) => replayedIds.includes(l.custom_id) && l.response?.body.usage !== undefined);
  return used.reduce(
    (acc, l) => ({
      prompt: acc.prompt + (l.response?.body.usage?.prompt_tokens ?? 0),
      completion: acc.completion + (l.response?.body.usage?.completion_tokens ?? 0),
      cached: acc.cached + (l.response?.body.usage?.prompt_tokens_details?.cached_tokens ?? 0),
      n: acc.n + 1,
    }),
    { prompt: 0, completion: 0, cached: 0, n: 0 },
  );
}

describe('costbench run --replay, end to end', () => {
  const bench = useFakeOllamaBench({ genTokensPerS: 5000, loadMs: 10, respond: () => 'Hello.' });
  const db = join(bench.path, 'replay.db');
  let run: CliResult;

  beforeAll(async () => {
    run = await bench.cli(
      ['run', '--replay', REQUESTS, '--replay-output', OUTPUT, '--idle', '0', '--json'],
      db,
    );
  }, 60_000);

  it('replays the chat requests of the batch file and says what it skipped', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(
      'replay: 5 chat completion requests replayed from requests.jsonl (3 skipped), sent to gpt-4o-mini',
    );
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary.requests.ok).toBe(5);
    expect(summary.run.suiteId).toBe('replay-requests');
  });

  it('takes the API side of the cost from the billed usage', () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    const sqlite = new Database(db, { readonly: true });
    const ids = (
      sqlite.prepare('SELECT custom_id FROM replay_references').all() as { custom_id: string }[]
    ).map((r) => r.custom_id);
    sqlite.close();
    const usage = billedUsage(ids);
    expect(summary.replay).toEqual({
      apiModel: 'gpt-4o-mini',
      references: usage.n,
      promptTokensPerTask: usage.prompt / usage.n,
      completionTokensPerTask: usage.completion / usage.n,
      cachedShare: usage.cached / usage.prompt,
    });
    const mini = summary.cost?.apis[0];
    expect(mini?.model, 'the model the batch was sent to comes first').toBe('gpt-4o-mini');
    expect(summary.cost?.apiTokens).toBe('billed usage (replay)');
    // gpt-4o-mini: 0.15 in, 0.075 cached, 0.60 out per 1M tokens
    const share = usage.cached / usage.prompt;
    const expected =
      ((usage.prompt / usage.n) * ((1 - share) * 0.15 + share * 0.075) + (usage.completion / usage.n) * 0.6) /
      1e6;
    expect(mini?.task.perTask).toBeCloseTo(expected, 15);
  });

  it('scores agreement with the API answers', () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary.quality?.agreement?.count).toBeGreaterThan(0);
    const sqlite = new Database(db, { readonly: true });
    const hello = sqlite
      .prepare("SELECT agreement, agreement_method FROM requests WHERE task_id = 'request-1'")
      .get();
    sqlite.close();
    expect(hello, 'the fake answers "Hello." as the API did').toEqual({
      agreement: 1,
      agreement_method: 'exact',
    });
  });

  it('refuses --replay-output without --replay, and a missing file', async () => {
    const alone = await runCli(['run', '--replay-output', OUTPUT, '--db', db]);
    expect(alone.code).toBe(2);
    expect(alone.stderr.split('\n')[0]).toBe('costbench: --replay-output needs --replay <requests.jsonl>');
    const missing = await runCli(['run', '--replay', join(bench.path, 'nope.jsonl'), '--db', db]);
    expect(missing.code).toBe(6);
  });
});
