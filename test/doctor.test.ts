import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { startFakeOpenAi, type Flavor } from './support/fake-openai/index.js';
import { makeTempDir } from './support/temp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

interface DoctorJson {
  checks: { name: string; ok: boolean }[];
  sources: {
    source: string;
    available: boolean;
    reason: string | null;
    hint: string | null;
    channels: { key: string; kind: string; inTotal: boolean }[];
  }[];
}

describe('costbench doctor', () => {
  const dir = makeTempDir();
  let server: FakeOllama;
  beforeAll(async () => {
    server = await startFakeOllama();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  it('lists what is measurable, with how to enable the rest, as JSON', async () => {
    const result = await runCli(['doctor', '--json', '--host', server.url, '--db', join(dir.path, 'd.db')], {
      PATH: `${join(FIXTURES, 'bin')}:${process.env['PATH'] ?? ''}`,
      COSTBENCH_SYS_ROOT: join(FIXTURES, 'sys-rapl', 'intel-desktop'),
      COSTBENCH_NVML_LIB: 'none',
      COSTBENCH_PROC_ROOT: join(FIXTURES, 'proc-doctor-missing'),
    });
    expect(result.code, result.stderr).toBe(0);
    const doctor = JSON.parse(result.stdout) as DoctorJson;
    expect(doctor.checks).toEqual([
      {
        name: 'ollama',
        ok: true,
        detail: `Ollama 0.13.0 at ${server.url}, 2 model(s) installed`,
        hint: null,
      },
      expect.objectContaining({ name: 'database', ok: true }),
    ]);
    const byName = new Map(doctor.sources.map((s) => [s.source, s]));
    expect(byName.get('nvidia-smi')?.channels.map((c) => [c.key, c.kind, c.inTotal])).toEqual([
      ['nvidia:0', 'sampled', true],
    ]);
    expect(
      byName
        .get('rapl')
        ?.channels.filter((c) => c.inTotal)
        .map((c) => c.key),
    ).toEqual(['rapl:package-0', 'rapl:package-0/dram']);
    expect(byName.get('powermetrics')).toMatchObject({
      available: false,
      reason: 'powermetrics is macOS-only (this is linux)',
    });
    expect(byName.has('estimate'), 'no estimate where RAPL measures the CPU').toBe(false);
  });

  it('says Ollama is unreachable with exit 3, and still lists the sensors', async () => {
    const result = await runCli(['doctor', '--host', '127.0.0.1:59998', '--db', join(dir.path, 'd.db')], {
      PATH: process.env['PATH'] ?? '',
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      'FAIL  ollama: cannot reach Ollama at http://127.0.0.1:59998 (ECONNREFUSED)',
    );
    expect(result.stdout).toContain('ok    database: ');
    expect(result.stdout).toMatch(/--\s+nvidia-smi: nvidia-smi not found on PATH/);
  });
});

describe('costbench doctor --backend openai', () => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());
  const env = { PATH: process.env['PATH'] ?? '' };

  const expected: Record<Flavor, { server: string; metrics: RegExp }> = {
    'llama.cpp': {
      server: 'llama.cpp server b6000-deadbee (from /props)',
      metrics: /^token counts and decode time from the server itself \(llama\.cpp timings\)$/,
    },
    vllm: {
      server: 'vLLM 0.11.0 (from /version)',
      metrics: /^token counts from the server's usage block .* decode speed is client-timed/,
    },
    lmstudio: {
      server:
        "an OpenAI-compatible server without llama.cpp's /props or vLLM's /version (LM Studio or another)",
      metrics: /^no usage in the stream: output tokens will be counted one per chunk \(ESTIMATE\)/,
    },
  };

  it.each(['llama.cpp', 'vllm', 'lmstudio'] as const)(
    'names the %s server and, from one 2-token request, the counts and timings a run will get',
    async (flavor) => {
      const server = await startFakeOpenAi({ flavor, models: ['m-one', 'm-two'] });
      try {
        const result = await runCli(
          [
            'doctor',
            '--json',
            '--backend',
            'openai',
            '--host',
            server.baseUrl,
            '--model',
            'm-two',
            '--db',
            join(dir.path, 'd.db'),
          ],
          env,
        );
        expect(result.code, result.stderr).toBe(0);
        const doctor = JSON.parse(result.stdout) as {
          checks: { name: string; ok: boolean; detail: string; hint: string | null }[];
        };
        expect(doctor.checks[0]).toEqual({
          name: 'server',
          ok: true,
          detail: `${expected[flavor].server} at ${server.baseUrl}; 2 model(s) listed: m-one, m-two`,
          hint: null,
        });
        expect(doctor.checks[1]?.name).toBe('server metrics');
        expect(doctor.checks[1]?.detail).toMatch(expected[flavor].metrics);
        expect(doctor.checks[1]?.hint !== null, 'a hint only where counts are estimates').toBe(
          flavor === 'lmstudio',
        );
        const probes = server.requests.filter((r) => r.stream);
        expect(probes.map((r) => [r.model, r.body['max_tokens']])).toEqual([['m-two', 2]]);
      } finally {
        await server.close();
      }
    },
  );

  it('fails on a model the server does not list (exit 5), and on no server (exit 3), with the sensors still listed', async () => {
    const server = await startFakeOpenAi({ flavor: 'vllm' });
    try {
      const wrong = await runCli(
        [
          'doctor',
          '--backend',
          'openai',
          '--host',
          server.baseUrl,
          '--model',
          'nope',
          '--db',
          join(dir.path, 'd.db'),
        ],
        env,
      );
      expect(wrong.code).toBe(5);
      expect(wrong.stdout).toContain(
        'FAIL  server metrics: model "nope" is not listed by the server\n        hint: Use one of: qwen2.5-7b-instruct',
      );
      expect(server.requests, 'no probe was sent').toEqual([]);
    } finally {
      await server.close();
    }
    const gone = await runCli(
      [
        'doctor',
        '--backend',
        'openai',
        '--host',
        'http://127.0.0.1:59997/v1',
        '--db',
        join(dir.path, 'd.db'),
      ],
      env,
    );
    expect(gone.code).toBe(3);
    expect(gone.stdout).toContain(
      'FAIL  server: cannot reach the OpenAI-compatible server at http://127.0.0.1:59997/v1 (ECONNREFUSED)',
    );
    expect(gone.stdout).toMatch(/--\s+nvidia-smi: nvidia-smi not found on PATH/);
  });
});
