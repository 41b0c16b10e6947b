/**
 * `costbench demo`: the offline quick start. It writes costbench's noise model (random weights:
 * its answers are noise, its speed is real compute) into the cache when it is not there, and runs
 * the main job on it in the embedded engine: no server, no download.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ModelDownloadError, describeError } from '../../errors.js';
import { resolveModelCacheDir } from '../../models/model-cache.js';
import { buildNoiseGguf } from '../../models/noise-gguf.js';
import { ensureDirectory } from '../../util/ensure-dir.js';
import type { CliIo } from '../io.js';
import { runCommand, type RunFlags } from './run.js';
import { NOISE_WARNING } from '../../runner/embedded.js';

/** The demo's defaults: a short built-in suite, batching at 4, a short idle baseline. */
export const DEMO_SUITE = 'triage-basic';
export const DEMO_CONCURRENCY = '1,4';
export const DEMO_IDLE_S = '3';
export const NOISE_MODEL_FILE = 'costbench-noise.gguf';

/** The model cache (the same one downloads use: $COSTBENCH_MODEL_CACHE, else the XDG cache). */
export function modelCacheDir(env: NodeJS.ProcessEnv): string {
  return resolveModelCacheDir(env, env['HOME'] ?? homedir());
}

/**
 * The noise model's path in the cache, written when missing or not byte for byte what this
 * costbench generates. Written to a temporary name and renamed, so no half-written model is
 * ever left there.
 */
export function ensureNoiseModel(env: NodeJS.ProcessEnv): { path: string; written: boolean } {
  const dir = modelCacheDir(env);
  const path = join(dir, NOISE_MODEL_FILE);
  const bytes = buildNoiseGguf();
  if (existsSync(path) && readFileSync(path).equals(bytes)) return { path, written: false };
  const partial = `${path}.${process.pid}.partial`;
  try {
    ensureDirectory(dir);
    writeFileSync(partial, bytes);
    renameSync(partial, path);
  } catch (error) {
    removeQuietly(partial);
    throw new ModelDownloadError(
      `cannot write the noise model to ${dir}: ${describeError(error)}`,
      'Make the cache writable, or point COSTBENCH_MODEL_CACHE (or XDG_CACHE_HOME) at a writable directory.',
    );
  }
  return { path, written: true };
}

/** Removes a file if it is there; a path that cannot even be looked at has nothing to remove. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // ENOTDIR and the like: nothing was written there.
  }
}

/** Runs the demo; returns the run's exit code. */
export async function demoCommand(
  flags: RunFlags,
  io: CliIo,
  stop: { signal: AbortSignal; code: () => number },
): Promise<number> {
  const { path, written } = ensureNoiseModel(io.env);
  io.stderr(`demo: ${written ? 'wrote' : 'using'} ${path}\n`);
  io.stderr(`demo: ${NOISE_WARNING}\n`);
  return runCommand(
    {
      ...flags,
      backend: 'llama-cpp',
      model: path,
      suite: DEMO_SUITE,
      repeat: flags.repeat ?? '1',
      idle: flags.idle ?? DEMO_IDLE_S,
      concurrency: flags.concurrency ?? DEMO_CONCURRENCY,
    },
    io,
    stop,
  );
}
