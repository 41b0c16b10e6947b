import { z } from 'zod';
import { configSchema, type Config } from './schema.js';

/** The JSON Schema of the config file (what a user may write), with every description and default. */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input' }) as Record<string, unknown>;
}

/** The configuration with nothing set: every default. */
export function defaultConfig(): Config {
  return configSchema.parse({});
}
