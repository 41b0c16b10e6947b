import { createHash } from 'node:crypto';
import { basename, extname } from 'node:path';
import { ConfigError } from '../errors.js';
import type { Suite, SuiteTask } from '../suites/schema.js';
import { describeJsonError } from '../util/json-error.js';

/** The endpoints whose requests are replayed: OpenAI's, and Azure OpenAI's (no `/v1`). */
export const CHAT_COMPLETIONS_URLS: readonly string[] = ['/v1/chat/completions', '/chat/completions'];
/** How many hex chars of the requests file's SHA-256 make the suite version. */
export const REPLAY_VERSION_HEX_CHARS = 12;
/** How many skip reasons the "nothing to replay" error lists. */
const MAX_REASONS_LISTED = 5;
const INPUT_HINT =
  'Each line must be one OpenAI Batch API request: {"custom_id", "method": "POST", "url", "body"}.';
const OUTPUT_HINT = 'Each line must be one OpenAI Batch API result: {"custom_id", "response", "error"}.';
const UNSAFE_ID_CHARS = /[^A-Za-z0-9._-]/g;
const UNREPLAYED_PARTS: Readonly<Record<string, string>> = {
  image_url: 'images are not replayed',
  input_audio: 'audio is not replayed',
  file: 'files are not replayed',
};

/** A request line that is not replayed, and why. */
export interface SkippedRequest {
  line: number;
  customId: string;
  why: string;
}

/** A batch input file as a suite, with the lines left out and the way back to the custom ids. */
export interface ParsedBatchInput {
  suite: Suite;
  skipped: SkippedRequest[];
  /** Task id -> the request's original custom_id. */
  customIds: Map<string, string>;
  /** The `body.model` every replayed request names, or null when they differ or one names none. */
  apiModel: string | null;
}

/** One line of a batch output (or error) file. */
export interface BatchAnswer {
  customId: string;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  answer: string | null;
  statusCode: number | null;
  error: string | null;
}

type JsonObject = Record<string, unknown>;
type Message = NonNullable<SuiteTask['messages']>[number];
interface Where {
  file: string;
  line: number;
  hint: string;
}
interface Skip {
  why: string;
}
interface Replayed {
  customId: string;
  line: number;
  model: string | null;
  task: Omit<SuiteTask, 'id'>;
}

function fail(where: Where, field: string, message: string): never {
  throw new ConfigError(
    `replay ${where.file} line ${where.line}: ${field === '' ? '' : `${field}: `}${message}`,
    where.hint,
  );
}

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isAbsent(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  try {
    return JSON.stringify(value);
  } catch {
    return '(a value nested too deeply to show)';
  }
}

/** The file's own text in a message: control characters (line breaks) escaped, to keep the message one line. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => JSON.stringify(c).slice(1, -1));
}

/** The non-blank lines of a JSONL text, each a JSON object, with 1-based line numbers. */
function readJsonLines(text: string, file: string, hint: string): { where: Where; json: JsonObject }[] {
  return text.split('\n').flatMap((raw, i) => {
    const body = raw.trim();
    if (body === '') return [];
    const where = { file, line: i + 1, hint };
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch (error) {
      fail(where, '', printable(describeJsonError(error, body).replace(/at line 1, /, 'at ')));
    }
    if (!isObject(json)) fail(where, '', 'expected a JSON object');
    return [{ where, json }];
  });
}

function readCustomId(where: Where, json: JsonObject, firstLine: Map<string, number>): string {
  const customId = json['custom_id'];
  if (typeof customId !== 'string' || customId === '')
    fail(where, 'custom_id', `expected a non-empty string, got ${show(customId)}`);
  const first = firstLine.get(customId);
  if (first !== undefined)
    fail(where, 'custom_id', `"${printable(customId)}" appears twice (first on line ${first})`);
  firstLine.set(customId, where.line);
  return customId;
}

/** A text part's text, or why the part is not replayed. */
function parsePart(where: Where, path: string, part: unknown): string | Skip {
  if (!isObject(part)) fail(where, path, 'expected an object');
  const type = part['type'];
  if (type === 'text') {
    if (typeof part['text'] !== 'string') fail(where, `${path}.text`, 'expected a string');
    return part['text'];
  }
  if (typeof type !== 'string') fail(where, `${path}.type`, `expected a string, got ${show(type)}`);
  return { why: UNREPLAYED_PARTS[type] ?? `content parts of type "${printable(type)}" are not replayed` };
}

