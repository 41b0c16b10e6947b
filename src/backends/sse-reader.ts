/**
 * Server-Sent Events framing as the client's hot path: each network read is decoded once and
 * walked by index, a `data:` value is sliced once, and each event's data is handed to a callback
 * as one string, with no per-line or per-event record and no per-event promise. Nothing here
 * parses JSON or reads a clock.
 */

/** Handed the data of each complete event; returns true to stop reading (the stream's end came). */
export type SseEventHandler = (data: string) => boolean;

const CR = 13;
const COLON = 58;
const SPACE = 32;

/**
 * Incremental SSE framer: feed text as it arrives; the data of each complete event goes to the
 * handler. Events end at a blank line; the `data:` lines of one event are joined with `\n`
 * (`data` alone is an empty line of data); comment lines (`:`), `event:`, `id:`, `retry:` and
 * any other field are ignored; a line ends at `\n` or `\r\n`. An event without a data line is
 * not dispatched.
 */
export class SseFramer {
  private buffer = '';
  /** The current event's data lines joined with `\n`; null before its first data line. */
  private data: string | null = null;

  constructor(private readonly onEvent: SseEventHandler) {}

  /** Adds text; true when the handler stopped (the rest of the text is not read). */
  push(text: string): boolean {
    const buffer = this.buffer === '' ? text : this.buffer + text;
    let start = 0;
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n', start)) {
      const end = newline > start && buffer.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
      const lineStart = start;
      start = newline + 1;
      if (this.line(buffer, lineStart, end)) {
        this.buffer = '';
        return true;
      }
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
    return false;
  }

  /** The stream ended: a last line without its newline counts, and so does an event without its blank line. */
  end(): boolean {
    const rest = this.buffer;
    this.buffer = '';
    if (rest !== '') {
      const end = rest.charCodeAt(rest.length - 1) === CR ? rest.length - 1 : rest.length;
      if (this.line(rest, 0, end)) return true;
    }
    return this.line('', 0, 0);
  }

  /** The line `text[start, end)`; true when the handler stopped. */
  private line(text: string, start: number, end: number): boolean {
    if (end === start) {
      const data = this.data;
      if (data === null) return false;
      this.data = null;
      return this.onEvent(data);
    }
    if (!isDataField(text, start, end)) return false;
    let from = start + 5; // after "data:"
    if (from > end)
      from = end; // "data" alone
    else if (from < end && text.charCodeAt(from) === SPACE) from += 1;
    const value = text.slice(from, end);
    this.data = this.data === null ? value : `${this.data}\n${value}`;
    return false;
  }
}

/** The field name (the text before the first colon, or the whole line) is `data`. */
function isDataField(text: string, start: number, end: number): boolean {
  if (end - start < 4 || !text.startsWith('data', start)) return false;
  return end - start === 4 || text.charCodeAt(start + 4) === COLON;
}

/**
 * Reads an SSE body, decoding UTF-8 across reads, handing each event's data to `onEvent`, and
 * calling `onReadDone` after the events of each network read that did not stop the stream.
 * Resolves true when the handler stopped, false when the body ended first. The reader is not
 * released (nothing reads the body again): Node's releaseLock builds two TypeErrors, some 4 µs
 * a request on the dev box. As before, the body is not cancelled either: what follows
 * `[DONE]` is left unread.
 */
export async function readSse(
  body: ReadableStream<Uint8Array>,
  onEvent: SseEventHandler,
  onReadDone?: () => void,
): Promise<boolean> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const framer = new SseFramer(onEvent);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return framer.push(decoder.decode()) || framer.end();
    if (framer.push(decoder.decode(value, { stream: true }))) return true;
    onReadDone?.();
  }
}
