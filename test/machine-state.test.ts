import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBoost } from '../src/inventory/cpu-governor.js';
import { parseNvidiaComputeApps, parseNvidiaGpuState } from '../src/inventory/gpu-state.js';
import { parseLoadAverage } from '../src/inventory/load-average.js';
import { machineStateOptionsFromEnv, readMachineState } from '../src/inventory/machine-state.js';
import { parsePmsetBatt } from '../src/inventory/pmset.js';
import { summarizePowerSupplies } from '../src/inventory/power-supply.js';
import { toolExecFromPath } from '../src/inventory/run-tool.js';
import { useTempDir } from './support/temp.js';

const tempDir = useTempDir();
const WALL_MS = Date.parse('2026-11-27T10:00:00.000Z');

/** Writes files under root from a { 'relative/path': 'content' } map. */
function tree(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** A fake tool: a shell script in its own bin directory, for PATH. */
function fakeTool(bin: string, name: string, script: string): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, name), `#!/bin/sh\n${script}\n`);
  chmodSync(join(bin, name), 0o755);
}

const env = (bin: string): NodeJS.ProcessEnv => ({ PATH: `${bin}${delimiter}/usr/bin${delimiter}/bin` });

// Real nvidia-smi output of the two queries (--format=csv,noheader,nounits).
const GPU_CSV =
  '0, NVIDIA GeForce RTX 4090, 550.54.14, 300.00, 450.00, 300.00, Disabled, 2520, 10501, 3120, P2, 45\n' +
  '1, NVIDIA A100-SXM4-80GB, 550.54.14, 400.00, 400.00, 400.00, Enabled, [N/A], [Not Supported], 1410, P0, [N/A]\n';
const APPS_CSV = '1000, ollama, 9000\n4242, /usr/bin/python3, 20480\n5151, Xorg, [N/A]\n';
const NVIDIA_SCRIPT = `case "$1" in
  --query-gpu=*) printf '${GPU_CSV}' ;;
  --query-compute-apps=*) printf '${APPS_CSV}' ;;
  *) exit 2 ;;
esac`;

function cpu(n: number, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(files).map(([k, v]) => [`devices/system/cpu/cpu${n}/cpufreq/${k}`, `${v}\n`]),
  );
}

const HYBRID_CPUS = {
  ...cpu(0, {
    scaling_driver: 'intel_pstate',
    scaling_governor: 'powersave',
    scaling_min_freq: '800000',
    scaling_max_freq: '5400000',
    cpuinfo_max_freq: '5400000',
    energy_performance_preference: 'balance_power',
  }),
  ...cpu(1, {
    scaling_driver: 'intel_pstate',
    scaling_governor: 'powersave',
    scaling_min_freq: '400000',
    scaling_max_freq: '3000000',
    cpuinfo_max_freq: '4200000',
    energy_performance_preference: 'balance_performance',
  }),
  'devices/system/cpu/intel_pstate/no_turbo': '0\n',
  'devices/system/cpu/online': '0-1\n',
};
const LAPTOP_POWER = {
  'class/power_supply/AC/type': 'Mains\n',
  'class/power_supply/AC/online': '0\n',
  'class/power_supply/BAT0/type': 'Battery\n',
  'class/power_supply/BAT0/capacity': '85\n',
  'class/power_supply/BAT0/status': 'Discharging\n',
  'class/power_supply/hidpp_battery_0/type': 'Battery\n',
  'class/power_supply/hidpp_battery_0/scope': 'Device\n',
  'class/power_supply/hidpp_battery_0/capacity': '20\n',
  'class/power_supply/hidpp_battery_0/status': 'Discharging\n',
};
const AMD_CARD = {
  'class/drm/card1/device/vendor': '0x1002\n',
  'class/drm/card1/device/power_dpm_force_performance_level': 'auto\n',
  'class/drm/card1/device/hwmon/hwmon4/power1_cap': '180500000\n',
  'class/drm/card1/device/hwmon/hwmon4/power1_cap_default': '203000000\n',
  'class/drm/card0/device/vendor': '0x8086\n',
  'class/drm/card1-DP-1/status': 'connected\n',
};

