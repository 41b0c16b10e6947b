/**
 * Where downloaded models live, and the cache path of each spec. Pure: the environment and the
 * home directory are passed in.
 *
 * The cache directory: the caller's `cacheDir`, else $COSTBENCH_MODEL_CACHE, else
 * $XDG_CACHE_HOME/costbench/models (only an absolute XDG_CACHE_HOME counts, as the XDG spec
 * says), else ~/.cache/costbench/models. A spec's path in it depends on the spec alone, so a
 * model downloaded once is found again without the network:
 *   hf:<user>/<repo>/<file>#<rev>  ->  hf/<user>/<repo>/<rev>/<file>
 *   https://host:port/a/b.gguf     ->  url/host_port/<first 16 hex of the URL's sha256>/b.gguf
 */
import { createHash } from 'node:crypto';
import { isAbsolute, join } from 'node:path';
import type { ModelSpec } from './model-spec.js';

/** The environment variable that moves the model cache. */
export const MODEL_CACHE_ENV = 'COSTBENCH_MODEL_CACHE';

/** The model cache directory (see the file comment for the order). */
export function resolveModelCacheDir(
  env: Readonly<Record<string, string | undefined>>,
  home: string,
  cacheDir?: string,
): string {
  if (cacheDir !== undefined && cacheDir !== '') return cacheDir;
  const fromEnv = env[MODEL_CACHE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const xdg = env['XDG_CACHE_HOME'];
  const base = xdg !== undefined && isAbsolute(xdg) ? xdg : join(home, '.cache');
  return join(base, 'costbench', 'models');
}

/** A file name safe on every file system: other characters become "_". */
function safeName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' || safe === '.' || safe === '..' ? 'model.gguf' : safe;
}

/** The cache path of a downloadable spec. */
export function computeCachePath(spec: Extract<ModelSpec, { kind: 'hf' | 'url' }>, cacheDir: string): string {
  if (spec.kind === 'hf') {
    return join(computeRepoCacheDir(spec, cacheDir), ...spec.file.split('/'));
  }
  const url = new URL(spec.url);
  const id = createHash('sha256').update(url.href).digest('hex').slice(0, 16);
  const last =
    url.pathname
      .split('/')
      .filter((p) => p !== '')
      .at(-1) ?? '';
  let base: string;
  try {
    base = decodeURIComponent(last);
  } catch {
    base = last;
  }
  return join(cacheDir, 'url', safeName(url.host), id, safeName(base));
}

/** The cache directory of a repo at a revision: where `hf:<user>/<repo>:<quant>` looks offline. */
export function computeRepoCacheDir(
  spec: { user: string; repo: string; revision: string },
  cacheDir: string,
): string {
  // encodeURIComponent keeps a revision like refs/pr/1 one directory level.
  return join(cacheDir, 'hf', spec.user, spec.repo, encodeURIComponent(spec.revision));
}
