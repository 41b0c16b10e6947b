/**
 * The shape of read-access advice (access-advice.ts, access-advice-gpu.ts) and the steps they
 * share. Pure.
 */
import type { Denied } from './access-scan.js';

/** The source a piece of advice unlocks. */
export type AccessSource = 'rapl' | 'hwmon' | 'nvidia' | 'amd' | 'powermetrics';

/** One step: what it does, and the exact lines to run. */
export interface AccessStep {
  say: string;
  run: string[];
  /** An alternative to this step, with what it does differently. */
  instead?: AccessStep;
}

/** How to grant one source, and how to check it worked. */
export interface AccessAdvice {
  source: AccessSource;
  /** What stands in the way, one line. */
  problem: string;
  steps: AccessStep[];
  /** Commands to run as the user afterwards, each with what it should print after `#`. */
  check: string[];
  /** The security trade-off, one sentence. */
  tradeOff: string;
}

/** The last step after joining a group. */
export const RELOGIN: AccessStep = {
  say: 'Log out and back in: a new group counts from the next login.',
  run: [],
};
/** The last check of every advice. */
export const DOCTOR_CHECK = 'costbench doctor   # the source reads ok';

/** The first refused path, and how many more of them (`noun` singular). Pure. */
export function refusedWhat(d: Denied, noun: string): string {
  const first = d.paths[0] ?? '';
  const more = d.paths.length - 1;
  return more > 0 ? `${first} and ${more} more ${noun}${more > 1 ? 's' : ''}` : first;
}

/** The step that adds this user to a group. Pure. */
export function joinGroup(group: string): AccessStep {
  return { say: `Join group ${group}:`, run: [`sudo usermod -aG ${group} "$USER"`] };
}
