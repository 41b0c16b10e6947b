import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { packageRoot, packageVersion } from '../util/package-root.js';
import type { RecordedSoftware } from './settings-record.js';

/** How long git may take to say the commit; a slow or missing git leaves it unknown. */
const GIT_TIMEOUT_MS = 2000;

/** The commit a checkout's HEAD points at, read from .git without git; null when it cannot be told. */
export function headCommitFromFiles(gitDir: string): string | null {
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (ref === undefined) return null;
    const loose = join(gitDir, ref);
    if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    const packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8')
      .split('\n')
      .find((l) => l.endsWith(` ${ref}`));
    return packed?.split(' ')[0] ?? null;
  } catch {
    return null;
  }
}

function gitOut(root: string, args: string[]): string | null {
  try {
    return execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      timeout: GIT_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return null;
  }
}

/** The commit and dirtiness of a checkout at root; nulls for an installed package. */
function readCheckout(root: string): { commit: string | null; dirty: boolean | null } {
  const gitDir = join(root, '.git');
  if (!existsSync(gitDir)) return { commit: null, dirty: null };
  const commit = gitOut(root, ['rev-parse', 'HEAD'])?.trim() ?? headCommitFromFiles(gitDir);
  const status = gitOut(root, ['status', '--porcelain', '--untracked-files=no']);
  return { commit: commit === '' ? null : commit, dirty: status === null ? null : status.trim() !== '' };
}

/** This costbench: version, commit when run from a checkout, Node, platform. */
export function readSoftware(): RecordedSoftware {
  return {
    // The checkout is the directory of costbench's package.json (an installed package has no .git there).
    costbenchVersion: packageVersion(),
    ...readCheckout(dirname(join(packageRoot(), 'package.json'))),
    nodeVersion: process.version,
    platform: process.platform,
    arch: process.arch,
  };
}
