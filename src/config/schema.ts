import { z } from 'zod';

/** Defaults, named so the README, config.example.json and the tests can point at them. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_KEEP_ALIVE = '10m';
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
export const DEFAULT_SUITE = 'triage-basic';
export const DEFAULT_REPEAT = 1;

const backendSchema = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .default(DEFAULT_OLLAMA_HOST)
      .describe(
        'Ollama server address. Accepts what OLLAMA_HOST accepts: "http://host:port", "host:port", "host", ":port". Default port 11434.',
      ),
    keepAlive: z
      .union([z.string().regex(/^-?\d+(\.\d+)?(ns|us|µs|ms|s|m|h)?$/), z.number()])
      .default(DEFAULT_KEEP_ALIVE)
      .describe(
        'How long Ollama keeps the model loaded after each request (Ollama keep_alive: seconds or a Go duration like "10m"). Kept above the run length so no request pays a reload.',
      ),
    requestTimeoutMs: z
      .number()
      .int()
      .positive()
      .default(DEFAULT_REQUEST_TIMEOUT_MS)
      .describe('A request that has not finished after this many milliseconds is aborted and recorded as errored.'),
  })
  .describe('The model server.');

const runSchema = z
  .strictObject({
    model: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe('Model to benchmark. null: the model Ollama has loaded, else the first installed one (the run says which).'),
    suite: z
      .string()
      .min(1)
      .default(DEFAULT_SUITE)
      .describe('Built-in suite id (see `costbench suites`) or a path to a suite JSON file.'),
    repeat: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(DEFAULT_REPEAT)
      .describe('How many times each task of the suite is run.'),
    warmup: z
      .boolean()
      .default(true)
      .describe('Load the model before measuring, and record the cold load time apart from the measured requests.'),
    storeOutputs: z
      .boolean()
      .default(true)
      .describe('Store each answer text in the database. false for sensitive prompts: only counts and timings are kept.'),
  })
  .describe('What a run measures.');

const storeSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        'SQLite database file. null: $XDG_DATA_HOME/costbench/costbench.db (~/.local/share/costbench/costbench.db).',
      ),
  })
  .describe('Where runs are stored.');

/** The whole configuration. Every key has a description and a default. */
export const configSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Optional JSON-schema reference for editors; ignored.'),
    backend: backendSchema.prefault({}),
    run: runSchema.prefault({}),
    store: storeSchema.prefault({}),
  })
  .describe('costbench configuration');

/** A validated configuration with every default filled in. */
export type Config = z.output<typeof configSchema>;
/** What a user may write: every key optional. */
export type ConfigInput = z.input<typeof configSchema>;
