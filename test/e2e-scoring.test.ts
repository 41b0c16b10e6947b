import Database from 'better-sqlite3';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli, type CliResult } from './support/cli.js';
import { useFakeOllamaBench } from './support/e2e.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-scored.json');

/** The fake model's answers: t1 right, t2 half right, t3 not JSON, t4 right on the one field checked. */
const ANSWERS: Record<string, string> = {
  'Login is down for everyone.': '{"type": "bug", "priority": "p0"}',
  'Please add dark mode.': '```json\n{"type": "feature", "priority": "p1"}\n```',
  'How do I paginate?': 'It is a question, I think.',
  'Typo in the footer.': '{"type": "BUG", "priority": "p1"}',
};

describe('scored runs, end to end', () => {
  const bench = useFakeOllamaBench({
    genTokensPerS: 5000,
    loadMs: 10,
    respond: ({ prompt }) => ANSWERS[prompt] ?? 'no idea',
  });
  let run: CliResult;
  const db = join(bench.path, 'scored.db');

  beforeAll(async () => {
    run = await bench.cli(['run', '--suite', SUITE, '--idle', '0', '--no-store-outputs', '--json'], db);
  }, 60_000);

  it('scores every request against its expected answer', () => {
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as RunSummary;
    expect(summary.quality).toEqual({
      scored: 4,
      correct: 2,
      accuracy: 0.5,
      meanScore: (1 + 0.5 + 0 + 1) / 4,
      agreement: null,
      wrong: [
        { seq: 1, taskId: 't2', repeatIndex: 0, detail: 'wrong: priority' },
        { seq: 2, taskId: 't3', repeatIndex: 0, detail: 'answer is not a JSON object' },
      ],
    });
  });

  it('keeps scores but not answer texts with --no-store-outputs', () => {
    const sqlite = new Database(db, { readonly: true });
    const rows = sqlite
      .prepare('SELECT task_id, output_text, score, correct FROM requests ORDER BY seq')
      .all();
    sqlite.close();
    expect(rows).toEqual([
      { task_id: 't1', output_text: null, score: 1, correct: 1 },
      { task_id: 't2', output_text: null, score: 0.5, correct: 0 },
      { task_id: 't3', output_text: null, score: 0, correct: 0 },
      { task_id: 't4', output_text: null, score: 1, correct: 1 },
    ]);
  });

  it('reports cost per correct task as cost per task / accuracy', () => {
    const summary = JSON.parse(run.stdout) as RunSummary;
    const local = summary.cost?.local;
    expect(local?.accuracy).toBe(0.5);
    expect(local?.fullPerCorrectTask).toBeCloseTo((local?.fullPerTask ?? 0) / 0.5, 15);
  });

  it('shows quality in the text report', async () => {
    const report = await runCli(['report', '--db', db], { XDG_DATA_HOME: bench.path });
    expect(report.stdout).toContain(
      'Quality: 2/4 correct (50.0%), mean score 0.625 (failed requests count as wrong)',
    );
    expect(report.stdout).toContain('wrong #1 t2 (repeat 1): wrong: priority');
  });
});
