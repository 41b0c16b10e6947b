import { z } from 'zod';

const optionsSchema = z.strictObject({
  temperature: z.number().min(0).optional().describe('Sampling temperature; 0 for repeatable answers.'),
  seed: z.number().int().optional().describe('Sampling seed.'),
  numPredict: z.number().int().positive().optional().describe('Maximum output tokens.'),
  numCtx: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('Context window (changing it reloads the model on Ollama).'),
});

/** "json" or a JSON schema the answer must follow (Ollama's `format`). */
const formatSchema = z.union([z.literal('json'), z.record(z.string(), z.unknown())]);

const messageSchema = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

/**
 * How an answer is checked against the task's `expected`:
 * - exact: expected is a string; the answer (trimmed) equals it;
 * - one-of: expected is a list of strings; the answer equals one;
 * - regex: expected is a pattern the answer matches;
 * - json-fields: expected is an object; the answer parsed as JSON has those fields with those values;
 * - labels-f1: expected is a list of labels; F1 of the answer's labels against it (correct at >= threshold);
 * - contains-all: expected is a list of strings the answer must all contain.
 */
export const checkSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('exact'), caseSensitive: z.boolean().default(false) }),
  z.strictObject({ type: z.literal('one-of'), caseSensitive: z.boolean().default(false) }),
  z.strictObject({
    type: z.literal('regex'),
    flags: z
      .string()
      .regex(/^[imsu]*$/, 'flags from i, m, s, u')
      .default(''),
  }),
  z.strictObject({
    type: z.literal('json-fields'),
    fields: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Fields to compare; default: every field of expected.'),
  }),
  z.strictObject({
    type: z.literal('labels-f1'),
    field: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Read the labels from this field of a JSON answer; default: the answer is a JSON list or a comma-separated list.',
      ),
    threshold: z.number().min(0).max(1).default(1).describe('F1 at or above this counts as correct.'),
  }),
  z.strictObject({ type: z.literal('contains-all'), caseSensitive: z.boolean().default(false) }),
]);

export type Check = z.output<typeof checkSchema>;

const taskSchema = z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
    prompt: z.string().min(1).optional().describe('The user message (or give messages).'),
    messages: z
      .array(messageSchema)
      .min(1)
      .optional()
      .describe('The whole conversation (instead of prompt).'),
    system: z.string().optional().describe('Overrides the suite system prompt for this task.'),
    options: optionsSchema.optional(),
    format: formatSchema.optional(),
    expected: z.unknown().optional().describe('The expected answer, as the check wants it.'),
    check: checkSchema.optional().describe('Overrides the suite check for this task.'),
  })
  .refine((t) => (t.prompt === undefined) !== (t.messages === undefined), {
    message: 'give either prompt or messages, not both or neither',
    path: ['prompt'],
  });

/** The suite fields other than its tasks (the first line of a JSONL suite). */
export const suiteHeaderSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  version: z.string().min(1),
  description: z.string(),
  system: z.string().optional(),
  options: optionsSchema.default({}),
  format: formatSchema.optional(),
  check: checkSchema
    .optional()
    .describe('The check of every task that has an expected answer and no check of its own.'),
});

/** A suite of tasks run against a model, with fixed settings so runs compare. */
export const suiteSchema = suiteHeaderSchema.extend({ tasks: z.array(taskSchema).min(1) });

export { taskSchema };
export type Suite = z.output<typeof suiteSchema>;
export type SuiteTask = Suite['tasks'][number];
