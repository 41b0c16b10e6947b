import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, CostbenchError, NotFoundError } from '../src/errors.js';
import { computeAgreement, tokenizeWords } from '../src/replay/agreement.js';
import { loadReplay } from '../src/replay/load.js';
import { parseBatchInput, parseBatchOutput, type BatchAnswer } from '../src/replay/openai-batch.js';
import { suiteSchema } from '../src/suites/schema.js';
import { errorOf } from './support/error-of.js';

const DIR = join(import.meta.dirname, 'fixtures', 'replay');
const REQUESTS = readFileSync(join(DIR, 'requests.jsonl'), 'utf8');
const OUTPUT = readFileSync(join(DIR, 'output.jsonl'), 'utf8');
const ERRORS = readFileSync(join(DIR, 'errors.jsonl'), 'utf8');

/** One request line with the given body (and envelope overrides). */
function request(body: unknown, envelope: Record<string, unknown> = {}): string {
  return JSON.stringify({ custom_id: 'r1', method: 'POST', url: '/v1/chat/completions', body, ...envelope });
}

const USER_HI = { model: 'm', messages: [{ role: 'user', content: 'hi' }] };

function inputError(text: string): string {
  const error = errorOf(() => parseBatchInput(text, 'requests.jsonl'), CostbenchError);
  expect(error, 'error class').toBeInstanceOf(ConfigError);
  return error.message;
}

