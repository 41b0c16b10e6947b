import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, describeError } from '../errors.js';
import { parseHardwareTable, type HardwareTable } from '../roofline/hardware.js';
import { describeJsonError } from '../util/json-error.js';
import { packageRoot } from '../util/package-root.js';

/** The bundled hardware table, relative to the package root. */
export const BUNDLED_HARDWARE_FILE = join('data', 'hardware.json');

const cache = new Map<string, HardwareTable>();

/**
 * Reads and validates the hardware table: costbench's bundled data/hardware.json by default.
 * Cached per path for the life of the process. Throws ConfigError naming the file when it is
 * missing, not JSON, or not a valid table.
 */
export function loadHardwareTable(path: string = join(packageRoot(), BUNDLED_HARDWARE_FILE)): HardwareTable {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  const hint = 'Reinstall costbench: its data/hardware.json is missing or was edited.';
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read hardware table ${path}: ${describeError(error)}`, hint, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`hardware table ${path}: ${describeJsonError(error, text)}`, hint, error);
  }
  let table: HardwareTable;
  try {
    table = parseHardwareTable(json);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${path}: ${error.message}`, hint, error);
    throw error;
  }
  cache.set(path, table);
  return table;
}
