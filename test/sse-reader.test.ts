import { describe, expect, it } from 'vitest';
import { classifySseData, SSE_DONE } from '../src/backends/openai-sse.js';
import { readSse, SseFramer } from '../src/backends/sse-reader.js';

/** A body that hands out these byte pieces, one per read. */
function body(pieces: Uint8Array[]): ReadableStream<Uint8Array> {
  const queue = [...pieces];
  return new ReadableStream({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

/** The data of every event the framer dispatches for `pieces` pushed in order, then the end. */
function frame(pieces: string[]): string[] {
  const seen: string[] = [];
  const framer = new SseFramer((data) => (seen.push(data), false));
  for (const piece of pieces) framer.push(piece);
  framer.end();
  return seen;
}

/** Every rule at once: comments, other fields, multi-line data, CRLF, `data` alone, one leading space kept off. */
const STREAM =
  ': keep-alive\n\n' +
  'data: {"a":1}\n\n' +
  'event: message\nid: 7\nretry: 10\ndata: {"b":\r\ndata:  2}\r\n\r\n' +
  'datax: ignored\nevent: no data\n\n' +
  'data\ndata:x\n\n' +
  'data: é ✓\n\n' +
  'data: [DONE]\n\n';
const EXPECTED = [
  '{"a":1}',
  // two data lines joined with \n; only the first space after the colon goes
  '{"b":\n 2}',
  // "data" alone is an empty line; "data:x" has no space to drop
  '\nx',
  'é ✓',
  '[DONE]',
];

describe('SseFramer (SSE framing, one slice per data line)', () => {
  it('frames the whole text in one push', () => {
    expect(frame([STREAM])).toEqual(EXPECTED);
  });

  it('gives the same events for the text cut in two at every offset', () => {
    for (let cut = 0; cut <= STREAM.length; cut += 1)
      expect(frame([STREAM.slice(0, cut), STREAM.slice(cut)]), `cut at ${cut}`).toEqual(EXPECTED);
  });

  it('gives the same events fed one character at a time', () => {
    expect(frame([...STREAM])).toEqual(EXPECTED);
  });

  it('at the end, a last event without its blank line and a last line without its newline count', () => {
    expect(frame(['data: 1\n\ndata: 2\ndata: 3'])).toEqual(['1', '2\n3']);
    expect(frame(['data: 4\r'])).toEqual(['4']);
    expect(frame(['data: 5\n'])).toEqual(['5']);
  });

  it('an event with no data line, blank CRLF lines and comments dispatch nothing', () => {
    expect(frame([': c\n\nevent: x\n\n\r\n\n'])).toEqual([]);
  });

  it('stops when the handler says so: the rest of the push and the end are not read', () => {
    const seen: string[] = [];
    const framer = new SseFramer((data) => (seen.push(data), data === 'stop'));
    expect(framer.push('data: a\n\ndata: stop\n\ndata: late\n\n')).toBe(true);
    expect(seen).toEqual(['a', 'stop']);
  });
});

describe('readSse (bytes to events)', () => {
  const bytes = new TextEncoder().encode('data: {"c":"é✓"}\n\ndata: [DONE]\n\ndata: after\n\n');

  it('decodes UTF-8 across reads: the bytes cut at every offset give the same events, and stop at [DONE]', async () => {
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const seen: string[] = [];
      const stopped = await readSse(body([bytes.slice(0, cut), bytes.slice(cut)]), (data) => {
        seen.push(data);
        return data === '[DONE]';
      });
      expect(seen, `cut at ${cut}`).toEqual(['{"c":"é✓"}', '[DONE]']);
      expect(stopped, `cut at ${cut}: the handler stopped`).toBe(true);
    }
  });

  it('resolves false when the body ends first, the last event framed at the end', async () => {
    const seen: string[] = [];
    const stopped = await readSse(body([new TextEncoder().encode('data: 1\n\ndata: 2')]), (data) => {
      seen.push(data);
      return false;
    });
    expect(seen).toEqual(['1', '2']);
    expect(stopped).toBe(false);
  });
});

describe('readSse onReadDone', () => {
  it('is called after each network read that did not stop the stream', async () => {
    const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
    const log: string[] = [];
    const stopped = await readSse(
      body([encode('data: 1\n\n'), encode('data: 2\n\ndata: 3\n\n'), encode('data: stop\n\n')]),
      (data) => (log.push(data), data === 'stop'),
      () => log.push('read done'),
    );
    expect(log, 'after reads 1 and 2; read 3 stopped the stream').toEqual([
      '1',
      'read done',
      '2',
      '3',
      'read done',
      'stop',
    ]);
    expect(stopped).toBe(true);
  });
});

describe('classifySseData', () => {
  it('[DONE] with blanks around it, a JSON object, anything else null', () => {
    expect(classifySseData('[DONE]')).toBe(SSE_DONE);
    expect(classifySseData(' [DONE] ')).toBe(SSE_DONE);
    expect(classifySseData('{"a":[1]}')).toEqual({ a: [1] });
    expect(classifySseData('[1]'), 'an array is not a chunk').toBeNull();
    expect(classifySseData('"done"'), 'a JSON string is not a chunk').toBeNull();
    expect(classifySseData('null')).toBeNull();
    expect(classifySseData('')).toBeNull();
    expect(classifySseData('{"a":')).toBeNull();
  });
});
