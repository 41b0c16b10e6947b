import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVirtualizationFact } from '../src/inventory/machine.js';
import { readVirtualization } from '../src/inventory/virtualization-read.js';
import {
  combineVirtualization,
  matchDmiIdentity,
  parseCpuinfoHypervisor,
  type Virtualization,
} from '../src/inventory/virtualization.js';
import { openDb } from '../src/store/db.js';
import { getMachine, insertMachine, type MachineInventory } from '../src/store/inventory.js';
import { insertRun } from '../src/store/runs.js';
import { useTempDir } from './support/temp.js';

const VM = join(import.meta.dirname, 'fixtures', 'vm');

/** The fixture machine's roots. */
function roots(name: string): { sysRoot: string; procRoot: string } {
  return { sysRoot: join(VM, name, 'sys'), procRoot: join(VM, name, 'proc') };
}

const HYPERVISOR_FLAG = {
  signal: 'cpuinfo',
  saysVm: true,
  detail: 'cpuinfo flags include "hypervisor"',
} as const;
const NO_HYPERVISOR_FLAG = {
  signal: 'cpuinfo',
  saysVm: false,
  detail: 'cpuinfo flags lack "hypervisor"',
} as const;

describe('the cpuinfo hypervisor flag (pure)', () => {
  it('is read from the flags lines, as a whole word; ARM has none, so it says nothing there', () => {
    expect(
      parseCpuinfoHypervisor('processor\t: 0\nflags\t\t: fpu vme hypervisor lahf_lm\n'),
      'x86 guest',
    ).toBe(true);
    expect(parseCpuinfoHypervisor('flags\t\t: fpu vme vmx lahf_lm\n'), 'x86 host (vmx is not the flag)').toBe(
      false,
    );
    expect(parseCpuinfoHypervisor('flags\t\t: fpu hypervisorx\n'), 'a longer word').toBe(false);
    expect(parseCpuinfoHypervisor('Features\t: fp asimd evtstrm aes\n'), 'ARM').toBeNull();
    expect(parseCpuinfoHypervisor(''), 'empty').toBeNull();
  });
});

describe('DMI identities of hypervisors and clouds (pure)', () => {
  const cases: [string, string | null, string | null, { host: string; vm: boolean } | null][] = [
    ['QEMU', 'QEMU', 'Standard PC (i440FX + PIIX, 1996)', { host: 'QEMU', vm: true }],
    ['KVM over QEMU: product_name first', 'QEMU', 'KVM', { host: 'KVM', vm: true }],
    ['VMware', 'VMware, Inc.', 'VMware Virtual Platform', { host: 'VMware', vm: true }],
    ['VirtualBox', 'innotek GmbH', 'VirtualBox', { host: 'VirtualBox', vm: true }],
    ['Hyper-V / Azure', 'Microsoft Corporation', 'Virtual Machine', { host: 'Microsoft Hyper-V', vm: true }],
    ['Xen', 'Xen', 'HVM domU', { host: 'Xen', vm: true }],
    ['EC2 instance', 'Amazon EC2', 'm5.large', { host: 'Amazon EC2', vm: true }],
    ['EC2 bare metal', 'Amazon EC2', 'm5.metal', { host: 'Amazon EC2', vm: false }],
    ['Google Compute Engine', 'Google', 'Google Compute Engine', { host: 'Google Compute Engine', vm: true }],
    ['DigitalOcean', 'DigitalOcean', 'Droplet', { host: 'DigitalOcean', vm: true }],
    [
      'Parallels',
      'Parallels Software International Inc.',
      'Parallels Virtual Platform',
      { host: 'Parallels', vm: true },
    ],
    ['a Dell server', 'Dell Inc.', 'PowerEdge R750', null],
    ['a Microsoft laptop is not a VM', 'Microsoft Corporation', 'Surface Laptop 5', null],
    ['an Oracle server is not VirtualBox', 'Oracle Corporation', 'SUN SERVER X4-2', null],
    ['nothing read', null, null, null],
  ];
  it.each(cases)('%s', (_name, sysVendor, productName, expected) => {
    expect(matchDmiIdentity({ sysVendor, productName })).toEqual(expected);
  });
});

