import { describe, expect, it } from 'vitest';
import { createProgress } from '../src/cli/progress.js';

describe('the live rate of the progress bar', () => {
  it('counts the chunks after the oldest redraw in the window, per second', () => {
    let clock = 0;
    const written: string[] = [];
    const onEvent = createProgress(
      (t) => written.push(t),
      true,
      () => null,
      () => clock,
    );
    const chunk = (): void => onEvent({ kind: 'chunk', text: 'x' });
    clock = 100;
    chunk(); // redraw at 100 ms: 1 chunk, no rate yet
    clock = 150;
    for (let i = 0; i < 5; i += 1) chunk(); // 50 ms after the last redraw: counted, not drawn
    clock = 200;
    chunk(); // redraw at 200 ms: 6 chunks since 100 ms -> 6 / 0.1 s = 60 tok/s
    expect(written, 'two redraws').toHaveLength(2);
    expect(written[1]).toContain(' ~60.0 tok/s live');
    clock = 2_150;
    chunk(); // the 100 ms bucket left the 2 s window (2050 > 2000 ms): 1 chunk since 200 ms over 1.95 s = 0.513 tok/s
    expect(written[2]).toContain(' ~0.5 tok/s live');
    expect(written[0], 'one bucket: no rate').toContain(' ~— tok/s live');
  });
});
