/**
 * Builds the fake NVML (fake-nvml.c) with the system C compiler into a temp directory, as
 * `libnvidia-ml.so.1`. Tests that need it are skipped, with the reason, where no compiler exists.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fake's C source: beside this file when run from source, at the same place in the tree when run from dist/. */
export const FAKE_NVML_SOURCE =
  [
    new URL('./fake-nvml.c', import.meta.url),
    new URL('../../../../test/support/fake-nvml/fake-nvml.c', import.meta.url),
  ]
    .map((url) => fileURLToPath(url))
    .find((path) => existsSync(path)) ?? 'fake-nvml.c';

/** The built library, or why it could not be built. */
export type FakeNvml =
  { ok: true; path: string; dir: string; remove: () => void } | { ok: false; reason: string };

/** The C compiler on PATH (CC first), or null. */
function findCompiler(env: NodeJS.ProcessEnv): string | null {
  const named = env['CC'];
  const names = named !== undefined && named !== '' ? [named] : ['cc', 'gcc', 'clang'];
  const dirs = (env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of names) {
    if (name.includes('/')) return existsSync(name) ? name : null;
    for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/** Compiles the fake NVML once into a fresh temp dir (the caller removes it). */
export function buildFakeNvml(env: NodeJS.ProcessEnv = process.env): FakeNvml {
  if (process.platform !== 'linux')
    return { ok: false, reason: `the fake NVML is built on Linux only (this is ${process.platform})` };
  const cc = findCompiler(env);
  if (cc === null)
    return { ok: false, reason: 'no C compiler (cc, gcc, clang) on PATH to build the fake NVML' };
  const dir = mkdtempSync(join(tmpdir(), 'costbench-nvml-'));
  const path = join(dir, 'libnvidia-ml.so.1');
  try {
    execFileSync(cc, ['-shared', '-fPIC', '-pthread', '-O2', '-o', path, FAKE_NVML_SOURCE], {
      stdio: 'pipe',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error ? String(error.stderr) : String(error);
    return { ok: false, reason: `${cc} could not build the fake NVML: ${stderr.trim()}` };
  }
  return { ok: true, path, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
