import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildNoiseGguf, NOISE_MODEL_NAME } from '../src/models/noise-gguf.js';
import { runCli } from './support/cli.js';
import { startFakeHub, type FakeHub } from './support/fake-hub/index.js';
import { closedPort } from './support/ports.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();
const MODEL = buildNoiseGguf();
const SHA = createHash('sha256').update(MODEL).digest('hex');
let hub: FakeHub;

beforeEach(async () => {
  hub = await startFakeHub();
  hub.setFile('u/r', 'noise.gguf', MODEL);
});
afterEach(() => hub.close());

describe('costbench models pull', () => {
  it('downloads into the cache, then finds it there', async () => {
    const cache = tempDir();
    const path = join(cache, 'hf', 'u', 'r', 'main', 'noise.gguf');
    const env = { HF_ENDPOINT: hub.url };
    const first = await runCli(['models', 'pull', 'hf:u/r/noise.gguf', '--cache-dir', cache], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      `hf:u/r/noise.gguf: downloaded to ${path} (${MODEL.length} bytes, sha256 ${SHA} (matches the hub))\n` +
        `  ${NOISE_MODEL_NAME}, llama, 362112 parameters (counted from the tensors), F32, 2 layers, context 2048\n`,
    );
    expect(first.stderr, 'plain progress lines (not a TTY)').toContain(
      `downloading ${hub.url}/u/r/resolve/main/noise.gguf (1.5 MB)\n`,
    );
    const second = await runCli(['models', 'pull', 'hf:u/r/noise.gguf', '--json', '--cache-dir', cache], {
      HF_ENDPOINT: 'http://127.0.0.1:9',
    });
    expect(second.code, second.stderr).toBe(0);
    const json = JSON.parse(second.stdout) as {
      source: string;
      spec: string;
      sha256: string;
      gguf: { architecture: string };
    };
    expect([json.source, json.spec, json.sha256, json.gguf.architecture], 'from the cache, offline').toEqual([
      'cache',
      'hf:u/r/noise.gguf',
      SHA,
      'llama',
    ]);
  });

  it('offline: one line, exit 8', async () => {
    const port = await closedPort();
    const result = await runCli(['models', 'pull', 'hf:u/r/noise.gguf', '--cache-dir', tempDir()], {
      HF_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    expect(result.code, 'exit 8').toBe(8);
    expect(result.stderr.split('\n')[0]).toBe(
      `costbench: cannot download http://127.0.0.1:${port}/u/r/resolve/main/noise.gguf: no network (connection refused, ECONNREFUSED)`,
    );
    expect(result.stderr, 'no stack trace').not.toContain('    at ');
  });

  it('a local file that is not a GGUF: exit 7; a bad spec: exit 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.gguf'), '<html><body>404</body></html>');
    const notGguf = await runCli(['models', 'pull', './x.gguf'], {}, dir);
    expect(notGguf.code, 'exit 7').toBe(7);
    expect(notGguf.stderr.split('\n')[0]).toBe(
      `costbench: ${join(dir, 'x.gguf')} is not a GGUF model: it looks like an HTML page (an error or login page saved as the model?)`,
    );
    const bad = await runCli(['models', 'pull', 'hf:u/r'], {}, dir);
    expect(bad.code, 'exit 2').toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'costbench: model spec "hf:u/r" is not valid: it names a repo but no file: add the GGUF file (hf:u/r/<file>.gguf) or a quantization (hf:u/r:Q4_K_M)',
    );
  });
});
