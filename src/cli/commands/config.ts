import { configJsonSchema } from '../../config/json-schema.js';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { EXIT } from '../../errors.js';
import type { CliIo } from '../io.js';

export interface ConfigCommandFlags extends ConfigFlags {
  schema?: boolean;
}

/** `costbench config`: the effective configuration (after flags, env, file), or the JSON Schema. */
export function configCommand(flags: ConfigCommandFlags, io: CliIo): number {
  if (flags.schema === true) {
    io.stdout(JSON.stringify(configJsonSchema(), null, 2) + '\n');
    return EXIT.ok;
  }
  const loaded = loadConfig(flags, io.env, io.cwd);
  io.stdout(
    JSON.stringify(
      { file: loaded.file, host: loaded.host, dbPath: loaded.dbPath, config: loaded.config },
      null,
      2,
    ) + '\n',
  );
  return EXIT.ok;
}
