/**
 * amd-smi's energy counter (`energy.total_energy_consumption`, J): whether to trust it, and how
 * its readings become a counter channel's cumulative joules. Pure, but for readRocmVersion.
 *
 * - ROCm older than 6.3: the counter is unreliable there (wrong scale on several GPUs); where the
 *   ROCm version is known and older, the counter is not used at all.
 * - A start-up cross-check (as Zeus does): the counter's change between two readings is compared
 *   with the sampled power x the time between them; off by more than 10x either way, the counter
 *   is not used for the run and the sampled power is.
 * - While running: a reading that is missing, N/A, not a number or negative is a gap; a reading
 *   below the previous one (a reset or a wrap) leaves that interval out, as RAPL does where the
 *   counter's range is unknown: the drop is passed on and the energy summary skips it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The first ROCm release whose amd-smi energy counter is taken as reliable. */
export const AMD_COUNTER_MIN_ROCM: readonly [number, number] = [6, 3];
/** Counter and sampled power may disagree by at most this factor (either way) at the start-up check. */
export const AMD_COUNTER_MAX_RATIO = 10;
/** Time between the two readings of the start-up check. */
export const AMD_COUNTER_CHECK_MS = 2_000;

/** A ROCm version, e.g. "6.2.4" from /opt/rocm/.info/version ("6.2.4-120"). */
export interface RocmVersion {
  text: string;
  major: number;
  minor: number;
}

/** Parses the first line of ROCm's `.info/version` ("6.2.4-120", "6.3.0"); null when it is not a version. */
export function parseRocmVersion(text: string): RocmVersion | null {
  const match = /^\s*(\d+)\.(\d+)(?:\.(\d+))?/.exec(text);
  if (match === null) return null;
  const version = match[3] === undefined ? `${match[1]}.${match[2]}` : `${match[1]}.${match[2]}.${match[3]}`;
  return { text: version, major: Number(match[1]), minor: Number(match[2]) };
}

/**
 * The installed ROCm's version from `$ROCM_PATH/.info/version` (default /opt/rocm), or null when
 * that file is absent or unreadable (then the version is unknown and the cross-check alone decides).
 */
export function readRocmVersion(env: NodeJS.ProcessEnv): RocmVersion | null {
  const root = env['ROCM_PATH'] ?? '/opt/rocm';
  try {
    return parseRocmVersion(readFileSync(join(root, '.info', 'version'), 'utf8'));
  } catch {
    return null;
  }
}

/** Why the counter is not used on this ROCm, or null when the version is new enough or unknown. */
export function rocmTooOld(version: RocmVersion | null): string | null {
  if (version === null) return null;
  const [major, minor] = AMD_COUNTER_MIN_ROCM;
  if (version.major > major || (version.major === major && version.minor >= minor)) return null;
  return `ROCm ${version.text} is older than ${major}.${minor}, where amd-smi's energy counter is unreliable`;
}

/** One GPU's reading at the start-up check. */
export interface CheckReading {
  tMs: number;
  powerW: number | null;
  energyJ: number | null;
}

export type CounterCheck =
  | { use: true; counterJ: number; sampledJ: number; ratio: number; note: string }
  | { use: false; why: string };

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Compares the counter's change between two readings with the sampled power over the same time
 * (trapezoid: the mean of the two readings x the time between them). Pure.
 */
export function checkAmdCounter(first: CheckReading, second: CheckReading): CounterCheck {
  const dtMs = second.tMs - first.tMs;
  if (first.energyJ === null || second.energyJ === null)
    return { use: false, why: 'the counter read N/A at the start-up check' };
  if (first.powerW === null || second.powerW === null)
    return { use: false, why: 'no power reading to check the counter against' };
  if (!(dtMs > 0)) return { use: false, why: 'the two start-up readings have no time between them' };
  const counterJ = second.energyJ - first.energyJ;
  const sampledJ = ((first.powerW + second.powerW) / 2) * (dtMs / 1000);
  const over = `over ${round(dtMs / 1000, 2)} s`;
  const figures = `counter ${round(counterJ, 3)} J vs sampled power ${round(sampledJ, 3)} J ${over}`;
  if (counterJ < 0) return { use: false, why: `the counter went down at the start-up check (${figures})` };
  if (sampledJ <= 0 || counterJ === 0)
    return { use: false, why: `the counter cannot be checked against power (${figures})` };
  const ratio = Math.max(counterJ / sampledJ, sampledJ / counterJ);
  const shown = `${figures}: ${round(ratio, 2)}x apart`;
  if (ratio > AMD_COUNTER_MAX_RATIO)
    return {
      use: false,
      why: `it disagrees with sampled power by more than ${AMD_COUNTER_MAX_RATIO}x (${shown})`,
    };
  return {
    use: true,
    counterJ,
    sampledJ,
    ratio,
    note: `start-up check: ${shown}, within ${AMD_COUNTER_MAX_RATIO}x`,
  };
}

/**
 * One GPU's counter while running: joules since the first reading after start(). A reading below
 * the previous one is passed on as the drop it is (the energy summary leaves that interval out)
 * with an error saying so; the next interval counts again from the new value.
 */
export class AmdCounterTrack {
  private firstJ: number | null = null;
  private lastJ: number | null = null;

  /** Forgets the readings so far: energy restarts at 0 at the next reading. */
  reset(): void {
    this.firstJ = null;
    this.lastJ = null;
  }

  /** The cumulative energy for a reading (null: a gap), and an error when the reading is bad or went down. */
  next(rawJ: number | null): { energyJ: number | null; error: string | null } {
    if (rawJ === null) return { energyJ: null, error: null };
    if (!Number.isFinite(rawJ) || rawJ < 0)
      return { energyJ: null, error: `energy counter read ${rawJ} J: left out as a gap` };
    this.firstJ ??= rawJ;
    const last = this.lastJ;
    this.lastJ = rawJ;
    const energyJ = rawJ - this.firstJ;
    if (last !== null && rawJ < last) {
      return {
        energyJ,
        error: `energy counter went down (${last} -> ${rawJ} J): a reset or wrap of unknown size, that interval is left out`,
      };
    }
    return { energyJ, error: null };
  }
}