describe('parseBatchInput', () => {
  const parsed = parseBatchInput(REQUESTS, 'test/fixtures/replay/requests.jsonl');

  it('turns the fixture into a suite, one task per replayable request', () => {
    expect(parsed.suite.id, 'suite id').toBe('replay-requests');
    expect(parsed.suite.description, 'description').toBe(
      '5 chat completion requests replayed from requests.jsonl (3 skipped)',
    );
    expect(parsed.suite.check, 'no suite check').toBeUndefined();
    expect(parsed.suite.options, 'suite options').toEqual({});
    expect(parsed.apiModel, 'apiModel').toBe('gpt-4o-mini');
    expect(suiteSchema.parse(parsed.suite), 'a valid suite').toEqual(parsed.suite);
    expect(parsed.suite.tasks, 'tasks').toEqual([
      {
        id: 'request-1',
        messages: [
          { role: 'system', content: 'You are a helpful assistant.' },
          { role: 'user', content: 'Hello world!' },
        ],
        options: { temperature: 0, numPredict: 1000 },
      },
      {
        id: 'request-2',
        messages: [
          { role: 'system', content: 'Classify the ticket.' },
          { role: 'user', content: 'Ticket:\nThe app crashes on login.' },
        ],
        options: { seed: 42 },
      },
      {
        id: 'request-3',
        messages: [{ role: 'user', content: 'Return the priority as JSON.' }],
        options: { numPredict: 200 },
        format: 'json',
      },
      {
        id: 'request-4',
        messages: [{ role: 'user', content: 'Extract the fields.' }],
        options: { numPredict: 100 },
        format: {
          type: 'object',
          properties: { priority: { type: 'string' }, team: { type: 'string' } },
          required: ['priority', 'team'],
          additionalProperties: false,
        },
      },
      {
        id: 'ticket__5',
        messages: [
          { role: 'user', content: '2+2?' },
          { role: 'assistant', content: '4' },
          { role: 'user', content: '3+3?' },
        ],
        options: { temperature: 0.2 },
      },
    ]);
  });

  it('reports the lines it skips, with the reason, counting blank lines in the numbering', () => {
    expect(parsed.skipped, 'skipped').toEqual([
      {
        line: 7,
        customId: 'embed-1',
        why: 'url /v1/embeddings is not a chat completion; only those are replayed',
      },
      { line: 8, customId: 'request-7', why: 'images are not replayed' },
      { line: 9, customId: 'request-8', why: 'tool calls are not replayed' },
    ]);
  });

  it('maps task ids back to custom ids', () => {
    expect([...parsed.customIds], 'customIds').toEqual([
      ['request-1', 'request-1'],
      ['request-2', 'request-2'],
      ['request-3', 'request-3'],
      ['request-4', 'request-4'],
      ['ticket__5', 'ticket #5'],
    ]);
  });

  it('versions the suite by the sha256 of the text', () => {
    const sha = createHash('sha256').update(REQUESTS).digest('hex');
    expect(parsed.suite.version, 'version').toBe(sha.slice(0, 12));
    expect(
      parseBatchInput(REQUESTS, 'elsewhere/requests.jsonl').suite.version,
      'same text, same version',
    ).toBe(parsed.suite.version);
    expect(
      parseBatchInput(`${REQUESTS}\n`, 'requests.jsonl').suite.version,
      'changed text, new version',
    ).not.toBe(parsed.suite.version);
  });

  it('keeps task ids unique when custom ids collide once made safe', () => {
    const text = [
      request(USER_HI, { custom_id: 'a b' }),
      request(USER_HI, { custom_id: 'a/b' }),
      request(USER_HI, { custom_id: 'a_b' }),
    ].join('\n');
    const result = parseBatchInput(text, 'my batch.v2.jsonl');
    expect(result.suite.id, 'suite id').toBe('replay-my_batch.v2');
    expect([...result.customIds], 'ids').toEqual([
      ['a_b-2', 'a b'],
      ['a_b-3', 'a/b'],
      ['a_b', 'a_b'],
    ]);
  });

  it('accepts Azure urls, skips tool definitions, and gives no apiModel when models differ', () => {
    const text = [
      request(
        { ...USER_HI, model: 'a', response_format: { type: 'text' }, temperature: null },
        { custom_id: 'x' },
      ),
      request(
        { ...USER_HI, model: 'b', response_format: { type: 'json_schema', json_schema: { name: 'n' } } },
        { custom_id: 'y', url: '/chat/completions' },
      ),
      request({ ...USER_HI, tools: [{ type: 'function', function: { name: 'f' } }] }, { custom_id: 'z' }),
    ].join('\n');
    const result = parseBatchInput(text, 'r.jsonl');
    expect(result.suite.tasks, 'tasks').toEqual([
      { id: 'x', messages: [{ role: 'user', content: 'hi' }] },
      { id: 'y', messages: [{ role: 'user', content: 'hi' }], format: 'json' },
    ]);
    expect(result.skipped, 'skipped').toEqual([
      { line: 3, customId: 'z', why: 'tool definitions are not replayed' },
    ]);
    expect(result.apiModel, 'apiModel').toBeNull();
  });

  it('names the file, the line and the field of a malformed line', () => {
    const ok = request(USER_HI, { custom_id: 'ok' });
    expect(
      inputError(`${ok}\n${request(USER_HI, { custom_id: 'two' })}\n${request({ messages: 'hi' })}`),
      'messages',
    ).toBe('replay requests.jsonl line 3: body.messages: expected an array, got "hi"');
    expect(inputError(request(USER_HI, { method: 'GET' })), 'method').toBe(
      'replay requests.jsonl line 1: method: expected "POST", got "GET"',
    );
    expect(inputError(`${ok}\n{"custom_id": `), 'json').toMatch(
      /^replay requests\.jsonl line 2: invalid JSON/,
    );
    expect(inputError('[1]'), 'not an object').toBe('replay requests.jsonl line 1: expected a JSON object');
    expect(inputError(request(USER_HI, { custom_id: undefined })), 'custom_id').toBe(
      'replay requests.jsonl line 1: custom_id: expected a non-empty string, got nothing',
    );
    expect(inputError(`${ok}\n\n${ok}`), 'duplicate').toBe(
      'replay requests.jsonl line 3: custom_id: "ok" appears twice (first on line 1)',
    );
    expect(inputError(request({ messages: [{ role: 'user', content: 7 }] })), 'content').toBe(
      'replay requests.jsonl line 1: body.messages.0.content: expected a string or an array of content parts, got 7',
    );
    expect(inputError(request({ messages: [{ role: 'user', content: [{ type: 'text' }] }] })), 'part').toBe(
      'replay requests.jsonl line 1: body.messages.0.content.0.text: expected a string',
    );
    expect(inputError(request({ messages: [{ role: 'bot', content: 'x' }] })), 'role').toBe(
      'replay requests.jsonl line 1: body.messages.0.role: expected system, developer, user, assistant or tool, got "bot"',
    );
    expect(inputError(request({ messages: [] })), 'empty').toBe(
      'replay requests.jsonl line 1: body.messages: expected at least one message',
    );
    expect(inputError(request({ ...USER_HI, max_tokens: -1 })), 'max_tokens').toBe(
      'replay requests.jsonl line 1: body.max_tokens: expected a positive integer, got -1',
    );
    expect(inputError(request({ ...USER_HI, seed: 1.5 })), 'seed').toBe(
      'replay requests.jsonl line 1: body.seed: expected an integer, got 1.5',
    );
    expect(inputError(request({ ...USER_HI, response_format: { type: 'xml' } })), 'format').toBe(
      'replay requests.jsonl line 1: body.response_format.type: expected "text", "json_object" or "json_schema", got "xml"',
    );
    expect(
      inputError(
        request({ ...USER_HI, response_format: { type: 'json_schema', json_schema: { schema: [] } } }),
      ),
      'schema',
    ).toBe(
      'replay requests.jsonl line 1: body.response_format.json_schema.schema: expected an object (a JSON schema), got []',
    );
    expect(inputError(request({ ...USER_HI, model: 4 })), 'model').toBe(
      'replay requests.jsonl line 1: body.model: expected a string, got 4',
    );
    expect(inputError(request(USER_HI, { url: undefined })), 'url').toBe(
      'replay requests.jsonl line 1: url: expected a string, got nothing',
    );
  });

  it('checks a skipped line too: a malformed request is an error, not a skip', () => {
    const images = {
      messages: [
        { role: 'user', content: [{ type: 'image_url' }] },
        { role: 'user', content: 3 },
      ],
    };
    expect(inputError(request(images)), 'second message').toBe(
      'replay requests.jsonl line 1: body.messages.1.content: expected a string or an array of content parts, got 3',
    );
  });

  it('refuses a file with nothing to replay, saying why each line was skipped', () => {
    const text = [
      request(USER_HI, { url: '/v1/responses' }),
      request({ messages: [{ role: 'tool', content: 'x' }] }, { custom_id: 'r2' }),
    ].join('\n');
    expect(inputError(text), 'all skipped').toBe(
      'replay requests.jsonl: no chat completion requests to replay (line 1: url /v1/responses is not a chat completion; only those are replayed; line 2: tool messages are not replayed)',
    );
    expect(inputError('\n  \n'), 'blank').toBe(
      'replay requests.jsonl: no chat completion requests to replay (the file has no requests)',
    );
  });
});

