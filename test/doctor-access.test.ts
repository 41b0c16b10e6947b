import { mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorCommand, type DoctorDeps } from '../src/cli/commands/doctor.js';
import { readVirtualization } from '../src/inventory/virtualization-read.js';
import type { MachineInventory } from '../src/store/inventory.js';
import type { MachineReading } from '../src/inventory/machine.js';
import { cpuFactsFromModel } from '../src/telemetry/estimate.js';
import { denyingReadFile, fixtureIo } from './support/access-io.js';
import { startFakeOllama, type FakeOllama } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';
import { captureIo } from './support/capture-io.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const INTEL = join(FIXTURES, 'sys-rapl', 'intel-desktop');
const APU = join(FIXTURES, 'sys-amd', 'apu');
const NO_PROC = join(FIXTURES, 'vm', 'missing');

/** The machine doctor is told it runs on: never this one. */
function machine(virtualization?: MachineInventory['virtualization']): MachineReading {
  const cpuModel = 'Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz';
  return {
    hostname: 'box',
    platform: 'linux',
    osRelease: '6.8',
    arch: 'x64',
    cpuModel,
    cpuFacts: cpuFactsFromModel(cpuModel, 12),
    cpuCores: 12,
    memoryBytes: 16 * 1024 ** 3,
    gpus: [],
    nodeVersion: 'v20',
    collectedBy: 'test',
    ...(virtualization === undefined ? {} : { virtualization }),
  };
}

const BARE = readVirtualization({
  sysRoot: join(FIXTURES, 'vm', 'bare', 'sys'),
  procRoot: join(FIXTURES, 'vm', 'bare', 'proc'),
});

/** The lines of a doctor section: from its title to the next blank line. */
function section(out: string, title: string): string[] {
  const lines = out.split('\n');
  const start = lines.indexOf(title);
  if (start < 0) throw new Error(`no section "${title}" in:\n${out}`);
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end);
}

interface DoctorJson {
  sources: {
    source: string;
    hint: string | null;
    channels: { key: string; kind: string; guestSide: boolean }[];
  }[];
  access: {
    source: string;
    problem: string;
    steps: { say: string; run: string[] }[];
    check: string[];
    tradeOff: string;
  }[];
  virtualization: { isVm: boolean | null; host: string | null; notes: string[] } | null;
}

