import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/report/summary.js';
import { runCli } from './support/cli.js';
import { startFakeOpenAi } from './support/fake-openai/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');

describe('costbench run --backend openai, end to end against a llama.cpp-style server', () => {
  it('stores the same rows and report as with Ollama, from the server\'s own timings, and never stores the key', async () => {
    const dir = makeTempDir();
    const db = join(dir.path, 'o.db');
    const server = await startFakeOpenAi({ flavor: 'llama.cpp', genTokensPerS: 800, apiKey: 'sk-test-secret' });
    try {
      const result = await runCli(['run', '--backend', 'openai', '--host', server.baseUrl, '--suite', SUITE, '--idle', '0', '--json', '--db', db], {
        XDG_DATA_HOME: dir.path,
        COSTBENCH_API_KEY: 'sk-test-secret',
      });
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as RunSummary;
      expect(summary.run.backend).toBe('openai');
      expect(summary.requests.ok).toBe(3);
      const sqlite = new Database(db, { readonly: true });
      const rows = sqlite.prepare('SELECT output_tokens, eval_ms, prompt_tokens FROM requests ORDER BY seq').all() as { output_tokens: number; eval_ms: number; prompt_tokens: number }[];
      const settings = (sqlite.prepare('SELECT settings_json FROM runs').get() as { settings_json: string }).settings_json;
      sqlite.close();
      const measured = server.requests.filter((r) => r.finishReason !== null && (r.body['max_tokens'] as number | undefined) !== 1);
      expect(rows.map((r) => r.output_tokens)).toEqual(measured.map((r) => r.completionTokens));
      expect(rows.map((r) => r.eval_ms)).toEqual(measured.map((r) => r.predictedMs));
      expect(settings).not.toContain('sk-test-secret');
      expect(result.stdout + result.stderr).not.toContain('sk-test-secret');
      expect(server.requests.every((r) => r.bearer === 'sk-test-secret')).toBe(true);
    } finally {
      await server.close();
      dir.remove();
    }
  }, 30_000);
});
