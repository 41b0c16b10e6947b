#!/usr/bin/env node
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CostbenchError, EXIT, describeError } from '../errors.js';
import { packageVersion } from '../util/package-root.js';
import { processIo, type CliIo } from './io.js';
import { BUSY_TIMEOUT_MS } from '../store/busy-timeout.js';

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
  return command
    .option(
      '--host <url>',
      'model server: Ollama (env OLLAMA_HOST; default http://127.0.0.1:11434), or an OpenAI-compatible base URL ending in /v1',
    )
    .option(
      '--backend <kind>',
      'ollama (default); openai: llama.cpp server, vLLM, LM Studio or a remote API such as OpenAI, OpenRouter, Groq (API key from $COSTBENCH_API_KEY); llama-cpp (alias embedded): no server, costbench runs the GGUF itself',
    );
}

/** The embedded engine's settings (backend llama-cpp); each maps to a backend.* config key. */
function withEngineOptions(command: Command): Command {
  return command
    .option(
      '--threads <n|list|auto>',
      'embedded engine: CPU threads, or a list (1,2,4) to measure each apart (default auto: physical cores, one logical core left to costbench)',
    )
    .option(
      '--gpu-layers <auto|max|n>',
      'embedded engine: layers offloaded to the GPU (default auto: as many as fit)',
    )
    .option('--context-size <n|auto>', 'embedded engine: context tokens per sequence (default 4096)')
    .option('--batch-size <n|auto>', 'embedded engine: tokens per evaluation batch (default auto)')
    .option('--flash-attention <auto|on|off>', 'embedded engine: flash attention (default auto)')
    .option(
      '--kv-cache-type <type>',
      'embedded engine: KV cache element type: f16 (default), f32, bf16, q8_0, q4_0…',
    )
    .option('--seed <n>', 'embedded engine: sampling seed for requests whose suite sets none')
    .option('--no-mmap', 'embedded engine: read the model into memory instead of memory-mapping it');
}

/** The options of `run`, shared with `schedule` so a scheduled run takes what a manual one does. */
function withRunOptions(command: Command): Command {
  return command
    .option(
      '--model <name>',
      'model to measure (default: the loaded one, else the first installed); embedded engine: a .gguf file',
    )
    .option('--suite <id|path>', 'built-in suite id or suite JSON file (default triage-basic)')
    .option('--repeat <n>', 'times each task is run (default 1)')
    .option('--idle <seconds>', 'idle baseline measured before and after the requests (default 30; 0 skips)')
    .option(
      '--concurrency <levels>',
      'requests in flight, e.g. 1,2,4,8: the suite runs once per level (default 1)',
    )
    .option(
      '--min-duration <seconds>',
      'repeat whole passes of the suite until each level has run this long (default 0)',
    )
    .option(
      '--context-depth <tokens>',
      "tokens of filler context before each prompt, e.g. 0,4096,16384 (llama-bench's -d): each depth at each concurrency",
    )
    .option('--cold-start', 'unload the model first, so the warm-up measures a cold load')
    .option('--cooldown <seconds>', 'rest between concurrency levels (default 0)')
    .option(
      '--rate <tasks/s>',
      'open loop: after the concurrency levels, tasks arrive at this rate (docs/load.md)',
    )
    .option('--arrival <pattern>', 'open-loop arrivals: constant, poisson or burst (default constant)')
    .option(
      '--arrival-seed <n>',
      'seed of the Poisson arrivals (default 1): the same seed, the same schedule',
    )
    .option(
      '--rate-sweep',
      'search the highest arrival rate within --max-p95-latency and/or --max-p95-ttft: the capacity the cost uses',
    )
    .option(
      '--max-p95-latency <ms>',
      "the rate sweep's p95 latency bound (default: cost.load.p95LatencyBoundMs)",
    )
    .option(
      '--max-p95-ttft <ms>',
      "the rate sweep's p95 TTFT bound (alone, or with the latency bound: a rate holds when both do)",
    )
    .option('--rate-resolution <share>', "the rate sweep's resolution, a share of the rate (default 0.05)")
    .option('--no-store-outputs', 'keep counts, timings and scores, not the answer texts (sensitive prompts)')
    .option('--replay <requests.jsonl>', 'replay an OpenAI Batch API input file instead of a suite')
    .option(
      '--replay-output <output.jsonl>',
      "the batch's output file: its billed usage becomes the API side of the cost, its answers the references",
    )
    .option('--json', 'print the report as JSON')
    .option(
      '--remote',
      'a remote, per-token-billed API (backend openai): billed usage, no power, no warm-up (default for known API hosts such as api.openai.com)',
    )
    .option('--no-remote', 'treat a known API host as a local server (measure power, warm up)')
    .option(
      '--max-spend <usd>',
      'remote runs: stop before a request could pass this spend, USD (default 1.00)',
    )
    .option(
      '--max-output-tokens <n>',
      'remote runs: max output tokens of a task that sets none (default 1024)',
    )
    .option(
      '--price-model <key>',
      'remote runs: the price-table key to bill at (default: matched from host + model)',
    )
    .option('--batch', "price the work at the provider's batch API prices, where the table has them")
    .option(
      '--allow-insecure',
      'remote runs: allow an http:// host (test servers only; the key travels in clear)',
    );
}

