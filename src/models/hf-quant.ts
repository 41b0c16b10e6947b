/**
 * Resolves `hf:<user>/<repo>:<quant>` to one file of the repo: from the cache when a file of that
 * quantization was downloaded before (no network), else from the hub's file list.
 */
import { readdir } from 'node:fs/promises';
import { sep } from 'node:path';
import { ConfigError, NotFoundError } from '../errors.js';
import { describeNoNetwork, noNetworkError } from './download-errors.js';
import { hfTreeUrl, pickQuantFile, readRepoFiles, type QuantPick } from './hf-hub.js';
import { computeRepoCacheDir } from './model-cache.js';
import { parseModelSpec, type ModelSpec } from './model-spec.js';

type QuantSpec = Extract<ModelSpec, { kind: 'hf-quant' }>;
type FileSpec = Extract<ModelSpec, { kind: 'hf' }>;

/** Where and how to look. */
export interface QuantContext {
  cacheDir: string;
  endpoint: string;
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
  signal?: AbortSignal;
}

/** A listing that takes longer than this is given up on. */
const LIST_TIMEOUT_MS = 30_000;

/** The `hf` spec of the file `spec` picks. */
export async function resolveHfQuant(spec: QuantSpec, context: QuantContext): Promise<FileSpec> {
  const cachedFiles = await listCachedFiles(computeRepoCacheDir(spec, context.cacheDir));
  const cached = pickQuantFile(cachedFiles, spec.quant);
  if (cached.kind === 'one') return toFileSpec(spec, cached.path);
  const url = hfTreeUrl(context.endpoint, spec);
  const token = context.env['HF_TOKEN'];
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const timeout = AbortSignal.timeout(LIST_TIMEOUT_MS);
  const signal = context.signal === undefined ? timeout : AbortSignal.any([timeout, context.signal]);
  const files = await readRepoFiles(url, context.fetch, headers, signal).catch((error: unknown) => {
    const offline = describeNoNetwork(error);
    throw offline === null ? error : noNetworkError(url, offline, context.cacheDir, error);
  });
  return toFileSpec(spec, checkPick(spec, pickQuantFile(files, spec.quant), files));
}

/** The picked file as a spec, checked like a typed one: a listing cannot name a path outside the cache. */
function toFileSpec(spec: QuantSpec, file: string): FileSpec {
  const text = `hf:${spec.user}/${spec.repo}/${file}#${spec.revision}`;
  const parsed = parseModelSpec(text, { cwd: '/', home: '/' });
  if (parsed.kind !== 'hf') {
    throw new ConfigError(`${spec.text} resolved to "${file}", not a repo file`, 'Name the file instead.');
  }
  return { ...parsed, text: spec.text };
}

function checkPick(spec: QuantSpec, pick: QuantPick, files: string[]): string {
  const repo = `hf:${spec.user}/${spec.repo}`;
  if (pick.kind === 'one') return pick.path;
  if (pick.kind === 'none') {
    const ggufs = files
      .filter((f) => /\.gguf$/i.test(f))
      .slice(0, 8)
      .join(', ');
    const hint = ggufs === '' ? 'The repo holds no .gguf file.' : `Its GGUF files: ${ggufs}`;
    throw new NotFoundError(`${repo} has no GGUF of quantization ${spec.quant}`, hint);
  }
  if (pick.kind === 'many') {
    const message = `${spec.text} matches ${pick.paths.length} files: ${pick.paths.join(', ')}`;
    throw new ConfigError(message, `Name one: ${repo}/<file>.gguf`);
  }
  throw new ConfigError(
    `${spec.text} is a model split into several files (${pick.path})`,
    'costbench downloads single-file GGUFs: pick another quantization or a smaller model.',
  );
}

/** Complete files under a repo's cache directory, as repo paths (parts and sidecars left out). */
async function listCachedFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => /\.gguf$/i.test(e)).map((e) => e.split(sep).join('/'));
}
