import { EXIT } from '../../errors.js';
import type { GgufFacts } from '../../models/gguf-facts.js';
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
export async function modelsPullCommand(
  spec: string,
  flags: ModelsPullFlags,
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const progress = createDownloadProgress(io.stderr, io.isTty);
  const { onProgress, finish } = progress;
  const options = { cacheDir: flags.cacheDir, env: io.env, cwd: io.cwd, onProgress, signal };
  const model = await resolveModelFile(spec, options).finally(finish);
  if (flags.json === true) {
    io.stdout(`${JSON.stringify({ ...model, spec }, null, 2)}\n`);
    return EXIT.ok;
  }
  const where = `${SOURCE_WORDS[model.source]} ${model.path}`;
  io.stdout(`${spec}: ${where} (${model.sizeBytes} bytes${describeSha(model)})\n`);
  io.stdout(`  ${describeFacts(model.gguf)}\n`);
  return EXIT.ok;
}

function describeSha(model: ResolvedModelFile): string {
  if (model.sha256 === null) return '';
  const how = model.sha256Verified ? 'matches the hub' : 'computed; the server stated none';
  return `, sha256 ${model.sha256} (${how})`;
}

function describeFacts(g: GgufFacts): string {
  const counted = g.parameterCountSource === 'tensors' ? ' (counted from the tensors)' : '';
  const facts = [
    g.name,
    g.architecture,
    `${g.parameterCount} parameters${counted}`,
    g.fileTypeName,
    g.blockCount === null ? null : `${g.blockCount} layers`,
    g.contextLength === null ? null : `context ${g.contextLength}`,
  ];
  return facts.filter((x) => x !== null).join(', ');
}
