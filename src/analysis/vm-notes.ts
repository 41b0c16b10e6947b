/**
 * What every format says about a virtual machine (pure): a guest cannot see its host's power,
 * what can, and that an estimate made in a guest is a guest-side estimate. `doctor` and the run
 * report share these sentences so they never drift apart.
 */
import type { Virtualization } from '../types/machine-state.js';

/** The sentence on what a guest cannot see. */
export const GUEST_CANNOT_SEE =
  "A guest cannot see its host's power: what the host draws for its CPUs, memory, fans and power supply is " +
  'invisible from inside (a GPU passed through whole to the guest still reports its own board power)';

/** Who can measure a VM's host. */
export const WHO_CAN_MEASURE =
  "What can: the host's own tools run on the host (RAPL, nvidia-smi, rocm-smi or amd-smi), a wall meter at " +
  "the host's plug, or the cloud provider's carbon data (e.g. AWS Customer Carbon Footprint Tool, Google " +
  'Cloud Carbon Footprint: monthly, per account, not per run).';

/** The label of an estimate made inside a VM. */
export const GUEST_SIDE_ESTIMATE = 'guest-side ESTIMATE';

/** Why a guest-side estimate is one. */
export const GUEST_SIDE_WHY =
  "the CPU model's rated power scaled by this guest's own CPU use; the host's real draw (other guests, " +
  'its own load) is not in it';

/** "virtual machine (KVM)", or "virtual machine (hypervisor not named)". Pure. */
export function describeVmShort(v: Virtualization): string {
  return `virtual machine (${v.host ?? 'hypervisor not named'})`;
}

/** The signals behind a verdict, joined: `cpuinfo flags include "hypervisor"; DMI ...`. Pure. */
export function describeVmEvidence(v: Virtualization): string {
  return v.evidence.map((e) => e.detail).join('; ');
}

/**
 * The notes of a run made in a VM: what a guest cannot see, what can, and each estimate channel
 * named as a guest-side estimate. [] when the machine is not known to be a VM. Pure.
 */
export function computeVmNotes(v: Virtualization | undefined, estimateKeys: readonly string[]): string[] {
  if (v?.isVm !== true) return [];
  const head =
    `Run in a virtual machine (${v.host ?? 'hypervisor not named'}; ${describeVmEvidence(v)}). ` +
    `${GUEST_CANNOT_SEE}. ${WHO_CAN_MEASURE}`;
  const estimates = estimateKeys.map((key) => `${key} is a ${GUEST_SIDE_ESTIMATE}: ${GUEST_SIDE_WHY}.`);
  return [head, ...estimates];
}
