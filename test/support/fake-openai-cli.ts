/**
 * Runs the fake OpenAI-compatible server standalone, for trying `--backend openai` without a GPU:
 *   npm run fake-openai -- --flavor vllm --port 8000 --gen-rate 40 --model Qwen/Qwen2.5-7B-Instruct
 * Stops cleanly on SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { definedOnly, serveUntilSignal, toNumber } from './fake-cli.js';
import { startFakeOpenAi, type FakeOpenAiOptions, type Flavor } from './fake-openai/index.js';

const USAGE = `usage: fake-openai [--flavor llama.cpp|vllm|lmstudio] [--port 8080] [--gen-rate TOK_PER_S]
                   [--prompt-rate TOK_PER_S] [--ttft-ms MS] [--output-tokens N] [--parallel N] [--model ID]...
                   [--api-key KEY] [--version X] [--prompt-cache]
                   [--usage-json '{"prompt_tokens":1000,...}'] [--redirect-to BASE_URL]`;

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
  });
  return { port: toNumber('port', values.port) ?? 8080, options };
}

serveUntilSignal('fake OpenAI-compatible server', USAGE, parseCliOptions, async ({ port, options }) => {
  const server = await startFakeOpenAi(options, port);
  return { url: server.baseUrl, close: () => server.close() };
});
