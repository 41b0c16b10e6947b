import type { ChatMessage, GenerationOptions } from '../backends/backend.js';
import type { Check, Suite } from '../suites/schema.js';

/** One request the run will make. */
export interface PlannedRequest {
  /** 0-based position in the run. */
  seq: number;
  taskId: string;
  /** 0-based repetition of this task. */
  repeatIndex: number;
  messages: ChatMessage[];
  options: GenerationOptions;
  format: 'json' | Record<string, unknown> | undefined;
  /** How the answer is scored, or null when the task has no expected answer. */
  check: Check | null;
  expected: unknown;
}

/**
 * Expands a suite x repeat into the ordered list of requests, the same at every level of the run.
 * Repetitions are interleaved (all tasks once, then all again) so that slow drift spreads over
 * every task alike. Pure. A resumed run skips, per level, those it already has (levelRequestKey).
 */
export function planRequests(suite: Suite, repeat: number): PlannedRequest[] {
  const planned: PlannedRequest[] = [];
  let seq = 0;
  for (let repeatIndex = 0; repeatIndex < repeat; repeatIndex += 1) {
    for (const task of suite.tasks) {
      const position = seq;
      seq += 1;
      const system = task.system ?? suite.system;
      const conversation: ChatMessage[] = task.messages ?? [{ role: 'user', content: task.prompt ?? '' }];
      const hasSystem = conversation.some((m) => m.role === 'system');
      const messages: ChatMessage[] =
        system === undefined || hasSystem
          ? [...conversation]
          : [{ role: 'system', content: system }, ...conversation];
      planned.push({
        seq: position,
        taskId: task.id,
        repeatIndex,
        messages,
        options: { ...suite.options, ...task.options },
        format: task.format ?? suite.format,
        check: task.expected === undefined ? null : (task.check ?? suite.check ?? null),
        expected: task.expected,
      });
    }
  }
  return planned;
}

/** How many levels a run's settings make: each context depth (where given) at each concurrency. Pure. */
export function levelCount(run: { concurrency: readonly number[]; contextDepth: readonly number[] }): number {
  return run.concurrency.length * Math.max(1, run.contextDepth.length);
}
