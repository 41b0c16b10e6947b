import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { startFakeOllama } from './support/fake-ollama/index.js';
import { startFakeOpenAi } from './support/fake-openai/index.js';
import { makeTempDir } from './support/temp.js';

describe('costbench models', () => {
  it('Ollama: installed models, the loaded one marked', async () => {
    const server = await startFakeOllama();
    try {
      await fetch(`${server.url}/api/chat`, {
        method: 'POST',
        body: JSON.stringify({ model: 'llama3.2:latest', messages: [], stream: false }),
      });
      const result = await runCli(['models', '--host', server.url]);
      expect(result.code, result.stderr).toBe(0);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toBe(`Ollama 0.13.0 at ${server.url}: 2 installed`);
      expect(lines.filter((l) => l.includes('[loaded]')).map((l) => l.trim().split(' ')[0])).toEqual([
        'llama3.2:latest',
      ]);
    } finally {
      await server.close();
    }
  });

  it('vLLM: the served models count as loaded; LM Studio: whether they are loaded is unknown (null), not false', async () => {
    const vllm = await startFakeOpenAi({ flavor: 'vllm', models: ['Qwen/Qwen2.5-7B-Instruct'] });
    const lm = await startFakeOpenAi({
      flavor: 'lmstudio',
      models: ['qwen2.5-7b-instruct', 'llama-3.2-3b-instruct'],
    });
    try {
      const served = await runCli(['models', '--backend', 'openai', '--host', vllm.baseUrl]);
      expect(served.stdout.split('\n')[0]).toBe(
        `OpenAI-compatible server 0.11.0 at ${vllm.baseUrl}: 1 listed`,
      );
      expect(served.stdout).toMatch(/Qwen\/Qwen2\.5-7B-Instruct .*\[loaded\]/);
      const listed = await runCli(['models', '--backend', 'openai', '--host', lm.baseUrl]);
      expect(listed.stdout.split('\n')[0]).toBe(
        `OpenAI-compatible server unknown at ${lm.baseUrl}: 2 listed (the server does not say which are loaded)`,
      );
      expect(listed.stdout).not.toContain('[loaded]');
      const json = await runCli(['models', '--backend', 'openai', '--host', lm.baseUrl, '--json']);
      expect(
        (JSON.parse(json.stdout) as { models: { loaded: boolean | null }[] }).models.map((m) => m.loaded),
      ).toEqual([null, null]);
    } finally {
      await vllm.close();
      await lm.close();
    }
  });

  it('a run asking for a model the OpenAI-compatible server does not serve: exit 5, the served ones, how to serve it', async () => {
    const server = await startFakeOpenAi({ flavor: 'llama.cpp' });
    const dir = makeTempDir();
    try {
      const result = await runCli([
        'run',
        '--backend',
        'openai',
        '--host',
        server.baseUrl,
        '--model',
        'mistral',
        '--db',
        join(dir.path, 'm.db'),
      ]);
      expect(result.code).toBe(5);
      expect(result.stderr).toBe(
        `costbench: model "mistral" is not served by ${server.baseUrl}\n  hint: Available: qwen2.5-7b-instruct. Or serve it (llama-server -m <file.gguf>, vllm serve <model>, or load it in LM Studio)\n`,
      );
    } finally {
      await server.close();
      dir.remove();
    }
  });
});