/** Text parts are joined with a newline: the messages keep their words, whatever the API's own joining. */
function parseContent(where: Where, path: string, content: unknown): string | Skip {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content))
    fail(where, path, `expected a string or an array of content parts, got ${show(content)}`);
  const parts = content.map((part, i) => parsePart(where, `${path}.${i}`, part));
  const skip = parts.find((p): p is Skip => typeof p !== 'string');
  return skip ?? (parts as string[]).join('\n');
}

function parseMessage(where: Where, path: string, raw: unknown): Message | Skip {
  if (!isObject(raw)) fail(where, path, 'expected an object');
  const role = raw['role'];
  if (role === 'tool' || role === 'function') return { why: `${role} messages are not replayed` };
  if (role !== 'system' && role !== 'developer' && role !== 'user' && role !== 'assistant') {
    fail(where, `${path}.role`, `expected system, developer, user, assistant or tool, got ${show(role)}`);
  }
  const calls = raw['tool_calls'];
  if ((Array.isArray(calls) && calls.length > 0) || !isAbsent(raw['function_call']))
    return { why: 'tool calls are not replayed' };
  const content = parseContent(where, `${path}.content`, raw['content']);
  if (typeof content !== 'string') return content;
  return { role: role === 'developer' ? 'system' : role, content };
}

/** Every message is checked, so a malformed line is an error even when it would be skipped. */
function parseMessages(where: Where, raw: unknown): Message[] | Skip {
  if (!Array.isArray(raw)) fail(where, 'body.messages', `expected an array, got ${show(raw)}`);
  if (raw.length === 0) fail(where, 'body.messages', 'expected at least one message');
  const messages = raw.map((m, i) => parseMessage(where, `body.messages.${i}`, m));
  const skip = messages.find((m): m is Skip => 'why' in m);
  return skip ?? (messages as Message[]);
}

function readNumber(
  where: Where,
  body: JsonObject,
  key: string,
  ok: (n: number) => boolean,
  want: string,
): number | undefined {
  const value = body[key];
  if (isAbsent(value)) return undefined;
  if (typeof value !== 'number' || !ok(value))
    fail(where, `body.${key}`, `expected ${want}, got ${show(value)}`);
  return value;
}

/** `max_completion_tokens` (the newer name) wins over `max_tokens` when both are given. */
function parseOptions(where: Where, body: JsonObject): NonNullable<SuiteTask['options']> {
  const positive = (n: number): boolean => Number.isInteger(n) && n > 0;
  const numPredict =
    readNumber(where, body, 'max_completion_tokens', positive, 'a positive integer') ??
    readNumber(where, body, 'max_tokens', positive, 'a positive integer');
  const temperature = readNumber(
    where,
    body,
    'temperature',
    (n) => Number.isFinite(n) && n >= 0,
    'a number >= 0',
  );
  const seed = readNumber(where, body, 'seed', Number.isInteger, 'an integer');
  return {
    ...(temperature === undefined ? {} : { temperature }),
    ...(seed === undefined ? {} : { seed }),
    ...(numPredict === undefined ? {} : { numPredict }),
  };
}

/** A json_schema format without a schema is still a request for JSON, so it becomes "json". */
function parseFormat(where: Where, raw: unknown): SuiteTask['format'] {
  if (isAbsent(raw)) return undefined;
  if (!isObject(raw)) fail(where, 'body.response_format', `expected an object, got ${show(raw)}`);
  const type = raw['type'];
  if (type === 'text') return undefined;
  if (type === 'json_object') return 'json';
  if (type !== 'json_schema')
    fail(
      where,
      'body.response_format.type',
      `expected "text", "json_object" or "json_schema", got ${show(type)}`,
    );
  const spec = raw['json_schema'];
  if (!isObject(spec))
    fail(where, 'body.response_format.json_schema', `expected an object, got ${show(spec)}`);
  const schema = spec['schema'];
  if (isAbsent(schema)) return 'json';
  if (!isObject(schema))
    fail(
      where,
      'body.response_format.json_schema.schema',
      `expected an object (a JSON schema), got ${show(schema)}`,
    );
  return schema;
}

/** Tools change what the model may answer; without them a replay would ask a different question. */
function parseBody(where: Where, body: unknown): Replayed['task'] | Skip {
  if (!isObject(body)) fail(where, 'body', `expected an object, got ${show(body)}`);
  const messages = parseMessages(where, body['messages']);
  const options = parseOptions(where, body);
  const format = parseFormat(where, body['response_format']);
  const tools = [body['tools'], body['functions']].some((t) => Array.isArray(t) && t.length > 0);
  if ('why' in messages) return messages;
  if (tools) return { why: 'tool definitions are not replayed' };
  return {
    messages,
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(format === undefined ? {} : { format }),
  };
}

