import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, defaultConfig } from '../src/config/json-schema.js';
import { defaultDbPath, loadConfig } from '../src/config/load.js';
import { parseOllamaHost } from '../src/config/ollama-host.js';
import { DEFAULT_OLLAMA_HOST, DEFAULT_REPEAT, DEFAULT_SUITE } from '../src/config/schema.js';
import { validateConfig } from '../src/config/validate.js';
import { ConfigError, EXIT } from '../src/errors.js';
import { useTempDir } from './support/temp.js';
import { errorOf } from './support/error-of.js';

const root = join(import.meta.dirname, '..');
const tempDir = useTempDir();

describe('validateConfig', () => {
  it('fills every default from an empty object', () => {
    const config = validateConfig({});
    expect(config.backend.host, 'host').toBe(DEFAULT_OLLAMA_HOST);
    expect(config.run.repeat, 'repeat').toBe(DEFAULT_REPEAT);
    expect(config.run.suite, 'suite').toBe(DEFAULT_SUITE);
    expect(config.run.model, 'model').toBeNull();
    expect(config.store.path, 'store.path').toBeNull();
  });

  it('names the key path, the value, its source and what is expected', () => {
    const error = errorOf(
      () => validateConfig({ run: { repeat: 0 } }, new Map([['run.repeat', 'flag --repeat']])),
      ConfigError,
    );
    expect(error.message).toBe('config: run.repeat = 0 (from flag --repeat): expected a value >= 1');
    expect(error.exitCode).toBe(EXIT.config);
    expect(error.message).not.toContain('\n');
  });

  it('names the expected type', () => {
    const error = errorOf(() => validateConfig({ backend: { requestTimeoutMs: 'soon' } }), ConfigError);
    expect(error.message).toBe('config: backend.requestTimeoutMs = "soon": expected number');
  });

  it('refuses unknown keys by their full path', () => {
    const error = errorOf(() => validateConfig({ run: { repaet: 3 } }), ConfigError);
    expect(error.message).toBe('config: unknown key run.repaet: remove it or check its spelling');
  });

  it('counts further problems', () => {
    const error = errorOf(() => validateConfig({ run: { repeat: 0, warmup: 'yes' } }), ConfigError);
    expect(error.message).toBe('config: run.repeat = 0: expected a value >= 1 (and 1 more problem)');
  });
});

describe('loadConfig precedence: flags > environment > file > defaults', () => {
  it('takes each layer in order', () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'costbench.config.json'),
      JSON.stringify({
        backend: { host: 'file-host:1' },
        run: { repeat: 3, model: 'file-model' },
        store: { path: 'from-file.db' },
      }),
    );
    const fileOnly = loadConfig({}, {}, dir);
    expect(fileOnly.host, 'file host').toBe('http://file-host:1');
    expect(fileOnly.dbPath, 'file db, relative to the file').toBe(join(dir, 'from-file.db'));
    expect(fileOnly.config.run.repeat).toBe(3);

    const withEnv = loadConfig({}, { OLLAMA_HOST: 'env-host', COSTBENCH_DB: '/tmp/env.db' }, dir);
    expect(withEnv.host, 'env host').toBe('http://env-host:11434');
    expect(withEnv.dbPath, 'env db').toBe('/tmp/env.db');

    const withFlags = loadConfig(
      { host: 'http://flag-host:8', db: 'flag.db', repeat: '5', model: 'm' },
      { OLLAMA_HOST: 'env-host' },
      dir,
    );
    expect(withFlags.host, 'flag host').toBe('http://flag-host:8');
    expect(withFlags.dbPath, 'flag db, relative to cwd').toBe(join(dir, 'flag.db'));
    expect(withFlags.config.run.repeat).toBe(5);
    expect(withFlags.config.run.model).toBe('m');
  });

  it('reads --config, then COSTBENCH_CONFIG', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ run: { repeat: 2 } }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ run: { repeat: 4 } }));
    expect(
      loadConfig({ config: 'a.json' }, { COSTBENCH_CONFIG: join(dir, 'b.json') }, dir).config.run.repeat,
    ).toBe(2);
    expect(loadConfig({}, { COSTBENCH_CONFIG: join(dir, 'b.json') }, dir).config.run.repeat).toBe(4);
  });

  it('says which layer a bad value came from', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'costbench.config.json'), JSON.stringify({ run: { repeat: -1 } }));
    expect(errorOf(() => loadConfig({}, {}, dir), ConfigError).message).toBe(
      `config: run.repeat = -1 (from config file ${join(dir, 'costbench.config.json')}): expected a value >= 1`,
    );
    expect(errorOf(() => loadConfig({ repeat: 'many' }, {}, dir), ConfigError).message).toBe(
      'config: run.repeat = "many" (from flag --repeat): expected number',
    );
  });

  it('reports a missing explicit file and JSON syntax errors with line and column', () => {
    const dir = tempDir();
    expect(errorOf(() => loadConfig({ config: 'nope.json' }, {}, dir), ConfigError).message).toBe(
      `config file not found: ${join(dir, 'nope.json')}`,
    );
    writeFileSync(join(dir, 'bad.json'), '{\n  "run": { "repeat": 2, }\n}');
    expect(errorOf(() => loadConfig({ config: 'bad.json' }, {}, dir), ConfigError).message).toMatch(
      /^config file .*bad\.json: invalid JSON at line 2, column 25: /,
    );
  });

  it('refuses an in-memory database, which would lose every run (and would become a file named ":memory:")', () => {
    const dir = tempDir();
    expect(errorOf(() => loadConfig({}, { COSTBENCH_DB: ':memory:' }, dir), ConfigError).message).toBe(
      'config: store.path = ":memory:" (from environment COSTBENCH_DB): an in-memory database would lose every run when costbench exits: give a file (a temporary one is fine)',
    );
  });

  it('puts the database in the XDG data dir by default', () => {
    expect(defaultDbPath({ HOME: '/home/u' })).toBe('/home/u/.local/share/costbench/costbench.db');
    expect(defaultDbPath({ HOME: '/home/u', XDG_DATA_HOME: '/data' })).toBe('/data/costbench/costbench.db');
    expect(
      defaultDbPath({ HOME: '/home/u', XDG_DATA_HOME: 'relative' }),
      'relative XDG is ignored per spec',
    ).toBe('/home/u/.local/share/costbench/costbench.db');
  });
});

