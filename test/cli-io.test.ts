import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI } from './support/cli.js';

/** Runs the CLI with its stdout read by nobody: the pipe's reading end is closed before it writes. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { PATH: process.env['PATH'], HOME: process.env['HOME'] },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('writing to a closed stdout (`costbench … | head`)', () => {
  it('stops writing quietly instead of dying with a stack trace', async () => {
    const { code, stderr } = await runWithClosedStdout(['suites']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
