/**
 * NVML's C API through koffi (in-process FFI, no compiler): the few functions costbench reads,
 * with the names, signatures and return codes of nvml.h. Out-parameters are preallocated typed
 * arrays and buffers, so a counter read allocates nothing (bench/nvml-overhead.ts measures it).
 */
import type koffiDefault from 'koffi';
import type { LibraryHandle } from 'koffi';

/** nvmlReturn_t values costbench tells apart (nvml.h). */
export const NVML_SUCCESS = 0;
export const NVML_ERROR_UNINITIALIZED = 1;
export const NVML_ERROR_INVALID_ARGUMENT = 2;
export const NVML_ERROR_NOT_SUPPORTED = 3;
export const NVML_ERROR_NO_PERMISSION = 4;
export const NVML_ERROR_DRIVER_NOT_LOADED = 9;
export const NVML_ERROR_GPU_IS_LOST = 15;
export const NVML_ERROR_UNKNOWN = 999;

/** nvmlClockType_t NVML_CLOCK_SM. */
const NVML_CLOCK_SM = 1;
/** nvmlTemperatureSensors_t NVML_TEMPERATURE_GPU. */
const NVML_TEMPERATURE_GPU = 0;
/** NVML_DEVICE_NAME_V2_BUFFER_SIZE and NVML_DEVICE_UUID_V2_BUFFER_SIZE. */
const STRING_BUFFER_SIZE = 96;

/** The enum names of the codes above, for messages ("Not Supported (NVML_ERROR_NOT_SUPPORTED, 3)"). */
const CODE_NAMES: Readonly<Record<number, string>> = {
  [NVML_ERROR_UNINITIALIZED]: 'NVML_ERROR_UNINITIALIZED',
  [NVML_ERROR_INVALID_ARGUMENT]: 'NVML_ERROR_INVALID_ARGUMENT',
  [NVML_ERROR_NOT_SUPPORTED]: 'NVML_ERROR_NOT_SUPPORTED',
  [NVML_ERROR_NO_PERMISSION]: 'NVML_ERROR_NO_PERMISSION',
  [NVML_ERROR_DRIVER_NOT_LOADED]: 'NVML_ERROR_DRIVER_NOT_LOADED',
  [NVML_ERROR_GPU_IS_LOST]: 'NVML_ERROR_GPU_IS_LOST',
  [NVML_ERROR_UNKNOWN]: 'NVML_ERROR_UNKNOWN',
};

/** An opaque nvmlDevice_t, as koffi hands it back. */
export type NvmlDevice = unknown;

/** A read that either worked or carries NVML's return code. */
export type NvmlRead<T> = { ok: true; value: T } | { ok: false; code: number };

/**
 * The calls costbench makes, over any implementation (koffi here; tests could pass another).
 * Every method returns NVML's code or the value; none throws for an NVML error.
 */
export interface NvmlApi {
  init(): number;
  shutdown(): number;
  /** NVML's own text for a code, e.g. "Driver Not Loaded". */
  errorString(code: number): string;
  deviceCount(): NvmlRead<number>;
  handleByIndex(index: number): NvmlRead<NvmlDevice>;
  name(device: NvmlDevice): NvmlRead<string>;
  uuid(device: NvmlDevice): NvmlRead<string>;
  pciBusId(device: NvmlDevice): NvmlRead<string>;
  /** Millijoules since the driver was loaded (Volta and newer). */
  totalEnergyMj(device: NvmlDevice): NvmlRead<bigint>;
  powerMw(device: NvmlDevice): NvmlRead<number>;
  powerLimitMw(device: NvmlDevice): NvmlRead<number>;
  utilization(device: NvmlDevice): NvmlRead<{ gpuPct: number; memoryPct: number }>;
  memory(device: NvmlDevice): NvmlRead<{ totalBytes: number; freeBytes: number; usedBytes: number }>;
  smClockMhz(device: NvmlDevice): NvmlRead<number>;
  temperatureC(device: NvmlDevice): NvmlRead<number>;
}

/** "Not Supported (NVML_ERROR_NOT_SUPPORTED, 3)": NVML's text, the enum name and the number. */
export function describeNvmlCode(api: Pick<NvmlApi, 'errorString'>, code: number): string {
  let text: string;
  try {
    text = api.errorString(code);
  } catch {
    text = 'unknown error';
  }
  const name = CODE_NAMES[code];
  return `${text} (${name === undefined ? '' : `${name}, `}${code})`;
}

/** The koffi module (its default export). */
export type KoffiModule = typeof koffiDefault;
type Fn = (...args: unknown[]) => unknown;

/**
 * Declares nvml.h's types by name. koffi registers named types once per process and refuses a
 * second declaration, so a type already there (this module evaluated twice) is reused.
 */
