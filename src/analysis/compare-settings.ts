import { diffMachineStates } from './machine-state-diff.js';
import type { RunSummary } from './summary.js';

/** One setting, server fact or machine-state field whose values differ between the compared runs. */
export interface SettingDiff {
  /** `telemetry.intervalMs`, `requestOptions.suite.temperature`, `server.version`, `machine.cpu.governors`… */
  key: string;
  /** Each run's value as JSON text (machine state as words); null where the run has none. */
  values: (string | null)[];
  /** Known to move figures (a setting of the measurement, the server or the machine), not bookkeeping. */
  movesResults: boolean;
}

/** Settings every run stores that the comparison shows in its own rows (or that only explain a choice). */
const SHOWN_APART = new Set([
  'model',
  'suite',
  'concurrency',
  'modelChosenBecause',
  'backend.kind',
  'run.model',
  'run.suite',
  'run.concurrency',
]);

/** Record keys that do not move a figure: where things came from, prices, bookkeeping. */
const BOOKKEEPING = [
  /^software\./,
  /^suite\.(source|replayOutput)$/,
  /^rerunOf$/,
  /^recordVersion$/,
  /^cost\./,
  /^roofline\./,
  /^backend\.(host|apiKeyEnv)$/,
  /^(run\.)?storeOutputs$/,
  /^server\.errors$/,
];

function movesResults(key: string): boolean {
  return !BOOKKEEPING.some((re) => re.test(key));
}

/** Legacy runs (no record): their stored settings; keys as before. */
function flattenLegacy(s: RunSummary): Map<string, string> {
  return flattenSettings(s.run.settings);
}

/** Flattens nested settings to dotted keys; arrays and scalars are leaves, written as JSON. */
export function flattenSettings(settings: Record<string, unknown>, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(settings)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flattenSettings(value as Record<string, unknown>, path)) out.set(k, v);
    } else {
      out.set(path, JSON.stringify(value) ?? 'undefined');
    }
  }
  return out;
}

/** A run's record and its server's first facts, flattened (the config's keys without their `config.` prefix). */
function flattenRecord(s: RunSummary): Map<string, string> {
  const view = s.recordView;
  const out = new Map<string, string>();
  if (view?.record == null) return out;
  const { config, ...rest } = view.record;
  for (const [k, v] of flattenSettings(config as unknown as Record<string, unknown>)) out.set(k, v);
  for (const [k, v] of flattenSettings(rest as unknown as Record<string, unknown>)) out.set(k, v);
  const facts = view.serverFacts[0]?.facts;
  if (facts !== undefined)
    for (const [k, v] of flattenSettings(facts as unknown as Record<string, unknown>, 'server'))
      out.set(k, v);
  return out;
}

function shownApart(key: string): boolean {
  return SHOWN_APART.has(key) || SHOWN_APART.has(key.split('.')[0] ?? key);
}

function settingDiffs(flat: readonly Map<string, string>[], moves: (key: string) => boolean): SettingDiff[] {
  const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].filter((k) => !shownApart(k)).sort();
  return keys
    .map((key) => ({ key, values: flat.map((f) => f.get(key) ?? null), movesResults: moves(key) }))
    .filter((d) => new Set(d.values).size > 1);
}

/** Machine-state fields at the start of each run that differ from the first run's. */
function machineDiffs(summaries: readonly RunSummary[]): SettingDiff[] {
  const states = summaries.map((s) => s.recordView?.machineStates.start ?? null);
  const first = states[0] ?? null;
  const byField = new Map<string, SettingDiff>();
  states.forEach((state, i) => {
    if (i === 0) return;
    for (const d of diffMachineStates(first, state)) {
      const key = `machine.${d.field}`;
      const entry = byField.get(key) ?? {
        key,
        values: states.map(() => null as string | null),
        movesResults: d.movesResults,
      };
      entry.values[0] = d.a;
      entry.values[i] = d.b;
      byField.set(key, entry);
    }
  });
  // A run with no difference in a field has the first run's value.
  for (const entry of byField.values())
    entry.values = entry.values.map((v, i) => (v === null && i > 0 ? (entry.values[0] ?? null) : v));
  return [...byField.values()];
}

/**
 * Every setting, server fact and machine-state field that differs between the runs, those that
 * move results first. Runs with settings records are compared record to record; when any run
 * predates records, the settings every run stored are compared instead. Pure.
 */
export function differingSettings(summaries: readonly RunSummary[]): SettingDiff[] {
  const recorded = summaries.every((s) => s.recordView?.record != null);
  const diffs = recorded
    ? [...settingDiffs(summaries.map(flattenRecord), movesResults), ...machineDiffs(summaries)]
    : settingDiffs(summaries.map(flattenLegacy), movesResults);
  return [...diffs.filter((d) => d.movesResults), ...diffs.filter((d) => !d.movesResults)];
}

/** The warning that comes first: settings that move results differ (with their values), or runs without a record. */
export function settingsWarnings(summaries: readonly RunSummary[], diffs: readonly SettingDiff[]): string[] {
  const warnings: string[] = [];
  const moving = diffs.filter((d) => d.movesResults);
  if (moving.length > 0) {
    const list = moving
      .map((d) => `${d.key} (${d.values.map((v) => v ?? 'unknown').join(' vs ')})`)
      .join('; ');
    warnings.push(`settings that move results differ: ${list}`);
  }
  const bare = summaries.filter((s) => s.recordView?.record == null).map((s) => s.run.id);
  if (bare.length > 0) {
    warnings.push(
      `run${bare.length > 1 ? 's' : ''} ${bare.join(', ')} ha${bare.length > 1 ? 've' : 's'} no settings record (made before costbench kept one): telemetry settings, server facts and machine state cannot be compared`,
    );
  }
  return warnings;
}
