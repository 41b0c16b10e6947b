import { z } from 'zod';
import { loadShapeSchema } from './load-shape-schema.js';

/** Defaults, named so the README, config.example.json and the tests can point at them. */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';
export const DEFAULT_KEEP_ALIVE = '10m';
export const DEFAULT_REQUEST_TIMEOUT_MS = 300_000;
export const DEFAULT_SUITE = 'triage-basic';
export const DEFAULT_REPEAT = 1;
/** A remote run's spend cap, USD: small, so a mistake costs little. */
export const DEFAULT_MAX_SPEND_USD = 1;
/** Output tokens a remote request may produce when its task sets none (sent as its max tokens). */
export const DEFAULT_REMOTE_MAX_OUTPUT_TOKENS = 1024;
/** Tokens per sequence for the embedded engine: room for every built-in suite, small enough for 8 sequences of KV cache on a laptop. */
export const DEFAULT_ENGINE_CONTEXT_SIZE = 4096;
/** The deepest filler context --context-depth accepts, tokens (beyond the largest context windows of today). */
export const MAX_CONTEXT_DEPTH_TOKENS = 2_000_000;
export const KV_CACHE_TYPE_NAMES = ['f32', 'f16', 'bf16', 'q8_0', 'q5_1', 'q5_0', 'q4_1', 'q4_0'] as const;

const threadCount = z.number().int().min(1).max(1024);

/** The embedded engine's settings (backend kind llama-cpp); stored with every run. */
const engineKeys = {
  threads: z
    .union([z.literal('auto'), threadCount, z.array(threadCount).min(1)])
    .default('auto')
    .describe(
      'For kind llama-cpp: CPU threads llama.cpp computes with. "auto": the physical cores, but never every logical core (one is left to costbench: llama.cpp\'s threads spin, and on a 2-core machine 2 threads decode ~20x slower than 1). A list (e.g. [1, 2, 4]) is a threads sweep: one run per value, compared at the end.',
    ),
  gpuLayers: z
    .union([z.enum(['auto', 'max']), z.number().int().min(0)])
    .default('auto')
    .describe(
      'For kind llama-cpp: layers offloaded to the GPU. "auto": as many as fit in free GPU memory; "max": all (fails when they do not fit); a number; 0: CPU only.',
    ),
  contextSize: z
    .union([z.literal('auto'), z.number().int().min(64).max(1_048_576)])
    .default(DEFAULT_ENGINE_CONTEXT_SIZE)
    .describe(
      'For kind llama-cpp: context tokens per sequence (one sequence per request in flight), at most the model\'s trained context. "auto": as large as memory allows, up to the trained context.',
    ),
  batchSize: z
    .union([z.literal('auto'), z.number().int().min(1).max(65_536)])
    .default('auto')
    .describe(
      'For kind llama-cpp: tokens llama.cpp evaluates per batch (prompt processing). "auto": node-llama-cpp\'s default, min(512, context x sequences).',
    ),
  flashAttention: z
    .union([z.literal('auto'), z.boolean()])
    .default('auto')
    .describe('For kind llama-cpp: flash attention. "auto": on where the model and hardware support it.'),
  kvCacheType: z
    .enum(KV_CACHE_TYPE_NAMES)
    .default('f16')
    .describe(
      'For kind llama-cpp: element type of the KV cache (keys and values). Quantized types (q8_0, q4_0…) save memory; node-llama-cpp marks them experimental, and a quantized value cache needs flash attention.',
    ),
  seed: z
    .number()
    .int()
    .min(0)
    .max(4_294_967_295)
    .nullable()
    .default(null)
    .describe(
      'For kind llama-cpp: sampling seed for requests whose suite sets none. null: time-based. Greedy decoding (temperature 0) ignores it.',
    ),
  mmap: z
    .boolean()
    .default(true)
    .describe(
      'For kind llama-cpp: memory-map the model file (fast cold load, pages read on first use) instead of reading it into memory. The cold load is timed in the warm-up either way.',
    ),
};

