/**
 * Where a model spec (`--model`) points on disk. The one place that turns a spec into a file:
 * today a local GGUF path; `hf:` URIs and https URLs (downloaded into the cache) plug in here.
 */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';

/** A model file ready to load. */
export interface ModelFile {
  path: string;
}

/** Resolves a model spec to a local file. Relative paths are taken from `cwd`. */
export function resolveModelFile(spec: string, cwd: string): ModelFile {
  if (/^(hf|huggingface):/i.test(spec) || /^https?:\/\//i.test(spec)) {
    throw new ConfigError(
      `model "${spec}": downloading models is not in this build yet`,
      'Download the .gguf yourself and pass its path to --model, or run `costbench demo` (no download).',
    );
  }
  return { path: isAbsolute(spec) ? spec : resolve(cwd, spec) };
}
