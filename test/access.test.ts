import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  adviseAccess,
  advisePowermetrics,
  adviseRapl,
  raplUdevRule,
} from '../src/telemetry/access-advice.js';
import { adviseAmd, adviseHwmon, adviseNvidia } from '../src/telemetry/access-advice-gpu.js';
import { parseEtcGroup, scanAccess } from '../src/telemetry/access-scan.js';
import { sudoersCommand, sudoersLine } from '../src/telemetry/apple-parse.js';
import { fixtureIo } from './support/access-io.js';
import { useTempDir } from './support/temp.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const INTEL = join(FIXTURES, 'sys-rapl', 'intel-desktop');
const DGPU = join(FIXTURES, 'sys-amd', 'dgpu');

describe('sudoers lines (pure)', () => {
  it('escapes , : = and \\ in arguments, as sudoers wants', () => {
    expect(sudoersCommand('/usr/bin/x', ['a,b', 'c:d', 'e=f', 'g\\h', '-i', '100'])).toBe(
      '/usr/bin/x a\\,b c\\:d e\\=f g\\\\h -i 100',
    );
  });

  it('names exactly the two powermetrics command lines costbench runs', () => {
    expect(sudoersLine('alice', 250)).toBe(
      'alice ALL=(root) NOPASSWD: /usr/bin/powermetrics --samplers cpu_power -i 100 -n 1, ' +
        '/usr/bin/powermetrics --samplers cpu_power\\,gpu_power -i 250',
    );
  });
});

describe('scanning for refused sources (fixture trees, injected refusals)', () => {
  const tempDir = useTempDir();

  it('RAPL: every zone whose energy_uj is refused, and the group owning the first', () => {
    const zone = (id: string): string => join(INTEL, 'class', 'powercap', id, 'energy_uj');
    const facts = scanAccess(fixtureIo(/energy_uj$/, [], { [zone('intel-rapl:0')]: 'root' }), {
      sysRoot: INTEL,
      devRoot: join(INTEL, 'no-dev'),
    });
    expect(facts).toEqual({
      rapl: {
        paths: ['intel-rapl:0', 'intel-rapl:0:0', 'intel-rapl:0:1', 'intel-rapl:0:2'].map(zone),
        group: 'root',
      },
      hwmon: null,
      nvidia: null,
      amd: null,
    });
  });

  it('nothing refused (as root): nothing to advise', () => {
    const facts = scanAccess(fixtureIo(null), { sysRoot: INTEL, devRoot: join(INTEL, 'no-dev') });
    expect(facts).toEqual({ rapl: null, hwmon: null, nvidia: null, amd: null });
    expect(
      adviseAccess({ facts, powermetricsRefused: false, powermetricsIntervalMs: 100, user: 'alice' }),
    ).toEqual([]);
  });

  it('hwmon: AMD cards only (the NVIDIA card1 is skipped), existing power files only', () => {
    const facts = scanAccess(fixtureIo(/power1_(input|average)$/), {
      sysRoot: DGPU,
      devRoot: join(DGPU, 'no-dev'),
    });
    const drm = join(DGPU, 'class', 'drm');
    expect(facts.hwmon?.paths).toEqual([
      join(drm, 'card0/device/hwmon/hwmon3/power1_input'),
      join(drm, 'card0/device/hwmon/hwmon3/power1_average'),
      join(drm, 'card2/device/hwmon/hwmon5/power1_average'),
    ]);
  });

  it('device nodes: the NVIDIA nodes and /dev/kfd this user may not open', () => {
    const dev = tempDir();
    for (const node of ['nvidia0', 'nvidiactl', 'nvidia-uvm', 'kfd', 'null'])
      writeFileSync(join(dev, node), '');
    mkdirSync(join(dev, 'dri'));
    const closed = [join(dev, 'nvidia0'), join(dev, 'nvidiactl'), join(dev, 'nvidia-uvm'), join(dev, 'kfd')];
    const facts = scanAccess(fixtureIo(null, closed, { [join(dev, 'kfd')]: 'render' }), {
      sysRoot: INTEL,
      devRoot: dev,
    });
    expect(facts.nvidia, 'nvidia-uvm is not what nvidia-smi opens').toEqual({
      paths: [join(dev, 'nvidia0'), join(dev, 'nvidiactl')],
      group: 'root',
    });
    expect(facts.amd).toEqual({ paths: [join(dev, 'kfd')], group: 'render' });
  });

  it('group names from /etc/group', () => {
    expect(parseEtcGroup('root:x:0:\nvideo:x:44:alice,bob\n# comment\nrender:x:993:\n')).toEqual(
      new Map([
        [0, 'root'],
        [44, 'video'],
        [993, 'render'],
      ]),
    );
  });
});

