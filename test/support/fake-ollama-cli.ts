/**
 * Runs the fake Ollama as a standalone server, for trying costbench without a GPU:
 *   npm run fake-ollama -- --port 11434 --gen-rate 40 --prompt-rate 800 --load-ms 1500 --parallel 2
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { startFakeOllama } from './fake-ollama/index.js';
import type { FakeOllamaOptions } from './fake-ollama/index.js';
import { definedOnly, serveUntilSignal, toNumber } from './fake-cli.js';
import { suiteResponder } from './suite-answers.js';

const USAGE = `usage: fake-ollama [--port 11434] [--gen-rate TOK_PER_S] [--prompt-rate TOK_PER_S]
                   [--load-ms MS] [--ttft-ms MS] [--parallel N] [--max-queue N]
                   [--output-tokens N] [--version X.Y.Z]
                   [--answers-from-suite SUITE --correct-share 0..1]`;

const FLAGS = {
  port: { type: 'string', default: '11434' },
  'gen-rate': { type: 'string' },
  'prompt-rate': { type: 'string' },
  'load-ms': { type: 'string' },
  'ttft-ms': { type: 'string' },
  parallel: { type: 'string' },
  'max-queue': { type: 'string' },
  'output-tokens': { type: 'string' },
  version: { type: 'string' },
  'answers-from-suite': { type: 'string' },
  'correct-share': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Flags to server options; throws on anything malformed. */
function parseCliOptions(argv: string[]): { port: number; options: FakeOllamaOptions } | 'help' {
  const { values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false });
  if (values.help === true) return 'help';
  const options: FakeOllamaOptions = {
    genTokensPerS: toNumber('gen-rate', values['gen-rate']),
    promptTokensPerS: toNumber('prompt-rate', values['prompt-rate']),
    loadMs: toNumber('load-ms', values['load-ms']),
    extraTtftMs: toNumber('ttft-ms', values['ttft-ms']),
    numParallel: toNumber('parallel', values.parallel),
    maxQueue: toNumber('max-queue', values['max-queue']),
    defaultOutputTokens: toNumber('output-tokens', values['output-tokens']),
    version: values.version,
    respond: responderOf(values['answers-from-suite'], values['correct-share']),
  };
  return { port: toNumber('port', values.port) ?? 11434, options: definedOnly(options) };
}

/** --answers-from-suite: scripted answers, right on the given share of the suite's tasks. */
function responderOf(suite: string | undefined, share: string | undefined): FakeOllamaOptions['respond'] {
  if (suite === undefined) return undefined;
  const answer = suiteResponder(suite, toNumber('correct-share', share) ?? 1);
  return ({ prompt }) => answer(prompt) ?? 'no scripted answer for this prompt';
}

serveUntilSignal('fake Ollama', USAGE, parseCliOptions, async ({ port, options }) =>
  startFakeOllama(options, port),
);
