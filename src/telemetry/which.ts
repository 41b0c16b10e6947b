/**
 * Finding an executable on a given PATH, the way a shell would, without spawning anything.
 * Samplers take PATH from an injected env so tests can put fake tools first.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Returns the full path of the first executable file called `name` on `env.PATH`, or null.
 * Empty PATH entries are skipped (a shell would read them as the current directory; a
 * sampler should never run a tool from wherever it happens to be started).
 */
export function findExecutable(name: string, env: NodeJS.ProcessEnv): string | null {
  const path = env['PATH'] ?? '';
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
