/**
 * The Hugging Face hub's URLs, and picking a repo's GGUF by quantization. The endpoint is
 * $HF_ENDPOINT when set (as huggingface_hub reads it: mirrors, tests), else https://huggingface.co.
 * A file is fetched from `<endpoint>/<user>/<repo>/resolve/<revision>/<path>`; a repo's files are
 * listed by `<endpoint>/api/models/<user>/<repo>/tree/<revision>?recursive=true` (what llama.cpp's
 * `-hf` uses), whose items are `{ type: "file", path, size, lfs?: { oid } }`.
 */
import { ConfigError, ModelDownloadError } from '../errors.js';

/** The hub's default endpoint. */
export const HF_DEFAULT_ENDPOINT = 'https://huggingface.co';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The hub endpoint from the environment, without a trailing slash. */
export function resolveHfEndpoint(env: Readonly<Record<string, string | undefined>>): string {
  const value = env['HF_ENDPOINT'];
  if (value === undefined || value === '') return HF_DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const hint = `Unset it, or set it to a mirror such as ${HF_DEFAULT_ENDPOINT}.`;
    throw new ConfigError(`HF_ENDPOINT "${value}" is not a URL`, hint);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    const hint = 'Plain http is allowed only for 127.0.0.1 and localhost.';
    throw new ConfigError(`HF_ENDPOINT "${value}" is not https`, hint);
  }
  return value.replace(/\/+$/, '');
}

const encodePath = (path: string): string => path.split('/').map(encodeURIComponent).join('/');

/** The download URL of one file of a repo. */
export function hfResolveUrl(
  endpoint: string,
  spec: { user: string; repo: string; revision: string; file: string },
): string {
  const revision = encodeURIComponent(spec.revision);
  return `${endpoint}/${spec.user}/${spec.repo}/resolve/${revision}/${encodePath(spec.file)}`;
}

/** The URL listing a repo's files at a revision. */
export function hfTreeUrl(endpoint: string, spec: { user: string; repo: string; revision: string }): string {
  const revision = encodeURIComponent(spec.revision);
  return `${endpoint}/api/models/${spec.user}/${spec.repo}/tree/${revision}?recursive=true`;
}

/** Files that sit next to a model but are not one (vision projectors, importance matrices, drafts). */
const NOT_A_MODEL = /(mmproj|imatrix|mtp-|eagle3-|dflash-|dspark-)/i;
const SPLIT = /-(\d{5})-of-(\d{5})\.gguf$/i;

/** The outcome of picking a GGUF by quantization. */
export type QuantPick =
  | { kind: 'one'; path: string }
  | { kind: 'none' }
  | { kind: 'many'; paths: string[] }
  | { kind: 'split'; path: string };

/**
 * The repo file of quantization `quant` among `paths`: a .gguf whose name has the quant between
 * separators ("-Q4_K_M.gguf", ".q4_k_m.gguf"; case-insensitive), leaving out projectors and the
 * like. Split models (-00001-of-00003.gguf) are reported, not picked: costbench downloads one file.
 */
export function pickQuantFile(paths: readonly string[], quant: string): QuantPick {
  const escaped = quant.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(^|[-._/])${escaped}[-.]`, 'i');
  const isModel = (p: string): boolean => /\.gguf$/i.test(p) && !NOT_A_MODEL.test(p.split('/').at(-1) ?? '');
  const matches = paths.filter((p) => isModel(p) && pattern.test(p));
  // Of a split model, only its first part stands for it.
  const candidates = matches.filter((p) => (SPLIT.exec(p)?.[1] ?? '00001') === '00001');
  const [path] = candidates;
  if (path === undefined) return { kind: 'none' };
  if (candidates.length > 1) return { kind: 'many', paths: candidates };
  const parts = SPLIT.exec(path)?.[2] ?? '00001';
  return parts === '00001' ? { kind: 'one', path } : { kind: 'split', path };
}

/** Lists a repo's file paths through the tree API. Throws ModelDownloadError on HTTP errors. */
export async function readRepoFiles(
  treeUrl: string,
  fetchImpl: typeof fetch,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<string[]> {
  const response = await fetchImpl(treeUrl, { headers: { Accept: 'application/json', ...headers }, signal });
  const nameIt = 'Name the file instead: hf:<user>/<repo>/<file>.gguf';
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const notFound = 'Check the user, repo and revision (names are case-sensitive).';
    const hint = response.status === 404 ? notFound : nameIt;
    throw new ModelDownloadError(`cannot list the files of ${treeUrl}: HTTP ${response.status}`, hint);
  }
  const items: unknown = await response.json().catch(() => null);
  if (!Array.isArray(items)) {
    throw new ModelDownloadError(
      `cannot list the files of ${treeUrl}: the answer is not a file list`,
      nameIt,
    );
  }
  const isFile = (i: unknown): i is { path: string } =>
    typeof i === 'object' &&
    i !== null &&
    (i as { type?: unknown }).type === 'file' &&
    typeof (i as { path?: unknown }).path === 'string';
  return items.filter(isFile).map((i) => i.path);
}
