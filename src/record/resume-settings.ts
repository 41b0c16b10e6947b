import type { ConfigFlags } from '../config/load.js';
import { FLAG_PATHS } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { canonicalJson, recordedConfigOf, type RecordedConfig } from './settings-record.js';

/** A setting whose value today differs from the one a run was started with. */
export interface SettingDifference {
  /** Dotted config key, e.g. telemetry.idleBaselineS. */
  key: string;
  /** The flag that set it today (--idle), or null when it comes from the config file or environment. */
  flag: string | null;
  recorded: string;
  today: string;
}

/** Flags that do not shape a figure: where the database and config live. */
const NOT_SETTINGS = new Set(['config', 'db']);

function valueAt(config: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined),
      config,
    );
}

/** --no-store-outputs and --no-mmap are given as false; commander's default true is no flag. */
const NEGATED = new Set(['storeOutputs', 'mmap']);

function flagName(name: string): string {
  return `--${NEGATED.has(name) ? 'no-' : ''}${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

function given(flags: ConfigFlags, name: string): boolean {
  const value = (flags as Record<string, unknown>)[name];
  return value !== undefined && !(NEGATED.has(name) && value === true);
}

/** Every leaf key of a config, dotted (arrays are leaves). */
function leafKeys(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => leafKeys(v, prefix === '' ? k : `${prefix}.${k}`));
}

/**
 * Where today's configuration (file, environment, flags) differs from a run's recorded one, each
 * difference naming the flag that set it, if any. `model` is the model the run measured (its
 * record may hold null: "the loaded one"). Pure.
 */
export function settingDifferences(
  flags: ConfigFlags,
  today: Config,
  recorded: RecordedConfig,
  model: string,
): SettingDifference[] {
  const flagOf = new Map<string, string>();
  for (const [name, path] of Object.entries(FLAG_PATHS)) {
    if (!NOT_SETTINGS.has(name) && given(flags, name)) flagOf.set(path, flagName(name));
  }
  const todayConfig = recordedConfigOf(today);
  const keys = [...new Set([...leafKeys(todayConfig), ...leafKeys(recorded)])].sort();
  const out: SettingDifference[] = [];
  for (const key of keys) {
    const was = key === 'run.model' ? model : valueAt(recorded, key);
    const now = valueAt(todayConfig, key);
    if (key === 'run.model' && now === null) continue;
    const [a, b] = [canonicalJson(was ?? null), canonicalJson(now ?? null)];
    if (a !== b) out.push({ key, flag: flagOf.get(key) ?? null, recorded: a, today: b });
  }
  return out;
}