function parseRequestLine(
  where: Where,
  json: JsonObject,
  firstLine: Map<string, number>,
): Replayed | SkippedRequest {
  const customId = readCustomId(where, json, firstLine);
  if (json['method'] !== 'POST') fail(where, 'method', `expected "POST", got ${show(json['method'])}`);
  const url = json['url'];
  if (typeof url !== 'string') fail(where, 'url', `expected a string, got ${show(url)}`);
  const skip = (why: string): SkippedRequest => ({ line: where.line, customId, why });
  if (!CHAT_COMPLETIONS_URLS.includes(url))
    return skip(`url ${printable(url)} is not a chat completion; only those are replayed`);
  const task = parseBody(where, json['body']);
  if ('why' in task) return skip(task.why);
  const model = (json['body'] as JsonObject)['model'];
  if (!isAbsent(model) && typeof model !== 'string')
    fail(where, 'body.model', `expected a string, got ${show(model)}`);
  return { customId, line: where.line, model: model ?? null, task };
}

/** Safe task ids: a custom id already safe keeps itself; another gets "_" for unsafe chars and a -2, -3... suffix if taken. */
function assignTaskIds(customIds: readonly string[]): string[] {
  const safe = (id: string): boolean => id.replace(UNSAFE_ID_CHARS, '_') === id;
  const used = new Set(customIds.filter(safe));
  return customIds.map((customId) => {
    if (safe(customId)) return customId;
    const base = customId.replace(UNSAFE_ID_CHARS, '_');
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}-${n}`;
    used.add(id);
    return id;
  });
}

function noRequestsError(file: string, skipped: readonly SkippedRequest[]): ConfigError {
  const listed = skipped.slice(0, MAX_REASONS_LISTED).map((s) => `line ${s.line}: ${s.why}`);
  if (skipped.length > MAX_REASONS_LISTED) listed.push(`and ${skipped.length - MAX_REASONS_LISTED} more`);
  const why = skipped.length === 0 ? 'the file has no requests' : listed.join('; ');
  return new ConfigError(`replay ${file}: no chat completion requests to replay (${why})`, INPUT_HINT);
}

/**
 * Parses an OpenAI Batch API input file (JSONL of chat completion requests) into a suite with one
 * task per replayable request. Pure. Requests to other endpoints, with images, audio, files, tools or
 * tool messages are returned in `skipped` with the reason. The suite id comes from the file's name,
 * its version from the SHA-256 of the text, and it has no check: a replayed request has no expected
 * answer.
 * @throws ConfigError naming the file, the line and the field of a malformed line, a duplicate
 *   custom_id, or a file with nothing to replay.
 */
export function parseBatchInput(text: string, file: string): ParsedBatchInput {
  const firstLine = new Map<string, number>();
  const replayed: Replayed[] = [];
  const skipped: SkippedRequest[] = [];
  for (const { where, json } of readJsonLines(text, file, INPUT_HINT)) {
    const outcome = parseRequestLine(where, json, firstLine);
    if ('why' in outcome) skipped.push(outcome);
    else replayed.push(outcome);
  }
  if (replayed.length === 0) throw noRequestsError(file, skipped);
  const ids = assignTaskIds(replayed.map((r) => r.customId));
  const tasks = replayed.map((r, i): SuiteTask => ({ id: ids[i] ?? r.customId, ...r.task }));
  const models = new Set(replayed.map((r) => r.model));
  const suite: Suite = {
    id: `replay-${basename(file, extname(file)).replace(UNSAFE_ID_CHARS, '_')}`,
    version: createHash('sha256').update(text).digest('hex').slice(0, REPLAY_VERSION_HEX_CHARS),
    description: `${tasks.length} chat completion request${tasks.length === 1 ? '' : 's'} replayed from ${basename(file)}${skipped.length === 0 ? '' : ` (${skipped.length} skipped)`}`,
    options: {},
    tasks,
  };
  const customIds = new Map(replayed.map((r, i) => [tasks[i]?.id ?? r.customId, r.customId]));
  return { suite, skipped, customIds, apiModel: models.size === 1 ? ([...models][0] ?? null) : null };
}

function readCount(where: Where, holder: JsonObject, key: string, path: string): number | null {
  const value = holder[key];
  if (isAbsent(value)) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    fail(where, `${path}.${key}`, `expected a non-negative integer, got ${show(value)}`);
  return value;
}

function readUsage(
  where: Where,
  usage: unknown,
): Pick<BatchAnswer, 'promptTokens' | 'completionTokens' | 'cachedTokens'> {
  const path = 'response.body.usage';
  if (isAbsent(usage)) return { promptTokens: null, completionTokens: null, cachedTokens: null };
  if (!isObject(usage)) fail(where, path, `expected an object, got ${show(usage)}`);
  const details = usage['prompt_tokens_details'];
  if (!isAbsent(details) && !isObject(details))
    fail(where, `${path}.prompt_tokens_details`, `expected an object, got ${show(details)}`);
  return {
    promptTokens: readCount(where, usage, 'prompt_tokens', path),
    completionTokens: readCount(where, usage, 'completion_tokens', path),
    cachedTokens: isAbsent(details)
      ? null
      : readCount(where, details, 'cached_tokens', `${path}.prompt_tokens_details`),
  };
}

/** The first choice's text, or why there is none (a refusal, a tool call). */
function readAnswer(where: Where, body: JsonObject): { answer: string | null; why: string | null } {
  const choices = body['choices'];
  if (isAbsent(choices)) return { answer: null, why: 'the response has no choices' };
  if (!Array.isArray(choices))
    fail(where, 'response.body.choices', `expected an array, got ${show(choices)}`);
  const first: unknown = choices[0];
  if (first === undefined) return { answer: null, why: 'the response has no choices' };
  const message = isObject(first) ? first['message'] : undefined;
  if (!isObject(message))
    fail(where, 'response.body.choices.0.message', `expected an object, got ${show(message)}`);
  const content = message['content'];
  if (typeof content === 'string') return { answer: content, why: null };
  if (!isAbsent(content))
    fail(where, 'response.body.choices.0.message.content', `expected a string or null, got ${show(content)}`);
  if (typeof message['refusal'] === 'string') return { answer: null, why: `refused: ${message['refusal']}` };
  return {
    answer: null,
    why: Array.isArray(message['tool_calls']) ? 'the answer is a tool call' : 'the answer has no content',
  };
}

/** "code: message" of an `{code, message}` error object (the line's, or an error response body's). */
function readError(where: Where, path: string, raw: unknown): string | null {
  if (isAbsent(raw)) return null;
  if (!isObject(raw)) fail(where, path, `expected an object or null, got ${show(raw)}`);
  const code = typeof raw['code'] === 'string' ? raw['code'] : null;
  const message = typeof raw['message'] === 'string' ? raw['message'] : null;
  if (code !== null && message !== null) return `${code}: ${message}`;
  return code ?? message ?? JSON.stringify(raw);
}

function parseOutputLine(where: Where, json: JsonObject, firstLine: Map<string, number>): BatchAnswer {
  const customId = readCustomId(where, json, firstLine);
  const lineError = readError(where, 'error', json['error']);
  const response = json['response'];
  const empty = {
    customId,
    model: null,
    promptTokens: null,
    completionTokens: null,
    cachedTokens: null,
    answer: null,
    statusCode: null,
  };
  if (isAbsent(response)) return { ...empty, error: lineError ?? 'no response' };
  if (!isObject(response)) fail(where, 'response', `expected an object or null, got ${show(response)}`);
  const statusCode = response['status_code'];
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode))
    fail(where, 'response.status_code', `expected an integer, got ${show(statusCode)}`);
  const body = response['body'];
  if (!isObject(body)) fail(where, 'response.body', `expected an object, got ${show(body)}`);
  const model = typeof body['model'] === 'string' ? body['model'] : null;
  const ok = statusCode >= 200 && statusCode < 300;
  const { answer, why } = ok
    ? readAnswer(where, body)
    : { answer: null, why: readError(where, 'response.body.error', body['error']) ?? `HTTP ${statusCode}` };
  return { ...empty, model, ...readUsage(where, body['usage']), answer, statusCode, error: lineError ?? why };
}

/**
 * Parses an OpenAI Batch API output file, or its companion error file (same shape, failed lines),
 * into the answers by custom_id. Pure. A failed request is data: `answer` null and `error` saying
 * why ("code: message" when the API gave one).
 * @throws ConfigError naming the file, the line and the field of a malformed line or a duplicate custom_id.
 */
export function parseBatchOutput(text: string, file: string): Map<string, BatchAnswer> {
  const firstLine = new Map<string, number>();
  const answers = new Map<string, BatchAnswer>();
  for (const { where, json } of readJsonLines(text, file, OUTPUT_HINT)) {
    const answer = parseOutputLine(where, json, firstLine);
    answers.set(answer.customId, answer);
  }
  return answers;
}