/**
 * Runs long work that SIGINT / SIGTERM stop gracefully: the signal aborts `stop.signal`, and
 * `stop.code()` then gives the exit code shells expect (130 / 143).
 */
async function untilStopped(
  io: CliIo,
  what: string,
  work: (stop: { signal: AbortSignal; code: () => number }) => Promise<number>,
  unsignalledCode: number = EXIT.runFailed,
): Promise<number> {
  const controller = new AbortController();
  let code: number = unsignalledCode;
  const onSignal = (signal: keyof typeof SIGNAL_EXIT) => () => {
    code = SIGNAL_EXIT[signal];
    io.stderr(`\n${signal}: ${what}…\n`);
    controller.abort();
  };
  const onInt = onSignal('SIGINT');
  const onTerm = onSignal('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  try {
    return await work({ signal: controller.signal, code: () => code });
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
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

  withEngineOptions(withRunOptions(withStoreOptions(withHostOption(program.command('run')))))
    .description('run a suite against a local model and store every request')
    .option('--resume <run>', 'continue an interrupted, aborted or failed run: only its missing requests run')
    .action(async (flags: Record<string, unknown>) => {
      const { runCommand } = await import('./commands/run.js');
      const { withRunLock } = await import('../schedule/run-lock.js');
      // One lock per database: a manual run and a scheduled one never overlap (exit 75 when busy).
      setCode(
        await untilStopped(io, 'finishing the request in flight and marking the run aborted', (stop) =>
          withRunLock(flags, io, 'costbench run', () => runCommand(flags, io, stop)),
        ),
      );
    });

  withStoreOptions(program.command('rerun'))
    .description('start a new run with the settings another run recorded (says first what differs here)')
    .argument('<run>', 'run id or "latest"')
    .option(
      '--host <url>',
      'the model server, when it moved since that run (default: the address it recorded)',
    )
    .option('--json', 'print the report as JSON')
    .action(async (ref: string, flags: Record<string, unknown>) => {
      const { rerunCommand } = await import('./commands/rerun.js');
      const { withRunLock } = await import('../schedule/run-lock.js');
      setCode(
        await untilStopped(io, 'finishing the request in flight and marking the run aborted', (stop) =>
          withRunLock(flags, io, 'costbench rerun', () => rerunCommand(ref, flags, io, stop)),
        ),
      );
    });

  withEngineOptions(withRunOptions(withStoreOptions(withHostOption(program.command('schedule')))))
    .description('run `costbench run` on a cron schedule, only on an idle machine, one run at a time')
    .option(
      '--cron <expr>',
      'when to run, in local time: "0 2 * * *" (minute hour day month weekday; a sixth field first for seconds)',
    )
    .option(
      '--log <file>',
      'append a line per start, skip, postponement, finish and error (default schedule.log next to the database)',
    )
    .option('--max-load <pct>', 'postpone while CPU or GPU utilization is above this (default 20)')
    .option('--postpone-minutes <n>', 'how long a busy machine postpones a run (default 10)')
    .option('--max-postpones <n>', 'postponements before the run is skipped (default 6)')
    .option(
      '--print-slurm',
      'print an sbatch script: an array job, each task running this run on node-local disk and exporting a bundle (installs nothing)',
    )
    .option('--tasks <n>', '--print-slurm: array tasks, one per node (or per GPU with --gres); default 1')
    .option('--gres <spec>', '--print-slurm: generic resources per task, e.g. gpu:1 (tasks then share nodes)')
    .option('--partition <name>', '--print-slurm: the Slurm partition')
    .option('--time-limit <t>', "--print-slurm: Slurm's --time, e.g. 02:00:00")
    .option(
      '--shared-dir <dir>',
      '--print-slurm: where bundles and task output go, a directory every node can write (default ./costbench-bundles)',
    )
    .option(
      '--print-k8s',
      'print a Kubernetes CronJob (on --cron) and a one-off Job for a GPU node (applies nothing)',
    )
    .option(
      '--image <ref>',
      '--print-k8s: the container image (default costbench:<version>, built from the Dockerfile)',
    )
    .addOption(
      new Option('--gpu <vendor>', '--print-k8s: the GPU to request').choices(['nvidia', 'amd', 'none']),
    )
    .option(
      '--node-selector <labels>',
      "--print-k8s: node labels, key=value,… (default: the GPU vendor's label)",
    )
    .option(
      '--results-pvc <claim>',
      '--print-k8s: the PersistentVolumeClaim bundles go to (default costbench-results)',
    )
    .option(
      '--results-host-path <dir>',
      '--print-k8s: a directory on the node for the bundles, instead of a PVC',
    )
    .option('--namespace <ns>', '--print-k8s: the namespace')
    .option(
      '--metrics-address <address>',
      'serve GET /metrics (the newest runs, Prometheus text) while the daemon runs: a port (loopback only) or host:port',
    )
    .addOption(
      new Option('--print-cron', 'print the equivalent crontab line and exit (installs nothing)').conflicts(
        'printSystemd',
      ),
    )
    .option(
      '--print-systemd',
      'print an equivalent costbench.service and costbench.timer and exit (installs nothing)',
    )
    .action(async (flags: Record<string, unknown>) => {
      const { scheduleCommand } = await import('./commands/schedule.js');
      setCode(
        await untilStopped(
          io,
          'stopping the schedule; a run in flight finishes its request and is marked aborted',
          (stop) => scheduleCommand(flags, io, stop),
          EXIT.ok,
        ),
      );
    });

  withStoreOptions(program.command('demo'))
    .description(
      'offline quick start: generate a small noise model (random weights: answers are noise, speeds are real compute) and run the main job on it in the embedded engine, no server',
    )
    .option('--threads <n|list|auto>', 'CPU threads, or a list (1,2) to measure each apart (default auto)')
    .option('--concurrency <levels>', 'requests in flight, e.g. 1,4 (default 1,4)')
    .option('--repeat <n>', 'times each task is run (default 1)')
    .option('--idle <seconds>', 'idle baseline before and after (default 3)')
    .option('--json', 'print the report as JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { demoCommand } = await import('./commands/demo.js');
      const { withRunLock } = await import('../schedule/run-lock.js');
      setCode(
        await untilStopped(io, 'finishing the request in flight and marking the run aborted', (stop) =>
          withRunLock(flags, io, 'costbench demo', () => demoCommand(flags, io, stop)),
        ),
      );
    });

  withStoreOptions(program.command('runs'))
    .description('list stored runs, newest first')
    .option('--limit <n>', 'how many (default 50)')
    .option('--json', 'print JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { runsCommand } = await import('./commands/runs.js');
      setCode(runsCommand(flags, io));
    });

  withStoreOptions(program.command('export'))
    .description('write runs as one bundle file, to import into another database (docs/bundles.md)')
    .argument('[runs...]', 'run ids (or "latest")')
    .option('--since <date>', 'also every run started at or after this date')
    .option('--all', 'every finished run in the database (what a node-local database of a fleet job holds)')
    .option('-o, --output <file>', 'the bundle file to write (name it *.costbench.jsonl.gz)')
    .option(
      '--downsample-ms <ms>',
      'ship about one power sample per channel per <ms> (for the charts); every energy figure stays exact',
    )
    .action(async (refs: string[], flags: Record<string, unknown>) => {
      const { exportCommand } = await import('./commands/export.js');
      setCode(exportCommand(refs, flags, io));
    });

  withStoreOptions(program.command('import'))
    .description('merge bundles from `costbench export` into this database; a run already there is skipped')
    .argument('<paths...>', 'bundle files, or directories of *.costbench.jsonl.gz')
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      const { importCommand } = await import('./commands/import.js');
      setCode(importCommand(paths, flags, io));
    });

  withStoreOptions(program.command('report'))
    .description('report one run from its stored rows')
    .argument('[run]', 'run id or "latest"', 'latest')
    .addOption(
      new Option('--format <format>', 'output format (default table; csv when --csv is given)').choices([
        'table',
        'json',
        'csv',
        'md',
        'html',
      ]),
    )
    .addOption(
      new Option(
        '--csv <rows>',
        'what --format csv dumps: one row per request (default), every raw power sample, or every recorded setting, server fact and machine-state field',
      ).choices(['requests', 'samples', 'settings']),
    )
    .option(
      '--out <file>',
      'write to this file instead of stdout (parent directories created, an existing file overwritten)',
    )
    .action(async (ref: string, flags: Record<string, unknown>) => {
      const { reportCommand } = await import('./commands/report.js');
      setCode(await reportCommand(ref, flags, io));
    });

  withStoreOptions(program.command('compare'))
    .description(
      'set runs side by side: figures, their change against the first run, and whether the 95% intervals overlap',
    )
    .argument('[runs...]', 'two or more run ids (or "latest"); the first is the baseline')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'md']).default('table'),
    )
    .action(async (refs: string[], flags: Record<string, unknown>) => {
      const { compareCommand } = await import('./commands/compare.js');
      setCode(compareCommand(refs, flags, io));
    });

  withStoreOptions(program.command('decide'))
    .description('local or API? both measured: cost per task and per correct task, bars, and where it flips')
    .argument('<local-run>', 'the local run: an id or "latest"')
    .argument('<api-run>', 'the API run: a remote run (costbench run --remote) or a replay of a batch file')
    .option('--volume <tasks>', 'tasks per month to decide at (default cost.monthlyTasks)')
    .option('--kwh-price <price>', 'electricity price per kWh (default cost.electricityPerKwh)')
    .option('--peak-to-mean <x>', 'bursty load: peak rate / mean rate (overrides cost.load)')
    .option('--min-accuracy <share>', 'quality bar: the least share of tasks answered correctly, 0-1')
    .option(
      '--max-p95-latency <ms>',
      'latency bar: the most p95 end-to-end latency, ms (local: the level used meets it)',
    )
    .option('--allow-suite-mismatch', 'decide even when the two runs ran different suites')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'json', 'md', 'html'])
        .default('table'),
    )
    .action(async (localRef: string, apiRef: string, flags: Record<string, unknown>) => {
      const { decideCommand } = await import('./commands/decide.js');
      setCode(decideCommand(localRef, apiRef, flags, io));
    });

  withStoreOptions(program.command('fleet'))
    .description(
      'every machine x model that ran a suite, from its newest run, side by side: speed, energy, cost per (correct) task, capacity, break-even, and the cheapest',
    )
    .option('--suite <id>', 'the suite (default: the only one with runs)')
    .option('--volume <tasks>', 'tasks per month to cost at (default cost.monthlyTasks)')
    .addOption(
      new Option('--format <format>', 'output format')
        .choices(['table', 'md', 'json', 'html'])
        .default('table'),
    )
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (flags: Record<string, unknown>) => {
      const { fleetCommand } = await import('./commands/fleet.js');
      setCode(fleetCommand(flags, io));
    });

  withStoreOptions(program.command('metrics'))
    .description(
      'the newest run of each model x suite x machine x backend in Prometheus text format (stdout, a file, or served)',
    )
    .option(
      '--out <file>',
      "write to this file atomically (node_exporter's textfile collector: a .prom file)",
    )
    .option(
      '--serve <address>',
      'serve GET /metrics on this address until stopped: a port (loopback only) or host:port',
    )
    .action(async (flags: Record<string, unknown>) => {
      const { metricsCommand } = await import('./commands/metrics.js');
      setCode(
        await untilStopped(
          io,
          'stopping the metrics server',
          (stop) => metricsCommand(flags, io, stop),
          EXIT.ok,
        ),
      );
    });

  withStoreOptions(program.command('cost'))
    .description('local cost per task against API prices, recomputed from a stored run (no re-run)')
    .argument('[run]', 'run id or "latest"', 'latest')
    .option('--volume <tasks>', 'tasks per month to compare at (default cost.monthlyTasks)')
    .option('--kwh-price <price>', 'electricity price per kWh (default cost.electricityPerKwh)')
    .option(
      '--api <models>',
      'comma-separated API models from `costbench prices list` (default cost.compareWith)',
    )
    .option('--peak-to-mean <x>', 'bursty load: peak rate / mean rate (overrides cost.load)')
    .option(
      '--p95-max-ms <ms>',
      'p95 latency bound, ms: the fastest level that meets it sets the capacity (overrides cost.load)',
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'),
    )
    .action(async (ref: string, flags: Record<string, unknown>) => {
      const { costCommand } = await import('./commands/cost.js');
      setCode(costCommand(ref, flags, io));
    });

  program
    .command('init')
    .description(
      'ask for the cost inputs (electricity, hardware, engineering time, volume, load shape) and write them to the config file',
    )
    .option(
      '--config <path>',
      'config file to write (env COSTBENCH_CONFIG; default ./costbench.config.json); its other keys are kept',
    )
    .option('--kwh-price <price>', 'electricity price per kWh')
    .option('--hardware-price <amount>', 'what the machine cost (0 for a box that is truly free to use)')
    .option('--months <n>', 'months to spread the purchase and set-up over')
    .option(
      '--machine <owned-idle|bought>',
      'owned-idle: already owned and otherwise idle; bought: bought for this work',
    )
    .option('--share <0-1>', 'share of the machine given to this work')
    .option('--setup-hours <h>', 'engineering hours to set it up')
    .option('--upkeep-hours <h>', 'engineering hours a month to keep it running')
    .option('--hourly-rate <rate>', 'cost of an engineering hour')
    .option('--volume <tasks>', 'tasks a month')
    .option('--load <shape>', 'steady, peak-to-mean or hourly')
    .option('--peak-to-mean <x>', 'peak rate / mean rate (implies --load peak-to-mean)')
    .option('--hourly-profile <w0,...,w23>', '24 relative weights, hour 0 to 23 (implies --load hourly)')
    .option('--p95-max-ms <ms>', 'p95 latency the work must meet, ms ("none" for no bound)')
    .option('--yes', 'unattended: ask nothing; set only the flags given')
    .action(async (flags: Record<string, unknown>) => {
      const { initCommand } = await import('./commands/init.js');
      setCode(
        await initCommand(flags, io, {
          input: process.stdin,
          output: process.stdout,
          interactive: process.stdin.isTTY === true,
        }),
      );
    });

  withStoreOptions(withHostOption(program.command('models')))
    .description('list the models the server has, and which are loaded')
    .option('--json', 'print JSON')
    .action(async (flags: Record<string, unknown>) => {
      const { modelsCommand } = await import('./commands/models.js');
      setCode(await modelsCommand(flags, io));
    });

  // `models pull`: a GGUF for the embedded engine, downloaded into the model cache ahead of a run.
  program.commands
    .find((c) => c.name() === 'models')
    ?.command('pull')
    .description('download a GGUF for the embedded engine into the model cache (resumable, checked)')
    .argument('<spec>', 'hf:<user>/<repo>/<file>.gguf, hf:<user>/<repo>:<quant>, https URL, or path')
    .option(
      '--cache-dir <dir>',
      'model cache (env COSTBENCH_MODEL_CACHE; default $XDG_CACHE_HOME/costbench/models)',
    )
    .action(async (spec: string, _flags: unknown, command: Command) => {
      const { modelsPullCommand } = await import('./commands/models-pull.js');
      // --json belongs to `models`; optsWithGlobals() sees it wherever it is written.
      const flags = command.optsWithGlobals();
      const pull = (stop: { signal: AbortSignal }): Promise<number> =>
        modelsPullCommand(spec, flags, io, stop.signal);
      setCode(await untilStopped(io, 'stopping the download (run again to resume)', pull, EXIT.ok));
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
    .description(
      'what can be measured here, how to enable the rest, and whether the model server and the database answer',
    )
    .option(
      '--model <name>',
      'OpenAI-compatible servers: the model of the 2-token probe request (default: the first the server lists)',
    )
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
    .description(
      "import litellm's model_prices_and_context_window.json (its chat models) as your price table",
    )
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
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    helpOnError,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    return reportError(error, io, debug, helpOnError.text);
  }
}

