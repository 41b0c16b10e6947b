import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatUsd } from '../src/cli/commands/prices.js';
import { defaultDataDir, importPrices, loadPriceTable } from '../src/tables/price-table-read.js';
import type { ApiPrice, PriceTable } from '../src/cost/price-types.js';
import { parseImportedPrices, parseLitellmPrices, usdPerTokenToPerMTok } from '../src/cost/prices-parse.js';
import { ConfigError, CostbenchError, EXIT, NotFoundError } from '../src/errors.js';
import { runCli } from './support/cli.js';
import { useTempDir } from './support/temp.js';
import { errorOf } from './support/error-of.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'litellm-prices.json');
const BUNDLED = join(ROOT, 'data', 'api-prices.json');
const IMPORT_TIME = new Date('2026-08-01T12:34:56.000Z');
const tempDir = useTempDir();

function fixtureJson(): unknown {
  return JSON.parse(readFileSync(FIXTURE, 'utf8'));
}

function price(
  model: string,
  provider: string,
  p: [number, number, number | null, number | null, number | null],
  source: ApiPrice['source'],
  asOf: string | null,
): ApiPrice {
  const [
    inputUsdPerMTok,
    outputUsdPerMTok,
    cachedInputUsdPerMTok,
    batchInputUsdPerMTok,
    batchOutputUsdPerMTok,
  ] = p;
  return {
    model,
    provider,
    inputUsdPerMTok,
    outputUsdPerMTok,
    cachedInputUsdPerMTok,
    batchInputUsdPerMTok,
    batchOutputUsdPerMTok,
    source,
    asOf,
  };
}

function find(table: PriceTable, model: string): ApiPrice | undefined {
  return table.prices.find((p) => p.model === model);
}

describe('parseLitellmPrices on the full litellm format', () => {
  const parsed = parseLitellmPrices(fixtureJson(), 'imported', '2026-08-01');

  it('keeps the 6 chat models with input and output prices, converted exactly to USD per 1M tokens', () => {
    expect(parsed.prices).toEqual([
      price('claude-haiku-4-5', 'anthropic', [1, 5, 0.1, null, null], 'imported', '2026-08-01'),
      price('deepseek/deepseek-chat', 'deepseek', [0.28, 0.42, 0.028, null, null], 'imported', '2026-08-01'),
      price('ft:gpt-4o-mini-2024-07-18', 'openai', [0.3, 1.2, 0.15, 0.15, 0.6], 'imported', '2026-08-01'),
      price('gemini/gemini-2.5-flash', 'gemini', [0.3, 2.5, 0.03, null, null], 'imported', '2026-08-01'),
      price('gpt-4o-mini', 'openai', [0.15, 0.6, 0.075, 0.075, 0.3], 'imported', '2026-08-01'),
      price('groq/llama-3.1-8b-instant', 'groq', [0.05, 0.08, null, null, null], 'imported', '2026-08-01'),
    ]);
  });

  it('says why each of the other 8 entries was skipped', () => {
    expect(parsed.skipped).toEqual([
      { model: 'sample_spec', why: "litellm's description of the format, not a model" },
      { model: '1024-x-1024/dall-e-2', why: 'mode "image_generation", not chat' },
      { model: 'gpt-3.5-turbo-instruct', why: 'mode "completion", not chat' },
      { model: 'o1-pro', why: 'mode "responses", not chat' },
      { model: 'text-embedding-3-small', why: 'mode "embedding", not chat' },
      { model: 'together_ai/meta-llama/Llama-3.2-3B-Instruct-Turbo', why: 'no output_cost_per_token' },
      { model: 'tts-1', why: 'mode "audio_speech", not chat' },
      { model: 'whisper-1', why: 'mode "audio_transcription", not chat' },
    ]);
  });

  it('takes the provider from litellm_provider, else the key before "/", else "unknown"', () => {
    const entry = { mode: 'chat', input_cost_per_token: 1e-6, output_cost_per_token: 2e-6 };
    const { prices, skipped } = parseLitellmPrices(
      {
        'acme/big': entry,
        plain: entry,
        nomode: { input_cost_per_token: 1e-6 },
        bad: { ...entry, input_cost_per_token: '1e-6' },
      },
      'imported',
      null,
    );
    expect(prices.map((p) => [p.model, p.provider])).toEqual([
      ['acme/big', 'acme'],
      ['plain', 'unknown'],
    ]);
    expect(skipped).toEqual([
      { model: 'nomode', why: 'no mode, so not known to be a chat model' },
      { model: 'bad', why: 'input_cost_per_token is not a price: "1e-6"' },
    ]);
  });

  it('removes float noise from the conversion', () => {
    expect(4e-7 * 1e6, 'the noise being removed').toBe(0.39999999999999997);
    expect(usdPerTokenToPerMTok(4e-7), '4e-07').toBe(0.4);
    expect(usdPerTokenToPerMTok(1.6e-6), '1.6e-06').toBe(1.6);
    expect(usdPerTokenToPerMTok(1.5e-7), '1.5e-07').toBe(0.15);
    expect(usdPerTokenToPerMTok(8e-8), '8e-08').toBe(0.08);
    expect(usdPerTokenToPerMTok(2.8e-8), '2.8e-08').toBe(0.028);
    expect(usdPerTokenToPerMTok(7.5e-5), '7.5e-05').toBe(75);
  });

  it('refuses a top level that is not an object keyed by model', () => {
    const error = errorOf(() => parseLitellmPrices([1, 2], 'imported', null), CostbenchError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      "expected a JSON object keyed by model name (litellm's model_prices_and_context_window.json), found an array",
    );
  });

  it('reads the bundled wrapper ({source, models}) too', () => {
    const { prices, skipped } = parseLitellmPrices(
      JSON.parse(readFileSync(BUNDLED, 'utf8')),
      'bundled',
      '2026-07-18',
    );
    expect(prices, 'entries').toHaveLength(76);
    expect(skipped, 'skipped').toEqual([]);
  });
});