const backendSchema = z
  .strictObject({
    kind: z
      .enum(['ollama', 'openai', 'llama-cpp'])
      .default('ollama')
      .describe(
        "ollama: Ollama's native API. openai: an OpenAI-compatible server (llama.cpp server, vLLM, LM Studio); host is then its base URL ending in /v1. llama-cpp (alias embedded): no server, costbench runs the model itself through node-llama-cpp; run.model is then a GGUF file.",
      ),
    flavor: z
      .enum(['auto', 'llama.cpp', 'vllm', 'lmstudio'])
      .default('auto')
      .describe('For kind openai: which server, when it cannot be told from its answers.'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .default('COSTBENCH_API_KEY')
      .describe(
        'For kind openai: the environment variable holding an API key, for servers that want one. The key is never stored or printed.',
      ),
    host: z
      .string()
      .min(1)
      .default(DEFAULT_OLLAMA_HOST)
      .describe(
        'The model server: for kind ollama, what OLLAMA_HOST accepts ("http://host:port", "host:port", "host", ":port"; default port 11434); for kind openai, the base URL ending in /v1 (e.g. http://127.0.0.1:8080/v1). Unused by the embedded engine.',
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
      .describe(
        'A request that has not finished after this many milliseconds is aborted and recorded as errored.',
      ),
    retries: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(4)
      .describe(
        'Retries of a request the server did not answer (connection refused) or refused as busy (503), waiting retryBaseMs, then twice as long each time. After them, an unanswered server fails the run (finished requests are kept; resume with --resume).',
      ),
    retryBaseMs: z
      .number()
      .int()
      .min(1)
      .max(600_000)
      .default(1_000)
      .describe('Wait before the first retry, ms; doubled for each next one.'),
    remote: z
      .union([z.literal('auto'), z.boolean()])
      .default('auto')
      .describe(
        "For kind openai: a remote, per-token-billed API (--remote / --no-remote). A remote run measures no power, no idle, no roofline or capacity, sends no warm-up, and costs its billed usage at the price table's price, under run.maxSpendUsd. auto: remote for the known public API hosts (api.openai.com, openrouter.ai, api.together.xyz, api.groq.com, generativelanguage.googleapis.com, api.anthropic.com, api.mistral.ai, api.deepseek.com, api.fireworks.ai), local otherwise (a self-hosted server).",
      ),
    allowInsecure: z
      .boolean()
      .default(false)
      .describe(
        'For a remote run: allow an http:// host (the key would travel in clear text). Only for test servers on this machine.',
      ),
    ...engineKeys,
  })
  .describe('The model server.');

const runSchema = z
  .strictObject({
    model: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        'Model to benchmark. null: the model Ollama has loaded, else the first installed one (the run says which). Backend llama-cpp: a GGUF file path (required).',
      ),
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
      .describe(
        'Load the model before measuring, and record the cold load time apart from the measured requests.',
      ),
    concurrency: z
      .array(z.number().int().min(1).max(256))
      .min(1)
      .default([1])
      .describe(
        'Requests in flight at once; several levels (e.g. [1, 2, 4, 8]) run the suite once per level: a concurrency sweep.',
      ),
    contextDepth: z
      .array(z.number().int().min(0).max(MAX_CONTEXT_DEPTH_TOKENS))
      .default([])
      .describe(
        "Tokens of filler context before each request's prompt (--context-depth 0,4096,16384, like llama-bench's -d): every depth runs at every concurrency, so prefill and decode rates at depth are measured. The filler differs per request, so no prompt cache makes it free; [] (default): no filler.",
      ),
    minDurationS: z
      .number()
      .min(0)
      .max(86_400)
      .default(0)
      .describe(
        'Each concurrency level repeats whole passes of the suite until it has run at least this many seconds (more samples for the statistics); 0: just --repeat.',
      ),
    coldStart: z
      .boolean()
      .default(false)
      .describe(
        'Unload the model first (keep_alive 0) so the warm-up measures a cold load, reported apart with its energy.',
      ),
    cooldownS: z
      .number()
      .min(0)
      .max(3_600)
      .default(0)
      .describe('Seconds of rest between concurrency levels, so heat from one level does not slow the next.'),
    storeOutputs: z
      .boolean()
      .default(true)
      .describe(
        'Store each answer text in the database. false for sensitive prompts: only counts and timings are kept.',
      ),
    rate: z
      .number()
      .positive()
      .max(10_000)
      .nullable()
      .default(null)
      .describe(
        'Open loop (--rate): after the concurrency levels, one level where tasks arrive at this many per second whether or not earlier ones finished; with rateSweep, the first rate tried. null: closed loop only (a sweep starts at the closed-loop throughput). See docs/load.md.',
      ),
    arrival: z
      .enum(['constant', 'poisson', 'burst'])
      .default('constant')
      .describe(
        "How open-loop arrivals spread (--arrival): constant (every 1/rate s), poisson (exponential gaps from arrivalSeed), or burst (on/off cycles of 10 s at cost.load's peak-to-mean: on for 1/peakToMean of each cycle at peakToMean x the rate).",
      ),
    arrivalSeed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1)
      .describe('Seed of the Poisson arrivals (--arrival-seed): the same seed gives the same schedule.'),
    rateSweep: z
      .boolean()
      .default(false)
      .describe(
        'Search the highest arrival rate whose p95 latency stays within maxP95LatencyMs and/or whose p95 TTFT stays within maxP95TtftMs (--rate-sweep): doubling or halving until one rate passes and one fails, then bisection to rateResolution. That rate is the capacity the cost model uses ("capacity within the latency bound").',
      ),
    maxP95LatencyMs: z
      .number()
      .positive()
      .nullable()
      .default(null)
      .describe(
        "The rate sweep's p95 latency bound, ms (--max-p95-latency). null: cost.load.p95LatencyBoundMs.",
      ),
    maxP95TtftMs: z
      .number()
      .positive()
      .nullable()
      .default(null)
      .describe(
        "The rate sweep's p95 time-to-first-token bound, ms (--max-p95-ttft), over each level's ok requests; with a latency bound too, a level holds when both hold. null: none.",
      ),
    rateResolution: z
      .number()
      .min(0.001)
      .max(1)
      .default(0.05)
      .describe(
        'The rate sweep stops when the lowest failing rate is within this share of the highest passing one (--rate-resolution; 0.05: the answer is within 5% of the capacity).',
      ),
    maxSpendUsd: z
      .number()
      .min(0)
      .default(DEFAULT_MAX_SPEND_USD)
      .describe(
        'Remote runs: the most the run may spend, USD (--max-spend). Before each request its worst case (prompt bytes as input tokens + its max output tokens) is reserved; a request that could pass the cap is not sent and the run stops (aborted, resumable), saying why.',
      ),
    maxOutputTokens: z
      .number()
      .int()
      .min(1)
      .default(DEFAULT_REMOTE_MAX_OUTPUT_TOKENS)
      .describe(
        "Remote runs: the max output tokens sent with a request whose task sets none (max_completion_tokens on api.openai.com, max_tokens elsewhere); it bounds each request's worst-case cost.",
      ),
    priceModel: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        'Remote runs: the price-table key the run is billed at (--price-model; see `costbench prices list`). null: matched from the host and model (api.openai.com + gpt-4o-mini: "gpt-4o-mini"; openrouter.ai: "openrouter/<model>"; Groq "groq/<model>", ...).',
      ),
  })
  .describe('What a run measures.');