const BLANK: Omit<BatchAnswer, 'customId'> = {
  model: null,
  promptTokens: null,
  completionTokens: null,
  cachedTokens: null,
  answer: null,
  statusCode: null,
  error: null,
};

describe('parseBatchOutput', () => {
  it('reads answers, usage and failures by custom id', () => {
    const answers = parseBatchOutput(OUTPUT, 'output.jsonl');
    expect([...answers.keys()], 'keys').toEqual([
      'request-1',
      'request-2',
      'request-3',
      'request-4',
      'request-99',
    ]);
    expect(answers.get('request-1'), 'request-1').toEqual({
      customId: 'request-1',
      model: 'gpt-4o-mini-2024-07-18',
      promptTokens: 22,
      completionTokens: 2,
      cachedTokens: 0,
      answer: 'Hello.',
      statusCode: 200,
      error: null,
    });
    expect(answers.get('request-2'), 'request-2 cached').toEqual({
      customId: 'request-2',
      model: 'gpt-4o-mini-2024-07-18',
      promptTokens: 1200,
      completionTokens: 1,
      cachedTokens: 1024,
      answer: 'bug',
      statusCode: 200,
      error: null,
    });
    expect(answers.get('request-3'), 'request-3 failed').toEqual({
      ...BLANK,
      customId: 'request-3',
      error: 'batch_expired: This request could not be executed before the completion window expired.',
    });
    expect(answers.get('request-4'), 'request-4 no cached details').toEqual({
      customId: 'request-4',
      model: 'gpt-4o-mini-2024-07-18',
      promptTokens: 40,
      completionTokens: 12,
      cachedTokens: null,
      answer: '{"priority": "high", "team": "auth"}',
      statusCode: 200,
      error: null,
    });
  });

  it('reads an error file the same way', () => {
    expect([...parseBatchOutput(ERRORS, 'errors.jsonl').values()], 'errors').toEqual([
      {
        ...BLANK,
        customId: 'ticket #5',
        statusCode: 400,
        error: "invalid_value: Invalid value for 'temperature'.",
      },
    ]);
  });

  it('records refusals and tool calls as failures with a reason', () => {
    const line = (message: unknown): string =>
      JSON.stringify({
        custom_id: 'c',
        response: { status_code: 200, body: { choices: [{ message }] } },
        error: null,
      });
    expect(
      parseBatchOutput(line({ content: null, refusal: 'No.' }), 'o.jsonl').get('c')?.error,
      'refusal',
    ).toBe('refused: No.');
    expect(
      parseBatchOutput(line({ content: null, tool_calls: [] }), 'o.jsonl').get('c')?.error,
      'tool call',
    ).toBe('the answer is a tool call');
    expect(parseBatchOutput('', 'o.jsonl').size, 'empty file').toBe(0);
  });

  it('names the file, the line and the field of a malformed line', () => {
    const outputError = (lines: unknown[]): string =>
      errorOf(
        () => parseBatchOutput(lines.map((l) => JSON.stringify(l)).join('\n'), 'output.jsonl'),
        CostbenchError,
      ).message;
    const ok = { custom_id: 'a', response: null, error: { code: 'x', message: 'y' } };
    expect(outputError([ok, { custom_id: 'b', response: { status_code: '200', body: {} } }]), 'status').toBe(
      'replay output.jsonl line 2: response.status_code: expected an integer, got "200"',
    );
    expect(
      outputError([{ custom_id: 'b', response: { status_code: 200, body: { choices: {} } } }]),
      'choices',
    ).toBe('replay output.jsonl line 1: response.body.choices: expected an array, got {}');
    expect(
      outputError([
        {
          custom_id: 'b',
          response: { status_code: 200, body: { choices: [], usage: { prompt_tokens: '22' } } },
        },
      ]),
      'usage',
    ).toBe(
      'replay output.jsonl line 1: response.body.usage.prompt_tokens: expected a non-negative integer, got "22"',
    );
    expect(outputError([ok, ok]), 'duplicate').toBe(
      'replay output.jsonl line 2: custom_id: "a" appears twice (first on line 1)',
    );
    expect(outputError([{ custom_id: 'b', response: 'ok' }]), 'response').toBe(
      'replay output.jsonl line 1: response: expected an object or null, got "ok"',
    );
    expect(outputError([{ custom_id: 'b', response: null, error: 'boom' }]), 'error').toBe(
      'replay output.jsonl line 1: error: expected an object or null, got "boom"',
    );
  });
});