describe('loadPriceTable', () => {
  it('loads the 76 bundled entries with their date, commit and license', () => {
    const table = loadPriceTable({ dataDir: tempDir(), customPrices: [] });
    expect(table.prices, 'entries').toHaveLength(76);
    expect(find(table, 'gpt-4o-mini')).toEqual(
      price('gpt-4o-mini', 'openai', [0.15, 0.6, 0.075, 0.075, 0.3], 'bundled', '2026-07-18'),
    );
    expect(table.sources).toEqual([
      {
        kind: 'bundled',
        path: BUNDLED,
        asOf: '2026-07-18',
        note: 'litellm snapshot as of 2026-07-18 (commit 00035b6…, MIT license)',
      },
    ]);
  });

  it('overrides bundled < imported < config, per model key', () => {
    const dataDir = tempDir();
    importPrices(FIXTURE, dataDir, IMPORT_TIME);
    const custom = [
      {
        model: 'gpt-4o-mini',
        provider: 'openai',
        inputPerMTok: 0.1,
        outputPerMTok: 0.4,
        cachedInputPerMTok: null,
      },
      {
        model: 'my-endpoint/llama-70b',
        provider: 'custom',
        inputPerMTok: 0.5,
        outputPerMTok: 0.7,
        cachedInputPerMTok: 0.25,
      },
    ];
    const table = loadPriceTable({ dataDir, customPrices: custom, configFile: '/etc/costbench.json' });
    expect(table.prices, '76 bundled + 1 imported-only + 1 config-only').toHaveLength(78);
    expect(find(table, 'gpt-4o'), 'bundled only').toEqual(
      price('gpt-4o', 'openai', [2.5, 10, 1.25, 1.25, 5], 'bundled', '2026-07-18'),
    );
    expect(find(table, 'claude-haiku-4-5'), 'imported over bundled').toEqual(
      price('claude-haiku-4-5', 'anthropic', [1, 5, 0.1, null, null], 'imported', '2026-08-01'),
    );
    expect(find(table, 'ft:gpt-4o-mini-2024-07-18'), 'imported only').toEqual(
      price('ft:gpt-4o-mini-2024-07-18', 'openai', [0.3, 1.2, 0.15, 0.15, 0.6], 'imported', '2026-08-01'),
    );
    expect(find(table, 'gpt-4o-mini'), 'config over imported and bundled').toEqual(
      price('gpt-4o-mini', 'openai', [0.1, 0.4, null, null, null], 'config', null),
    );
    expect(find(table, 'my-endpoint/llama-70b'), 'config only').toEqual(
      price('my-endpoint/llama-70b', 'custom', [0.5, 0.7, 0.25, null, null], 'config', null),
    );
    expect(table.sources.map((s) => [s.kind, s.path, s.asOf])).toEqual([
      ['bundled', BUNDLED, '2026-07-18'],
      ['imported', join(dataDir, 'prices.json'), '2026-08-01'],
      ['config', '/etc/costbench.json', null],
    ]);
    expect(table.sources[2]?.note).toBe('2 custom entries (from /etc/costbench.json)');
  });

  it('names a damaged imported table and what is wrong in it', () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'prices.json'), JSON.stringify({ source: {}, models: {} }));
    const error = errorOf(() => loadPriceTable({ dataDir, customPrices: [] }), CostbenchError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(
      new RegExp(`^${join(dataDir, 'prices.json')}: imported price table: source\\.importedFrom: `),
    );
  });

  it('puts the data directory next to the default database', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' })).toBe('/xdg/costbench');
    expect(defaultDataDir({ HOME: '/home/u' })).toBe('/home/u/.local/share/costbench');
  });
});