export const DEFAULT_POLL_INTERVAL_MS = 100;
/** Polls of counter sources draw the charts only: once a second (issue 18: polling only for the pictures). */
export const DEFAULT_PICTURE_INTERVAL_MS = 1_000;
export const DEFAULT_IDLE_BASELINE_S = 30;
export const SOURCE_NAMES = ['nvidia', 'amd', 'rapl', 'apple', 'meter', 'estimate'] as const;

/** Which power supply a meter covers: meters on different supplies add up to the machine total. */
const supplySchema = z
  .string()
  .min(1)
  .nullable()
  .default(null)
  .describe(
    'The power supply this meter covers, e.g. "psu-a". Meters with different supplies are summed ' +
      '(two supplies on two plugs); meters with the same supply (or none set) read the same power: ' +
      'only the first counts.',
  );

const meterSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('shelly').describe('Shelly Gen2+ plug: GET /rpc/Switch.GetStatus'),
    host: z.string().min(1).describe('Address of the plug, e.g. "192.168.1.40".'),
    switchId: z.number().int().min(0).default(0).describe('Switch id on the plug.'),
    supply: supplySchema,
  }),
  z.strictObject({
    kind: z.literal('tasmota').describe('Tasmota plug: GET /cm?cmnd=Status%208'),
    host: z.string().min(1).describe('Address of the plug.'),
    supply: supplySchema,
  }),
  z.strictObject({
    kind: z
      .literal('command')
      .describe('Any command that prints the machine\'s watts, e.g. "ipmitool dcmi power reading".'),
    command: z.string().min(1).describe('Shell command; run at most once per poll, never overlapping.'),
    supply: supplySchema,
  }),
]);

const telemetrySchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Sample power and utilization during runs.'),
    intervalMs: z
      .number()
      .int()
      .min(20)
      .max(10_000)
      .default(DEFAULT_POLL_INTERVAL_MS)
      .describe(
        'Time between power readings, ms, where power is sampled: hwmon files are read this often, and nvidia-smi / powermetrics print this often (their lines, stamped on arrival, are collected once a second). Sources with an energy counter read at every edge follow pictureIntervalMs instead.',
      ),
    pictureIntervalMs: z
      .number()
      .int()
      .min(20)
      .max(5_000)
      .default(DEFAULT_PICTURE_INTERVAL_MS)
      .describe(
        "Time between readings, ms, of the sources whose energy is a counter read at every request's and phase's edge (NVML on GPUs with an energy counter, RAPL, AMD hwmon energy1_input): their polls only draw the power-over-time charts, so 1000 (1 Hz) by default; 100 for 10 Hz charts. At most 5000: RAPL counters wrap and must be read every few seconds.",
      ),
    idleBaselineS: z
      .number()
      .min(0)
      .max(3_600)
      .default(DEFAULT_IDLE_BASELINE_S)
      .describe(
        'Seconds of idle measured with the model loaded, before the requests and again after them (drift over 5% is flagged). 0 skips both: no marginal energy then.',
      ),
    sources: z
      .array(z.enum(SOURCE_NAMES))
      .default([...SOURCE_NAMES])
      .describe(
        'Sources to try: nvidia, amd, rapl, apple, meter, estimate. Those unavailable here are reported with how to enable them.',
      ),
    meters: z
      .array(meterSchema)
      .default([])
      .describe(
        'Wall meters. When one is configured, the meters alone give the machine total: ' +
          'one per power supply (see supply), summed.',
      ),
    cpuTdpW: z
      .number()
      .positive()
      .nullable()
      .default(null)
      .describe(
        "CPU TDP in watts for the estimate used when nothing measures the CPU. null: the CPU's row in the " +
          'TDP table, else a range by class (laptop, desktop, server) and core count, carried to the report.',
      ),
  })
  .describe('Power and utilization sampling.');

/** US average residential electricity, 2024 (EIA, about 16-17 cents/kWh): an assumption until set. */
export const DEFAULT_ELECTRICITY_PER_KWH = 0.17;
export const DEFAULT_MONTHLY_TASKS = 10_000;
export const DEFAULT_AMORTIZATION_MONTHS = 36;
/** A few cheap and mid-priced API models from the bundled table. */
export const DEFAULT_COMPARE_WITH = [
  'gpt-4.1-nano',
  'gpt-4o-mini',
  'gemini/gemini-2.5-flash',
  'claude-haiku-4-5',
  'deepseek/deepseek-chat',
];

const customPriceSchema = z.strictObject({
  model: z.string().min(1).describe('Name to compare with, e.g. "my-endpoint/llama-70b".'),
  provider: z.string().min(1).default('custom').describe('Provider label, also the key for cost.tokenRatio.'),
  inputPerMTok: z.number().min(0).describe('Price per 1M input tokens, in USD.'),
  outputPerMTok: z.number().min(0).describe('Price per 1M output tokens, in USD.'),
  cachedInputPerMTok: z
    .number()
    .min(0)
    .nullable()
    .default(null)
    .describe('Price per 1M cached input tokens, in USD; null when there is no cache discount.'),
});

/** A nullable engineering input: null is unset (the full view is then incomplete), 0 is a value. */
function nullableInput(description: string) {
  return z
    .number()
    .min(0)
    .nullable()
    .default(null)
    .describe(`${description} null: unset, so the full view is incomplete.`);
}

