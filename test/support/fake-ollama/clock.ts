/**
 * Time for the fake server. Durations are measured with process.hrtime.bigint() (integer ns,
 * monotonic); deadlines and record timestamps use performance.now() so tests in the same
 * process can compare them with their own clock; wall-clock strings are anchored once.
 */
import { performance } from 'node:perf_hooks';

export const nowNs = (): bigint => process.hrtime.bigint();
export const nowMs = (): number => performance.now();

const ANCHOR_EPOCH_NS = BigInt(Date.now()) * 1_000_000n;
const ANCHOR_HR_NS = nowNs();

/** Wall-clock time in ns since the Unix epoch, with hrtime resolution. */
export function epochNowNs(): bigint {
  return ANCHOR_EPOCH_NS + (nowNs() - ANCHOR_HR_NS);
}

/** Go's time.RFC3339Nano in UTC: fraction with trailing zeros trimmed, `Z` suffix. */
export function formatRfc3339Nano(epochNs: bigint): string {
  const base = new Date(Number(epochNs / 1_000_000n)).toISOString().slice(0, 19);
  const fraction = (epochNs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction === '' ? `${base}Z` : `${base}.${fraction}Z`;
}

/** Below this many ms before a precise deadline, poll with setImmediate instead of a timer. */
const SPIN_WINDOW_MS = 1.5;

/**
 * Resolves at `deadlineMs` (performance.now() scale), or early with false when `signal` aborts.
 * Timers fire up to a millisecond or more late; with `precise` the last stretch is polled with
 * setImmediate so the wake-up lands within a fraction of a millisecond (used where a measured
 * duration ends, not for every token, to keep CPU use low).
 */
export function sleepUntil(deadlineMs: number, signal: AbortSignal, precise = false): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal.aborted) {
      resolve(false);
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    let immediate: NodeJS.Immediate | undefined;
    const onAbort = (): void => {
      clearTimeout(timer);
      if (immediate !== undefined) clearImmediate(immediate);
      resolve(false);
    };
    const step = (): void => {
      const remaining = deadlineMs - nowMs();
      if (remaining <= 0) {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      } else if (!precise) {
        timer = setTimeout(step, remaining);
      } else if (remaining > SPIN_WINDOW_MS) {
        timer = setTimeout(step, remaining - SPIN_WINDOW_MS);
      } else {
        immediate = setImmediate(step);
      }
    };
    signal.addEventListener('abort', onAbort, { once: true });
    step();
  });
}

/** sleepUntil(now + ms). */
export function sleepMs(ms: number, signal: AbortSignal): Promise<boolean> {
  return sleepUntil(nowMs() + ms, signal);
}

/** Whole nanoseconds between two hrtime readings, as a number (safe below ~104 days). */
export function elapsedNs(from: bigint, to: bigint = nowNs()): number {
  return Number(to - from);
}
