/**
 * Model specs for the embedded engine: where a GGUF comes from. Pure.
 *
 * - a local path: `./model.gguf`, `/models/x.gguf`, `~/models/x.gguf` (relative to the cwd)
 * - `hf:<user>/<repo>/<path/in/repo.gguf>[#<revision>]`: one file of a Hugging Face repo
 * - `hf:<user>/<repo>:<quant>[#<revision>]`: the repo's GGUF of that quantization (node-llama-cpp's
 *   URI scheme; llama.cpp's `-hf user/repo:quant` picks the same way)
 * - `https://…`: any URL; a huggingface.co `/resolve/` or `/blob/` URL is read as the `hf:` spec
 *   it names. `http://` only for 127.0.0.1, localhost and [::1] (tests, local mirrors).
 */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/** A model spec, parsed. `text` is what the user wrote. */
export type ModelSpec =
  | { kind: 'local'; text: string; path: string }
  | { kind: 'hf'; text: string; user: string; repo: string; file: string; revision: string }
  | { kind: 'hf-quant'; text: string; user: string; repo: string; quant: string; revision: string }
  | { kind: 'url'; text: string; url: string };

/** Where relative paths and `~` point. */
export interface SpecContext {
  cwd: string;
  home: string;
}

/** The revision a spec without `#<revision>` names. */
export const DEFAULT_HF_REVISION = 'main';

const EXAMPLES =
  'e.g. ./model.gguf, hf:ggml-org/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf, hf:ggml-org/Qwen3-0.6B-GGUF:Q8_0, ' +
  'or https://host/path/model.gguf';
/** A Hugging Face user or repo name: letters, digits, `-`, `_`, `.`; no `--` or `..` (the hub's rule). */
const HF_NAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?$/;
const QUANT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,39}$/;
const REVISION = /^[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}$/;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function bad(text: string, why: string): ConfigError {
  return new ConfigError(`model spec "${text}" is not valid: ${why}`, EXAMPLES);
}

/** Parses a model spec; throws a one-line ConfigError with examples when it is not one. */
export function parseModelSpec(text: string, context: SpecContext): ModelSpec {
  const trimmed = text.trim();
  if (trimmed === '') throw bad(text, 'it is empty');
  if (/^hf:/i.test(trimmed)) return parseHf(trimmed, trimmed.slice(3).replace(/^\/\//, ''));
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]+):/.exec(trimmed)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return parseUrl(trimmed);
  if (scheme !== undefined && !/^[A-Za-z]:[\\/]/.test(trimmed)) {
    throw bad(text, `"${scheme}:" is not a source costbench downloads from (hf:, https:, or a file path)`);
  }
  return { kind: 'local', text: trimmed, path: resolveLocal(trimmed, context) };
}

function resolveLocal(path: string, { cwd, home }: SpecContext): string {
  if (path === '~') return home;
  if (path.startsWith('~/')) return resolve(home, path.slice(2));
  return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}

function parseHf(text: string, body: string): ModelSpec {
  const hash = body.indexOf('#');
  const revision = hash === -1 ? DEFAULT_HF_REVISION : body.slice(hash + 1);
  const rest = hash === -1 ? body : body.slice(0, hash);
  if (!REVISION.test(revision) || revision.includes('..')) {
    throw bad(text, `"${revision}" is not a branch, tag or commit`);
  }
  const [user = '', repoAndQuant = '', ...fileParts] = rest.split('/');
  checkName(text, user, 'user');
  if (fileParts.length === 0) {
    const colon = repoAndQuant.indexOf(':');
    if (colon === -1) {
      checkName(text, repoAndQuant, 'repo');
      const repo = `hf:${user}/${repoAndQuant}`;
      const how = `add the GGUF file (${repo}/<file>.gguf) or a quantization (${repo}:Q4_K_M)`;
      throw bad(text, `it names a repo but no file: ${how}`);
    }
    const repo = repoAndQuant.slice(0, colon);
    const quant = repoAndQuant.slice(colon + 1);
    checkName(text, repo, 'repo');
    if (!QUANT.test(quant)) throw bad(text, `"${quant}" is not a quantization name like Q4_K_M`);
    return { kind: 'hf-quant', text, user, repo, quant, revision };
  }
  checkName(text, repoAndQuant, 'repo');
  const file = fileParts.join('/');
  checkRepoFile(text, fileParts);
  return { kind: 'hf', text, user, repo: repoAndQuant, file, revision };
}

function checkName(text: string, name: string, what: 'user' | 'repo'): void {
  if (name === '') throw bad(text, `the ${what} name is missing (hf:<user>/<repo>/<file>.gguf)`);
  if (!HF_NAME.test(name) || name.includes('--') || name.includes('..')) {
    throw bad(text, `"${name}" is not a Hugging Face ${what} name (letters, digits, - _ .)`);
  }
}

function checkRepoFile(text: string, parts: string[]): void {
  for (const part of parts) {
    // eslint-disable-next-line no-control-regex
    if (part === '' || part === '.' || part === '..' || /[\\\x00-\x1f]/.test(part)) {
      throw bad(text, `"${parts.join('/')}" is not a file path inside the repo`);
    }
  }
  if (!/\.gguf$/i.test(parts.at(-1) ?? '')) throw bad(text, `"${parts.join('/')}" is not a .gguf file`);
}

function parseUrl(text: string): ModelSpec {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad(text, 'it is not a well-formed URL');
  }
  if (url.protocol === 'http:' && !LOCAL_HOSTS.has(url.hostname)) {
    throw bad(text, 'plain http is allowed only for 127.0.0.1 and localhost; use https');
  }
  if (url.username !== '' || url.password !== '') {
    throw bad(text, 'credentials in the URL would be stored; set HF_TOKEN instead');
  }
  if (url.pathname === '/' || url.pathname === '') throw bad(text, 'the URL names no file');
  if (url.hostname === 'huggingface.co') {
    const m = /^\/([^/]+)\/([^/]+)\/(?:resolve|blob)\/([^/]+)\/(.+)$/.exec(url.pathname);
    const [, user, repo, revision = '', file = ''] = m ?? [];
    if (m !== null) return parseHf(text, `${user}/${repo}/${decode(text, file)}#${decode(text, revision)}`);
  }
  return { kind: 'url', text, url: url.href };
}

function decode(text: string, part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw bad(text, 'the URL has a malformed %-escape');
  }
}