describe('machine state parsers', () => {
  it('read nvidia-smi GPU state, [N/A] and [Not Supported] as null', () => {
    const parsed = parseNvidiaGpuState(GPU_CSV);
    expect(parsed.errors, 'errors').toEqual([]);
    expect(parsed.rows[0], 'rtx').toEqual({
      vendor: 'nvidia',
      index: 0,
      name: 'NVIDIA GeForce RTX 4090',
      driverVersion: '550.54.14',
      powerLimitW: 300,
      defaultPowerLimitW: 450,
      enforcedPowerLimitW: 300,
      persistenceMode: false,
      smClockMhz: 2520,
      memClockMhz: 10501,
      maxSmClockMhz: 3120,
      pstate: 'P2',
      temperatureC: 45,
      performanceLevel: null,
    });
    expect(parsed.rows[1], 'a100').toMatchObject({
      index: 1,
      persistenceMode: true,
      smClockMhz: null,
      memClockMhz: null,
      temperatureC: null,
      pstate: 'P0',
    });
    expect(parseNvidiaGpuState('0, short line\n').errors, 'bad line').toEqual([
      'nvidia-smi: unexpected GPU state line "0, short line"',
    ]);
  });

  it('read compute processes, a name with commas kept whole', () => {
    expect(parseNvidiaComputeApps(`${APPS_CSV}77, my, app, 12\n`).rows, 'apps').toEqual([
      { pid: 1000, processName: 'ollama', usedMemoryMiB: 9000 },
      { pid: 4242, processName: '/usr/bin/python3', usedMemoryMiB: 20480 },
      { pid: 5151, processName: 'Xorg', usedMemoryMiB: null },
      { pid: 77, processName: 'my, app', usedMemoryMiB: 12 },
    ]);
    expect(parseNvidiaComputeApps('\n'), 'none').toEqual({ rows: [], errors: [] });
  });

  it('read pmset -g batt', () => {
    const battery =
      "Now drawing from 'Battery Power'\n -InternalBattery-0 (id=4653155)\t85%; discharging; 5:12 remaining present: true\n";
    expect(parsePmsetBatt(battery), 'battery').toEqual({
      onMains: false,
      batteries: [{ name: 'InternalBattery-0', capacityPercent: 85, status: 'discharging' }],
    });
    const ac =
      "Now drawing from 'AC Power'\n -InternalBattery-0 (id=4653155)\t100%; charged; 0:00 remaining present: true\n";
    expect(parsePmsetBatt(ac).onMains, 'ac').toBe(true);
    expect(parsePmsetBatt("Now drawing from 'AC Power'\n"), 'mac mini').toEqual({
      onMains: true,
      batteries: [],
    });
    expect(parsePmsetBatt("Now drawing from 'UPS Power'\n").onMains, 'ups').toBeNull();
  });

  it('decide mains or battery from power_supply entries', () => {
    const s = (name: string, type: string, online: string | null, status: string | null = null) => ({
      name,
      type,
      online,
      capacity: null,
      status,
      scope: null,
    });
    expect(
      summarizePowerSupplies([s('AC', 'Mains', '1'), s('BAT0', 'Battery', null, 'Charging')]).onMains,
      'ac',
    ).toBe(true);
    expect(
      summarizePowerSupplies([s('ucsi', 'USB', '1'), s('BAT0', 'Battery', null, 'Full')]).onMains,
      'usb-c',
    ).toBe(true);
    expect(
      summarizePowerSupplies([s('AC', 'Mains', '0'), s('BAT0', 'Battery', null, 'Not charging')]).onMains,
      'unplugged',
    ).toBe(false);
    expect(summarizePowerSupplies([s('ucsi', 'USB', '0')]).onMains, 'desktop with a usb-c port').toBeNull();
    expect(summarizePowerSupplies([]), 'desktop').toEqual({ onMains: null, batteries: [] });
  });

  it('read boost and the load average', () => {
    expect(parseBoost({ cpufreqBoost: '0', noTurbo: '0' }), 'cpufreq/boost first').toBe(false);
    expect(parseBoost({ cpufreqBoost: null, noTurbo: '1' }), 'no_turbo').toBe(false);
    expect(parseBoost({ cpufreqBoost: null, noTurbo: null }), 'unknown').toBeNull();
    expect(parseLoadAverage('0.52 0.58 0.59 1/467 12345\n'), 'loadavg').toEqual([0.52, 0.58, 0.59]);
    expect(parseLoadAverage(''), 'empty').toBeNull();
  });
});

