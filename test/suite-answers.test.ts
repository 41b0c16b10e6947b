import { describe, expect, it } from 'vitest';
import { loadSuite } from '../src/suites/load.js';
import { scoreAnswer } from '../src/suites/score.js';
import { suiteResponder } from './support/suite-answers.js';

describe("the test doubles' scripted answers (--answers-from-suite)", () => {
  for (const [suite, share, correct] of [
    ['triage-basic', 0.7, 7],
    ['triage-basic', 0.9, 9],
    ['triage-basic', 0, 0],
  ] as const) {
    it(`${suite} at ${share}: the suite's own checks find ${correct} correct`, () => {
      const loaded = loadSuite(suite, process.cwd());
      const answer = suiteResponder(suite, share);
      const scores = loaded.tasks.map((t) => {
        const text = answer(`some preamble\n${t.prompt ?? ''}`);
        expect(text, t.id).toBeDefined();
        const check = t.check ?? loaded.check;
        if (check === undefined) throw new Error('triage-basic has a suite-wide check');
        return scoreAnswer(check, t.expected, text ?? '').correct;
      });
      // round(share x 10 tasks) of the 10 tasks answered right.
      expect(scores.filter((c) => c === true)).toHaveLength(correct);
    });
  }

  it('answers nothing for a prompt of no task, and refuses a share outside 0..1', () => {
    expect(suiteResponder('triage-basic', 1)('what is 2 + 2?')).toBeUndefined();
    expect(() => suiteResponder('triage-basic', 1.5)).toThrow('--correct-share must be 0..1, got 1.5');
  });
});
