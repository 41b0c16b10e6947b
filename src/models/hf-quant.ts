/**
 * Resolves `hf:<user>/<repo>:<quant>` to one file of the repo: from the cache when a file of that
 * quantization was downloaded before (no network), else from the hub's file list.
 */
import { readdir } from 'node:fs/promises';
import { relative, sep } from 'node:path';
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
  const cached = pickQuantFile(await listCachedFiles(computeRepoCacheDir(spec, context.cacheDir)), spec.quant);
  if (cached.kind === 'one') return toFileSpec(spec, cached.path);
  const url = hfTreeUrl(context.endpoint, spec);
  const token = context.env['HF_TOKEN'];
  const signals = [AbortSignal.timeout(LIST_TIMEOUT_MS), ...(context.signal ? [context.signal] : [])];
  const files = await readRepoFiles(url, context.fetch, token ? { Authorization: `Bearer ${token}` } : {}, AbortSignal.any(signals)).catch(
    (error: unknown) => {
      const offline = describeNoNetwork(error);
      throw offline === null ? error : noNetworkError(url, offline, context.cacheDir, error);
    },
  );
  return toFileSpec(spec, checkPick(spec, pickQuantFile(files, spec.quant), files));
}

/** The picked file as a spec, checked like one a user typed: a listing cannot name a path outside the cache. */
function toFileSpec(spec: QuantSpec, file: string): FileSpec {
  const parsed = parseModelSpec(`hf:${spec.user}/${spec.repo}/${file}#${spec.revision}`, { cwd: '/', home: '/' });
  if (parsed.kind !== 'hf') throw new ConfigError(`${spec.text} resolved to "${file}", which is not a repo file`, 'Name the file instead.');
  return { ...parsed, text: spec.text };
}

function checkPick(spec: QuantSpec, pick: QuantPick, files: string[]): string {
  const repo = `hf:${spec.user}/${spec.repo}`;
  if (pick.kind === 'one') return pick.path;
  if (pick.kind === 'none') {
    const ggufs = files.filter((f) => /\.gguf$/i.test(f)).slice(0, 8).join(', ');
    throw new NotFoundError(`${repo} has no GGUF of quantization ${spec.quant}`, ggufs === '' ? 'The repo holds no .gguf file.' : `Its GGUF files: ${ggufs}`);
  }
  if (pick.kind === 'many') {
    throw new ConfigError(`${spec.text} matches ${pick.paths.length} files: ${pick.paths.join(', ')}`, `Name one: ${repo}/<file>.gguf`);
  }
  throw new ConfigError(`${spec.text} is a model split into several files (${pick.path})`, 'costbench downloads single-file GGUFs: pick another quantization or a smaller model.');
}

/** Complete files under a repo's cache directory, as repo paths (parts and sidecars left out). */
async function listCachedFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return entries.filter((e) => /\.gguf$/i.test(e)).map((e) => relative(dir, `${dir}${sep}${e}`).split(sep).join('/'));
}