describe('readMachineState', () => {
  it('reads a Linux laptop with a hybrid CPU, an AMD card and two NVIDIA GPUs', async () => {
    const root = tempDir();
    const sysRoot = tree(join(root, 'sys'), { ...HYBRID_CPUS, ...LAPTOP_POWER, ...AMD_CARD });
    const procRoot = tree(join(root, 'proc'), { loadavg: '1.25 0.80 0.40 2/512 9999\n' });
    fakeTool(join(root, 'bin'), 'nvidia-smi', NVIDIA_SCRIPT);
    const options = {
      ...machineStateOptionsFromEnv(env(join(root, 'bin')), 'linux'),
      sysRoot,
      procRoot,
      wallClock: () => WALL_MS,
    };
    const state = await readMachineState('start', options);
    expect(state.collectedAt, 'collectedAt').toBe('2026-11-27T10:00:00.000Z');
    expect(state.cpu, 'cpu').toEqual({
      cpuCount: 2,
      scalingDrivers: ['intel_pstate'],
      governors: ['powersave'],
      energyPerfPreferences: ['balance_performance', 'balance_power'],
      scalingMinKhz: 400000,
      scalingMaxKhz: 5400000,
      cpuinfoMaxKhz: 5400000,
      cappedCpuCount: 1,
      boost: true,
    });
    expect(state.power, 'power').toEqual({
      onMains: false,
      batteries: [{ name: 'BAT0', capacityPercent: 85, status: 'Discharging' }],
    });
    expect(state.loadAverage, 'load').toEqual([1.25, 0.8, 0.4]);
    expect(
      state.gpus?.map((g) => [g.vendor, g.index, g.powerLimitW, g.defaultPowerLimitW, g.performanceLevel]),
      'gpus',
    ).toEqual([
      ['nvidia', 0, 300, 450, null],
      ['nvidia', 1, 400, 400, null],
      ['amd', 1, 180.5, 203, 'auto'],
    ]);
    expect(
      state.gpuProcesses?.map((p) => p.pid),
      'processes',
    ).toEqual([1000, 4242, 5151]);
    expect(state.errors, 'errors').toEqual([]);
  });

  it('records a missing tool, a missing tree and a permission error, and still returns', async () => {
    const root = tempDir();
    const sysRoot = tree(join(root, 'sys'), { ...HYBRID_CPUS });
    const denied = join(sysRoot, 'devices/system/cpu/cpu1/cpufreq/scaling_governor');
    const readFile = (path: string): string => {
      if (path === denied) throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      return readFileSync(path, 'utf8');
    };
    const options = {
      ...machineStateOptionsFromEnv(env(join(root, 'empty-bin')), 'linux'),
      sysRoot,
      procRoot: join(root, 'no-proc'),
      readFile,
    };
    const state = await readMachineState('end', options);
    expect(state.phase, 'phase').toBe('end');
    expect(state.cpu.governors, 'the readable governor').toEqual(['powersave']);
    expect([state.gpus, state.gpuProcesses, state.loadAverage, state.power.onMains], 'unknowns').toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(state.errors, 'errors').toEqual([
      'GPU state: nvidia-smi not found on PATH',
      `${denied}: permission denied (EACCES)`,
      `power source: ${join(sysRoot, 'class/power_supply')} not found`,
      `load average: ${join(root, 'no-proc', 'loadavg')} not readable`,
    ]);
  });

  it('uses pmset on macOS and skips sysfs and nvidia-smi', async () => {
    const root = tempDir();
    fakeTool(
      join(root, 'bin'),
      'pmset',
      `[ "$1 $2" = "-g batt" ] || exit 2
printf "Now drawing from 'Battery Power'\\n -InternalBattery-0 (id=4653155)\\t42%%; discharging; 2:10 remaining present: true\\n"`,
    );
    const options = {
      ...machineStateOptionsFromEnv(env(join(root, 'bin')), 'darwin'),
      loadavg: () => [2.5, 2, 1.5],
    };
    const state = await readMachineState('start', options);
    expect(state.power, 'power').toEqual({
      onMains: false,
      batteries: [{ name: 'InternalBattery-0', capacityPercent: 42, status: 'discharging' }],
    });
    expect([state.loadAverage, state.gpus], 'load, gpus').toEqual([[2.5, 2, 1.5], null]);
    expect(state.errors, 'errors').toEqual(['CPU frequency: not read on darwin (Linux sysfs only)']);
  });

  it('gives up on a tool that hangs, and reports a failing one', async () => {
    const bin = join(tempDir(), 'bin');
    fakeTool(bin, 'nvidia-smi', 'exec sleep 30');
    fakeTool(
      bin,
      'pmset',
      'echo "NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver."; exit 9',
    );
    const exec = toolExecFromPath(env(bin), 200);
    const started = Date.now();
    expect(await exec('nvidia-smi', []), 'hangs').toEqual({
      ok: false,
      error: 'nvidia-smi did not answer within 200 ms',
    });
    expect(Date.now() - started, 'well before the sleep ends').toBeLessThan(5_000);
    expect(await exec('pmset', []), 'fails').toEqual({
      ok: false,
      error:
        "pmset exited with code 9: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
    });
  });
});
