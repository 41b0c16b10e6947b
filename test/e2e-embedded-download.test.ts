import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildNoiseGguf, DEFAULT_NOISE_SHAPE } from '../src/models/noise-gguf.js';
import { EXIT } from '../src/errors.js';
import { startFakeHub, type FakeHub } from './support/fake-hub/index.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();
const MODEL = buildNoiseGguf({ ...DEFAULT_NOISE_SHAPE, tensorType: 'f16' });
let hub: FakeHub;

beforeEach(async () => {
  hub = await startFakeHub();
  hub.setFile('costbench/noise', 'noise-f16.gguf', MODEL);
});
afterEach(() => hub.close());

describe('the online quick start, against a local hub: run --backend llama-cpp --model hf:…', () => {
  it('downloads the model into the cache, then runs on it; a second run uses the cache with the hub gone', async () => {
    const dir = tempDir();
    const env = {
      HF_ENDPOINT: hub.url,
      XDG_CACHE_HOME: join(dir, 'cache'),
      COSTBENCH_DB: join(dir, 'runs.db'),
    };
    const args = [
      'run',
      '--backend',
      'llama-cpp',
      '--model',
      'hf:costbench/noise/noise-f16.gguf',
      '--threads',
      '1',
      '--idle',
      '0',
      '--suite',
      'triage-basic',
    ];
    const first = await runCli(args, env, dir);
    expect(first.code, first.stderr).toBe(EXIT.ok);
    // not a terminal: plain progress lines, the last one at 100%
    expect(first.stderr).toMatch(/100%/);
    expect(
      hub.requests.filter((r) => r.server === 'cdn'),
      'one download',
    ).toHaveLength(1);
    const sqlite = new Database(join(dir, 'runs.db'), { readonly: true });
    const run = sqlite.prepare('SELECT model, backend FROM runs').get() as { model: string; backend: string };
    const ok = (
      sqlite.prepare("SELECT COUNT(*) AS n FROM requests WHERE state = 'ok'").get() as { n: number }
    ).n;
    sqlite.close();
    expect(run, 'the run names the spec it was given').toEqual({
      model: 'hf:costbench/noise/noise-f16.gguf',
      backend: 'llama-cpp',
    });
    expect(ok, 'triage-basic: 10 tasks').toBe(10);

    await hub.close();
    const second = await runCli(args, env, dir);
    expect(second.code, second.stderr).toBe(EXIT.ok);
    expect(second.stderr, 'no download the second time').not.toMatch(/100%/);
    hub = await startFakeHub(); // for afterEach
  }, 120_000);

  it('offline (the hub unreachable): one line, exit 8, no run row', async () => {
    const dir = tempDir();
    await hub.close();
    const env = {
      HF_ENDPOINT: hub.url,
      XDG_CACHE_HOME: join(dir, 'cache'),
      COSTBENCH_DB: join(dir, 'runs.db'),
    };
    const out = await runCli(
      ['run', '--backend', 'llama-cpp', '--model', 'hf:costbench/noise/noise-f16.gguf', '--idle', '0'],
      env,
      dir,
    );
    hub = await startFakeHub();
    expect(out.code, out.stderr).toBe(EXIT.download);
    expect(
      out.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('costbench: ')),
    ).toHaveLength(1);
    expect(out.stderr).not.toMatch(/\n\s+at /);
    if (existsSync(join(dir, 'runs.db'))) {
      const sqlite = new Database(join(dir, 'runs.db'), { readonly: true });
      const runs = (sqlite.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n;
      sqlite.close();
      expect(runs, 'no run row: the model is resolved before a run starts').toBe(0);
    }
  }, 60_000);
});
