import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { parseSuite } from '../src/suites/parse.js';
import type { Check, Suite, SuiteTask } from '../src/suites/schema.js';
import { scoreAnswer } from '../src/suites/score.js';
import { useTempDir } from './support/temp.js';

const SUITES_DIR = join(import.meta.dirname, '..', 'bench', 'suites');
const SUITE_FILES = readdirSync(SUITES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const MIN_TASKS = 25;
/** Suites allowed fewer tasks than MIN_TASKS: the small example. */
const MIN_TASKS_EXCEPTIONS: Readonly<Record<string, number>> = { 'triage-basic': 10 };

function readBuiltin(file: string): Suite {
  return parseSuite(readFileSync(join(SUITES_DIR, file), 'utf8'), file);
}

function effectiveCheck(suite: Suite, task: SuiteTask): Check {
  const check = task.check ?? suite.check;
  if (check === undefined) throw new Error(`${suite.id}/${task.id}: no check`);
  return check;
}

function strings(expected: unknown): string[] {
  if (!Array.isArray(expected)) throw new Error('expected a list');
  return expected.map(String);
}

/** What a perfect model would answer. */
function idealAnswer(check: Check, expected: unknown): string {
  switch (check.type) {
    case 'json-fields':
      return JSON.stringify(expected);
    case 'one-of':
      return strings(expected)[0] ?? '';
    case 'labels-f1':
      return JSON.stringify(check.field === undefined ? expected : { [check.field]: expected });
    case 'contains-all':
      return strings(expected).join('. ');
    case 'exact':
      return String(expected);
    case 'regex':
      throw new Error('no ideal answer can be derived for a regex check');
  }
}

/** Every accepted value or label used anywhere in a suite, for plausible wrong answers. */
function valuesInSuite(suite: Suite): string[] {
  return [...new Set(suite.tasks.flatMap((t) => (Array.isArray(t.expected) ? t.expected.map(String) : [])))];
}

/** A plausible but wrong answer: another task's value, a changed field, a missing fact. */
function wrongAnswer(check: Check, expected: unknown, suite: Suite): string {
  switch (check.type) {
    case 'json-fields': {
      const fields = { ...(expected as Record<string, unknown>) };
      const [key, value] = Object.entries(fields)[0] ?? ['answer', null];
      fields[key] =
        typeof value === 'number' ? value + 1 : typeof value === 'string' ? `${value}-wrong` : 'wrong';
      return JSON.stringify(fields);
    }
    case 'one-of':
      return valuesInSuite(suite).find((v) => !strings(expected).includes(v)) ?? 'none';
    case 'labels-f1': {
      const other = valuesInSuite(suite).find((v) => !strings(expected).includes(v)) ?? 'none';
      const labels = [...strings(expected).slice(1), other];
      return JSON.stringify(check.field === undefined ? labels : { [check.field]: labels });
    }
    case 'contains-all':
      return strings(expected).slice(1).join('. ');
    case 'exact':
      return `${String(expected)} wrong`;
    case 'regex':
      throw new Error('no wrong answer can be derived for a regex check');
  }
}

interface PropertySchema {
  type?: string;
  enum?: unknown[];
  items?: PropertySchema;
}

function formatProperties(suite: Suite): Record<string, PropertySchema> {
  const format = suite.format;
  if (format === undefined || format === 'json') return {};
  return (format['properties'] ?? {}) as Record<string, PropertySchema>;
}

describe.each(SUITE_FILES)('built-in suite %s', (file) => {
  const suite = readBuiltin(file);

  it('is named after its file, has a version and enough tasks with unique ids', () => {
    expect(suite.id, 'id').toBe(file.slice(0, -'.json'.length));
    expect(suite.version, 'version').toMatch(/^\d+$/);
    expect(suite.tasks.length, 'tasks').toBeGreaterThanOrEqual(MIN_TASKS_EXCEPTIONS[suite.id] ?? MIN_TASKS);
    const ids = suite.tasks.map((t) => t.id);
    expect(new Set(ids).size, 'unique ids').toBe(ids.length);
  });

  it('fixes temperature 0, a seed and an output limit for every task', () => {
    for (const task of suite.tasks) {
      const options = { ...suite.options, ...task.options };
      expect(options.temperature, `${task.id} temperature`).toBe(0);
      expect(options.seed, `${task.id} seed`).toBeTypeOf('number');
      expect(options.numPredict, `${task.id} numPredict`).toBeTypeOf('number');
    }
  });

  it('gives every task an expected answer and a check', () => {
    for (const task of suite.tasks) {
      expect(task.expected, `${task.id} expected`).toBeDefined();
      expect(() => effectiveCheck(suite, task), task.id).not.toThrow();
    }
  });

  it('scores the ideal answer of every task as correct with score 1', () => {
    for (const task of suite.tasks) {
      const check = effectiveCheck(suite, task);
      const result = scoreAnswer(check, task.expected, idealAnswer(check, task.expected));
      expect({ score: result.score, correct: result.correct }, `${task.id}: ${result.detail}`).toEqual({
        score: 1,
        correct: true,
      });
    }
  });

  it('scores a deliberately wrong answer of every task as not correct', () => {
    for (const task of suite.tasks) {
      const check = effectiveCheck(suite, task);
      const result = scoreAnswer(check, task.expected, wrongAnswer(check, task.expected, suite));
      expect(result.correct, `${task.id}: ${result.detail}`).toBe(false);
      expect(result.score, `${task.id} score`).toBeLessThan(1);
    }
  });

  it('expects only values its JSON schema format allows', () => {
    const properties = formatProperties(suite);
    for (const task of suite.tasks) {
      const check = effectiveCheck(suite, task);
      if (check.type === 'json-fields' && Object.keys(properties).length > 0) {
        const expected = task.expected as Record<string, unknown>;
        expect(Object.keys(expected).sort(), `${task.id} fields`).toEqual(Object.keys(properties).sort());
        for (const [key, value] of Object.entries(expected)) {
          const property = properties[key] ?? {};
          if (property.type !== undefined) expect(typeof value, `${task.id}.${key} type`).toBe(property.type);
          if (property.enum !== undefined) expect(property.enum, `${task.id}.${key}`).toContain(value);
        }
      }
      if (check.type === 'labels-f1' && check.field !== undefined) {
        const allowed = properties[check.field]?.items?.enum;
        expect(allowed, `${check.field} enum`).toBeDefined();
        for (const label of strings(task.expected)) expect(allowed, `${task.id} label`).toContain(label);
      }
      if (check.type === 'one-of') {
        for (const value of strings(task.expected))
          expect(suite.system, `${task.id}: "${value}" named in the system prompt`).toContain(value);
      }
    }
  });

  it('asks only for facts that are in the input (contains-all)', () => {
    for (const task of suite.tasks) {
      if (effectiveCheck(suite, task).type !== 'contains-all') continue;
      for (const fact of strings(task.expected)) expect(task.prompt, `${task.id}: "${fact}"`).toContain(fact);
    }
  });
});

function countValues(suite: Suite, pick: (task: SuiteTask) => string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of suite.tasks.flatMap(pick)) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

describe('built-in suite contents', () => {
  it('triage: 30 tasks covering every type, priority and area at least three times, with pull requests', () => {
    const suite = readBuiltin('triage.json');
    expect(suite.tasks.length, 'tasks').toBe(30);
    const properties = formatProperties(suite);
    for (const field of ['type', 'priority', 'area']) {
      const counts = countValues(suite, (t) => [String((t.expected as Record<string, unknown>)[field])]);
      for (const value of properties[field]?.enum ?? [])
        expect(counts.get(String(value)) ?? 0, `${field} ${String(value)}`).toBeGreaterThanOrEqual(3);
    }
    expect(suite.tasks.filter((t) => t.prompt?.startsWith('PR: ')).length, 'pull requests').toBe(5);
  });

  it('support-routing: 30 tickets, five per queue, one accepted answer each, 16 output tokens', () => {
    const suite = readBuiltin('support-routing.json');
    expect(suite.tasks.length, 'tasks').toBe(30);
    expect(suite.options.numPredict, 'numPredict').toBe(16);
    const counts = countValues(suite, (t) => strings(t.expected));
    expect(Object.fromEntries(counts), 'per queue').toEqual({
      billing: 5,
      technical: 5,
      account: 5,
      shipping: 5,
      returns: 5,
      sales: 5,
    });
  });

  it('tagging: 30 reviews with one to three labels, every label used at least four times', () => {
    const suite = readBuiltin('tagging.json');
    expect(suite.tasks.length, 'tasks').toBe(30);
    expect(suite.check, 'check').toEqual({ type: 'labels-f1', field: 'labels', threshold: 1 });
    for (const task of suite.tasks) expect(strings(task.expected).length, task.id).toBeOneOf([1, 2, 3]);
    const counts = countValues(suite, (t) => strings(t.expected));
    expect(counts.size, 'labels used').toBe(10);
    for (const [label, count] of counts) expect(count, label).toBeGreaterThanOrEqual(4);
  });

  it('extraction: 30 documents whose vendor and number are in the text and whose due dates are real ISO dates', () => {
    const suite = readBuiltin('extraction.json');
    expect(suite.tasks.length, 'tasks').toBe(30);
    for (const task of suite.tasks) {
      const expected = task.expected as {
        vendor: string;
        invoice_number: string;
        total: number;
        due_date: string;
      };
      const text = (task.prompt ?? '').toLowerCase();
      expect(text, `${task.id} vendor`).toContain(expected.vendor.toLowerCase());
      expect(text, `${task.id} invoice_number`).toContain(expected.invoice_number.toLowerCase());
      expect(expected.due_date, `${task.id} due_date`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(
        new Date(`${expected.due_date}T00:00:00Z`).toISOString().slice(0, 10),
        `${task.id} due_date is a calendar date`,
      ).toBe(expected.due_date);
      expect(Number.isFinite(expected.total) && expected.total > 0, `${task.id} total`).toBe(true);
    }
  });

  it('enrichment: 25 inputs of 120 to 300 words, two to four facts each, a 200-token limit', () => {
    const suite = readBuiltin('enrichment.json');
    expect(suite.tasks.length, 'tasks').toBe(25);
    expect(suite.options.numPredict, 'numPredict').toBe(200);
    for (const task of suite.tasks) {
      const words = (task.prompt ?? '').split(/\s+/).filter((w) => w !== '').length;
      expect(words, `${task.id} words`).toBeGreaterThanOrEqual(120);
      expect(words, `${task.id} words`).toBeLessThanOrEqual(300);
      expect(strings(task.expected).length, `${task.id} facts`).toBeGreaterThanOrEqual(2);
      expect(strings(task.expected).length, `${task.id} facts`).toBeLessThanOrEqual(4);
    }
  });
});

describe('parseSuite on files', () => {
  const tempDir = useTempDir('costbench-suites-');

  function writeSuiteFile(name: string, text: string): string {
    const file = join(tempDir(), name);
    writeFileSync(file, text);
    return file;
  }

  function parseErrorOf(name: string, text: string): { file: string; message: string } {
    const file = writeSuiteFile(name, text);
    try {
      parseSuite(readFileSync(file, 'utf8'), file);
    } catch (error) {
      if (error instanceof ConfigError) return { file, message: error.message };
      throw error;
    }
    throw new Error(`expected ${name} to be rejected`);
  }

  const header = (extra: Record<string, unknown> = {}): string =>
    JSON.stringify({ id: 'inline', version: '1', description: 'inline test suite', ...extra });
  const lines = (...rows: unknown[]): string =>
    rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n');

  it('reads a JSONL suite: the first line holds the suite fields, then one task per line', () => {
    const file = writeSuiteFile(
      'ok.jsonl',
      lines(
        header({ check: { type: 'one-of' }, options: { temperature: 0, seed: 7 } }),
        { id: 'a', prompt: 'one?', expected: ['1'] },
        '',
        { id: 'b', prompt: 'two?', expected: ['2', 'two'] },
      ),
    );
    const suite = parseSuite(readFileSync(file, 'utf8'), file);
    expect(
      suite.tasks.map((t) => t.id),
      'task ids',
    ).toEqual(['a', 'b']);
    expect(suite.options, 'options').toEqual({ temperature: 0, seed: 7 });
    expect(suite.check, 'check').toEqual({ type: 'one-of', caseSensitive: false });
  });

  it('names the file and the line of a JSON syntax error', () => {
    const { file, message } = parseErrorOf(
      'syntax.json',
      '{\n  "id": "inline",\n  "version": "1",,\n  "tasks": []\n}',
    );
    expect(message, 'file').toContain(`suite ${file}`);
    expect(message, 'line').toContain('line 3');
  });

  it('names the task and the field of a JSON suite', () => {
    const noPrompt = parseErrorOf(
      'no-prompt.json',
      JSON.stringify({
        id: 'inline',
        version: '1',
        description: '',
        tasks: [{ id: 'a', prompt: 'hi' }, { id: 'b' }],
      }),
    );
    expect(noPrompt.message).toContain(`suite ${noPrompt.file}: tasks.1.prompt`);
    const badOption = parseErrorOf(
      'bad-option.json',
      JSON.stringify({
        id: 'inline',
        version: '1',
        description: '',
        options: { temperature: 'zero' },
        tasks: [{ id: 'a', prompt: 'hi' }],
      }),
    );
    expect(badOption.message).toContain(`suite ${badOption.file}: options.temperature`);
    const badExpected = parseErrorOf(
      'bad-expected.json',
      JSON.stringify({
        id: 'inline',
        version: '1',
        description: '',
        check: { type: 'one-of' },
        tasks: [{ id: 'a', prompt: 'hi', expected: 'billing' }],
      }),
    );
    expect(badExpected.message).toContain(`suite ${badExpected.file}: tasks.0.expected`);
    expect(badExpected.message).toContain('one-of');
  });

  it('names the line and the field of a JSONL suite', () => {
    const unknownKey = parseErrorOf(
      'unknown-key.jsonl',
      lines(header({ sytem: 'typo' }), { id: 'a', prompt: 'hi' }),
    );
    expect(unknownKey.message).toContain(`suite ${unknownKey.file} line 1`);
    expect(unknownKey.message).toContain('sytem');
    const syntax = parseErrorOf(
      'syntax.jsonl',
      lines(header(), { id: 'a', prompt: 'hi' }, '{"id": "b", "prompt": "hi" "expected": "y"}'),
    );
    expect(syntax.message).toContain(`suite ${syntax.file} line 3`);
    const threshold = parseErrorOf(
      'threshold.jsonl',
      lines(header(), { id: 'a', prompt: 'hi', check: { type: 'labels-f1', threshold: 2 }, expected: ['x'] }),
    );
    expect(threshold.message).toContain(`suite ${threshold.file} line 2`);
    expect(threshold.message).toContain('check.threshold');
  });

  it('names the line of a JSONL task whose expected answer does not fit, or whose id repeats', () => {
    const badExpected = parseErrorOf(
      'bad-expected.jsonl',
      lines(header({ check: { type: 'contains-all' } }), { id: 'a', prompt: 'hi', expected: 'x' }),
    );
    expect(badExpected.message).toContain(`suite ${badExpected.file} line 2`);
    expect(badExpected.message).toContain('expected');
    const duplicate = parseErrorOf(
      'duplicate.jsonl',
      lines(header(), { id: 'a', prompt: 'hi' }, '', { id: 'a', prompt: 'again' }),
    );
    expect(duplicate.message).toContain(`suite ${duplicate.file} line 4`);
    expect(duplicate.message).toContain('"a"');
  });
});
