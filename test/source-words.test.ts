import { describe, expect, it } from 'vitest';
import {
  apiTokenSourceWords,
  cachedPriceBasisWords,
  cachedShareSourceWords,
  tokenSourceWords,
} from '../src/report/source-words.js';

describe('token and cached-share sources: typed values, written in words only by the reports', () => {
  it('writes each source in the words the JSON reports carried before the sources were typed', () => {
    expect(tokenSourceWords('server')).toBe('server tokenizer');
    expect(tokenSourceWords('chunks')).toBe('stream chunks (ESTIMATE)');
    expect(apiTokenSourceWords('server')).toBe('local tokenizer');
    expect(apiTokenSourceWords('chunks')).toBe('local stream chunks (ESTIMATE)');
    expect(apiTokenSourceWords('billed')).toBe('billed usage (replay)');
    expect(cachedShareSourceWords('config')).toBe('config');
    expect(cachedShareSourceWords('billed')).toBe('billed usage (replay)');
    expect(cachedShareSourceWords('measured')).toBe('measured (server prompt cache)');
    expect(cachedShareSourceWords('none')).toBe('none reported (0)');
    expect(cachedPriceBasisWords('table')).toBe('table');
    expect(cachedPriceBasisWords('batch-derived')).toBe('batch discount applied to the cached price');
    expect(cachedPriceBasisWords('input-price')).toBe('no cache discount (input price)');
  });
});
