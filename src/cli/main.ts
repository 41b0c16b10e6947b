#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CostbenchError, EXIT, describeError } from '../errors.js';
import { packageVersion } from '../util/package-root.js';
import { processIo, type CliIo } from './io.js';

/** Exit codes for a run stopped by a signal, as shells report them (128 + signal number). */
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

const PRICES_DATA_DIR_HELP = `
The imported table is prices.json in the data directory: the directory of the database
(--db, COSTBENCH_DB or store.path when set), else $XDG_DATA_HOME/costbench
(~/.local/share/costbench). Its entries override the bundled ones of the same model;
cost.customPrices in the config override both.
Get the file from https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json
`;

function withStoreOptions(command: Command): Command {
  return command
    .option('--db <path>', 'SQLite database file (env COSTBENCH_DB)')
    .option('--config <path>', 'config file (env COSTBENCH_CONFIG; default ./costbench.config.json)');
}

function withHostOption(command: Command): Command {
  return command.option('--host <url>', 'Ollama server (env OLLAMA_HOST; default http://127.0.0.1:11434)');
}

/** Builds the command tree. Actions only wire options to command functions, imported lazily. */
function buildProgram(io: CliIo, setCode: (code: number) => void, helpOnError: { text: string }): Command {
  const program = new Command('costbench')
    .description('What does a task really cost on your own hardware, and when is that cheaper than an API?')
    .version(packageVersion())
    .option('--debug', 'print stack traces')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      // Commander's own error lines are replaced by ours; help it prints for a missing subcommand is kept.
      writeErr: (text) => {
        helpOnError.text += text;
      },
    });

  withStoreOptions(withHostOption(program.command('run')))
    .description('run a suite against a local model and store every request')
    .option('--model <name>', 'model to measure (default: the loaded one, else the first installed)')
    .option('--suite <id|path>', 'built-in suite id or suite JSON file (default triage-basic)')
    .option('--repeat <n>', 'times each task is run (default 1)')
    .option('--idle <seconds>', 'idle baseline measured before and after the requests (default 30; 0 skips)')
    .option('--concurrency <levels>', 'requests in flight, e.g. 1,2,4,8: the suite runs once per level (default 1)')
    .option('--min-duration <seconds>', 'repeat whole passes of the suite until each level has run this long (default 0)')
    .option('--cold-start', 'unload the model first, so the warm-up measures a cold load')
    .option('--cooldown <seconds>', 'rest between concurrency levels (default 0)')
    .option('--no-store-outputs', 'keep counts, timings and scores, not the answer texts (sensitive prompts)')
    .option('--replay <requests.jsonl>', 'replay an OpenAI Batch API input file instead of a suite')
    .option('--replay-output <output.jsonl>', "the batch's output file: its billed usage becomes the API side of the cost, its answers the references")
    .option('--json', 'print the report as JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { runCommand } = await import('./commands/run.js');
      const stop = new AbortController();
      let code: number = EXIT.runFailed;
      const onSignal = (signal: keyof typeof SIGNAL_EXIT) => () => {
        code = SIGNAL_EXIT[signal];
        io.stderr(`\n${signal}: finishing the request in flight and marking the run aborted…\n`);
        stop.abort();
      };
      const onInt = onSignal('SIGINT');
      const onTerm = onSignal('SIGTERM');
      process.once('SIGINT', onInt);
      process.once('SIGTERM', onTerm);
      try {
        setCode(await runCommand(flags, io, { signal: stop.signal, code: () => code }));
      } finally {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      }
    });

  withStoreOptions(program.command('runs'))
    .description('list stored runs, newest first')
    .option('--limit <n>', 'how many (default 50)')
    .option('--json', 'print JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { runsCommand } = await import('./commands/runs.js');
      setCode(runsCommand(flags, io));
    });

  withStoreOptions(program.command('report'))
    .description('report one run from its stored rows')
    .argument('[run]', 'run id or "latest"', 'latest')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (ref: string, flags: Record<string, unknown>) => {
      const { reportCommand } = await import('./commands/report.js');
      setCode(reportCommand(ref, flags, io));
    });

  withStoreOptions(program.command('cost'))
    .description('local cost per task against API prices, recomputed from a stored run (no re-run)')
    .argument('[run]', 'run id or "latest"', 'latest')
    .option('--volume <tasks>', 'tasks per month to compare at (default cost.monthlyTasks)')
    .option('--kwh-price <price>', 'electricity price per kWh (default cost.electricityPerKwh)')
    .option('--api <models>', 'comma-separated API models from `costbench prices list` (default cost.compareWith)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (ref: string, flags: Record<string, unknown>) => {
      const { costCommand } = await import('./commands/cost.js');
      setCode(costCommand(ref, flags, io));
    });

  withStoreOptions(withHostOption(program.command('models')))
    .description('list the models the server has, and which are loaded')
    .option('--json', 'print JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { modelsCommand } = await import('./commands/models.js');
      setCode(await modelsCommand(flags, io));
    });

  program
    .command('suites')
    .description('list the built-in suites')
    .option('--json', 'print JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { suitesCommand } = await import('./commands/suites.js');
      setCode(suitesCommand(flags, io));
    });

  withStoreOptions(withHostOption(program.command('doctor')))
    .description('what can be measured here, how to enable the rest, and whether Ollama and the database answer')
    .option('--json', 'print JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { doctorCommand } = await import('./commands/doctor.js');
      setCode(await doctorCommand(flags, io));
    });

  const prices = program
    .command('prices')
    .description('the API price table: bundled litellm snapshot < imported table < config cost.customPrices')
    .addHelpText('after', PRICES_DATA_DIR_HELP);

  withStoreOptions(prices.command('list'))
    .description('list API prices (USD per 1M tokens) and where each part of the table came from')
    .option('--provider <name>', 'only this provider, e.g. openai, anthropic, gemini')
    .option('--json', 'print JSON')
    .addHelpText('after', PRICES_DATA_DIR_HELP)
    .action(async (flags: Record<string, unknown>) => {
      const { pricesListCommand } = await import('./commands/prices.js');
      setCode(pricesListCommand(flags, io));
    });

  withStoreOptions(prices.command('import'))
    .description("import litellm's model_prices_and_context_window.json (its chat models) as your price table")
    .argument('<file>', 'the litellm JSON file')
    .option('--json', 'print JSON')
    .addHelpText('after', PRICES_DATA_DIR_HELP)
    .action(async (file: string, flags: Record<string, unknown>) => {
      const { pricesImportCommand } = await import('./commands/prices.js');
      setCode(pricesImportCommand(file, flags, io));
    });

  withStoreOptions(withHostOption(program.command('config')))
    .description('print the effective configuration, or the config file JSON Schema')
    .option('--schema', 'print the JSON Schema of the config file')
    .action(async (flags: Record<string, unknown>) => {
      const { configCommand } = await import('./commands/config.js');
      setCode(configCommand(flags, io));
    });

  return program;
}