describe('the advice, exactly (pure)', () => {
  const one = { paths: ['/sys/class/powercap/intel-rapl:0/energy_uj'], group: 'root' };

  it('RAPL: the udev rule for both root-only files of every zone', () => {
    expect(raplUdevRule()).toBe(
      'SUBSYSTEM=="powercap", KERNEL=="intel-rapl*:*", ACTION=="add", ' +
        'RUN+="/bin/chgrp powercap /sys%p/energy_uj /sys%p/max_energy_range_uj", ' +
        'RUN+="/bin/chmod g+r /sys%p/energy_uj /sys%p/max_energy_range_uj"',
    );
    const a = adviseRapl(one);
    expect(a.steps.map((s) => s.run)).toEqual([
      ['sudo groupadd -f --system powercap', 'sudo usermod -aG powercap "$USER"'],
      [
        `echo '${raplUdevRule()}' | sudo tee /etc/udev/rules.d/70-costbench-powercap.rules`,
        'sudo udevadm control --reload-rules',
        'sudo udevadm trigger --subsystem-match=powercap --action=add',
      ],
      [],
    ]);
    expect(a.steps[1]?.instead?.run, 'the tmpfiles.d alternative').toEqual([
      "printf '%s\\n' 'z /sys/class/powercap/intel-rapl*:*/energy_uj 0440 root powercap -' " +
        "'z /sys/class/powercap/intel-rapl*:*/max_energy_range_uj 0440 root powercap -' " +
        '| sudo tee /etc/tmpfiles.d/costbench-powercap.conf',
      'sudo systemd-tmpfiles --create /etc/tmpfiles.d/costbench-powercap.conf',
    ]);
    expect(a.check).toEqual([
      'cat /sys/class/powercap/intel-rapl:0/energy_uj   # prints a number, not "Permission denied"',
      'costbench doctor   # the source reads ok',
    ]);
  });

  it('RAPL already given to group powercap (a rule is in place): join it and log in again, nothing else', () => {
    const a = adviseRapl({ ...one, group: 'powercap' });
    expect(a.steps.map((s) => [s.say, s.run])).toEqual([
      [
        'The files are already readable by group powercap (a rule is in place); join it:',
        ['sudo usermod -aG powercap "$USER"'],
      ],
      ['Log out and back in: a new group counts from the next login.', []],
    ]);
  });

  it('powermetrics: visudo and the one line', () => {
    const a = advisePowermetrics('alice', 100);
    expect(a.steps.map((s) => s.run)).toEqual([
      ['sudo visudo -f /etc/sudoers.d/costbench'],
      [
        'alice ALL=(root) NOPASSWD: /usr/bin/powermetrics --samplers cpu_power -i 100 -n 1, /usr/bin/powermetrics --samplers cpu_power\\,gpu_power -i 100',
      ],
    ]);
    expect(a.check[0]).toBe(
      'sudo -n /usr/bin/powermetrics --samplers cpu_power -i 100 -n 1   # prints one sample, asks no password',
    );
  });

  it("NVIDIA: join the nodes' group; root-only nodes: the driver options that set them", () => {
    const nodes = ['/dev/nvidia0', '/dev/nvidiactl'];
    expect(adviseNvidia({ paths: nodes, group: 'video' }).steps.map((s) => s.run)).toEqual([
      ['sudo usermod -aG video "$USER"'],
      [],
    ]);
    const rootOnly = adviseNvidia({ paths: nodes, group: 'root' });
    expect(rootOnly.problem).toBe(
      'this user cannot open /dev/nvidia0 and 1 more NVIDIA device node (root only), which nvidia-smi needs',
    );
    expect(rootOnly.steps.map((s) => s.run)).toEqual([
      ['grep -rs NVreg_DeviceFile /etc/modprobe.d /usr/lib/modprobe.d'],
      ['options nvidia NVreg_DeviceFileGID=N NVreg_DeviceFileMode=0660'],
      ['sudo usermod -aG video "$USER"'],
    ]);
  });

  it('AMD /dev/kfd: join its group; root-only: a udev rule for the node and the groups ROCm documents', () => {
    expect(adviseAmd({ paths: ['/dev/kfd'], group: 'render' }).steps.map((s) => s.run)).toEqual([
      ['sudo usermod -aG render "$USER"'],
      [],
    ]);
    expect(adviseAmd({ paths: ['/dev/kfd'], group: 'root' }).steps.map((s) => s.run)).toEqual([
      [
        `echo 'SUBSYSTEM=="kfd", KERNEL=="kfd", GROUP="render", MODE="0660"' | sudo tee /etc/udev/rules.d/70-costbench-kfd.rules`,
        'sudo udevadm control --reload-rules',
        'sudo udevadm trigger --subsystem-match=kfd --action=add',
      ],
      ['sudo usermod -aG render,video "$USER"'],
      [],
    ]);
  });

  it('amdgpu hwmon files: a udev rule on the amdgpu sensor', () => {
    const a = adviseHwmon({
      paths: ['/sys/class/drm/card0/device/hwmon/hwmon3/power1_average'],
      group: 'root',
    });
    expect(a.steps[0]?.run[0]).toBe(
      `echo 'SUBSYSTEM=="hwmon", ATTR{name}=="amdgpu", ACTION=="add", ` +
        `RUN+="/bin/sh -c 'chgrp video /sys%p/power1_* && chmod g+r /sys%p/power1_*'"' | sudo tee /etc/udev/rules.d/70-costbench-amdgpu-power.rules`,
    );
  });

  it('in a fixed order: RAPL, hwmon, NVIDIA, AMD, powermetrics', () => {
    const d = { paths: ['/x'], group: 'root' };
    const all = adviseAccess({
      facts: { rapl: d, hwmon: d, nvidia: d, amd: d },
      powermetricsRefused: true,
      powermetricsIntervalMs: 100,
      user: 'u',
    });
    expect(all.map((a) => a.source)).toEqual(['rapl', 'hwmon', 'nvidia', 'amd', 'powermetrics']);
  });
});
