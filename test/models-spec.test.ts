import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { hfResolveUrl, hfTreeUrl, pickQuantFile, resolveHfEndpoint } from '../src/models/hf-hub.js';
import { computeCachePath, resolveModelCacheDir } from '../src/models/model-cache.js';
import { parseModelSpec, type ModelSpec } from '../src/models/model-spec.js';

const context = { cwd: '/work/bench', home: '/home/ann' };
const parse = (text: string): ModelSpec => parseModelSpec(text, context);

describe('model specs', () => {
  it.each<[string, ModelSpec]>([
    [
      './models/tiny.gguf',
      { kind: 'local', text: './models/tiny.gguf', path: '/work/bench/models/tiny.gguf' },
    ],
    ['tiny.gguf', { kind: 'local', text: 'tiny.gguf', path: '/work/bench/tiny.gguf' }],
    ['../up.gguf', { kind: 'local', text: '../up.gguf', path: '/work/up.gguf' }],
    ['/abs/x.gguf', { kind: 'local', text: '/abs/x.gguf', path: '/abs/x.gguf' }],
    ['~/m/x.gguf', { kind: 'local', text: '~/m/x.gguf', path: '/home/ann/m/x.gguf' }],
    ['  ./padded.gguf ', { kind: 'local', text: './padded.gguf', path: '/work/bench/padded.gguf' }],
    [
      'hf:ggml-org/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf',
      {
        kind: 'hf',
        text: 'hf:ggml-org/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf',
        user: 'ggml-org',
        repo: 'Qwen3-0.6B-GGUF',
        file: 'Qwen3-0.6B-Q8_0.gguf',
        revision: 'main',
      },
    ],
    [
      'hf:u/r/sub/dir/m.GGUF#v1.0',
      {
        kind: 'hf',
        text: 'hf:u/r/sub/dir/m.GGUF#v1.0',
        user: 'u',
        repo: 'r',
        file: 'sub/dir/m.GGUF',
        revision: 'v1.0',
      },
    ],
    [
      'hf:u/r:Q4_K_M',
      { kind: 'hf-quant', text: 'hf:u/r:Q4_K_M', user: 'u', repo: 'r', quant: 'Q4_K_M', revision: 'main' },
    ],
    [
      'hf://u/r:q8_0',
      { kind: 'hf-quant', text: 'hf://u/r:q8_0', user: 'u', repo: 'r', quant: 'q8_0', revision: 'main' },
    ],
    [
      'https://huggingface.co/u/r/resolve/main/m-Q4_0.gguf?download=true',
      {
        kind: 'hf',
        text: 'https://huggingface.co/u/r/resolve/main/m-Q4_0.gguf?download=true',
        user: 'u',
        repo: 'r',
        file: 'm-Q4_0.gguf',
        revision: 'main',
      },
    ],
    [
      'https://huggingface.co/u/r/blob/dev/m.gguf',
      {
        kind: 'hf',
        text: 'https://huggingface.co/u/r/blob/dev/m.gguf',
        user: 'u',
        repo: 'r',
        file: 'm.gguf',
        revision: 'dev',
      },
    ],
    [
      'https://example.com/models/m.gguf',
      { kind: 'url', text: 'https://example.com/models/m.gguf', url: 'https://example.com/models/m.gguf' },
    ],
    [
      'http://127.0.0.1:8080/m.gguf',
      { kind: 'url', text: 'http://127.0.0.1:8080/m.gguf', url: 'http://127.0.0.1:8080/m.gguf' },
    ],
    [
      'http://localhost/m.gguf',
      { kind: 'url', text: 'http://localhost/m.gguf', url: 'http://localhost/m.gguf' },
    ],
  ])('%s', (text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['', 'it is empty'],
    [
      'hf:u/r',
      'it names a repo but no file: add the GGUF file (hf:u/r/<file>.gguf) or a quantization (hf:u/r:Q4_K_M)',
    ],
    ['hf:u', 'the repo name is missing (hf:<user>/<repo>/<file>.gguf)'],
    ['hf:/r/m.gguf', 'the user name is missing (hf:<user>/<repo>/<file>.gguf)'],
    ['hf:u/r/m.safetensors', '"m.safetensors" is not a .gguf file'],
    ['hf:u/r/../../etc/m.gguf', '"../../etc/m.gguf" is not a file path inside the repo'],
    ['hf:u/r//m.gguf', '"/m.gguf" is not a file path inside the repo'],
    ['hf:u--x/r/m.gguf', '"u--x" is not a Hugging Face user name (letters, digits, - _ .)'],
    ['hf:u/r:Q4 K', '"Q4 K" is not a quantization name like Q4_K_M'],
    ['hf:u/r/m.gguf#../x', '"../x" is not a branch, tag or commit'],
    ['http://example.com/m.gguf', 'plain http is allowed only for 127.0.0.1 and localhost; use https'],
    ['https://user:pw@example.com/m.gguf', 'credentials in the URL would be stored; set HF_TOKEN instead'],
    ['https://example.com/', 'the URL names no file'],
    [
      'ftp://example.com/m.gguf',
      '"ftp:" is not a source costbench downloads from (hf:, https:, or a file path)',
    ],
    ['s3://bucket/m.gguf', '"s3:" is not a source costbench downloads from (hf:, https:, or a file path)'],
  ])('refuses %j: %s', (text, why) => {
    let error: unknown;
    try {
      parse(text);
    } catch (e) {
      error = e;
    }
    expect(error, 'ConfigError').toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.message).toBe(`model spec "${text}" is not valid: ${why}`);
    expect(e.exitCode, 'exit 2').toBe(2);
    expect(e.hint, 'examples').toBe(
      'e.g. ./model.gguf, hf:ggml-org/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q8_0.gguf, hf:ggml-org/Qwen3-0.6B-GGUF:Q8_0, or https://host/path/model.gguf',
    );
  });
});

