import type { Config } from '../config/schema.js';
import type { SettingsRecord } from '../types/settings-record.js';
import { flattenSettings } from './compare-settings.js';

/**
 * Which cost inputs a cost was computed with: always today's (the config file, or the defaults),
 * said beside the ones the run recorded: the same, or which keys differ and how. Pure.
 */
export function costInputsNote(
  today: Config['cost'],
  record: SettingsRecord | null,
  configFile: string | null,
): string {
  const source = `today's cost inputs (${configFile === null ? 'no config file: the defaults' : `config file ${configFile}`})`;
  if (record === null) return `computed with ${source}; the run recorded none of its own`;
  const was = flattenSettings(record.config.cost as unknown as Record<string, unknown>);
  const now = flattenSettings(today as unknown as Record<string, unknown>);
  const keys = [...new Set([...was.keys(), ...now.keys()])].sort();
  const differ = keys.filter((k) => was.get(k) !== now.get(k));
  if (differ.length === 0) return `computed with ${source}, the same as at run time`;
  const list = differ
    .map((k) => `cost.${k} ${was.get(k) ?? 'unset'} then, ${now.get(k) ?? 'unset'} now`)
    .join('; ');
  return `computed with ${source}; at run time they differed: ${list}`;
}
