import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { CLI, runCli } from './support/cli.js';
import { startFakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');
const ANSWER_TOKENS = 50;
const GEN_TOKENS_PER_S = 100;
const PROMPT_TOKENS_PER_S = 4000;
/** 3 tasks x 4 repeats; the kill comes once half of them are stored. */
const REPEAT = 4;
const KILL_AFTER_ROWS = 6;
/** Wall time between the kill and the resume: neither measured time nor idle. */
const GAP_MS = 2500;
/**
 * The fake server enforces its timings, so a one-at-a-time run can never beat them: the measured
 * rate stays under the truth (2% for clock rounding) and falls below it only by the client's own
 * time between requests (HTTP, parsing, the row's insert), well under 15% of a ~0.55 s request.
 * Counting the 2.5 s gap as measured time would drop the rate to about 0.73 of the truth; counting
 * the killed part's rows against no time (the bug) raises it to about 2x.
 */
const TOO_FAST = 1.02;
const TOO_SLOW = 0.85;

const answer = (): string => Array.from({ length: ANSWER_TOKENS }, (_, i) => `w${i}`).join(' ');

function countRows(db: string): number {
  try {
    const sqlite = new Database(db, { readonly: true });
    try {
      return (sqlite.prepare('SELECT count(*) AS n FROM requests').get() as { n: number }).n;
    } finally {
      sqlite.close();
    }
  } catch {
    return 0; // not created yet
  }
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a run killed halfway and resumed', () => {
  it('divides every finished request by the time that was measured, not by the resumed part alone', async () => {
    const dir = makeTempDir();
    const db = join(dir.path, 'r.db');
    const config = join(dir.path, 'c.json');
    writeFileSync(config, JSON.stringify({ telemetry: { enabled: false } }));
    const server = await startFakeOllama({
      genTokensPerS: GEN_TOKENS_PER_S,
      promptTokensPerS: PROMPT_TOKENS_PER_S,
      loadMs: 10,
      respond: answer,
    });
    try {
      const args = ['--idle', '0', '--config', config, '--db', db, '--host', server.url];
      const env = { PATH: process.env['PATH'], HOME: process.env['HOME'], XDG_DATA_HOME: dir.path };
      const child = spawn(
        process.execPath,
        [CLI, 'run', '--suite', SUITE, '--repeat', String(REPEAT), ...args],
        { env, stdio: 'ignore' },
      );
      await waitFor(() => countRows(db) >= KILL_AFTER_ROWS);
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
      const killedAt = countRows(db);
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      const resumed = await runCli(['run', '--resume', '1', '--json', ...args], { XDG_DATA_HOME: dir.path });
      expect(resumed.code, resumed.stderr).toBe(0);
      const summary = JSON.parse(resumed.stdout) as RunSummary;

      // Ground truth from the fake's own records: every measured request takes
      // prompt tokens / 4000 tok/s + 50 tokens / 100 tok/s = 0.5 s + about 0.05 s of prompt.
      const measured = server.requests.filter((r) => r.doneReason === 'stop');
      expect(killedAt, 'killed halfway').toBeLessThan(3 * REPEAT);
      const secondsPerTask =
        measured.reduce(
          (acc, r) => acc + r.promptTokens / PROMPT_TOKENS_PER_S + ANSWER_TOKENS / GEN_TOKENS_PER_S,
          0,
        ) / measured.length;
      const truthTasksPerS = 1 / secondsPerTask;
      const level = summary.sweep?.levels[0];
      expect(level?.ok).toBe(3 * REPEAT);
      const ratio = (level?.tasksPerS ?? 0) / truthTasksPerS;
      expect(
        ratio,
        `tasks/s ${level?.tasksPerS.toFixed(3)} against the configured ${truthTasksPerS.toFixed(3)}`,
      ).toBeLessThan(TOO_FAST);
      expect(
        ratio,
        `tasks/s ${level?.tasksPerS.toFixed(3)} against the configured ${truthTasksPerS.toFixed(3)}`,
      ).toBeGreaterThan(TOO_SLOW);
      const measureS = (summary.measureMs ?? 0) / 1000;
      expect(
        measureS / (3 * REPEAT * secondsPerTask),
        'measured time: every stored request, not the gap',
      ).toBeGreaterThan(1 / TOO_FAST);
      expect(
        measureS / (3 * REPEAT * secondsPerTask),
        'measured time: every stored request, not the gap',
      ).toBeLessThan(1 / TOO_SLOW);
    } finally {
      await server.close();
      dir.remove();
    }
  }, 60_000);
});
