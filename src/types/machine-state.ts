/** CPU frequency scaling across all CPUs; every field null when unknown. */
export interface CpuState {
  /** CPUs that have a cpufreq directory. */
  cpuCount: number | null;
  /** The cpufreq driver (intel_pstate, amd-pstate-epp, acpi-cpufreq, ...), distinct values. */
  scalingDrivers: string[] | null;
  /** Distinct scaling_governor values, sorted, e.g. ["performance"]. */
  governors: string[] | null;
  /** Distinct energy_performance_preference values (intel_pstate / amd-pstate active mode only). */
  energyPerfPreferences: string[] | null;
  /** Lowest scaling_min_freq over the CPUs. */
  scalingMinKhz: number | null;
  /** Highest scaling_max_freq over the CPUs. */
  scalingMaxKhz: number | null;
  /** Highest cpuinfo_max_freq (the hardware maximum) over the CPUs. */
  cpuinfoMaxKhz: number | null;
  /**
   * CPUs whose scaling_max_freq is below their own cpuinfo_max_freq: a cap set by someone.
   * Counted per CPU because hybrid CPUs' efficiency cores have a lower hardware maximum.
   */
  cappedCpuCount: number | null;
  /** Whether boost (turbo) is allowed. */
  boost: boolean | null;
}

/** One GPU's state; every field null when unknown ("[N/A]", "[Not Supported]", not read). */
export interface GpuState {
  vendor: 'nvidia' | 'amd';
  /** nvidia-smi's index; for AMD, the N of /sys/class/drm/cardN. */
  index: number;
  name: string | null;
  driverVersion: string | null;
  /** The software power limit (nvidia-smi power.limit; AMD hwmon power1_cap). */
  powerLimitW: number | null;
  defaultPowerLimitW: number | null;
  /** The limit actually enforced (the lowest of all limits); NVIDIA only. */
  enforcedPowerLimitW: number | null;
  persistenceMode: boolean | null;
  smClockMhz: number | null;
  memClockMhz: number | null;
  maxSmClockMhz: number | null;
  pstate: string | null;
  temperatureC: number | null;
  /** AMD power_dpm_force_performance_level ("auto", "low", "high", "manual", "profile_*"). */
  performanceLevel: string | null;
}

/** A process holding a GPU compute context. */
export interface GpuProcess {
  pid: number;
  processName: string;
  usedMemoryMiB: number | null;
}

/** 1, 5 and 15-minute load averages. */
export type LoadAverage = [number, number, number];

/** One battery of the machine (peripherals' batteries, scope "Device", are left out). */
export interface BatteryState {
  name: string;
  capacityPercent: number | null;
  /** As the OS says it: Linux "Discharging", "Charging", "Full", ...; macOS "discharging", "charged", ... */
  status: string | null;
}

/** The power source. */
export interface PowerState {
  /** true: a mains or USB supply is online; false: on battery; null: cannot tell. */
  onMains: boolean | null;
  batteries: BatteryState[];
}

/** When in the run a state was read. */
export type MachineStatePhase = 'start' | 'end';

/** The machine state at one moment of a run. */
export interface MachineState {
  /** ISO 8601 wall-clock time of the reading. */
  collectedAt: string;
  phase: MachineStatePhase;
  /** process.platform of the machine read (decides which notes apply, e.g. persistence mode on Linux). */
  platform: string;
  cpu: CpuState;
  power: PowerState;
  /** 1, 5 and 15-minute load averages. */
  loadAverage: LoadAverage | null;
  /** NVIDIA GPUs (nvidia-smi) then AMD GPUs (sysfs); null when nvidia-smi failed and no AMD card was found. */
  gpus: GpuState[] | null;
  /** Every process with a compute context on an NVIDIA GPU, costbench's own included. */
  gpuProcesses: GpuProcess[] | null;
  /** What could not be read, and why: one line each. */
  errors: string[];
}

/** Which signal a piece of evidence came from. */
export type VirtualizationSignal = 'cpuinfo' | 'dmi' | 'systeminformation';

/** What one signal said. */
export interface VirtualizationEvidence {
  signal: VirtualizationSignal;
  /** True: this signal says the machine is a guest; false: it was read and says not. */
  saysVm: boolean;
  /** What was read, e.g. `cpuinfo flags include "hypervisor"`, `DMI sys_vendor "QEMU"`. */
  detail: string;
}

/** Whether this machine is a virtual machine, and why costbench thinks so. */
export interface Virtualization {
  /** true: some signal says VM; false: signals were read and none did; null: nothing could be read. */
  isVm: boolean | null;
  /** The hypervisor or cloud a signal named (e.g. "KVM", "Amazon EC2"); null when none did. */
  host: string | null;
  /** Every signal that could be read, in the order read. */
  evidence: VirtualizationEvidence[];
}
