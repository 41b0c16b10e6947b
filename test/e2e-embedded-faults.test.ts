import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../src/errors.js';
import { buildNoiseGguf } from '../src/models/noise-gguf.js';
import { CLI, runCli } from './support/cli.js';
import { makeTempDir, useTempDir } from './support/temp.js';

const tempDir = useTempDir();

/** A one-line error: the message, one hint line, and no stack trace. */
function expectOneLineError(stderr: string, message: string): void {
  const lines = stderr.trimEnd().split('\n');
  expect(lines[0], stderr).toBe(`costbench: ${message}`);
  expect(lines[1], 'a hint').toMatch(/^ {2}hint: /);
  expect(lines, 'no stack trace').toHaveLength(2);
}

/** The noise model with bytes patched: `at` the first occurrence of `find` after `after`. */
function patched(bytes: Buffer, after: string, find: string, replace: string): Buffer {
  const start = bytes.indexOf(after, 0, 'latin1');
  const at = bytes.indexOf(find, start + after.length, 'latin1');
  const out = Buffer.from(bytes);
  out.write(replace, at, 'latin1');
  return out;
}

describe('bad model files: one line, a hint, exit 7, before any run is stored', () => {
  const run = async (dir: string, model: string) =>
    runCli(
      ['run', '--backend', 'llama-cpp', '--model', model, '--idle', '0'],
      { COSTBENCH_DB: join(dir, 'runs.db') },
      dir,
    );

  it('not a GGUF', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.gguf'), 'hello, not a model\n');
    const r = await run(dir, 'x.gguf');
    expect(r.code, r.stderr).toBe(EXIT.modelFile);
    expectOneLineError(
      r.stderr,
      `${join(dir, 'x.gguf')} is not a GGUF model: it looks like text ("hello, not a model…")`,
    );
    expect(
      existsSync(join(dir, 'runs.db'))
        ? new Database(join(dir, 'runs.db')).prepare('SELECT COUNT(*) AS n FROM runs').get()
        : { n: 0 },
      'no run',
    ).toEqual({ n: 0 });
  }, 30_000);

  it('a truncated GGUF, and a missing file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cut.gguf'), buildNoiseGguf().subarray(0, 700_000));
    const cut = await run(dir, 'cut.gguf');
    expect(cut.code, cut.stderr).toBe(EXIT.modelFile);
    expectOneLineError(
      cut.stderr,
      // data starts at byte 8064 (header, padded to 32) and holds 1,448,448 bytes: it ends at 1,456,512
      `${join(dir, 'cut.gguf')} is truncated: its tensor data ends at byte 1456512, but the file has 700000 bytes ` +
        '(756512 bytes missing)',
    );
    const missing = await run(dir, 'nope.gguf');
    expect(missing.code, 'a missing file is "not found", like a run id or a suite').toBe(EXIT.notFound);
    expectOneLineError(missing.stderr, `model file not found: ${join(dir, 'nope.gguf')}`);
  }, 30_000);

  it('an unknown architecture', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'arch.gguf'),
      patched(buildNoiseGguf(), 'general.architecture', 'llama', 'zzzzz'),
    );
    const r = await run(dir, 'arch.gguf');
    expect(r.code, r.stderr).toBe(EXIT.modelFile);
    expectOneLineError(
      r.stderr,
      `${join(dir, 'arch.gguf')}: llama.cpp (bundled with node-llama-cpp 3.21.1) does not know architecture "zzzzz"`,
    );
  }, 30_000);

  it('a model larger than memory (a sparse 1 TiB file whose header says so)', async () => {
    const dir = tempDir();
    // The last tensor, blk.1.ffn_up.weight, is [128, 256]; make it [128, 2^31] (1 TiB of F32): no other
    // tensor's offset moves, so the header stays valid. The file is made as long, sparsely.
    const bytes = buildNoiseGguf();
    const last = 'blk.1.ffn_up.weight';
    const name = bytes.indexOf(last, 0, 'latin1') + last.length;
    const out = Buffer.from(bytes);
    out.writeBigUInt64LE(2n ** 31n, name + 4 + 8);
    const file = join(dir, 'huge.gguf');
    writeFileSync(file, out);
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, 2 ** 41);
    closeSync(fd);
    const r = await run(dir, 'huge.gguf');
    expect(r.code, r.stderr).toBe(EXIT.modelFile);
    expect(r.stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^costbench: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: its weights take 1\\d\\d\\d\\.\\d GB, more than this machine's \\d+\\.\\d GB RAM`,
      ),
    );
    expect(r.stderr.trimEnd().split('\n'), 'one line and a hint').toHaveLength(2);
  }, 30_000);

  it('a run needs a model (exit 2); downloads are tested in e2e-embedded-download.test.ts', async () => {
    const dir = tempDir();
    const none = await runCli(
      ['run', '--backend', 'embedded', '--idle', '0'],
      { COSTBENCH_DB: join(dir, 'runs.db') },
      dir,
    );
    expect(none.code).toBe(EXIT.config);
    expectOneLineError(
      none.stderr,
      'the embedded engine (--backend llama-cpp) needs a model file: --model <file.gguf>',
    );
  }, 30_000);
});

