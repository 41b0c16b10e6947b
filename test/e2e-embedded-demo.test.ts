import Database from 'better-sqlite3';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureNoiseModel, modelCacheDir } from '../src/cli/commands/demo.js';
import { EXIT, ModelDownloadError } from '../src/errors.js';
import { buildNoiseGguf } from '../src/models/noise-gguf.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();

describe('costbench demo: the offline quick start', () => {
  it('writes the noise model into the XDG cache, runs on it with no server, and prints measured tok/s', async () => {
    const dir = tempDir();
    const env = { XDG_CACHE_HOME: join(dir, 'cache'), COSTBENCH_DB: join(dir, 'runs.db') };
    const first = await runCli(['demo', '--idle', '1', '--concurrency', '1,2', '--threads', '1'], env, dir);
    expect(first.code, first.stderr).toBe(0);
    const model = join(dir, 'cache', 'costbench', 'models', 'costbench-noise.gguf');
    expect(first.stderr).toContain(`demo: wrote ${model}\n`);
    expect(first.stderr).toContain('demo: noise model: answers are noise; speeds are real compute');
    expect(readFileSync(model).equals(buildNoiseGguf()), 'the generated model').toBe(true);
    expect(readdirSync(join(dir, 'cache', 'costbench', 'models')), 'nothing half-written left').toEqual([
      'costbench-noise.gguf',
    ]);
    expect(first.stdout).toMatch(/^Generation tok\/s \(engine\)\s+\d+\.\d/m);
    expect(first.stdout).toMatch(/^Concurrency sweep/m);
    expect(first.stdout).toContain('noise model: answers are noise; speeds are real compute');
    const sqlite = new Database(join(dir, 'runs.db'), { readonly: true });
    const phases = sqlite.prepare("SELECT name FROM phases WHERE name LIKE 'idle%' ORDER BY start_ms").all();
    const requests = (sqlite.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
    sqlite.close();
    expect(phases, 'a short idle baseline before and after').toEqual([
      { name: 'idle-before' },
      { name: 'idle-after' },
    ]);
    expect(requests, 'triage-basic (10 tasks) at 2 levels').toBe(20);

    const second = await runCli(['demo', '--idle', '0', '--concurrency', '1', '--threads', '1'], env, dir);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr, 'the cached model is used').toContain(`demo: using ${model}\n`);
  }, 120_000);

  it('the cache: XDG_CACHE_HOME, else ~/.cache; an unwritable one is exit 8 with nothing left behind', () => {
    expect(modelCacheDir({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/me' })).toBe('/x/cache/costbench/models');
    expect(
      modelCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/home/me' }),
      'relative: ignored, as XDG says',
    ).toBe('/home/me/.cache/costbench/models');
    const dir = tempDir();
    // Tests run as root, which ignores permissions: a file where the cache directory should be fails for anyone.
    writeFileSync(join(dir, 'costbench'), 'not a directory');
    let error: unknown = null;
    try {
      ensureNoiseModel({ XDG_CACHE_HOME: dir });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelDownloadError);
    expect((error as ModelDownloadError).exitCode).toBe(EXIT.download);
    expect((error as Error).message).toMatch(
      new RegExp(`^cannot write the noise model to ${dir}/costbench/models: `),
    );
    expect(readdirSync(dir), 'nothing written').toEqual(['costbench']);
  });
});

describe('a threads sweep: one run per thread count, compared at the end', () => {
  it('stores each run with its threads, on every request too, and prints the sweep table', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'noise.gguf'), buildNoiseGguf());
    const suite = {
      id: 'tiny',
      version: '1',
      description: 'Two tiny tasks.',
      options: { temperature: 0, numPredict: 6 },
      tasks: [
        { id: 'a', prompt: 'hi' },
        { id: 'b', prompt: 'yo' },
      ],
    };
    writeFileSync(join(dir, 'suite.json'), JSON.stringify(suite));
    const r = await runCli(
      [
        'run',
        '--backend',
        'llama-cpp',
        '--model',
        'noise.gguf',
        '--suite',
        'suite.json',
        '--threads',
        '1,2',
        '--idle',
        '0',
      ],
      { COSTBENCH_DB: join(dir, 'runs.db') },
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('requests, threads 1) →');
    expect(r.stderr).toContain('requests, threads 2) →');
    expect(r.stdout).toContain(
      'Threads sweep: one run per thread count, each measured apart (side by side: costbench compare 1 2)',
    );
    expect(r.stdout).toMatch(/^1 {7}1 {7}1 {7}/m);
    expect(r.stdout).toMatch(/^2 {7}2 {7}1 {7}/m);
    const sqlite = new Database(join(dir, 'runs.db'), { readonly: true });
    const engines = sqlite.prepare('SELECT run_id, threads FROM run_engines ORDER BY run_id').all();
    const requests = sqlite
      .prepare('SELECT run_id, threads, COUNT(*) AS n FROM requests GROUP BY run_id, threads ORDER BY run_id')
      .all();
    const settings = (
      sqlite.prepare('SELECT settings_json FROM runs WHERE id = 2').get() as { settings_json: string }
    ).settings_json;
    sqlite.close();
    expect(engines).toEqual([
      { run_id: 1, threads: 1 },
      { run_id: 2, threads: 2 },
    ]);
    expect(requests).toEqual([
      { run_id: 1, threads: 1, n: 2 },
      { run_id: 2, threads: 2, n: 2 },
    ]);
    expect(JSON.parse(settings)).toMatchObject({
      backend: { kind: 'llama-cpp', threads: 2, host: 'embedded' },
      threadsSweep: [1, 2],
    });
  }, 120_000);
});
