import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, '..', 'dist', 'src', 'cli', 'main.js');

/** `npx costbench` (the README's first line) executes the built file itself: it must be executable. */
describe('the built CLI', () => {
  it('is executable by its owner, group and others, and starts with a node shebang', () => {
    expect((statSync(MAIN).mode & 0o777).toString(8)).toBe('755');
    expect(readFileSync(MAIN, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
  });
});
