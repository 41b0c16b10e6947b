import { describe, expect, it } from 'vitest';
import { diffMachineStates } from '../src/analysis/machine-state-diff.js';
import { quietState, stockGpu } from './support/machine-state.js';

describe('diffMachineStates', () => {
  it('lists nothing for equal states, even with another pid and load', () => {
    const b = quietState({
      loadAverage: [0.3, 0.25, 0.2],
      gpuProcesses: [{ pid: 2000, processName: 'ollama', usedMemoryMiB: 1 }],
    });
    expect(diffMachineStates(quietState(), b), 'equal').toEqual([]);
    expect(diffMachineStates(null, null), 'both unknown').toEqual([]);
  });

  it('names each differing field, with whether it moves results', () => {
    const b = quietState({
      cpu: { ...quietState().cpu, governors: ['powersave'], boost: null },
      power: { onMains: false, batteries: [] },
      loadAverage: [2.5, 1, 0.5],
      gpus: [stockGpu({ powerLimitW: 300, temperatureC: 61 })],
      gpuProcesses: [],
    });
    expect(diffMachineStates(quietState(), b), 'diff').toEqual([
      { field: 'cpu.governors', a: 'performance', b: 'powersave', movesResults: true },
      { field: 'cpu.boost', a: 'true', b: 'unknown', movesResults: true },
      { field: 'power.onMains', a: 'true', b: 'false', movesResults: true },
      { field: 'loadAverage', a: '0.3, 0.25, 0.2', b: '2.5, 1, 0.5', movesResults: false },
      { field: 'gpu[0].powerLimitW', a: '450', b: '300', movesResults: true },
      { field: 'gpu[0].temperatureC', a: '34', b: '61', movesResults: false },
      { field: 'gpuProcesses', a: 'ollama', b: 'none', movesResults: true },
    ]);
  });

  it('shows a run without a state as unknown', () => {
    const a = quietState({ gpus: [], gpuProcesses: null, loadAverage: null });
    expect(diffMachineStates(a, null), 'against unknown').toEqual([
      { field: 'cpu.scalingDrivers', a: 'acpi-cpufreq', b: 'unknown', movesResults: true },
      { field: 'cpu.governors', a: 'performance', b: 'unknown', movesResults: true },
      { field: 'cpu.scalingMinKhz', a: '800000', b: 'unknown', movesResults: true },
      { field: 'cpu.scalingMaxKhz', a: '4200000', b: 'unknown', movesResults: true },
      { field: 'cpu.cpuinfoMaxKhz', a: '4200000', b: 'unknown', movesResults: true },
      { field: 'cpu.cappedCpuCount', a: '0', b: 'unknown', movesResults: true },
      { field: 'cpu.boost', a: 'true', b: 'unknown', movesResults: true },
      { field: 'power.onMains', a: 'true', b: 'unknown', movesResults: true },
    ]);
  });
});
