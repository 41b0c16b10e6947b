import { EXIT } from '../../errors.js';
import { resolveModelFile, type ResolvedModelFile } from '../../models/resolve-model-file.js';
import { createDownloadProgress } from '../download-progress.js';
import type { CliIo } from '../io.js';

/** Flags of `costbench models pull`. `json` is the `models` group's own flag. */
export interface ModelsPullFlags {
  cacheDir?: string;
  json?: boolean;
}

const SOURCE_WORDS: Record<ResolvedModelFile['source'], string> = {
  download: 'downloaded to',
  cache: 'already in the cache at',
  local: 'local file',
};

/**
 * `costbench models pull <spec>`: downloads a GGUF for the embedded engine into the model cache
 * ahead of a run (or finds it there), checks it, and says what it is.
 */
export async function modelsPullCommand(spec: string, flags: ModelsPullFlags, io: CliIo, signal?: AbortSignal): Promise<number> {
  const progress = createDownloadProgress(io.stderr, io.isTty);
  const model = await resolveModelFile(spec, { cacheDir: flags.cacheDir, env: io.env, cwd: io.cwd, onProgress: progress.onProgress, signal })
    .finally(progress.finish);
  const g = model.gguf;
  if (flags.json === true) {
    io.stdout(`${JSON.stringify({ ...model, spec }, null, 2)}\n`);
    return EXIT.ok;
  }
  const sha = model.sha256 === null ? '' : `, sha256 ${model.sha256}${model.sha256Verified ? ' (matches the hub)' : ' (computed; the server stated none)'}`;
  io.stdout(`${spec}: ${SOURCE_WORDS[model.source]} ${model.path} (${model.sizeBytes} bytes${sha})\n`);
  const facts = [
    g.architecture, `${g.parameterCount} parameters${g.parameterCountSource === 'tensors' ? ' (counted from the tensors)' : ''}`,
    g.fileTypeName, g.blockCount === null ? null : `${g.blockCount} layers`, g.contextLength === null ? null : `context ${g.contextLength}`,
  ];
  io.stdout(`  ${[g.name, ...facts].filter((x) => x !== null).join(', ')}\n`);
  return EXIT.ok;
}