describe('the virtualization fact from fixture trees (readVirtualization)', () => {
  it('a KVM guest: the hypervisor flag and DMI agree; DMI names the host', () => {
    expect(readVirtualization(roots('kvm'))).toEqual<Virtualization>({
      isVm: true,
      host: 'QEMU',
      evidence: [
        HYPERVISOR_FLAG,
        {
          signal: 'dmi',
          saysVm: true,
          detail: 'DMI sys_vendor "QEMU", product_name "Standard PC (Q35 + ICH9, 2009)"',
        },
      ],
    });
  });

  it('an EC2 bare-metal instance is not a VM', () => {
    expect(readVirtualization(roots('ec2-metal'))).toEqual<Virtualization>({
      isVm: false,
      host: null,
      evidence: [
        NO_HYPERVISOR_FLAG,
        {
          signal: 'dmi',
          saysVm: false,
          detail: 'DMI sys_vendor "Amazon EC2", product_name "m5.metal" (an Amazon EC2 bare-metal instance)',
        },
      ],
    });
  });

  it('a physical server is not a VM', () => {
    expect(readVirtualization(roots('bare'))).toEqual<Virtualization>({
      isVm: false,
      host: null,
      evidence: [
        NO_HYPERVISOR_FLAG,
        { signal: 'dmi', saysVm: false, detail: 'DMI sys_vendor "Dell Inc.", product_name "PowerEdge R750"' },
      ],
    });
  });

  it('an ARM guest (no hypervisor flag on ARM): DMI alone says VM', () => {
    expect(readVirtualization(roots('graviton'))).toEqual<Virtualization>({
      isVm: true,
      host: 'Amazon EC2',
      evidence: [
        { signal: 'dmi', saysVm: true, detail: 'DMI sys_vendor "Amazon EC2", product_name "m7g.large"' },
      ],
    });
  });

  it('no DMI (a container in a VM, as on this CI): the flag alone says VM, host not named', () => {
    expect(
      readVirtualization({ sysRoot: join(VM, 'no-dmi', 'missing'), procRoot: join(VM, 'no-dmi', 'proc') }),
    ).toEqual<Virtualization>({ isVm: true, host: null, evidence: [HYPERVISOR_FLAG] });
  });

  it('nothing readable: unknown, not "no"', () => {
    expect(
      readVirtualization({ sysRoot: join(VM, 'missing'), procRoot: join(VM, 'missing') }),
    ).toEqual<Virtualization>({ isVm: null, host: null, evidence: [] });
  });

  it("systeminformation's flag counts, and names the host where DMI does not", () => {
    const v = combineVirtualization(
      null,
      { sysVendor: null, productName: null },
      { virtual: true, virtualHost: 'VMware' },
    );
    expect(v).toEqual<Virtualization>({
      isVm: true,
      host: 'VMware',
      evidence: [
        { signal: 'systeminformation', saysVm: true, detail: 'systeminformation: virtual, host VMware' },
      ],
    });
    const notVirtual = combineVirtualization(
      'flags\t: fpu hypervisor\n',
      { sysVendor: null, productName: null },
      { virtual: false },
    );
    expect(notVirtual.isVm, 'one signal saying VM is enough').toBe(true);
    expect(notVirtual.evidence.map((e) => e.detail)).toEqual([
      'cpuinfo flags include "hypervisor"',
      'systeminformation: not virtual',
    ]);
  });

  it('readVirtualizationFact with roots given reads only those trees (systeminformation left out)', async () => {
    const v = await readVirtualizationFact(roots('bare'));
    expect(v.isVm).toBe(false);
    expect(
      v.evidence.map((e) => e.signal),
      'no systeminformation: it would read this machine',
    ).toEqual(['cpuinfo', 'dmi']);
  });
});

describe('the fact is stored with the run machine (migration 0009)', () => {
  const tempDir = useTempDir();
  const MACHINE: MachineInventory = {
    hostname: 'guest',
    platform: 'linux',
    osRelease: '6.8',
    arch: 'x64',
    cpuModel: 'AMD EPYC 7B13',
    cpuCores: 2,
    memoryBytes: 8 * 1024 ** 3,
    gpus: [],
    nodeVersion: 'v20',
    collectedBy: 'test',
  };

  function newRun(db: ReturnType<typeof openDb>): number {
    return insertRun(db, {
      startedAt: '2026-11-27T10:00:00.000Z',
      backend: 'ollama',
      host: 'http://127.0.0.1:11434',
      model: 'm',
      suiteId: 's',
      suiteVersion: '1',
      repeatCount: 1,
      plannedRequests: 1,
      settings: {},
      costbenchVersion: '0.1.0',
      pid: 1,
    });
  }

  it('round-trips a VM, a non-VM and an unknown; a machine stored without it reads back without it', () => {
    const db = openDb(join(tempDir(), 'vm.db'));
    try {
      const facts: Virtualization[] = [
        readVirtualization(roots('kvm')),
        readVirtualization(roots('bare')),
        { isVm: null, host: null, evidence: [] },
      ];
      for (const virtualization of facts) {
        const runId = newRun(db);
        insertMachine(db, runId, { ...MACHINE, virtualization });
        expect(getMachine(db, runId), `isVm ${String(virtualization.isVm)}`).toEqual({
          ...MACHINE,
          virtualization,
        });
      }
      const old = newRun(db);
      insertMachine(db, old, MACHINE);
      expect(getMachine(db, old), 'not recorded').toEqual(MACHINE);
      const row = db.prepare('SELECT is_vm, vm_host FROM run_machines WHERE run_id = 1').get();
      expect(row, 'typed columns').toEqual({ is_vm: 1, vm_host: 'QEMU' });
      // The machine id's hash (fleet identity) round-trips; a machine without one reads back without it.
      const hashed = newRun(db);
      insertMachine(db, hashed, { ...MACHINE, machineIdSha256: 'ab'.repeat(32) });
      expect(getMachine(db, hashed)).toEqual({ ...MACHINE, machineIdSha256: 'ab'.repeat(32) });
      expect(getMachine(db, old)).not.toHaveProperty('machineIdSha256');
    } finally {
      db.close();
    }
  });
});
