import { describe, expect, it } from 'vitest';
import { machineStateWarnings } from '../src/analysis/machine-state-warnings.js';
import type { CpuState, MachineState } from '../src/inventory/machine-state.js';
import { quietState, stockGpu } from './support/machine-state.js';

const OWN = [1000];
const cpu = (overrides: Partial<CpuState>): CpuState => ({ ...quietState().cpu, ...overrides });
const warn = (start: MachineState, end: MachineState | null = null, cores: number | null = 8): string[] =>
  machineStateWarnings(start, end, OWN, cores);

describe('machine state warnings', () => {
  it('say nothing about a quiet machine, with the model server among ownPids', () => {
    expect(warn(quietState(), quietState({ phase: 'end' })), 'quiet').toEqual([]);
  });

  it('name the battery level when on battery', () => {
    const power = {
      onMains: false,
      batteries: [{ name: 'BAT0', capacityPercent: 85, status: 'Discharging' }],
    };
    expect(warn(quietState({ power })), 'level').toEqual([
      'On battery power (BAT0 at 85%): laptops lower CPU and GPU clocks on battery; plug in for comparable results.',
    ]);
    const unknownLevel = { onMains: false, batteries: [] };
    expect(warn(quietState({ power: unknownLevel })), 'no level').toEqual([
      'On battery power (level unknown): laptops lower CPU and GPU clocks on battery; plug in for comparable results.',
    ]);
  });

  it('warn on powersave with acpi-cpufreq, not with intel_pstate unless the preference saves power', () => {
    expect(warn(quietState({ cpu: cpu({ governors: ['powersave'] }) })), 'acpi-cpufreq').toEqual([
      'CPU governor is powersave with the acpi-cpufreq driver: it keeps clocks low; set performance or schedutil.',
    ]);
    const pstate = cpu({
      scalingDrivers: ['intel_pstate'],
      governors: ['powersave'],
      energyPerfPreferences: ['balance_performance'],
    });
    expect(warn(quietState({ cpu: pstate })), 'intel_pstate, balance_performance').toEqual([]);
    const saving = { ...pstate, energyPerfPreferences: ['balance_power'] };
    expect(warn(quietState({ cpu: saving })), 'intel_pstate, balance_power').toEqual([
      'CPU energy-performance preference is balance_power: the CPU favours saving power over speed; ' +
        'set balance_performance or performance.',
    ]);
    expect(
      warn(quietState({ cpu: cpu({ scalingDrivers: null, governors: ['powersave'] }) })),
      'driver unknown',
    ).toEqual([]);
  });

  it('warn when boost is off, and about capped CPUs only while boost is on', () => {
    expect(warn(quietState({ cpu: cpu({ boost: false, cappedCpuCount: 8 }) })), 'boost off').toEqual([
      'CPU boost (turbo) is off: clocks stay at or below base frequency.',
    ]);
    expect(warn(quietState({ cpu: cpu({ cappedCpuCount: 2 }) })), 'capped').toEqual([
      '2 of 8 CPUs have scaling_max_freq below their hardware maximum: their clocks are capped.',
    ]);
  });

  it('warn when the 1-minute load exceeds half the cores', () => {
    expect(warn(quietState({ loadAverage: [4, 1, 1] }), null, 8), 'at 0.5 per core').toEqual([]);
    expect(warn(quietState({ loadAverage: [4.01, 1, 1] }), null, 8), 'over').toEqual([
      'Load average at start was 4.01 on 8 CPU cores (over 0.5 per core): other work competes for the CPU.',
    ]);
    expect(warn(quietState({ loadAverage: [40, 1, 1] }), null, null), 'cores unknown').toEqual([]);
  });

  it('give both power limits in W when a GPU is below its default', () => {
    const gpus = [stockGpu({ powerLimitW: 300, enforcedPowerLimitW: 300 })];
    expect(warn(quietState({ gpus })), 'limit').toEqual([
      'GPU 0 (NVIDIA GeForce RTX 4090) power limit is 300 W, below its default of 450 W: it runs slower than stock.',
    ]);
    const amd = [
      stockGpu({
        vendor: 'amd',
        index: 1,
        name: null,
        powerLimitW: 180.5,
        defaultPowerLimitW: 203,
        performanceLevel: 'low',
        persistenceMode: null,
      }),
    ];
    expect(warn(quietState({ gpus: amd })), 'amd').toEqual([
      'GPU card1 power limit is 180.5 W, below its default of 203 W: it runs slower than stock.',
      'GPU card1 performance level is forced to low: its clocks are held at their minimum.',
    ]);
  });

  it('note persistence mode off on Linux only', () => {
    const gpus = [stockGpu({ persistenceMode: false })];
    expect(warn(quietState({ gpus })), 'linux').toEqual([
      'GPU 0 (NVIDIA GeForce RTX 4090) has persistence mode off: the driver may unload when idle, adding cold-start ' +
        'latency (nvidia-smi -pm 1 turns it on).',
    ]);
    expect(warn(quietState({ gpus, platform: 'win32' })), 'windows').toEqual([]);
  });

  it('name each other GPU process once, from start or end, leaving out ownPids', () => {
    const start = quietState({
      gpuProcesses: [
        { pid: 1000, processName: 'ollama', usedMemoryMiB: 9000 },
        { pid: 4242, processName: '/usr/bin/python3', usedMemoryMiB: 20480 },
      ],
    });
    const end = quietState({
      phase: 'end',
      gpuProcesses: [
        { pid: 4242, processName: '/usr/bin/python3', usedMemoryMiB: 20480 },
        { pid: 5151, processName: 'Xorg', usedMemoryMiB: null },
      ],
    });
    expect(warn(start, end), 'processes').toEqual([
      'Another process uses the GPU: /usr/bin/python3 (pid 4242, 20480 MiB); it competes for GPU time and memory.',
      'Another process uses the GPU: Xorg (pid 5151, memory unknown); it competes for GPU time and memory.',
    ]);
  });

  it('say what changed between start and end', () => {
    const end = quietState({
      phase: 'end',
      cpu: cpu({ governors: ['powersave', 'performance'].sort(), boost: false }),
      power: { onMains: false, batteries: [{ name: 'BAT0', capacityPercent: 97, status: 'Discharging' }] },
      gpus: [stockGpu({ powerLimitW: 300 })],
    });
    expect(warn(quietState(), end), 'changes').toEqual([
      'CPU governor changed during the run: performance at start, performance, powersave at end.',
      'CPU boost changed during the run: on at start, off at end.',
      'Power source changed during the run: mains at start, battery at end.',
      'GPU 0 (NVIDIA GeForce RTX 4090) power limit changed during the run: 450 W at start, 300 W at end.',
    ]);
    const unknownEnd = quietState({
      phase: 'end',
      cpu: cpu({ governors: null, boost: null }),
      power: { onMains: null, batteries: [] },
      gpus: null,
    });
    expect(warn(quietState(), unknownEnd), 'unknown at end is no change').toEqual([]);
  });
});
