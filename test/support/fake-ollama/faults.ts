/**
 * Injected faults: a FIFO of (fault, remaining uses), consumed one per generating request.
 */
import type { Fault } from './types.js';

/** Faults that act after some tokens have been emitted. */
export type TokenFault = Extract<Fault, { afterTokens: number }>;

export class FaultQueue {
  private readonly pending: { fault: Fault; remaining: number }[] = [];

  inject(fault: Fault, times = 1): void {
    if (!Number.isInteger(times) || times < 1) {
      throw new RangeError(`fake Ollama: injectFault times must be a positive integer, got ${times}`);
    }
    this.pending.push({ fault, remaining: times });
  }

  /** The fault for the next request, if any, using up one of its uses. */
  take(): Fault | undefined {
    const head = this.pending[0];
    if (head === undefined) return undefined;
    head.remaining--;
    if (head.remaining === 0) this.pending.shift();
    return head.fault;
  }
}

export function isTokenFault(fault: Fault | undefined): fault is TokenFault {
  return fault !== undefined && 'afterTokens' in fault;
}
