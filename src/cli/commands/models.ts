import { createBackend } from '../../backends/create.js';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { EXIT } from '../../errors.js';
import type { CliIo } from '../io.js';
import { describeServerVersion } from '../../report/describe-run.js';

export interface ModelsFlags extends ConfigFlags {
  json?: boolean;
}

/** `costbench models`: what the server has installed, and what it has loaded. */
export async function modelsCommand(flags: ModelsFlags, io: CliIo): Promise<number> {
  const { config, host } = loadConfig(flags, io.env, io.cwd);
  const backend = createBackend(config.backend, host, io.env);
  const [version, installed, loaded] = await Promise.all([
    backend.version(),
    backend.listModels(),
    backend.loadedModels(),
  ]);
  const models = installed.map((m) => {
    const inMemory = loaded?.find((l) => l.name === m.name);
    // loaded: null where the server cannot say (LM Studio)
    return {
      ...m,
      loaded: loaded === null ? null : inMemory !== undefined,
      sizeVramBytes: inMemory?.sizeVramBytes ?? null,
    };
  });
  if (flags.json === true) {
    io.stdout(JSON.stringify({ host, serverVersion: version, models }, null, 2) + '\n');
    return EXIT.ok;
  }
  io.stdout(
    `${describeServerVersion(backend.kind, version)} at ${backend.host}: ${models.length} ${backend.kind === 'ollama' ? 'installed' : 'listed'}${loaded === null ? ' (the server does not say which are loaded)' : ''}\n`,
  );
  for (const m of models) {
    const size = m.sizeBytes === null ? '' : `${(m.sizeBytes / 1e9).toFixed(2)} GB`;
    const details = [m.family, m.parameterSize, m.quantization, size]
      .filter((x) => x !== null && x !== '')
      .join(', ');
    io.stdout(`  ${m.name.padEnd(32)} ${details}${m.loaded === true ? '  [loaded]' : ''}\n`);
  }
  return EXIT.ok;
}