/** Runs the CLI and returns the exit code. Never exits the process itself. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const debug = argv.includes('--debug');
  let code: number = EXIT.ok;
  const helpOnError = { text: '' };
  const program = buildProgram(io, (c) => {
    code = c;
  }, helpOnError);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return reportError(error, io, debug, helpOnError.text);
  }
}

function reportError(error: unknown, io: CliIo, debug: boolean, helpText: string): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    if (error.code === 'commander.help') {
      // A command group without its subcommand: show what it takes, as a usage error.
      io.stderr(helpText);
      return EXIT.config;
    }
    io.stderr(`costbench: ${error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}\n  hint: see \`costbench --help\` or \`costbench <command> --help\`\n`);
    return EXIT.config;
  }
  if (error instanceof CostbenchError) {
    io.stderr(`costbench: ${error.message}\n${error.hint === undefined ? '' : `  hint: ${error.hint}\n`}`);
    if (debug && error.stack !== undefined) io.stderr(error.stack + '\n');
    return error.exitCode;
  }
  io.stderr(`costbench: internal error: ${describeError(error)}\n  hint: run again with --debug for the stack trace, and report it\n`);
  if (debug && error instanceof Error && error.stack !== undefined) io.stderr(error.stack + '\n');
  return EXIT.internal;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2));
  // Let stdout drain before exiting: only this file ends the process.
  process.exitCode = code;
}