function reportError(error: unknown, io: CliIo, debug: boolean, helpText: string): number {
  if (error instanceof CommanderError) {
    if (
      error.exitCode === 0 ||
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version'
    )
      return EXIT.ok;
    if (error.code === 'commander.help') {
      // A command group without its subcommand: show what it takes, as a usage error.
      io.stderr(helpText);
      return EXIT.config;
    }
    io.stderr(
      `costbench: ${error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}\n  hint: see \`costbench --help\` or \`costbench <command> --help\`\n`,
    );
    return EXIT.config;
  }
  if (error instanceof CostbenchError) {
    io.stderr(`costbench: ${error.message}\n${error.hint === undefined ? '' : `  hint: ${error.hint}\n`}`);
    if (debug && error.stack !== undefined) io.stderr(error.stack + '\n');
    return error.exitCode;
  }
  const sqlite = describeSqliteError(error);
  if (sqlite !== null) {
    io.stderr(`costbench: database error: ${sqlite.message}\n  hint: ${sqlite.hint}\n`);
    if (debug && error instanceof Error && error.stack !== undefined) io.stderr(error.stack + '\n');
    return EXIT.store;
  }
  io.stderr(
    `costbench: internal error: ${describeError(error)}\n  hint: run again with --debug for the stack trace, and report it\n`,
  );
  if (debug && error instanceof Error && error.stack !== undefined) io.stderr(error.stack + '\n');
  return EXIT.internal;
}

/** SQLite failures that reach the top (a write while another process holds the lock, a full disk) as one line with a hint. */
function describeSqliteError(error: unknown): { message: string; hint: string } | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (!(error instanceof Error) || typeof code !== 'string' || !code.startsWith('SQLITE_')) return null;
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return {
      message: `${error.message} (${code}): another process is writing to it, and costbench waited ${BUSY_TIMEOUT_MS / 1000} s`,
      hint: 'Try again when the other run is done, or use another file with --db / COSTBENCH_DB.',
    };
  }
  if (code.startsWith('SQLITE_FULL'))
    return {
      message: `${error.message} (${code})`,
      hint: 'Free disk space, or put the database elsewhere with --db.',
    };
  return {
    message: `${error.message} (${code})`,
    hint: 'Check the database file with `sqlite3 <file> "PRAGMA integrity_check"`, or use another file with --db.',
  };
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