describe('parseOllamaHost reads OLLAMA_HOST as Ollama does', () => {
  it.each([
    ['127.0.0.1', 'http://127.0.0.1:11434'],
    ['0.0.0.0', 'http://127.0.0.1:11434'],
    ['example.com:8080', 'http://example.com:8080'],
    [':9999', 'http://127.0.0.1:9999'],
    ['http://example.com', 'http://example.com:80'],
    ['https://example.com', 'https://example.com:443'],
    ['https://example.com:8443/ollama/', 'https://example.com:8443/ollama'],
    [' http://localhost:11434 ', 'http://localhost:11434'],
  ])('%s -> %s', (raw, expected) => {
    expect(parseOllamaHost(raw)).toBe(expected);
  });

  it('refuses other schemes', () => {
    expect(errorOf(() => parseOllamaHost('ftp://x'), ConfigError).message).toBe(
      'config: backend.host = "ftp://x" uses ftp://; only http and https are supported',
    );
  });
});

describe('config.example.json and config.schema.json', () => {
  const example = JSON.parse(readFileSync(join(root, 'config.example.json'), 'utf8')) as Record<
    string,
    unknown
  >;

  it('the example validates and sets every key to its default', () => {
    const { $schema, ...rest } = validateConfig(example);
    expect($schema).toBe('./config.schema.json');
    expect(rest).toEqual(defaultConfig());
  });

  it('the example names every key of the schema', () => {
    const keysOf = (value: unknown, prefix = ''): string[] =>
      value !== null && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) =>
            v !== null && typeof v === 'object' ? keysOf(v, `${prefix}${k}.`) : [`${prefix}${k}`],
          )
        : [];
    expect(
      keysOf(example)
        .filter((k) => k !== '$schema')
        .sort(),
    ).toEqual(keysOf(defaultConfig()).sort());
  });

  it('the committed JSON Schema matches the zod schema, and every key is described', () => {
    const committed = JSON.parse(readFileSync(join(root, 'config.schema.json'), 'utf8')) as unknown;
    expect(committed, 'regenerate: node dist/src/cli/main.js config --schema > config.schema.json').toEqual(
      configJsonSchema(),
    );
    const undescribed: string[] = [];
    const walk = (node: Record<string, unknown>, path: string): void => {
      const props = node['properties'] as Record<string, Record<string, unknown>> | undefined;
      for (const [key, child] of Object.entries(props ?? {})) {
        if (typeof child['description'] !== 'string') undescribed.push(`${path}${key}`);
        walk(child, `${path}${key}.`);
      }
    };
    walk(configJsonSchema(), '');
    expect(undescribed).toEqual([]);
  });
});
