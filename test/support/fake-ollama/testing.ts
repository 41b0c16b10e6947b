/**
 * Small client-side helpers for tests that talk to the fake server with raw fetch.
 */
import { performance } from 'node:perf_hooks';

/** One NDJSON/JSON answer, read to the end, with when each line arrived. */
export interface RawAnswer {
  status: number;
  contentType: string | null;
  text: string;
  /** Parsed lines; a line that is not JSON is kept as a string. */
  lines: unknown[];
  /** performance.now() when each line was seen by the client. */
  lineAtMs: number[];
  sentAtMs: number;
}

export async function postRaw(url: string, body: unknown, signal?: AbortSignal): Promise<RawAnswer> {
  const sentAtMs = performance.now();
  const res = await fetch(url, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(signal === undefined ? {} : { signal }),
  });
  const lines: unknown[] = [];
  const lineAtMs: number[] = [];
  let text = '';
  let pending = '';
  const decoder = new TextDecoder();
  const take = (line: string): void => {
    if (line === '') return;
    lineAtMs.push(performance.now());
    try {
      lines.push(JSON.parse(line));
    } catch {
      lines.push(line);
    }
  };
  if (res.body !== null) {
    for await (const chunk of res.body) {
      const piece = decoder.decode(chunk, { stream: true });
      text += piece;
      pending += piece;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      parts.forEach(take);
    }
  }
  take(pending);
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    text,
    lines,
    lineAtMs,
    sentAtMs,
  };
}

/** Polls `condition` every few ms until it holds (or throws after `timeoutMs`). */
export async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > timeoutMs)
      throw new Error(`waitFor: condition not met in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
