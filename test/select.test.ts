import { describe, expect, it } from 'vitest';
import type { Channel } from '../src/telemetry/sampler.js';
import { needsCpuEstimate, selectChannels } from '../src/telemetry/select.js';

function channel(
  key: string,
  source: Channel['source'],
  covers: Channel['covers'],
  kind: Channel['kind'] = 'sampled',
): Channel {
  return { key, source, device: key, kind, covers, detail: {} };
}

const counted = (channels: Channel[]): string[] =>
  selectChannels(channels)
    .filter((s) => s.inTotal)
    .map((s) => s.key);

describe('selectChannels never counts the same energy twice', () => {
  it('wall meter alone', () => {
    expect(
      counted([
        channel('nvidia:0', 'nvidia', 'gpu-board'),
        channel('rapl:package-0', 'rapl', 'cpu-package', 'counter'),
        channel('meter:shelly', 'meter', 'wall'),
      ]),
    ).toEqual(['meter:shelly']);
  });

  it('GPUs + RAPL package + DRAM, never core', () => {
    expect(
      counted([
        channel('nvidia:0', 'nvidia', 'gpu-board'),
        channel('nvidia:1', 'nvidia', 'gpu-board'),
        channel('rapl:package-0', 'rapl', 'cpu-package', 'counter'),
        channel('rapl:dram', 'rapl', 'dram', 'counter'),
        channel('cpu-load', 'cpu-load', 'none'),
      ]),
    ).toEqual(['nvidia:0', 'nvidia:1', 'rapl:package-0', 'rapl:dram']);
  });

  it('psys alone over package and DRAM', () => {
    expect(
      counted([
        channel('rapl:psys', 'rapl', 'psys', 'counter'),
        channel('rapl:package-0', 'rapl', 'cpu-package', 'counter'),
        channel('rapl:dram', 'rapl', 'dram', 'counter'),
      ]),
    ).toEqual(['rapl:psys']);
  });

  it('one AMD tool per GPU, and an APU instead of the RAPL package', () => {
    expect(
      counted([
        channel('amd-smi:0', 'amd', 'gpu-board'),
        channel('rocm-smi:card0', 'amd', 'gpu-board'),
        channel('hwmon:card0', 'amd', 'gpu-board'),
      ]),
    ).toEqual(['hwmon:card0']);
    expect(
      counted([channel('amd-smi:0', 'amd', 'gpu-board'), channel('rocm-smi:card0', 'amd', 'gpu-board')]),
    ).toEqual(['amd-smi:0']);
    expect(
      counted([
        channel('hwmon:card0', 'amd', 'apu-package'),
        channel('rapl:package-0', 'rapl', 'cpu-package', 'counter'),
        channel('rapl:dram', 'rapl', 'dram', 'counter'),
      ]),
    ).toEqual(['hwmon:card0', 'rapl:dram']);
  });

  it("an AMD tool with an energy counter (amd-smi's passed its checks) wins over hwmon, except on an APU", () => {
    const selection = selectChannels([
      channel('hwmon:card0', 'amd', 'gpu-board'),
      channel('amd-smi:0', 'amd', 'gpu-board', 'counter'),
      channel('rocm-smi:card0', 'amd', 'gpu-board'),
    ]);
    expect(selection.map((s) => [s.key, s.inTotal, s.redundant, s.why])).toEqual([
      ['hwmon:card0', false, true, 'same GPU read through amd-smi'],
      ['amd-smi:0', true, false, 'GPU board'],
      ['rocm-smi:card0', false, true, 'same GPU read through amd-smi'],
    ]);
    // On an APU only hwmon says the reading covers the CPU too: it stays the one counted.
    expect(
      counted([
        channel('hwmon:card0', 'amd', 'apu-package'),
        channel('amd-smi:0', 'amd', 'gpu-board', 'counter'),
      ]),
    ).toEqual(['hwmon:card0']);
  });

  it("hwmon's own counter (energy1_input, read in-process at every edge) wins over amd-smi's, APU or not", () => {
    const selection = selectChannels([
      channel('hwmon:card0', 'amd', 'gpu-board', 'counter'),
      channel('amd-smi:0', 'amd', 'gpu-board', 'counter'),
      channel('rocm-smi:card0', 'amd', 'gpu-board'),
    ]);
    expect(selection.map((s) => [s.key, s.inTotal, s.redundant, s.why])).toEqual([
      ['hwmon:card0', true, false, 'GPU board'],
      ['amd-smi:0', false, true, 'same GPU read through hwmon'],
      ['rocm-smi:card0', false, true, 'same GPU read through hwmon'],
    ]);
    expect(
      counted([
        channel('amd-smi:0', 'amd', 'gpu-board', 'counter'),
        channel('hwmon:card0', 'amd', 'apu-package', 'counter'),
        channel('rapl:package-0', 'rapl', 'cpu-package', 'counter'),
      ]),
      'APU: hwmon, and RAPL package inside it',
    ).toEqual(['hwmon:card0']);
  });

  it('marks an AMD tool reading a GPU that a preferred tool already reads as redundant', () => {
    const selection = selectChannels([
      channel('hwmon:card0', 'amd', 'gpu-board'),
      channel('amd-smi:0', 'amd', 'gpu-board'),
      channel('meter:shelly', 'meter', 'wall'),
    ]);
    expect(selection.map((s) => [s.key, s.inTotal, s.redundant])).toEqual([
      ['hwmon:card0', false, false],
      ['amd-smi:0', false, true],
      ['meter:shelly', true, false],
    ]);
  });

  it('Apple combined over its parts', () => {
    expect(
      counted([
        channel('apple:cpu', 'apple', 'cpu'),
        channel('apple:gpu', 'apple', 'gpu'),
        channel('apple:combined', 'apple', 'soc'),
      ]),
    ).toEqual(['apple:combined']);
  });

  it('the CPU estimate only where nothing measured covers the CPU', () => {
    const estimate = channel('estimate:cpu', 'estimate', 'cpu', 'estimate');
    expect(counted([channel('nvidia:0', 'nvidia', 'gpu-board'), estimate])).toEqual([
      'nvidia:0',
      'estimate:cpu',
    ]);
    expect(counted([channel('rapl:package-0', 'rapl', 'cpu-package', 'counter'), estimate])).toEqual([
      'rapl:package-0',
    ]);
    expect(needsCpuEstimate([channel('nvidia:0', 'nvidia', 'gpu-board')])).toBe(true);
    expect(needsCpuEstimate([channel('rapl:package-0', 'rapl', 'cpu-package', 'counter')])).toBe(false);
    expect(needsCpuEstimate([channel('meter:shelly', 'meter', 'wall')])).toBe(false);
  });

  it('issue 13 item 9: wall meters on different supplies are summed; on one supply (or unlabelled), the first counts', () => {
    const meter = (key: string, supply: string | null): Channel => ({
      ...channel(key, 'meter', 'wall'),
      detail: { supply },
    });
    const gpu = channel('nvidia:0', 'nvidia', 'gpu-board');
    // Two supplies on two plugs: both (was only the first: half the power).
    expect(counted([gpu, meter('meter:shelly-0', 'psu-a'), meter('meter:shelly-1', 'psu-b')])).toEqual([
      'meter:shelly-0',
      'meter:shelly-1',
    ]);
    // The same supply read twice (a plug and the BMC): the first.
    expect(counted([meter('meter:shelly-0', 'psu-a'), meter('meter:command-1', 'psu-a')])).toEqual([
      'meter:shelly-0',
    ]);
    // Not labelled: they may read the same supply, so the first, and the others say how to sum them.
    const selection = selectChannels([meter('meter:shelly-0', null), meter('meter:tasmota-1', null)]);
    expect(selection.map((s) => [s.key, s.inTotal])).toEqual([
      ['meter:shelly-0', true],
      ['meter:tasmota-1', false],
    ]);
    expect(selection[1]?.why).toBe(
      'reads the same supply as meter:shelly-0 (unlabelled); if it covers another supply, set its telemetry.meters[].supply',
    );
    expect(selectChannels([gpu, meter('meter:shelly-0', 'psu-a')])[0]?.why).toBe(
      'inside the wall meter readings (meter:shelly-0)',
    );
  });
});
