/**
 * Generation slots, like OLLAMA_NUM_PARALLEL with an OLLAMA_MAX_QUEUE-bounded FIFO queue.
 */

interface Waiter {
  grant: () => void;
}

/** Result of asking for a slot: refused at once, or a promise that settles when one is free. */
export type SlotRequest = { kind: 'full' } | { kind: 'granted'; queued: boolean; ready: Promise<boolean> };

export class SlotScheduler {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    private readonly slots: number,
    private readonly maxQueue: number,
  ) {}

  /**
   * Takes a slot now, or joins the queue; `full` when `maxQueue` requests already wait.
   * `ready` resolves true once the slot is held (the caller must then release() it), or false
   * if `signal` aborted while waiting (no slot held).
   */
  request(signal: AbortSignal): SlotRequest {
    if (this.active < this.slots && this.waiting.length === 0) {
      this.active++;
      return { kind: 'granted', queued: false, ready: Promise.resolve(true) };
    }
    if (this.waiting.length >= this.maxQueue) return { kind: 'full' };
    const ready = new Promise<boolean>((resolve) => {
      if (signal.aborted) {
        resolve(false);
        return;
      }
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort);
          resolve(true);
        },
      };
      const onAbort = (): void => {
        const index = this.waiting.indexOf(waiter);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(false);
      };
      this.waiting.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    return { kind: 'granted', queued: true, ready };
  }

  /** True when a new request would be refused: all slots busy and the queue at maxQueue. */
  isFull(): boolean {
    return this.active >= this.slots && this.waiting.length >= this.maxQueue;
  }

  /** Frees a slot, handing it straight to the longest waiter. */
  release(): void {
    const next = this.waiting.shift();
    if (next === undefined) {
      this.active--;
      return;
    }
    next.grant();
  }

  get activeCount(): number {
    return this.active;
  }

  get queuedCount(): number {
    return this.waiting.length;
  }
}
