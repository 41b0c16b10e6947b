/**
 * amdgpu's hwmon energy counter, `energy1_input` (Linux hwmon ABI: cumulative energy in µJ, an
 * unsigned counter that may wrap at a range the driver does not state): whether to trust it, and
 * how its readings become a counter channel's cumulative joules.
 *
 * - A start-up check, the one amd-smi's counter passes (checkAmdCounter): the counter's change
 *   between two readings AMD_COUNTER_CHECK_MS apart against the power file over the same time;
 *   it must move, not go down, and agree within 10x either way, else the card stays sampled.
 * - While running: energy = (µJ now - µJ at the first reading) / 1e6. A reading below the previous
 *   one (a wrap or reset of unknown size) is passed on as it is, with an error: the energy summary
 *   leaves that interval out, as it does for RAPL without a known range.
 */
import { AMD_COUNTER_CHECK_MS, checkAmdCounter } from './amd-counter.js';
import type { CheckReading } from './amd-counter.js';
import type { Channel } from './sampler.js';

/** The hwmon file holding the energy counter (µJ). */
export const HWMON_ENERGY_FILE = 'energy1_input';

/** Reads a whole, non-negative number from a sysfs file: the number, or one line saying why not. */
export type ReadCount = (path: string) => number | string;

/** Whether a card's energy1_input is used, and what the channel's detail says about it. */
export interface HwmonCounterDecision {
  use: boolean;
  /** What the channel's detail says about the counter (`energyNote`). */
  note: string;
  /** Why a counter that is there is not used (the channel's `fallback`, shown in the reports), else null. */
  notUsed: string | null;
}

/** One card to check: where its energy and power files are. */
export interface HwmonCheckTarget {
  key: string;
  energyPath: string;
  powerPath: string;
}

/** The clock and the wait of the start-up check; tests inject both. */
export interface HwmonCheckIo {
  read: ReadCount;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

const NOT_USED = `hwmon ${HWMON_ENERGY_FILE} not used`;

function readCheck(
  io: HwmonCheckIo,
  target: HwmonCheckTarget,
): { reading: CheckReading; error: string | null } {
  const energy = io.read(target.energyPath);
  const power = io.read(target.powerPath);
  const tMs = io.now();
  return {
    reading: {
      tMs,
      powerW: typeof power === 'number' ? power / 1e6 : null,
      energyJ: typeof energy === 'number' ? energy / 1e6 : null,
    },
    error: typeof energy === 'string' ? energy : null,
  };
}

function notUsed(why: string): HwmonCounterDecision {
  return { use: false, note: `${HWMON_ENERGY_FILE}: not used: ${why}`, notUsed: `${NOT_USED}: ${why}` };
}

/**
 * Reads every card's energy and power files, waits until AMD_COUNTER_CHECK_MS after the first
 * reading, reads them again and checks each counter against its power (checkAmdCounter). Never throws.
 */
export async function checkHwmonCounters(
  targets: readonly HwmonCheckTarget[],
  io: HwmonCheckIo,
): Promise<Map<string, HwmonCounterDecision>> {
  const decisions = new Map<string, HwmonCounterDecision>();
  if (targets.length === 0) return decisions;
  const firstMs = io.now();
  const first = targets.map((t) => readCheck(io, t));
  await io.sleep(Math.max(0, firstMs + AMD_COUNTER_CHECK_MS - io.now()));
  targets.forEach((target, i) => {
    const before = first[i];
    const after = readCheck(io, target);
    const error = before?.error ?? after.error;
    if (before === undefined || error !== null) {
      decisions.set(target.key, notUsed(error ?? 'no first reading'));
      return;
    }
    const check = checkAmdCounter(before.reading, after.reading);
    decisions.set(
      target.key,
      check.use
        ? { use: true, note: `${HWMON_ENERGY_FILE}: ${check.note}`, notUsed: null }
        : notUsed(check.why),
    );
  });
  return decisions;
}

/** One card's counter while running: joules since the first reading after start(). */
export class HwmonEnergyTrack {
  private firstUj: number | null = null;
  private lastUj: number | null = null;

  /** Forgets the readings so far: energy restarts at 0 at the next reading. */
  reset(): void {
    this.firstUj = null;
    this.lastUj = null;
  }

  /**
   * Reads the counter: the cumulative energy (null: a gap) and an error when the read failed or
   * the counter went down (the drop is passed on; the next interval counts from the new value).
   */
  read(read: ReadCount, path: string): { energyJ: number | null; error: string | null } {
    const uj = read(path);
    if (typeof uj === 'string') return { energyJ: null, error: uj };
    this.firstUj ??= uj;
    const last = this.lastUj;
    this.lastUj = uj;
    const energyJ = (uj - this.firstUj) / 1e6;
    if (last !== null && uj < last) {
      return {
        energyJ,
        error: `${path} went down (${last} -> ${uj} uJ): a wrap or reset of unknown size, that interval is left out`,
      };
    }
    return { energyJ, error: null };
  }
}

/**
 * What a channel's detail says of energy1_input where the card has one, with the keys amd-smi's
 * channels use (`energyCounter`, `energyNote`, `fallback`: the reports show the fallback). Pure.
 */
export function energyChannelDetail(
  decision: HwmonCounterDecision | null,
  powerFile: string,
): Channel['detail'] {
  if (decision === null) return {};
  return {
    reader: 'hwmon',
    ...(decision.use ? { file: HWMON_ENERGY_FILE, powerFile } : {}),
    energyCounter: decision.use,
    energyNote: decision.note,
    ...(decision.notUsed === null ? {} : { fallback: decision.notUsed }),
  };
}