const costSchema = z
  .strictObject({
    currency: z
      .string()
      .min(1)
      .max(8)
      .default('USD')
      .describe(
        'Currency label for every cost figure. API prices are in USD and converted with currencyPerUsd.',
      ),
    currencyPerUsd: z
      .number()
      .positive()
      .default(1)
      .describe('Units of the currency one USD buys (1 for USD), to convert API prices.'),
    electricityPerKwh: z
      .number()
      .min(0)
      .nullable()
      .default(null)
      .describe(
        `Electricity price per kWh in the currency. null: ${DEFAULT_ELECTRICITY_PER_KWH} USD (a US average, an assumption the report points out).`,
      ),
    overheadFactor: z
      .number()
      .min(1)
      .max(5)
      .default(1)
      .describe(
        'PUE / cooling overhead applied to sensor energy (1.0 at a desk, about 1.1-1.6 in a server room). Not applied to wall-meter readings.',
      ),
    hardware: z
      .strictObject({
        purchasePrice: z
          .number()
          .min(0)
          .nullable()
          .default(null)
          .describe(
            'What the machine cost, in the currency; 0 for a box that is truly free to use. null: unset, so the full view is incomplete (`costbench init` asks).',
          ),
        amortizationMonths: z
          .number()
          .int()
          .positive()
          .default(DEFAULT_AMORTIZATION_MONTHS)
          .describe('Months the purchase (and the set-up time) is spread over.'),
        alreadyOwnedIdle: z
          .boolean()
          .nullable()
          .default(null)
          .describe(
            'true: the machine is already owned and otherwise idle (its purchase and idle power are sunk); false: bought for this work. null: unset, so the full view is incomplete.',
          ),
        workloadShare: z
          .number()
          .gt(0)
          .max(1)
          .default(1)
          .describe(
            'Share of the machine given to this workload (0-1): its share of the purchase and idle power.',
          ),
      })
      .prefault({})
      .describe('The machine.'),
    engineering: z
      .strictObject({
        setupHours: nullableInput(
          'One-time hours to set up the local workload (spread over hardware.amortizationMonths).',
        ),
        maintenanceHoursPerMonth: nullableInput('Hours per month to keep it running.'),
        hourlyRate: nullableInput(
          'Cost of an engineering hour, in the currency (not needed when both hour counts are 0).',
        ),
      })
      .prefault({})
      .describe('People time the local option needs and the API does not.'),
    monthlyTasks: z
      .number()
      .int()
      .min(0)
      .default(DEFAULT_MONTHLY_TASKS)
      .describe('Tasks per month the comparison is made at (--volume).'),
    availabilityHoursPerDay: z
      .number()
      .gt(0)
      .max(24)
      .default(24)
      .describe('Hours per day the machine may run the workload: sets its capacity.'),
    compareWith: z
      .array(z.string().min(1))
      .default(DEFAULT_COMPARE_WITH)
      .describe('API models (price table keys, see `costbench prices list`) to compare with.'),
    cachedInputShare: z
      .number()
      .min(0)
      .max(1)
      .nullable()
      .default(null)
      .describe(
        'Share of API input tokens billed at the cached-input price (a shared system prompt, say). null: the share the local server reported from its prompt cache, else 0.',
      ),
    load: loadShapeSchema.prefault({ shape: 'steady' }),
    batch: z.boolean().default(false).describe('Use batch API prices where a model has them.'),
    tokenRatio: z
      .record(z.string(), z.number().positive())
      .default({})
      .describe(
        'API tokens per local token, by provider (e.g. {"anthropic": 1.1}); local counts come from the local model\'s tokenizer. Missing: 1.',
      ),
    customPrices: z
      .array(customPriceSchema)
      .default([])
      .describe('Private endpoints or negotiated prices, compared like table entries.'),
  })
  .describe('What local work and API calls cost.');

const rooflineSchema = z
  .strictObject({
    device: z
      .string()
      .min(1)
      .nullable()
      .default(null)
      .describe(
        'Hardware table id (data/hardware.json, e.g. "nvidia-rtx-4090", "apple-m2-max", "ddr5-5600-2ch") whose peak memory bandwidth bounds decode speed. null: matched from the detected GPU; a CPU-only machine needs it set.',
      ),
    bandwidthGBps: z
      .number()
      .positive()
      .nullable()
      .default(null)
      .describe('Peak memory bandwidth in GB/s, for a device the table lacks; overrides the table.'),
  })
  .describe('The memory-bandwidth ceiling decode speed is compared with.');

const storeSchema = z
  .strictObject({
    path: z
      .string()
      .min(1)
      // SQLite's in-memory name would vanish with the process, and every run must outlive it.
      .refine((p) => p !== ':memory:', {
        message:
          'an in-memory database would lose every run when costbench exits: give a file (a temporary one is fine)',
      })
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
    telemetry: telemetrySchema.prefault({}),
    cost: costSchema.prefault({}),
    roofline: rooflineSchema.prefault({}),
  })
  .describe('costbench configuration');

/** A validated configuration with every default filled in. */
export type Config = z.output<typeof configSchema>;
