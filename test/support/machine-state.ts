import type { GpuState, MachineState } from '../../src/inventory/machine-state.js';

/** An NVIDIA GPU at stock settings, with persistence on. */
export function stockGpu(overrides: Partial<GpuState> = {}): GpuState {
  return {
    vendor: 'nvidia',
    index: 0,
    name: 'NVIDIA GeForce RTX 4090',
    driverVersion: '550.54.14',
    powerLimitW: 450,
    defaultPowerLimitW: 450,
    enforcedPowerLimitW: 450,
    persistenceMode: true,
    smClockMhz: 210,
    memClockMhz: 405,
    maxSmClockMhz: 3120,
    pstate: 'P8',
    temperatureC: 34,
    performanceLevel: null,
    ...overrides,
  };
}

/** A Linux machine with nothing to warn about: performance governor, on mains, idle, one stock GPU. */
export function quietState(overrides: Partial<MachineState> = {}): MachineState {
  return {
    collectedAt: '2026-11-27T10:00:00.000Z',
    phase: 'start',
    platform: 'linux',
    cpu: {
      cpuCount: 8,
      scalingDrivers: ['acpi-cpufreq'],
      governors: ['performance'],
      energyPerfPreferences: null,
      scalingMinKhz: 800000,
      scalingMaxKhz: 4200000,
      cpuinfoMaxKhz: 4200000,
      cappedCpuCount: 0,
      boost: true,
    },
    power: { onMains: true, batteries: [] },
    loadAverage: [0.3, 0.25, 0.2],
    gpus: [stockGpu()],
    gpuProcesses: [{ pid: 1000, processName: 'ollama', usedMemoryMiB: 9000 }],
    errors: [],
    ...overrides,
  };
}
