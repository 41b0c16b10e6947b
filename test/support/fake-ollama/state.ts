/**
 * The shared state one fake server's handlers work on.
 */
import type { FaultQueue } from './faults.js';
import type { ModelLoader } from './load-state.js';
import type { ResolvedOptions } from './options.js';
import type { SlotScheduler } from './scheduler.js';
import type { FakeRequestRecord } from './types.js';

export interface ServerState {
  options: ResolvedOptions;
  scheduler: SlotScheduler;
  loader: ModelLoader;
  faults: FaultQueue;
  records: FakeRequestRecord[];
  /** Aborted by close(): every sleep and hung request ends. */
  serverSignal: AbortSignal;
  /** Streams currently decoding, for the contention model. */
  decoding: number;
  nextId: number;
}

/**
 * An AbortSignal for one request: aborted when the client goes away before the answer is
 * complete, or when the server closes.
 */
export function watchRequest(
  res: { on(event: 'close', listener: () => void): unknown; writableEnded: boolean },
  serverSignal: AbortSignal,
): AbortSignal {
  const controller = new AbortController();
  const onServerAbort = (): void => controller.abort();
  serverSignal.addEventListener('abort', onServerAbort, { once: true });
  res.on('close', () => {
    serverSignal.removeEventListener('abort', onServerAbort);
    if (!res.writableEnded) controller.abort();
  });
  return controller.signal;
}