describe('computeAgreement', () => {
  it('compares JSON answers field by field', () => {
    const reference = '{"priority": "High", "team": "auth", "tags": ["a", "b"]}';
    expect(
      computeAgreement('{"priority": " high ", "team": "billing", "tags": ["a", "b"]}', reference),
      '2 of 3',
    ).toEqual({ score: 2 / 3, method: 'json-fields' });
    expect(
      computeAgreement(
        '```json\n{"tags": ["a", "b"], "team": "AUTH", "priority": "high", "extra": 1}\n```',
        reference,
      ),
      'all, fenced',
    ).toEqual({ score: 1, method: 'json-fields' });
    expect(
      computeAgreement('{"priority": "high", "team": "auth", "tags": ["A", "b"]}', reference),
      'nested strings are JSON-equal only',
    ).toEqual({ score: 2 / 3, method: 'json-fields' });
    expect(
      computeAgreement('{"a": {"x": 1, "y": 2}}', '{"a": {"y": 2, "x": 1}, "b": null}'),
      'key order',
    ).toEqual({ score: 0.5, method: 'json-fields' });
    expect(computeAgreement('{"b": "1"}', '{"b": 1}'), 'types count').toEqual({
      score: 0,
      method: 'json-fields',
    });
    expect(computeAgreement('high priority', reference), 'local not JSON').toEqual({
      score: 0,
      method: 'json-fields',
    });
    expect(computeAgreement('{}', '{}'), 'both empty').toEqual({ score: 1, method: 'json-fields' });
  });

  it('compares short answers exactly, ignoring case, whitespace and trailing punctuation', () => {
    expect(computeAgreement('  Yes.', 'yes'), 'yes').toEqual({ score: 1, method: 'exact' });
    expect(computeAgreement('New   York!', 'new york'), 'two words').toEqual({ score: 1, method: 'exact' });
    expect(computeAgreement('no', 'yes'), 'differs').toEqual({ score: 0, method: 'exact' });
    expect(computeAgreement('3.14', '3.1'), 'numbers keep their dots').toEqual({ score: 0, method: 'exact' });
  });

  it('scores longer answers by F1 over the sets of word tokens', () => {
    // local {the, cat, sat, on, mat}, reference {a, cat, sat, on, red, mat}: 4 shared, P = 4/5, R = 4/6.
    const f1 = computeAgreement('The cat sat on the mat.', 'A cat sat on a red mat');
    expect(f1.method, 'method').toBe('token-f1');
    expect(f1.score, 'F1 = 8/11').toBeCloseTo(8 / 11, 12);
    // local {bug, crash}, reference {bug, in, login}: 1 shared, P = 1/2, R = 1/3, F1 = 2/5.
    expect(computeAgreement('bug bug bug crash', 'bug in login').score, 'repeats count once').toBeCloseTo(
      0.4,
      12,
    );
    expect(computeAgreement('one two three four', 'five six seven eight'), 'nothing shared').toEqual({
      score: 0,
      method: 'token-f1',
    });
  });

  it('tokenizes unicode words', () => {
    expect(tokenizeWords('Crème brûlée, naïve café x2 — 東京'), 'latin').toEqual([
      'crème',
      'brûlée',
      'naïve',
      'café',
      'x2',
      '東京',
    ]);
    expect(tokenizeWords('cafe\u0301 नमस्ते'), 'marks stay in words').toEqual(['café', 'नमस्ते']);
  });
});

