/**
 * Runs the fake OpenAI-compatible server standalone, for trying `--backend openai` without a GPU:
 *   npm run fake-openai -- --flavor vllm --port 8000 --gen-rate 40 --model Qwen/Qwen2.5-7B-Instruct
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { suiteResponder } from './suite-answers.js';
import { definedOnly, serveUntilSignal, toNumber } from './fake-cli.js';
import { startFakeOpenAi, type FakeOpenAiOptions, type Flavor } from './fake-openai/index.js';

const USAGE = `usage: fake-openai [--flavor llama.cpp|vllm|lmstudio] [--port 8080] [--gen-rate TOK_PER_S]
                   [--prompt-rate TOK_PER_S] [--ttft-ms MS] [--output-tokens N] [--parallel N] [--model ID]...
                   [--api-key KEY] [--version X] [--prompt-cache]
                   [--usage-json '{"prompt_tokens":1000,...}'] [--redirect-to BASE_URL]
                   [--answers-from-suite SUITE --correct-share 0..1]`;

const FLAVORS: readonly Flavor[] = ['llama.cpp', 'vllm', 'lmstudio'];

const FLAGS = {
  flavor: { type: 'string', default: 'llama.cpp' },
  port: { type: 'string', default: '8080' },
  'gen-rate': { type: 'string' },
  'prompt-rate': { type: 'string' },
  'ttft-ms': { type: 'string' },
  'output-tokens': { type: 'string' },
  parallel: { type: 'string' },
  model: { type: 'string', multiple: true },
  'api-key': { type: 'string' },
  version: { type: 'string' },
  'prompt-cache': { type: 'boolean' },
  'usage-json': { type: 'string' },
  'redirect-to': { type: 'string' },
  'answers-from-suite': { type: 'string' },
  'correct-share': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseCliOptions(argv: string[]): { port: number; options: FakeOpenAiOptions } | 'help' {
  const { values } = parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false });
  if (values.help === true) return 'help';
  const flavor = FLAVORS.find((f) => f === values.flavor);
  if (flavor === undefined)
    throw new Error(`--flavor must be one of ${FLAVORS.join(', ')}, got "${values.flavor}"`);
  const options: FakeOpenAiOptions = definedOnly({
    flavor,
    genTokensPerS: toNumber('gen-rate', values['gen-rate']),
    promptTokensPerS: toNumber('prompt-rate', values['prompt-rate']),
    extraTtftMs: toNumber('ttft-ms', values['ttft-ms']),
    defaultOutputTokens: toNumber('output-tokens', values['output-tokens']),
    parallel: toNumber('parallel', values.parallel),
    models: values.model,
    apiKey: values['api-key'],
    version: values.version,
    promptCache: values['prompt-cache'],
    usage: values['usage-json'] === undefined ? undefined : (JSON.parse(values['usage-json']) as unknown),
    redirectTo: values['redirect-to'],
    respond: responderOf(values['answers-from-suite'], values['correct-share']),
  });
  return { port: toNumber('port', values.port) ?? 8080, options };
}

/** --answers-from-suite: scripted answers, right on the given share of the suite's tasks. */
function responderOf(suite: string | undefined, share: string | undefined): FakeOpenAiOptions['respond'] {
  if (suite === undefined) return undefined;
  const answer = suiteResponder(suite, toNumber('correct-share', share) ?? 1);
  return (messages) =>
    answer(messages[messages.length - 1]?.content ?? '') ?? 'no scripted answer for this prompt';
}

serveUntilSignal('fake OpenAI-compatible server', USAGE, parseCliOptions, async ({ port, options }) => {
  const server = await startFakeOpenAi(options, port);
  return { url: server.baseUrl, close: () => server.close() };
});
