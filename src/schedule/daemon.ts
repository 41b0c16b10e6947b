/**
 * The foreground scheduler: croner fires on the cron expression (local time; a fire while the
 * previous one still works is skipped), each fire passes the idle guard, takes the lock, runs,
 * and logs what happened. What a run is, how load is sampled and the lock taken are passed in.
 */
import { Cron } from 'croner';
import { CostbenchError, EXIT, describeError } from '../errors.js';
import { decideIdle, type IdlePolicy, type LoadSample } from './idle-guard.js';
import { describeHolder, type LockAttempt } from './lock.js';
import { formatLocalTime, type ScheduleLog } from './schedule-log.js';

/** What one scheduled run ended with. */
export interface RunOutcome {
  /** The run's id, when it got as far as being stored. */
  runId: number | null;
  /** Its stored status (completed, failed, aborted), when known. */
  status: string | null;
  code: number;
}

/** Everything the scheduler does to the outside world. */
export interface SchedulerDeps {
  cron: string;
  policy: IdlePolicy & { postponeMs: number };
  /** What is started, for the log: `costbench run --model …`. */
  describeRun: string;
  log: ScheduleLog;
  sampleLoad: (signal: AbortSignal) => Promise<LoadSample>;
  acquireLock: () => LockAttempt;
  /** One run; aborting `signal` stops it (the run is then marked aborted). */
  runOnce: (signal: AbortSignal) => Promise<RunOutcome>;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  now: () => Date;
  /** Ends the scheduler: no more fires, the run in flight is aborted. */
  stop: AbortSignal;
}

/**
 * Validates a cron expression with croner (5 fields, or 6 with seconds first); throws its
 * message, to be wrapped by the caller. Returns the next fire time, or null when there is none.
 */
export function nextFire(cron: string, after?: Date): Date | null {
  const job = new Cron(cron, { paused: true });
  try {
    return job.nextRun(after);
  } finally {
    job.stop();
  }
}

/** Runs until `deps.stop` aborts, then waits for the fire in flight to finish. */
export async function runScheduler(deps: SchedulerDeps): Promise<void> {
  let inFlight: Promise<void> | null = null;
  const announceNext = (job: Cron): void => {
    const next = job.nextRun();
    deps.log(
      next === null ? 'no further fire time: the schedule has ended' : `next run at ${formatLocalTime(next)}`,
    );
  };
  const job = new Cron(
    deps.cron,
    {
      protect: () => deps.log('skipped: the previous scheduled run is still going'),
      catch: (error) => deps.log(`error: ${describeError(error)} (exit ${EXIT.internal})`),
    },
    async (self) => {
      if (deps.stop.aborted) return;
      inFlight = fire(deps);
      await inFlight;
      inFlight = null;
      if (!deps.stop.aborted) announceNext(self);
    },
  );
  announceNext(job);
  await new Promise<void>((resolve) => {
    if (deps.stop.aborted) resolve();
    else deps.stop.addEventListener('abort', () => resolve(), { once: true });
  });
  job.stop();
  if (inFlight !== null) await inFlight;
}

/** One fire: idle guard (postponing while busy), lock, run, log. Never throws. */
async function fire(deps: SchedulerDeps): Promise<void> {
  try {
    const load = await waitForIdle(deps);
    if (load === null) return;
    const attempt = deps.acquireLock();
    if (!attempt.acquired) {
      deps.log(
        `skipped: another run holds the lock ${attempt.path} (${describeHolder(attempt.holder)}) (exit ${EXIT.busy})`,
      );
      return;
    }
    if (attempt.recovered !== null) deps.log(attempt.recovered);
    try {
      deps.log(`start: ${deps.describeRun} (${load})`);
      const outcome = await deps.runOnce(deps.stop);
      deps.log(
        `finish: run ${outcome.runId ?? 'not stored'}, status ${outcome.status ?? 'unknown'}, exit ${outcome.code}`,
      );
    } finally {
      attempt.lock.release();
    }
  } catch (error) {
    const code = error instanceof CostbenchError ? error.exitCode : EXIT.internal;
    const hint = error instanceof CostbenchError && error.hint !== undefined ? `; hint: ${error.hint}` : '';
    deps.log(`error: ${describeError(error)} (exit ${code})${hint}`);
  }
}

/** Samples the load until the guard says run (returns why), or skip / stop (returns null). */
async function waitForIdle(deps: SchedulerDeps): Promise<string | null> {
  for (let postponed = 0; ; postponed++) {
    const load = await deps.sampleLoad(deps.stop);
    if (deps.stop.aborted) return null;
    for (const note of load.notes) deps.log(note);
    const decision = decideIdle(load, deps.policy, postponed);
    if (decision.action === 'run') return decision.reason;
    if (decision.action === 'skip') {
      deps.log(`skipped: ${decision.reason}`);
      return null;
    }
    const checkAt = new Date(deps.now().getTime() + deps.policy.postponeMs);
    deps.log(
      `postponed (${postponed + 1}/${deps.policy.maxPostpones}): ${decision.reason}; next check at ${formatLocalTime(checkAt)}`,
    );
    await deps.sleep(deps.policy.postponeMs, deps.stop);
    if (deps.stop.aborted) return null;
  }
}