describe('loadReplay', () => {
  it('matches output lines to tasks, and names the missing and the unmatched', () => {
    const loaded = loadReplay('requests.jsonl', 'output.jsonl', DIR);
    expect(loaded.suite.tasks.length, 'tasks').toBe(5);
    expect([...(loaded.references?.keys() ?? [])], 'references').toEqual([
      'request-1',
      'request-2',
      'request-3',
      'request-4',
    ]);
    expect(loaded.references?.get('request-2')?.cachedTokens, 'cached').toBe(1024);
    expect(loaded.missing, 'missing').toEqual(['ticket #5']);
    expect(loaded.unmatched, 'unmatched').toEqual(['request-99']);
    expect(loaded.apiModel, 'apiModel').toBe('gpt-4o-mini');
  });

  it('merges the output file and its error file', () => {
    const loaded = loadReplay('requests.jsonl', ['output.jsonl', 'errors.jsonl'], DIR);
    expect(loaded.missing, 'missing').toEqual([]);
    expect(loaded.references?.get('ticket__5')?.statusCode, 'from the error file').toBe(400);
    const twice = errorOf(
      () => loadReplay('requests.jsonl', ['errors.jsonl', 'errors.jsonl'], DIR),
      CostbenchError,
    );
    expect(twice.message, 'same line twice').toBe(
      'replay errors.jsonl: custom_id "ticket #5" is also in errors.jsonl',
    );
  });

  it('has no references without an output file', () => {
    const loaded = loadReplay('requests.jsonl', undefined, DIR);
    expect(loaded.references, 'references').toBeNull();
    expect(loaded.missing, 'missing').toEqual([]);
    expect(loaded.unmatched, 'unmatched').toEqual([]);
  });

  it('says which file is missing', () => {
    const noRequests = errorOf(() => loadReplay('nope.jsonl', undefined, DIR), CostbenchError);
    expect(noRequests, 'class').toBeInstanceOf(NotFoundError);
    expect(noRequests.message, 'requests').toBe(`replay requests file not found: ${join(DIR, 'nope.jsonl')}`);
    expect(
      errorOf(() => loadReplay('requests.jsonl', 'gone.jsonl', DIR), CostbenchError).message,
      'output',
    ).toBe(`replay output file not found: ${join(DIR, 'gone.jsonl')}`);
  });
});
