import { z } from 'zod';

const optionsSchema = z.strictObject({
  temperature: z.number().min(0).optional().describe('Sampling temperature; 0 for repeatable answers.'),
  seed: z.number().int().optional().describe('Sampling seed.'),
  numPredict: z.number().int().positive().optional().describe('Maximum output tokens.'),
  numCtx: z.number().int().positive().optional().describe('Context window (changing it reloads the model on Ollama).'),
});

const formatSchema = z.union([z.literal('json'), z.record(z.string(), z.unknown())]);

const taskSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only'),
  prompt: z.string().min(1).describe('The user message.'),
  system: z.string().optional().describe('Overrides the suite system prompt for this task.'),
  options: optionsSchema.optional(),
  format: formatSchema.optional(),
  expected: z.unknown().optional().describe('The expected answer (scored by a later check).'),
});

/** A suite of tasks run against a model, with fixed settings so runs compare. */
export const suiteSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  version: z.string().min(1),
  description: z.string(),
  system: z.string().optional(),
  options: optionsSchema.default({}),
  format: formatSchema.optional(),
  tasks: z.array(taskSchema).min(1),
});

export type Suite = z.output<typeof suiteSchema>;
export type SuiteTask = Suite['tasks'][number];