/** The pids of a process's children (Linux /proc). */
function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid ? [Number(d)] : [];
      } catch {
        return [];
      }
    });
}

describe.skipIf(!existsSync('/proc/self/stat'))('an engine crash mid-run', () => {
  const dir = makeTempDir();
  beforeAll(() => {
    writeFileSync(join(dir.path, 'noise.gguf'), buildNoiseGguf());
    const suite = {
      id: 'long',
      version: '1',
      description: 'Long answers, to be killed mid-run.',
      options: { temperature: 1, seed: 3, numPredict: 400 },
      tasks: [
        { id: 'a', prompt: 'go' },
        { id: 'b', prompt: 'on' },
      ],
    };
    writeFileSync(join(dir.path, 'suite.json'), JSON.stringify(suite));
  });
  afterAll(() => dir.remove());

  it('ends the run with exit 9 in one line, the finished rows kept and the run marked failed', async () => {
    const db = join(dir.path, 'runs.db');
    const child = spawn(
      process.execPath,
      [
        CLI,
        'run',
        '--backend',
        'llama-cpp',
        '--model',
        'noise.gguf',
        '--suite',
        'suite.json',
        '--repeat',
        '500',
        '--threads',
        '1',
        '--idle',
        '0',
      ],
      {
        cwd: dir.path,
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], COSTBENCH_DB: db },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const rows = (): number => {
      if (!existsSync(db)) return 0;
      const sqlite = new Database(db, { readonly: true });
      try {
        return (sqlite.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
      } catch {
        return 0;
      } finally {
        sqlite.close();
      }
    };
    for (let i = 0; i < 600 && rows() < 2; i += 1) await new Promise((r) => setTimeout(r, 50));
    const engines = childrenOf(child.pid ?? -1);
    expect(engines, 'one engine process').toHaveLength(1);
    process.kill(engines[0] as number, 'SIGKILL');
    const code = await exited;
    expect(code, stderr).toBe(EXIT.engineCrashed);
    const lines = stderr
      .trimEnd()
      .split('\n')
      .filter((l) => l.startsWith('costbench:') || l.startsWith('  hint:'));
    expect(lines[0]).toMatch(
      /^costbench: the engine process was killed by SIGKILL during run 1; the requests it finished are kept$/,
    );
    expect(lines[1]).toBe(
      '  hint: See them with `costbench report 1`; run the rest with `costbench run --resume 1` (out of memory? a smaller model, --context-size or fewer --concurrency)',
    );
    expect(stderr, 'no stack trace').not.toMatch(/^\s+at /m);
    const sqlite = new Database(db, { readonly: true });
    const run = sqlite.prepare('SELECT status, error FROM runs').get() as { status: string; error: string };
    const ok = (
      sqlite.prepare("SELECT COUNT(*) AS n FROM requests WHERE state = 'ok'").get() as { n: number }
    ).n;
    sqlite.close();
    expect(run.status).toBe('failed');
    expect(ok, 'finished requests kept').toBeGreaterThanOrEqual(2);
  }, 60_000);
});