describe('the model cache', () => {
  it('directory: parameter, then COSTBENCH_MODEL_CACHE, then an absolute XDG_CACHE_HOME, then ~/.cache', () => {
    expect(resolveModelCacheDir({ COSTBENCH_MODEL_CACHE: '/env' }, '/home/ann', '/param'), 'parameter').toBe(
      '/param',
    );
    expect(
      resolveModelCacheDir({ COSTBENCH_MODEL_CACHE: '/env', XDG_CACHE_HOME: '/xdg' }, '/home/ann'),
      'env',
    ).toBe('/env');
    expect(resolveModelCacheDir({ XDG_CACHE_HOME: '/xdg' }, '/home/ann'), 'XDG').toBe(
      '/xdg/costbench/models',
    );
    expect(
      resolveModelCacheDir({ XDG_CACHE_HOME: 'rel' }, '/home/ann'),
      'a relative XDG path is ignored',
    ).toBe('/home/ann/.cache/costbench/models');
    expect(resolveModelCacheDir({}, '/home/ann'), 'default').toBe('/home/ann/.cache/costbench/models');
  });

  it('paths are stable from the spec alone', () => {
    const hf = parse('hf:u/r/sub/m-Q4_0.gguf');
    expect(hf.kind === 'hf' && computeCachePath(hf, '/c'), 'hf').toBe('/c/hf/u/r/main/sub/m-Q4_0.gguf');
    const pr = parse('hf:u/r/m.gguf#refs/pr/1');
    expect(pr.kind === 'hf' && computeCachePath(pr, '/c'), 'a revision with slashes is one level').toBe(
      '/c/hf/u/r/refs%2Fpr%2F1/m.gguf',
    );
    const url = parse('http://127.0.0.1:8080/a/b%20c.gguf?x=1');
    // sha256("http://127.0.0.1:8080/a/b%20c.gguf?x=1"), first 16 hex digits (node -e with crypto)
    expect(url.kind === 'url' && computeCachePath(url, '/c'), 'url').toBe(
      '/c/url/127.0.0.1_8080/bdbb71cb03239cce/b_c.gguf',
    );
  });
});

describe('the hub', () => {
  it('endpoint from HF_ENDPOINT, https or a local http', () => {
    expect(resolveHfEndpoint({}), 'default').toBe('https://huggingface.co');
    expect(
      resolveHfEndpoint({ HF_ENDPOINT: 'http://127.0.0.1:9/' }),
      'local mirror, trailing slash dropped',
    ).toBe('http://127.0.0.1:9');
    expect(() => resolveHfEndpoint({ HF_ENDPOINT: 'http://mirror.example' }), 'remote http').toThrow(
      ConfigError,
    );
  });

  it('resolve and tree URLs, path segments encoded', () => {
    const spec = { user: 'u', repo: 'r', revision: 'refs/pr/1', file: 'dir/m #1.gguf' };
    expect(hfResolveUrl('https://huggingface.co', spec)).toBe(
      'https://huggingface.co/u/r/resolve/refs%2Fpr%2F1/dir/m%20%231.gguf',
    );
    expect(hfTreeUrl('https://huggingface.co', spec)).toBe(
      'https://huggingface.co/api/models/u/r/tree/refs%2Fpr%2F1?recursive=true',
    );
  });

  it('picks a file by quantization', () => {
    const files = [
      'README.md',
      'm-Q4_K_M.gguf',
      'm-Q4_K_S.gguf',
      'm.q8_0.gguf',
      'mmproj-m-Q4_K_M.gguf',
      'big/m-Q6_K-00001-of-00002.gguf',
      'big/m-Q6_K-00002-of-00002.gguf',
      'x-Q5_0.gguf',
      'y-Q5_0.gguf',
    ];
    expect(pickQuantFile(files, 'Q4_K_M'), 'projector left out').toEqual({
      kind: 'one',
      path: 'm-Q4_K_M.gguf',
    });
    expect(pickQuantFile(files, 'q4_k_m'), 'case-insensitive').toEqual({
      kind: 'one',
      path: 'm-Q4_K_M.gguf',
    });
    expect(pickQuantFile(files, 'Q8_0'), 'dot separator').toEqual({ kind: 'one', path: 'm.q8_0.gguf' });
    expect(pickQuantFile(files, 'Q4_K'), 'Q4_K is not Q4_K_M').toEqual({ kind: 'none' });
    expect(pickQuantFile(files, 'Q6_K'), 'split').toEqual({
      kind: 'split',
      path: 'big/m-Q6_K-00001-of-00002.gguf',
    });
    expect(pickQuantFile(files, 'Q5_0'), 'two files').toEqual({
      kind: 'many',
      paths: ['x-Q5_0.gguf', 'y-Q5_0.gguf'],
    });
  });
});
