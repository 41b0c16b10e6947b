import type { ConfigFlags } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { settingDifferences, type SettingDifference } from '../record/resume-settings.js';
import type { ResumePlan } from './resume.js';
import { storedBackend } from './embedded.js';

/** The configuration a resumed run goes on with, and the embedded engine's thread count for it. */
export interface ResumedConfig {
  config: Config;
  /** The run's own thread count (one value of a sweep); null: from the config. */
  engineThreads: number | 'auto' | null;
}

function describe(d: SettingDifference): string {
  return `${d.key} ${d.recorded} (today ${d.today})`;
}

/**
 * A resumed run keeps every setting it was started with (its record): a flag given on resume that
 * would change one is refused, naming it; a config file or environment that changed since is noted
 * and ignored. A run from before records were kept resumes with today's telemetry and cost
 * settings, and says so.
 */
export function resumedConfig(
  resume: ResumePlan,
  flags: ConfigFlags,
  today: Config,
  note: (line: string) => void,
): ResumedConfig {
  const id = resume.run.id;
  if (resume.record === null) {
    note(
      `run ${id} was started by a costbench that kept no settings record: the rest of it is measured with today's telemetry settings`,
    );
    const config =
      resume.run.backend === 'llama-cpp'
        ? { ...today, backend: storedBackend(resume.run.settings, { ...today.backend, kind: 'llama-cpp' }) }
        : today;
    return { config, engineThreads: null };
  }
  // Cost and roofline inputs are not measured: every report recomputes them with today's. The server
  // may have moved (restarted on another port): the address is today's, and its facts are stored again.
  const differences = settingDifferences(flags, today, resume.record.record.config, resume.run.model).filter(
    (d) =>
      !d.key.startsWith('cost.') &&
      !d.key.startsWith('roofline.') &&
      d.key !== 'backend.host' &&
      d.key !== 'run.maxSpendUsd',
  );
  const flagged = differences.filter((d) => d.flag !== null);
  if (flagged.length > 0) {
    const list = flagged
      .map((d) => `${d.flag ?? ''} sets ${d.key} ${d.today}, the run has ${d.recorded}`)
      .join('; ');
    throw new ConfigError(
      `run ${id} cannot be resumed with different settings: ${list}`,
      `Resume without ${flagged.map((d) => d.flag).join(', ')} (the run keeps its own settings), or start a new run with them.`,
    );
  }
  if (differences.length > 0)
    note(
      `run ${id} resumes with its own settings; today's config differs in ${differences.map(describe).join(', ')}`,
    );
  const recorded = resume.record.record.config;
  return {
    config: {
      ...recorded,
      // The spend cap is today's: a remote run the cap stopped goes on with a higher --max-spend.
      run: { ...recorded.run, maxSpendUsd: today.run.maxSpendUsd },
      backend: { ...recorded.backend, host: today.backend.host },
      store: today.store,
      cost: today.cost,
      roofline: today.roofline,
    } as Config,
    engineThreads: resume.record.record.engineThreads,
  };
}
