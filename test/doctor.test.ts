import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

interface DoctorJson {
  checks: { name: string; ok: boolean }[];
  sources: { source: string; available: boolean; reason: string | null; hint: string | null; channels: { key: string; kind: string; inTotal: boolean }[] }[];
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
      COSTBENCH_PROC_ROOT: join(FIXTURES, 'proc-doctor-missing'),
    });
    expect(result.code, result.stderr).toBe(0);
    const doctor = JSON.parse(result.stdout) as DoctorJson;
    expect(doctor.checks).toEqual([{ name: 'ollama', ok: true, detail: `Ollama 0.13.0 at ${server.url}, 2 model(s) installed`, hint: null }, expect.objectContaining({ name: 'database', ok: true })]);
    const byName = new Map(doctor.sources.map((s) => [s.source, s]));
    expect(byName.get('nvidia-smi')?.channels.map((c) => [c.key, c.kind, c.inTotal])).toEqual([['nvidia:0', 'sampled', true]]);
    expect(byName.get('rapl')?.channels.filter((c) => c.inTotal).map((c) => c.key)).toEqual(['rapl:package-0', 'rapl:package-0/dram']);
    expect(byName.get('powermetrics')).toMatchObject({ available: false, reason: 'powermetrics is macOS-only (this is linux)' });
    expect(byName.has('estimate'), 'no estimate where RAPL measures the CPU').toBe(false);
  });

  it('says Ollama is unreachable with exit 3, and still lists the sensors', async () => {
    const result = await runCli(['doctor', '--host', '127.0.0.1:59998', '--db', join(dir.path, 'd.db')], { PATH: process.env['PATH'] ?? '' });
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('FAIL  ollama: cannot reach Ollama at http://127.0.0.1:59998 (ECONNREFUSED)');
    expect(result.stdout).toContain('ok    database: ');
    expect(result.stdout).toMatch(/--\s+nvidia-smi: nvidia-smi not found on PATH/);
  });
});