describe('importPrices', () => {
  it('writes the chat prices with where they came from, and reads back the same', () => {
    const dataDir = join(tempDir(), 'not-yet');
    const result = importPrices(FIXTURE, dataDir, IMPORT_TIME);
    const sha256 = createHash('sha256').update(readFileSync(FIXTURE)).digest('hex');
    const source = { importedFrom: FIXTURE, importedAt: '2026-08-01T12:34:56.000Z', sha256, entries: 6 };
    expect(result).toEqual({ imported: 6, skipped: 8, path: join(dataDir, 'prices.json'), source });
    const written = JSON.parse(readFileSync(result.path, 'utf8')) as {
      source: unknown;
      models: Record<string, ApiPrice>;
    };
    expect(written.source).toEqual(source);
    expect(Object.keys(written.models)).toEqual([
      'claude-haiku-4-5',
      'deepseek/deepseek-chat',
      'ft:gpt-4o-mini-2024-07-18',
      'gemini/gemini-2.5-flash',
      'gpt-4o-mini',
      'groq/llama-3.1-8b-instant',
    ]);
    expect(parseImportedPrices(written).prices).toEqual(
      parseLitellmPrices(fixtureJson(), 'imported', '2026-08-01').prices,
    );
  });

  it('refuses a missing file, bad JSON, a non-object and a file without chat prices', () => {
    const dir = tempDir();
    const missing = errorOf(() => importPrices(join(dir, 'nope.json'), dir, IMPORT_TIME), CostbenchError);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing.message).toBe(`price file not found: ${join(dir, 'nope.json')}`);

    writeFileSync(join(dir, 'bad.json'), '{\n  "gpt-4o": {\n    "mode": "chat",\n  }\n}\n');
    const bad = errorOf(() => importPrices(join(dir, 'bad.json'), dir, IMPORT_TIME), CostbenchError);
    expect(bad.exitCode).toBe(EXIT.config);
    expect(bad.message).toMatch(/^price file .*bad\.json: invalid JSON at line 4, column 3: /);

    writeFileSync(join(dir, 'array.json'), '[]');
    expect(
      errorOf(() => importPrices(join(dir, 'array.json'), dir, IMPORT_TIME), CostbenchError).message,
    ).toBe(
      `${join(dir, 'array.json')}: expected a JSON object keyed by model name (litellm's model_prices_and_context_window.json), found an array`,
    );

    writeFileSync(
      join(dir, 'no-chat.json'),
      JSON.stringify({ sample_spec: {}, 'whisper-1': { mode: 'audio_transcription' } }),
    );
    const noChat = errorOf(() => importPrices(join(dir, 'no-chat.json'), dir, IMPORT_TIME), CostbenchError);
    expect(noChat).toBeInstanceOf(ConfigError);
    expect(noChat.message).toBe(
      `${join(dir, 'no-chat.json')}: no chat model with input and output prices among its 2 entries`,
    );
    expect(existsSync(join(dir, 'prices.json')), 'nothing written').toBe(false);
  });
});

describe('formatUsd', () => {
  it('prints prices without float noise or trailing zeros', () => {
    expect([formatUsd(0.075), formatUsd(10), formatUsd(0.000000001), formatUsd(0), formatUsd(null)]).toEqual([
      '0.075',
      '10',
      '0.000000001',
      '0',
      '—',
    ]);
  });
});

