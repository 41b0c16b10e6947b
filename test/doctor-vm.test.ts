import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand } from '../src/cli/commands/doctor.js';
import { readVirtualization } from '../src/inventory/virtualization-read.js';
import type { Virtualization } from '../src/inventory/virtualization.js';
import type { MachineReading } from '../src/inventory/machine.js';
import { cpuFactsFromModel } from '../src/telemetry/estimate.js';
import { fixtureIo } from './support/access-io.js';
import { runCli } from './support/cli.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';
import { captureIo } from './support/capture-io.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const VM_FIXTURES = join(FIXTURES, 'vm');
const CPU = 'Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz';

function fact(name: string): Virtualization {
  return readVirtualization({
    sysRoot: join(VM_FIXTURES, name, 'sys'),
    procRoot: join(VM_FIXTURES, name, 'proc'),
  });
}

function machine(virtualization: Virtualization): MachineReading {
  return {
    hostname: 'box',
    platform: 'linux',
    osRelease: '6.8',
    arch: 'x64',
    cpuModel: CPU,
    cpuCores: 12,
    cpuFacts: cpuFactsFromModel(CPU, 12),
    memoryBytes: 16 * 1024 ** 3,
    gpus: [],
    nodeVersion: 'v20',
    collectedBy: 'test',
    virtualization,
  };
}

const VM_LINES = [
  'Virtual machine: yes, QEMU (cpuinfo flags include "hypervisor"; DMI sys_vendor "QEMU", product_name "Standard PC (Q35 + ICH9, 2009)")',
  "  A guest cannot see its host's power: what the host draws for its CPUs, memory, fans and power supply is invisible from inside (a GPU passed through whole to the guest still reports its own board power).",
  "  What can: the host's own tools run on the host (RAPL, nvidia-smi, rocm-smi or amd-smi), a wall meter at the host's plug, or the cloud provider's carbon data (e.g. AWS Customer Carbon Footprint Tool, Google Cloud Carbon Footprint: monthly, per account, not per run).",
  "  Any estimate made here is a guest-side ESTIMATE: the CPU model's rated power scaled by this guest's own CPU use; the host's real draw (other guests, its own load) is not in it.",
];

describe('costbench doctor in a virtual machine (fake inventory)', () => {
  const dir = makeTempDir();
  let server: FakeOllama;
  beforeAll(async () => {
    server = await startFakeOllama();
    copyFileSync(join(FIXTURES, 'proc', 'stat-0'), join(dir.path, 'stat'));
    writeFileSync(
      join(dir.path, 'config.json'),
      JSON.stringify({ telemetry: { sources: ['estimate'], cpuTdpW: 65 } }),
    );
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  /** doctor with only the CPU estimate configured, /proc/stat from a fixture, on the given machine. */
  async function doctor(v: Virtualization, json = false): Promise<string> {
    const env = {
      PATH: '',
      COSTBENCH_CONFIG: join(dir.path, 'config.json'),
      COSTBENCH_SYS_ROOT: join(dir.path, 'no-sys'),
      COSTBENCH_PROC_ROOT: dir.path,
    };
    const { io, stdout } = captureIo(env, dir.path);
    const deps = {
      readInventory: async () => machine(v),
      accessIo: fixtureIo(null),
      devRoot: join(dir.path, 'no-dev'),
      user: 'alice',
    };
    await doctorCommand(
      { host: server.url, db: join(dir.path, 'd.db'), ...(json ? { json: true } : {}) },
      io,
      deps,
    );
    return stdout();
  }

  it('says VM with its evidence, what cannot and what can measure, and labels the estimate guest-side', async () => {
    const out = await doctor(fact('kvm'));
    expect(out).toContain(`ok    estimate: estimate:cpu ${CPU} — guest-side ESTIMATE, covers cpu\n`);
    expect(out).toContain(
      '\nTo measure for real:\n  - this is a virtual machine: measure its host instead (see "Virtual machine" below)\n',
    );
    expect(out.trimEnd().split('\n').slice(-4), 'the last section').toEqual(VM_LINES);

    const json = JSON.parse(await doctor(fact('kvm'), true)) as {
      virtualization: Virtualization & { notes: string[] };
      sources: { source: string; channels: { kind: string; guestSide: boolean }[] }[];
    };
    expect(json.virtualization).toEqual({ ...fact('kvm'), notes: VM_LINES.slice(1).map((l) => l.trim()) });
    expect(
      json.sources.find((s) => s.source === 'estimate')?.channels.map((c) => [c.kind, c.guestSide]),
    ).toEqual([['estimate', true]]);
  });

  it('not a VM: says no, with the signals read, and keeps the plain ESTIMATE label', async () => {
    const out = await doctor(fact('bare'));
    expect(out).toContain(`ok    estimate: estimate:cpu ${CPU} — ESTIMATE, covers cpu\n`);
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'Virtual machine: no (cpuinfo flags lack "hypervisor"; DMI sys_vendor "Dell Inc.", product_name "PowerEdge R750")',
    );
    expect(out).not.toContain('guest');
    const json = JSON.parse(await doctor(fact('bare'), true)) as { virtualization: { notes: string[] } };
    expect(json.virtualization.notes).toEqual([]);
  });

  it('nothing readable: unknown, never "no"', async () => {
    const out = await doctor({ isVm: null, host: null, evidence: [] });
    expect(out.trimEnd().split('\n').at(-1)).toBe(
      'Virtual machine: unknown (no cpuinfo flags or DMI identity could be read)',
    );
  });

  it('the real CLI reads the VM signals from COSTBENCH_SYS_ROOT / COSTBENCH_PROC_ROOT (no injection)', async () => {
    const result = await runCli(
      ['doctor', '--host', server.url, '--db', join(dir.path, 'cli.db')],
      {
        PATH: '',
        COSTBENCH_SYS_ROOT: join(VM_FIXTURES, 'kvm', 'sys'),
        COSTBENCH_PROC_ROOT: join(VM_FIXTURES, 'kvm', 'proc'),
      },
      dir.path,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trimEnd().split('\n').slice(-4)).toEqual(VM_LINES);
  });
});
