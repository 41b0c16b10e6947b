import { execFile } from 'node:child_process';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI } from './support/cli.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();

/** Well above a normal start (about 0.3 s) and far below the test's own timeout: a hang fails, it does not hang the suite. */
const HANG_LIMIT_MS = 8000;

/** Runs the built CLI, killed with SIGKILL after HANG_LIMIT_MS; `killed` says whether it had to be. */
function runBounded(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; killed: boolean; stderr: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...env },
        timeout: HANG_LIMIT_MS,
        killSignal: 'SIGKILL',
      },
      (error, _stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, killed: error?.killed === true, stderr, ms: Date.now() - started });
      },
    );
  });
}

describe('a database path whose directory cannot be created', () => {
  const cases = [
    { command: ['runs'], what: 'cannot open database /proc/nope/x.db' },
    // run takes the run lock beside the database first.
    {
      command: ['run', '--host', 'http://127.0.0.1:9'],
      what: 'cannot use the lock file /proc/nope/costbench.lock',
    },
  ];
  for (const { command, what } of cases) {
    it(`${command.join(' ')} --db /proc/nope/x.db: one line and exit 4, no spin`, async () => {
      const dir = tempDir();
      const result = await runBounded([...command, '--db', '/proc/nope/x.db'], { XDG_DATA_HOME: dir });
      expect(result.killed, `still running after ${HANG_LIMIT_MS} ms`).toBe(false);
      expect(result.code, result.stderr).toBe(4);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(
        `costbench: ${what}: cannot create directory /proc/nope: ENOENT: no such file or directory, mkdir '/proc/nope'`,
      );
      expect(lines).toHaveLength(2); // the message and its hint
      expect(result.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }, 20_000);
  }

  it('a parent that is a file: exit 4 naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'not a directory');
    const result = await runBounded(['runs', '--db', join(dir, 'plain', 'sub', 'x.db')], {
      XDG_DATA_HOME: dir,
    });
    expect(result.killed).toBe(false);
    expect(result.code, result.stderr).toBe(4);
    expect(result.stderr.split('\n')[0]).toBe(
      `costbench: cannot open database ${join(dir, 'plain', 'sub', 'x.db')}: ${join(dir, 'plain')} is not a directory`,
    );
  }, 20_000);

  it('missing directories several levels deep are still created', async () => {
    const dir = tempDir();
    const db = join(dir, 'a', 'b', 'c', 'x.db');
    const result = await runBounded(['runs', '--db', db], { XDG_DATA_HOME: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect(statSync(join(dir, 'a', 'b')).isDirectory()).toBe(true);
  }, 20_000);
});
