/** A fake server (test/support/fake-*-cli.js) in its own process, so its work is not timed with the client's. */
import { spawn, type ChildProcess } from 'node:child_process';

/** Starts the built fake server script with `args` and resolves with the URL it prints ("… listening on URL"). */
export function spawnFakeServer(
  script: string,
  args: readonly string[],
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      const match = /listening on (\S+)/.exec(data.toString());
      if (match?.[1] !== undefined) resolve({ url: match[1], child });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}
