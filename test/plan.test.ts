import { describe, expect, it } from 'vitest';
import { planRequests } from '../src/runner/plan.js';
import { parseSuite } from '../src/suites/parse.js';

const suite = parseSuite(
  JSON.stringify({
    id: 's',
    version: '1',
    description: 'd',
    system: 'be brief',
    options: { temperature: 0, numPredict: 10 },
    tasks: [
      { id: 'a', prompt: 'A?' },
      { id: 'b', prompt: 'B?', system: 'own system', options: { numPredict: 5 }, format: 'json' },
    ],
  }),
  'inline.json',
);

describe('planRequests', () => {
  it('interleaves repetitions and merges settings', () => {
    const plan = planRequests(suite, 2);
    expect(plan.map((p) => [p.seq, p.taskId, p.repeatIndex])).toEqual([
      [0, 'a', 0],
      [1, 'b', 0],
      [2, 'a', 1],
      [3, 'b', 1],
    ]);
    expect(plan[0]?.messages).toEqual([
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'A?' },
    ]);
    expect(plan[1]?.messages[0]).toEqual({ role: 'system', content: 'own system' });
    expect(plan[1]?.options).toEqual({ temperature: 0, numPredict: 5 });
    expect(plan[1]?.format).toBe('json');
    expect(plan[0]?.format).toBeUndefined();
  });
});
