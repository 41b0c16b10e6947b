import type { LoadAverage } from '../types/machine-state.js';
export type { LoadAverage } from '../types/machine-state.js';
/** The load average: `<procRoot>/loadavg` on Linux, e.g. "0.52 0.58 0.59 1/467 12345". */

/** The three averages at the start of the text; null when they are not there. */
export function parseLoadAverage(text: string): LoadAverage | null {
  const parts = text.trim().split(/\s+/).slice(0, 3);
  // Number('') is 0: check the text, so an empty file is unknown rather than an idle machine.
  if (parts.length < 3 || !parts.every((p) => /^\d+(\.\d+)?$/.test(p))) return null;
  const [one = 0, five = 0, fifteen = 0] = parts.map(Number);
  return [one, five, fifteen];
}
