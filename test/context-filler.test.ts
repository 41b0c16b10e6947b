import { describe, expect, it } from 'vitest';
import {
  buildFiller,
  FILLER_CHARS_PER_TOKEN,
  FILLER_WORDS,
  withContextFiller,
} from '../src/runner/context-filler.js';

describe('context filler', () => {
  it('is the same text for the same depth and salt, on every call', () => {
    expect(buildFiller(500, '1,depth=500#3')).toBe(buildFiller(500, '1,depth=500#3'));
  });

  it('has exactly depth words of four characters with their space: 4 x 1000 - 1 = 3999 characters', () => {
    const text = buildFiller(1000, 'x');
    expect(text.split(' ')).toHaveLength(1000);
    expect(text.length).toBe(FILLER_CHARS_PER_TOKEN * 1000 - 1);
    expect(FILLER_WORDS.every((w) => w.length === 3)).toBe(true);
    expect(text.split(' ').every((w) => FILLER_WORDS.includes(w))).toBe(true);
  });

  it('differs per request from its first words on, so no prompt cache can serve it', () => {
    const texts = Array.from({ length: 50 }, (_, seq) => buildFiller(2000, `1,depth=2000#${seq}`));
    expect(new Set(texts).size).toBe(50);
    // The first 8 words (40 bits) differ between every pair: no shared cached prefix beyond the template.
    expect(new Set(texts.map((t) => t.split(' ').slice(0, 8).join(' '))).size).toBe(50);
  });

  it('puts the filler before the system text, or as a system message of its own; depth 0 leaves the messages', () => {
    const filler = buildFiller(10, 's');
    expect(
      withContextFiller(
        [
          { role: 'system', content: 'SYS' },
          { role: 'user', content: 'Q' },
        ],
        10,
        's',
      ),
    ).toEqual([
      { role: 'system', content: `${filler}\n\nSYS` },
      { role: 'user', content: 'Q' },
    ]);
    expect(withContextFiller([{ role: 'user', content: 'Q' }], 10, 's')).toEqual([
      { role: 'system', content: filler },
      { role: 'user', content: 'Q' },
    ]);
    expect(withContextFiller([{ role: 'user', content: 'Q' }], 0, 's')).toEqual([
      { role: 'user', content: 'Q' },
    ]);
  });
});