describe('costbench doctor: read access in one step (injected refusals, fixture trees)', () => {
  const dir = makeTempDir();
  let server: FakeOllama;
  beforeAll(async () => {
    server = await startFakeOllama();
  });
  afterAll(async () => {
    await server.close();
    dir.remove();
  });

  async function doctor(env: NodeJS.ProcessEnv, deps: DoctorDeps, json = false): Promise<string> {
    const { io, stdout } = captureIo({ PATH: '', ...env }, dir.path);
    const code = await doctorCommand(
      { host: server.url, db: join(dir.path, 'd.db'), ...(json ? { json: true } : {}) },
      io,
      deps,
    );
    expect(code, stdout()).toBe(0);
    return stdout();
  }

  const base: DoctorDeps = {
    user: 'alice',
    readInventory: async () => machine(BARE),
    devRoot: join(dir.path, 'no-dev'),
  };

  it('root-only RAPL: the group, the udev rule (or tmpfiles.d), the check and the trade-off, exactly', async () => {
    const env = { COSTBENCH_SYS_ROOT: INTEL, COSTBENCH_PROC_ROOT: NO_PROC };
    const deps = {
      ...base,
      telemetry: { readFile: denyingReadFile(/energy_uj$/) },
      accessIo: fixtureIo(/energy_uj$/),
    };
    const out = await doctor(env, deps);
    const zone0 = join(INTEL, 'class', 'powercap', 'intel-rapl:0', 'energy_uj');
    expect(out).toContain(
      '--    rapl: RAPL energy counters are readable by root only (CVE-2020-8694)\n        to enable: see "Read access: rapl" below\n',
    );
    expect(section(out, 'Read access: rapl')).toEqual([
      'Read access: rapl',
      `  RAPL energy counters are root-only (kernel commit 949dd0104c49, CVE-2020-8694): this user cannot read ${zone0} and 3 more energy_uj files.`,
      '  1. Create a group for it and join it:',
      '       sudo groupadd -f --system powercap',
      '       sudo usermod -aG powercap "$USER"',
      '  2. Let the group read the counters with a udev rule: it runs each time a RAPL zone appears, so it survives reboots and reloads of the intel_rapl modules. Apply it now too:',
      `       echo 'SUBSYSTEM=="powercap", KERNEL=="intel-rapl*:*", ACTION=="add", RUN+="/bin/chgrp powercap /sys%p/energy_uj /sys%p/max_energy_range_uj", RUN+="/bin/chmod g+r /sys%p/energy_uj /sys%p/max_energy_range_uj"' | sudo tee /etc/udev/rules.d/70-costbench-powercap.rules`,
      '       sudo udevadm control --reload-rules',
      '       sudo udevadm trigger --subsystem-match=powercap --action=add',
      '     or a tmpfiles.d file: systemd-tmpfiles applies it once at boot, so it survives a reboot (if the intel_rapl modules are loaded by then) but not a reload of them (the files come back root-only):',
      "       printf '%s\\n' 'z /sys/class/powercap/intel-rapl*:*/energy_uj 0440 root powercap -' 'z /sys/class/powercap/intel-rapl*:*/max_energy_range_uj 0440 root powercap -' | sudo tee /etc/tmpfiles.d/costbench-powercap.conf",
      '       sudo systemd-tmpfiles --create /etc/tmpfiles.d/costbench-powercap.conf',
      '  3. Log out and back in: a new group counts from the next login.',
      '  Check, as yourself:',
      `       cat ${zone0}   # prints a number, not "Permission denied"`,
      '       costbench doctor   # the source reads ok',
      "  Trade-off: members of powercap can read the CPU's energy counters, a side channel through which unprivileged code broke KASLR and leaked AES-NI keys (PLATYPUS), which is why the kernel made them root-only: add only users you trust.",
    ]);
    expect(section(out, 'To measure for real:')).toEqual([
      'To measure for real:',
      '  - grant read access to rapl as below, then run costbench doctor again',
      '  - add a wall meter (telemetry.meters: a Shelly or Tasmota plug, or a command such as `ipmitool dcmi power reading`, with "meter" in telemetry.sources): it measures the whole machine',
    ]);
    const json = JSON.parse(await doctor(env, deps, true)) as DoctorJson;
    expect(
      json.access.map((a) => a.source),
      '--json',
    ).toEqual(['rapl']);
    expect(json.access[0]?.steps[0]?.run).toEqual([
      'sudo groupadd -f --system powercap',
      'sudo usermod -aG powercap "$USER"',
    ]);
    expect(
      json.sources.find((s) => s.source === 'rapl')?.hint,
      "the sampler's own hint stays in JSON",
    ).toContain('udev');
  });

  it('readable (as root): no read-access advice at all', async () => {
    const env = { COSTBENCH_SYS_ROOT: INTEL, COSTBENCH_PROC_ROOT: NO_PROC };
    const out = await doctor(env, { ...base, accessIo: fixtureIo(null) });
    expect(out).not.toContain('Read access');
    expect(out).not.toContain('To measure for real');
    expect(out).toContain('ok    rapl: rapl:package-0 package-0 — counter, covers cpu-package\n');
    expect(
      (JSON.parse(await doctor(env, { ...base, accessIo: fixtureIo(null) }, true)) as DoctorJson).access,
    ).toEqual([]);
  });

  it('macOS: powermetrics refused by sudo: one sudoers line for the exact command lines, with visudo', async () => {
    const env = {
      PATH: [join(FIXTURES, 'bin-apple'), dirname(process.execPath)].join(delimiter),
      FAKE_SUDO_PASSWORD: '1',
    };
    const out = await doctor(env, { ...base, telemetry: { platform: 'darwin' } });
    expect(out).toContain(
      '--    powermetrics: sudo needs a password to run powermetrics (sudo -n refused)\n        to enable: see "Read access: powermetrics" below\n',
    );
    expect(section(out, 'Read access: powermetrics')).toEqual([
      'Read access: powermetrics',
      '  powermetrics needs root, and sudo -n (which costbench uses: it never prompts) was refused.',
      '  1. Open a sudoers drop-in with the syntax checker:',
      '       sudo visudo -f /etc/sudoers.d/costbench',
      '  2. Add this one line: it allows exactly the two powermetrics command lines costbench runs, no other arguments (-i 100 is telemetry.intervalMs, at least 100: after changing it, run doctor again):',
      '       alice ALL=(root) NOPASSWD: /usr/bin/powermetrics --samplers cpu_power -i 100 -n 1, /usr/bin/powermetrics --samplers cpu_power\\,gpu_power -i 100',
      '  Check, as yourself:',
      '       sudo -n /usr/bin/powermetrics --samplers cpu_power -i 100 -n 1   # prints one sample, asks no password',
      '       costbench doctor   # the source reads ok',
      '  Trade-off: this user can read power at will without a password, a side channel of the kind PLATYPUS used on Linux RAPL, but can run nothing else as root (no other command, no -o output file).',
    ]);
  });

  it('NVIDIA device nodes of group video: join it', async () => {
    const dev = join(dir.path, 'dev-nvidia');
    mkdirSync(dev, { recursive: true });
    for (const node of ['nvidia0', 'nvidiactl']) writeFileSync(join(dev, node), '');
    const closed = [join(dev, 'nvidia0'), join(dev, 'nvidiactl')];
    const deps = {
      ...base,
      devRoot: dev,
      accessIo: fixtureIo(null, closed, { [join(dev, 'nvidia0')]: 'video' }),
    };
    const out = await doctor(
      { COSTBENCH_SYS_ROOT: join(dir.path, 'no-sys'), COSTBENCH_PROC_ROOT: NO_PROC },
      deps,
    );
    expect(section(out, 'Read access: nvidia')).toEqual([
      'Read access: nvidia',
      `  this user cannot open ${join(dev, 'nvidia0')} and 1 more NVIDIA device node (group video), which nvidia-smi needs.`,
      '  1. Join group video:',
      '       sudo usermod -aG video "$USER"',
      '  2. Log out and back in: a new group counts from the next login.',
      '  Check, as yourself:',
      '       id -nG   # lists video',
      '       nvidia-smi --query-gpu=power.draw --format=csv   # prints the board power, no NVML permission error',
      '       costbench doctor   # the source reads ok',
      '  Trade-off: members of video can run any work on the GPU, not only read its power.',
    ]);
  });

  it('AMD /dev/kfd root-only: a udev rule for the node, and the groups ROCm documents', async () => {
    const dev = join(dir.path, 'dev-amd');
    mkdirSync(dev, { recursive: true });
    writeFileSync(join(dev, 'kfd'), '');
    const deps = { ...base, devRoot: dev, accessIo: fixtureIo(null, [join(dev, 'kfd')]) };
    const out = await doctor(
      { COSTBENCH_SYS_ROOT: join(dir.path, 'no-sys'), COSTBENCH_PROC_ROOT: NO_PROC },
      deps,
    );
    expect(section(out, 'Read access: amd')).toEqual([
      'Read access: amd',
      `  this user cannot open ${join(dev, 'kfd')} (root only), which amd-smi and rocm-smi need.`,
      "  1. /dev/kfd is root-only here: a udev rule gives the node to group render (udev sets a device node's group and mode each time it appears, so it survives reboots):",
      `       echo 'SUBSYSTEM=="kfd", KERNEL=="kfd", GROUP="render", MODE="0660"' | sudo tee /etc/udev/rules.d/70-costbench-kfd.rules`,
      '       sudo udevadm control --reload-rules',
      '       sudo udevadm trigger --subsystem-match=kfd --action=add',
      '  2. Join the groups ROCm documents for /dev/kfd and /dev/dri:',
      '       sudo usermod -aG render,video "$USER"',
      '  3. Log out and back in: a new group counts from the next login.',
      '  Check, as yourself:',
      '       id -nG   # lists render',
      '       amd-smi metric -p   # prints power, no permission error',
      '       costbench doctor   # the source reads ok',
      '  Trade-off: members of render can run any work on the GPU, not only read its power.',
    ]);
  });

  it('amdgpu hwmon power files unreadable: a udev rule on the sensor; the hwmon source points to it', async () => {
    const deny = /power1_(input|average)$/;
    const deps = { ...base, telemetry: { readFile: denyingReadFile(deny) }, accessIo: fixtureIo(deny) };
    const out = await doctor({ COSTBENCH_SYS_ROOT: APU, COSTBENCH_PROC_ROOT: NO_PROC }, deps);
    const file = join(APU, 'class/drm/card0/device/hwmon/hwmon6/power1_average');
    expect(out).toContain(
      `--    hwmon: permission denied reading ${file}\n        to enable: see "Read access: hwmon" below\n`,
    );
    expect(section(out, 'Read access: hwmon')).toEqual([
      'Read access: hwmon',
      `  this user cannot read ${file}, amdgpu's power readings.`,
      '  1. Give group video read access with a udev rule: it runs each time the amdgpu sensor appears, so it survives reboots and driver reloads. Apply it now too:',
      `       echo 'SUBSYSTEM=="hwmon", ATTR{name}=="amdgpu", ACTION=="add", RUN+="/bin/sh -c 'chgrp video /sys%p/power1_* && chmod g+r /sys%p/power1_*'"' | sudo tee /etc/udev/rules.d/70-costbench-amdgpu-power.rules`,
      '       sudo udevadm control --reload-rules',
      '       sudo udevadm trigger --subsystem-match=hwmon --action=add',
      '  2. Join group video:',
      '       sudo usermod -aG video "$USER"',
      '  3. Log out and back in: a new group counts from the next login.',
      '  Check, as yourself:',
      `       cat ${file}   # prints a number, not "Permission denied"`,
      '       costbench doctor   # the source reads ok',
      "  Trade-off: members of video can read the GPU's power, a side channel of the kind PLATYPUS used on CPU energy counters: add only users you trust.",
    ]);
  });
});
