/**
 * What NVML says about each GPU at probe time, and the optional readings of a poll. Every call
 * answers a code: a field a GPU does not report stays null, never a failure of the whole GPU.
 */
import type { Sample } from '../sampler.js';
import { describeNvmlCode, NVML_ERROR_NOT_SUPPORTED } from './bindings.js';
import type { NvmlApi, NvmlDevice } from './bindings.js';

/** One GPU as found at probe. */
export interface GpuFacts {
  index: number;
  key: string;
  name: string;
  uuid: string | null;
  pciBusId: string | null;
  powerLimitW: number | null;
  /** null: counter present; else why there is none (NVML's answer). */
  noCounter: string | null;
  counterPeriodMs: number | null;
}

/** Every GPU's facts and handle, or why they cannot be listed. */
export function listGpus(api: NvmlApi): { facts: GpuFacts; device: NvmlDevice }[] | string {
  const count = api.deviceCount();
  if (!count.ok) return `nvmlDeviceGetCount_v2: ${describeNvmlCode(api, count.code)}`;
  const gpus: { facts: GpuFacts; device: NvmlDevice }[] = [];
  for (let index = 0; index < count.value; index++) {
    const handle = api.handleByIndex(index);
    if (!handle.ok) continue;
    const device = handle.value;
    const energy = api.totalEnergyMj(device);
    const name = api.name(device);
    const uuid = api.uuid(device);
    const pci = api.pciBusId(device);
    const limit = api.powerLimitMw(device);
    const noCounter = energy.ok
      ? null
      : `${describeNvmlCode(api, energy.code)}${energy.code === NVML_ERROR_NOT_SUPPORTED ? '' : ' at probe'}`;
    gpus.push({
      device,
      facts: {
        index,
        key: `nvidia:${index}`,
        name: name.ok ? name.value : `NVIDIA GPU ${index}`,
        uuid: uuid.ok ? uuid.value : null,
        pciBusId: pci.ok ? pci.value : null,
        powerLimitW: limit.ok ? limit.value / 1000 : null,
        noCounter,
        counterPeriodMs: null,
      },
    });
  }
  return gpus;
}

/** Utilization, memory, SM clock and temperature into `sample`; what a GPU does not report stays null. */
export function readOptional(api: NvmlApi, device: NvmlDevice, sample: Sample): void {
  const util = api.utilization(device);
  const memory = api.memory(device);
  const clock = api.smClockMhz(device);
  const temperature = api.temperatureC(device);
  sample.utilizationPct = util.ok ? util.value.gpuPct : null;
  sample.memoryUsedBytes = memory.ok ? memory.value.usedBytes : null;
  sample.clockMhz = clock.ok ? clock.value : null;
  sample.temperatureC = temperature.ok ? temperature.value : null;
}

/** How to get past an nvmlInit_v2 failure. */
export function initHint(reason: string): string {
  return reason.includes('NVML_ERROR_DRIVER_NOT_LOADED')
    ? 'the NVIDIA kernel driver is not loaded: reboot after a driver install or update, or check `lsmod | grep nvidia` and dmesg'
    : reason.includes('NVML_ERROR_NO_PERMISSION')
      ? 'this user may not open /dev/nvidia*: see `costbench doctor`'
      : 'run nvidia-smi yourself to see whether the driver answers';
}
