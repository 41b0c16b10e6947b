/**
 * `doctor`'s virtual-machine section: whether this is a VM, which signals said so, and, in a VM,
 * that a guest cannot see its host's power, what can, and that estimates here are guest-side.
 */
import type { Virtualization } from '../../inventory/virtualization.js';
import {
  describeVmEvidence,
  GUEST_CANNOT_SEE,
  GUEST_SIDE_ESTIMATE,
  GUEST_SIDE_WHY,
  WHO_CAN_MEASURE,
} from '../../analysis/vm-notes.js';

/** doctor --json's virtualization: the fact, and the sentences the text output prints. */
export interface VirtualizationJson extends Virtualization {
  notes: string[];
}

/** The sentences for a VM ([] otherwise). Pure. */
export function vmAdvice(v: Virtualization): string[] {
  if (v.isVm !== true) return [];
  const estimate = `Any estimate made here is a ${GUEST_SIDE_ESTIMATE}: ${GUEST_SIDE_WHY}.`;
  return [`${GUEST_CANNOT_SEE}.`, WHO_CAN_MEASURE, estimate];
}

/** The fact with its sentences, for JSON. Pure. */
export function virtualizationJson(v: Virtualization): VirtualizationJson {
  return { ...v, notes: vmAdvice(v) };
}

/** The section as text lines. Pure. */
export function formatVirtualizationSection(v: Virtualization): string[] {
  const evidence = describeVmEvidence(v);
  if (v.isVm === null) return ['Virtual machine: unknown (no cpuinfo flags or DMI identity could be read)'];
  if (!v.isVm) return [`Virtual machine: no (${evidence})`];
  const head = `Virtual machine: yes, ${v.host ?? 'hypervisor not named'} (${evidence})`;
  return [head, ...vmAdvice(v).map((line) => `  ${line}`)];
}