describe('costbench prices, end to end', () => {
  const ANTHROPIC = [
    'claude-fable-5',
    'claude-haiku-4-5',
    'claude-opus-4-5',
    'claude-opus-4-6',
    'claude-opus-4-7',
    'claude-opus-4-8',
    'claude-sonnet-4-5',
    'claude-sonnet-4-6',
    'claude-sonnet-5',
  ];

  it('lists the bundled table, imports, then lists the imported source with its date', async () => {
    const cwd = tempDir();
    const env = { XDG_DATA_HOME: join(cwd, 'xdg') };
    const before = await runCli(['prices', 'list'], env, cwd);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout).toContain('76 API prices, USD per 1M tokens');
    expect(before.stdout).toContain(
      'bundled: litellm snapshot as of 2026-07-18 (commit 00035b6…, MIT license)',
    );
    expect(before.stdout).not.toContain('imported:');

    const imported = await runCli(['prices', 'import', FIXTURE], env, cwd);
    expect(imported.code, imported.stderr).toBe(0);
    const path = join(cwd, 'xdg', 'costbench', 'prices.json');
    expect(imported.stdout).toContain(`imported 6 chat model prices from ${FIXTURE}`);
    expect(imported.stdout).toContain(`→ ${path}`);
    const importedAt = (JSON.parse(readFileSync(path, 'utf8')) as { source: { importedAt: string } }).source
      .importedAt;

    const after = await runCli(['prices', 'list'], env, cwd);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toContain('77 API prices');
    expect(after.stdout).toContain(
      `imported: ${path} on ${importedAt.slice(0, 10)} (from ${FIXTURE}, 6 models, sha256 `,
    );
    expect(after.stdout).toMatch(/^gpt-4o-mini +openai +0\.15 +0\.6 +0\.075 +0\.075 +0\.3 +imported/m);
  });

  it('filters by provider, and names the known providers for an unknown one', async () => {
    const cwd = tempDir();
    const env = { XDG_DATA_HOME: join(cwd, 'xdg') };
    const anthropic = await runCli(['prices', 'list', '--provider', 'anthropic', '--json'], env, cwd);
    expect(anthropic.code, anthropic.stderr).toBe(0);
    const listed = JSON.parse(anthropic.stdout) as { prices: ApiPrice[]; note: string | null };
    expect(listed.prices.map((p) => p.model)).toEqual(ANTHROPIC);
    expect(listed.note).toBeNull();

    const unknown = await runCli(['prices', 'list', '--provider', 'nobody', '--json'], env, cwd);
    expect(unknown.code, unknown.stderr).toBe(0);
    expect(JSON.parse(unknown.stdout)).toMatchObject({
      prices: [],
      note: 'no prices for provider "nobody"; known providers: anthropic, deepseek, fireworks_ai, gemini, groq, mistral, openai, together_ai',
    });
  });

  it('shows config custom prices as their own source', async () => {
    const cwd = tempDir();
    writeFileSync(
      join(cwd, 'costbench.config.json'),
      JSON.stringify({
        cost: {
          customPrices: [{ model: 'gpt-4o-mini', provider: 'openai', inputPerMTok: 0.1, outputPerMTok: 0.4 }],
        },
      }),
    );
    const result = await runCli(
      ['prices', 'list', '--provider', 'openai'],
      { XDG_DATA_HOME: join(cwd, 'xdg') },
      cwd,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^gpt-4o-mini +openai +0\.1 +0\.4 +— +— +— +config +—$/m);
    expect(result.stdout).toContain(`config: 1 custom entry (from ${join(cwd, 'costbench.config.json')})`);
  });

  it('writes next to the database given with --db', async () => {
    const cwd = tempDir();
    mkdirSync(join(cwd, 'elsewhere'));
    const result = await runCli(
      ['prices', 'import', FIXTURE, '--db', join(cwd, 'elsewhere', 'runs.db'), '--json'],
      { XDG_DATA_HOME: join(cwd, 'xdg') },
      cwd,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      imported: 6,
      skipped: 8,
      path: join(cwd, 'elsewhere', 'prices.json'),
    });
    expect(existsSync(join(cwd, 'xdg', 'costbench', 'prices.json')), 'not in the XDG dir').toBe(false);
  });

  it('exits 6 for a missing file and 2 for bad JSON, with line and column', async () => {
    const cwd = tempDir();
    const env = { XDG_DATA_HOME: join(cwd, 'xdg') };
    const missing = await runCli(['prices', 'import', 'nope.json'], env, cwd);
    expect(missing.code).toBe(EXIT.notFound);
    expect(missing.stderr).toContain(`costbench: price file not found: ${join(cwd, 'nope.json')}`);
    expect(missing.stderr).toContain(
      'hint: Download the file from https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
    );

    writeFileSync(join(cwd, 'bad.json'), '{\n  "gpt-4o": {\n    "mode": "chat",\n  }\n}\n');
    const bad = await runCli(['prices', 'import', 'bad.json'], env, cwd);
    expect(bad.code).toBe(EXIT.config);
    expect(bad.stderr).toContain(
      `costbench: price file ${join(cwd, 'bad.json')}: invalid JSON at line 4, column 3: `,
    );
    expect(existsSync(join(cwd, 'xdg')), 'nothing written').toBe(false);
  });
});