function declareTypes(koffi: KoffiModule): void {
  const named = (name: string, declare: () => unknown): void => {
    try {
      koffi.type(name);
    } catch {
      declare();
    }
  };
  named('nvmlDevice_t', () => koffi.pointer('nvmlDevice_t', koffi.opaque('nvmlDevice_st')));
  named('nvmlUtilization_t', () => koffi.struct('nvmlUtilization_t', { gpu: 'uint', memory: 'uint' }));
  named('nvmlMemory_t', () =>
    koffi.struct('nvmlMemory_t', { total: 'uint64_t', free: 'uint64_t', used: 'uint64_t' }),
  );
  named('nvmlPciInfo_t', () =>
    koffi.struct('nvmlPciInfo_t', {
      busIdLegacy: koffi.array('char', 16, 'String'),
      domain: 'uint',
      bus: 'uint',
      device: 'uint',
      pciDeviceId: 'uint',
      pciSubSystemId: 'uint',
      busId: koffi.array('char', 32, 'String'),
    }),
  );
}

const read = <T>(code: number, value: () => T): NvmlRead<T> =>
  code === NVML_SUCCESS ? { ok: true, value: value() } : { ok: false, code };

function cString(buffer: Buffer): string {
  const end = buffer.indexOf(0);
  return buffer.toString('utf8', 0, end < 0 ? buffer.length : end);
}

/** Binds the functions of a loaded NVML library. Throws (koffi's error) when a symbol is missing. */
export function bindNvml(koffi: KoffiModule, lib: LibraryHandle): NvmlApi {
  declareTypes(koffi);
  const f = (definition: string): Fn => lib.func(definition) as Fn;
  const fn = {
    init: f('int nvmlInit_v2()'),
    shutdown: f('int nvmlShutdown()'),
    errorString: f('const char *nvmlErrorString(int result)'),
    count: f('int nvmlDeviceGetCount_v2(uint32_t *deviceCount)'),
    handle: f('int nvmlDeviceGetHandleByIndex_v2(uint index, _Out_ nvmlDevice_t *device)'),
    name: f('int nvmlDeviceGetName(nvmlDevice_t device, char *name, uint length)'),
    uuid: f('int nvmlDeviceGetUUID(nvmlDevice_t device, char *uuid, uint length)'),
    pci: f('int nvmlDeviceGetPciInfo_v3(nvmlDevice_t device, _Out_ nvmlPciInfo_t *pci)'),
    energy: f('int nvmlDeviceGetTotalEnergyConsumption(nvmlDevice_t device, uint64_t *energy)'),
    power: f('int nvmlDeviceGetPowerUsage(nvmlDevice_t device, uint32_t *power)'),
    limit: f('int nvmlDeviceGetPowerManagementLimit(nvmlDevice_t device, uint32_t *limit)'),
    utilization: f(
      'int nvmlDeviceGetUtilizationRates(nvmlDevice_t device, _Out_ nvmlUtilization_t *utilization)',
    ),
    memory: f('int nvmlDeviceGetMemoryInfo(nvmlDevice_t device, _Out_ nvmlMemory_t *memory)'),
    clock: f('int nvmlDeviceGetClockInfo(nvmlDevice_t device, int type, uint32_t *clock)'),
    temperature: f('int nvmlDeviceGetTemperature(nvmlDevice_t device, int sensorType, uint32_t *temp)'),
  };
  const u32 = new Uint32Array(1);
  const u64 = new BigUint64Array(1);
  const text = Buffer.alloc(STRING_BUFFER_SIZE);
  const u32Read = (call: Fn, ...args: unknown[]): NvmlRead<number> =>
    read(call(...args, u32) as number, () => u32[0] ?? 0);
  const textRead = (call: Fn, device: NvmlDevice): NvmlRead<string> => {
    text.fill(0);
    return read(call(device, text, STRING_BUFFER_SIZE) as number, () => cString(text));
  };
  return {
    init: () => fn.init() as number,
    shutdown: () => fn.shutdown() as number,
    errorString: (code) => String(fn.errorString(code)),
    deviceCount: () => u32Read(fn.count),
    handleByIndex: (index) => {
      const out: unknown[] = [null];
      return read(fn.handle(index, out) as number, () => out[0]);
    },
    name: (device) => textRead(fn.name, device),
    uuid: (device) => textRead(fn.uuid, device),
    pciBusId: (device) => {
      const out: { busId?: string } = {};
      return read(fn.pci(device, out) as number, () => out.busId ?? '');
    },
    totalEnergyMj: (device) => read(fn.energy(device, u64) as number, () => u64[0] ?? 0n),
    powerMw: (device) => u32Read(fn.power, device),
    powerLimitMw: (device) => u32Read(fn.limit, device),
    utilization: (device) => {
      const out: { gpu?: number; memory?: number } = {};
      return read(fn.utilization(device, out) as number, () => ({
        gpuPct: out.gpu ?? 0,
        memoryPct: out.memory ?? 0,
      }));
    },
    memory: (device) => {
      const out: { total?: number | bigint; free?: number | bigint; used?: number | bigint } = {};
      return read(fn.memory(device, out) as number, () => ({
        totalBytes: Number(out.total ?? 0),
        freeBytes: Number(out.free ?? 0),
        usedBytes: Number(out.used ?? 0),
      }));
    },
    smClockMhz: (device) => u32Read(fn.clock, device, NVML_CLOCK_SM),
    temperatureC: (device) => u32Read(fn.temperature, device, NVML_TEMPERATURE_GPU),
  };
}
