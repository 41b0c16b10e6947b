/**
 * THE entry point for the embedded engine: a model spec in, a checked local GGUF out.
 *
 *   const model = await resolveModelFile(flags.model, { onProgress, signal, memory });
 *   // model.path: load it; model.gguf: architecture, parameters, layers, context, file type…
 *
 * - `spec`: a GGUF path, `hf:<user>/<repo>/<file>.gguf[#rev]`, `hf:<user>/<repo>:<quant>`, or an
 *   https URL (see model-spec.ts). Bad spec: ConfigError (exit 2).
 * - Remote specs are downloaded into the cache (model-cache.ts: `cacheDir`, else
 *   $COSTBENCH_MODEL_CACHE, else the XDG cache). A complete cached file is used with no network
 *   call at all (`source: 'cache'`). Downloads resume, are checked (size; sha256 when the hub
 *   states it) and land atomically (download-file.ts). Failures: ModelDownloadError (exit 8).
 * - Every file, local or downloaded, is checked before it is returned: a GGUF v2/v3 whose tensor
 *   data fits in the file, of an architecture the bundled llama.cpp knows, and (when `memory` is
 *   given) not larger than RAM + VRAM. Failures: ModelFileError (exit 7); a missing local file:
 *   NotFoundError (exit 6). A downloaded file that is not a GGUF never enters the cache.
 * - `$HF_TOKEN`, when set, is sent to the hub (gated models) and never to its CDN; it is never
 *   stored or printed. `$HF_ENDPOINT` points at a hub mirror.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { ModelDownloadError } from '../errors.js';
import { downloadFile, type DownloadProgress } from './download-file.js';
import type { DownloadSource } from './download-request.js';
import type { OpenFile } from './part-file.js';
import { checkKnownArchitecture, computeGgufFacts, type GgufFacts } from './gguf-facts.js';
import { hfResolveUrl, resolveHfEndpoint } from './hf-hub.js';
import { resolveHfQuant } from './hf-quant.js';
import { checkMemoryFit } from './memory-fit.js';
import { computeCachePath, resolveModelCacheDir } from './model-cache.js';
import { parseModelSpec, type ModelSpec } from './model-spec.js';
import { readGgufHeader } from './read-gguf.js';

/** Options of resolveModelFile; every one has a default. */
export interface ResolveModelOptions {
  /** The model cache directory (default: $COSTBENCH_MODEL_CACHE, else the XDG cache). */
  cacheDir?: string;
  /** Environment: COSTBENCH_MODEL_CACHE, XDG_CACHE_HOME, HF_TOKEN, HF_ENDPOINT (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  home?: string;
  fetch?: typeof fetch;
  /** Called as bytes arrive; draw it with src/cli/download-progress.ts. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Aborting stops a download (the part is kept for the next run). */
  signal?: AbortSignal;
  /** Give up on a server silent this long (default 30 s). */
  idleTimeoutMs?: number;
  /** RAM / VRAM to check the weights against; omitted: no memory check. */
  memory?: { ramBytes: number; vramBytes?: number; allowanceBytes?: number };
  /** For tests: the clock of the progress rate, and a file opener whose writes may fail. */
  now?: () => number;
  openFile?: OpenFile;
}

/** A model file ready to load. */
export interface ResolvedModelFile {
  spec: ModelSpec;
  path: string;
  sizeBytes: number;
  /** sha256 of the file: computed while downloading (also remembered for cache hits); null for local files. */
  sha256: string | null;
  /** Whether the server stated the sha256 and the bytes matched it. */
  sha256Verified: boolean;
  source: 'local' | 'cache' | 'download';
  /** Where it was (or would be) downloaded from; null for a local file. */
  url: string | null;
  /** Bytes a resumed download found already there (0 otherwise). */
  resumedFromBytes: number;
  gguf: GgufFacts;
}

/** What costbench remembers next to a downloaded model: `<model>.source.json`. */
interface SourceRecord {
  url: string;
  sizeBytes: number;
  sha256: string;
  sha256Verified: boolean;
}

/** The engine the architecture list belongs to, as error messages name it. */
const ENGINE = 'llama.cpp (bundled with node-llama-cpp 3.21.1)';

/** How the file got into the cache, and its sha256. */
type Fetched = Pick<ResolvedModelFile, 'source' | 'sha256' | 'sha256Verified' | 'resumedFromBytes'>;

/** Resolves `specText` to a checked local GGUF (see the file comment). */
export async function resolveModelFile(
  specText: string,
  options: ResolveModelOptions = {},
): Promise<ResolvedModelFile> {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const spec = parseModelSpec(specText, { cwd: options.cwd ?? process.cwd(), home });
  if (spec.kind === 'local') {
    const gguf = await readCheckedFacts(spec.path, options);
    const local: Fetched = { source: 'local', sha256: null, sha256Verified: false, resumedFromBytes: 0 };
    return { spec, path: spec.path, sizeBytes: gguf.fileSizeBytes, url: null, gguf, ...local };
  }
  const cacheDir = resolveModelCacheDir(env, home, options.cacheDir);
  const endpoint = spec.kind === 'url' ? '' : resolveHfEndpoint(env);
  const fetchImpl = options.fetch ?? fetch;
  const target =
    spec.kind === 'hf-quant'
      ? await resolveHfQuant(spec, { cacheDir, endpoint, env, fetch: fetchImpl, signal: options.signal })
      : spec;
  const path = computeCachePath(target, cacheDir);
  const source = downloadSource(target, endpoint, env);
  const fetched = (await readCached(path)) ?? (await downloadToCache(source, path, cacheDir, options));
  const gguf = await readCheckedFacts(path, options);
  return { spec, path, sizeBytes: gguf.fileSizeBytes, url: source.url, gguf, ...fetched };
}

async function downloadToCache(
  source: DownloadSource,
  path: string,
  cacheDir: string,
  options: ResolveModelOptions,
): Promise<Fetched> {
  const result = await downloadFile(source, path, {
    fetch: options.fetch ?? fetch,
    cacheDir,
    onProgress: options.onProgress,
    signal: options.signal,
    idleTimeoutMs: options.idleTimeoutMs,
    now: options.now,
    openFile: options.openFile,
    // Not a GGUF, or truncated: never renamed into the cache.
    verify: async (part) => void (await readGgufHeader(part, source.url)),
  });
  const { sizeBytes, sha256, sha256Verified, resumedFromBytes } = result;
  const record: SourceRecord = { url: source.url, sizeBytes, sha256, sha256Verified };
  // Only a convenience (the sha256 of later cache hits): failing to write it fails nothing.
  await writeFile(`${path}.source.json`, `${JSON.stringify(record, null, 2)}\n`).catch(() => undefined);
  return { source: 'download', sha256, sha256Verified, resumedFromBytes };
}

function downloadSource(
  spec: Extract<ModelSpec, { kind: 'hf' | 'url' }>,
  endpoint: string,
  env: Readonly<Record<string, string | undefined>>,
): DownloadSource {
  if (spec.kind === 'url') return { url: spec.url, authorization: null, hubOrigin: null };
  const token = env['HF_TOKEN'];
  const authorization = token === undefined || token === '' ? null : `Bearer ${token}`;
  return { url: hfResolveUrl(endpoint, spec), authorization, hubOrigin: new URL(endpoint).origin };
}

/** A cached file (only complete, checked files are ever renamed into place), with its remembered sha256. */
async function readCached(path: string): Promise<Fetched | null> {
  const info = await stat(path).catch(() => null);
  if (info === null) return null;
  if (!info.isFile()) {
    throw new ModelDownloadError(`the model cache holds a non-file at ${path}`, 'Remove it and run again.');
  }
  const text = await readFile(`${path}.source.json`, 'utf8').catch(() => null);
  const record = parseSourceRecord(text);
  // Keyed by the cache path, not the URL: the same file through another HF_ENDPOINT mirror is the same file.
  const known = record !== null && record.sizeBytes === info.size;
  return {
    source: 'cache',
    sha256: known ? record.sha256 : null,
    sha256Verified: known && record.sha256Verified,
    resumedFromBytes: 0,
  };
}

function parseSourceRecord(text: string | null): SourceRecord | null {
  try {
    const r = JSON.parse(text ?? 'null') as Partial<SourceRecord> | null;
    if (r === null || typeof r.url !== 'string' || typeof r.sha256 !== 'string') return null;
    if (typeof r.sizeBytes !== 'number') return null;
    return {
      url: r.url,
      sizeBytes: r.sizeBytes,
      sha256: r.sha256,
      sha256Verified: r.sha256Verified === true,
    };
  } catch {
    return null;
  }
}

async function readCheckedFacts(path: string, options: ResolveModelOptions): Promise<GgufFacts> {
  const { header, fileSizeBytes } = await readGgufHeader(path);
  const facts = computeGgufFacts(header, fileSizeBytes, path);
  checkKnownArchitecture(facts, path, ENGINE);
  if (options.memory !== undefined) {
    checkMemoryFit({ ...options.memory, weightsBytes: facts.tensorDataBytes }, path);
  }
  return facts;
}
