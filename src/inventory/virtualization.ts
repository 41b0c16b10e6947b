import type { VirtualizationEvidence, Virtualization } from '../types/machine-state.js';
export type { Virtualization } from '../types/machine-state.js';
/**
 * Whether costbench runs inside a virtual machine, as one typed fact with the signals behind it.
 * Pure: the readers (virtualization-read.ts) hand in what they found. Three signals:
 *
 * - the `hypervisor` flag in /proc/cpuinfo (x86: CPUID leaf 1, ECX bit 31, which hypervisors set
 *   for their guests; ARM has no such flag, so its absence says nothing there);
 * - DMI `sys_vendor` / `product_name` (/sys/class/dmi/id), matched against the strings
 *   hypervisors and clouds write there (the same prefixes systemd-detect-virt checks);
 * - systeminformation's `system().virtual` / `virtualHost`.
 *
 * One signal saying VM makes it a VM. Known limits: a Xen dom0 and a Hyper-V root partition
 * carry the hypervisor flag too; an Amazon EC2 bare-metal instance (`*.metal`) is not a VM.
 */

/** DMI identity strings (trimmed); null where the file is absent or unreadable. */
export interface DmiIdentity {
  sysVendor: string | null;
  productName: string | null;
}

/** systeminformation's verdict (`si.system()`). */
export interface SystemInformationVirtual {
  virtual: boolean;
  virtualHost?: string | undefined;
}

interface DmiRule {
  field: keyof DmiIdentity;
  prefix: string;
  host: string;
  /** The other field must also start with this (vendors that make physical machines too). */
  and?: { field: keyof DmiIdentity; prefix: string };
}

/** product_name first, as systemd does: "KVM" there is more precise than "QEMU" in sys_vendor. */
const DMI_RULES: readonly DmiRule[] = [
  { field: 'productName', prefix: 'KVM', host: 'KVM' },
  { field: 'productName', prefix: 'VirtualBox', host: 'VirtualBox' },
  { field: 'productName', prefix: 'VMware', host: 'VMware' },
  { field: 'productName', prefix: 'BHYVE', host: 'bhyve' },
  { field: 'productName', prefix: 'OpenStack', host: 'OpenStack' },
  { field: 'productName', prefix: 'Google Compute Engine', host: 'Google Compute Engine' },
  {
    field: 'productName',
    prefix: 'Droplet',
    host: 'DigitalOcean',
    and: { field: 'sysVendor', prefix: 'DigitalOcean' },
  },
  { field: 'sysVendor', prefix: 'Amazon EC2', host: 'Amazon EC2' },
  { field: 'sysVendor', prefix: 'QEMU', host: 'QEMU' },
  { field: 'sysVendor', prefix: 'VMware', host: 'VMware' },
  { field: 'sysVendor', prefix: 'innotek GmbH', host: 'VirtualBox' },
  { field: 'sysVendor', prefix: 'Xen', host: 'Xen' },
  { field: 'sysVendor', prefix: 'Bochs', host: 'Bochs' },
  { field: 'sysVendor', prefix: 'Parallels', host: 'Parallels' },
  { field: 'sysVendor', prefix: 'OpenStack', host: 'OpenStack' },
  { field: 'sysVendor', prefix: 'Apple Virtualization', host: 'Apple Virtualization' },
  {
    field: 'sysVendor',
    prefix: 'Microsoft Corporation',
    host: 'Microsoft Hyper-V',
    and: { field: 'productName', prefix: 'Virtual Machine' },
  },
];

/**
 * What /proc/cpuinfo says: true when a `flags` line lists `hypervisor`, false when flags lines
 * exist without it (x86 bare metal), null without any flags line (ARM lists "Features"). Pure.
 */
export function parseCpuinfoHypervisor(cpuinfo: string): boolean | null {
  const flagLines = cpuinfo.split('\n').filter((line) => /^flags\s*:/.test(line));
  if (flagLines.length === 0) return null;
  const flagsOf = (line: string): string[] =>
    line
      .slice(line.indexOf(':') + 1)
      .trim()
      .split(/\s+/);
  return flagLines.some((line) => flagsOf(line).includes('hypervisor'));
}

/** The hypervisor or cloud DMI names, and whether it is a guest (EC2 `*.metal` is not). Pure. */
export function matchDmiIdentity(dmi: DmiIdentity): { host: string; vm: boolean } | null {
  const starts = (field: keyof DmiIdentity, prefix: string): boolean =>
    dmi[field]?.startsWith(prefix) === true;
  const matches = (r: DmiRule): boolean =>
    starts(r.field, r.prefix) && (r.and === undefined || starts(r.and.field, r.and.prefix));
  const rule = DMI_RULES.find(matches);
  if (rule === undefined) return null;
  const metal = rule.host === 'Amazon EC2' && dmi.productName?.endsWith('.metal') === true;
  return { host: rule.host, vm: !metal };
}

/** The evidence of the cpuinfo signal, or null where it says nothing. Pure. */
function cpuinfoEvidence(cpuinfo: string | null): VirtualizationEvidence | null {
  const flag = cpuinfo === null ? null : parseCpuinfoHypervisor(cpuinfo);
  if (flag === null) return null;
  const detail = `cpuinfo flags ${flag ? 'include' : 'lack'} "hypervisor"`;
  return { signal: 'cpuinfo', saysVm: flag, detail };
}

/** The evidence of the DMI signal, or null where neither file could be read. Pure. */
function dmiEvidence(dmi: DmiIdentity): VirtualizationEvidence | null {
  if (dmi.sysVendor === null && dmi.productName === null) return null;
  const read = [
    dmi.sysVendor === null ? null : `sys_vendor "${dmi.sysVendor}"`,
    dmi.productName === null ? null : `product_name "${dmi.productName}"`,
  ].filter((x) => x !== null);
  const match = matchDmiIdentity(dmi);
  const metal = match !== null && !match.vm ? ` (an ${match.host} bare-metal instance)` : '';
  return { signal: 'dmi', saysVm: match?.vm ?? false, detail: `DMI ${read.join(', ')}${metal}` };
}

/** The evidence of systeminformation's verdict, or null where it was not consulted. Pure. */
function systemInformationEvidence(si: SystemInformationVirtual | null): VirtualizationEvidence | null {
  if (si === null) return null;
  const named = siHostOf(si);
  const verdict = si.virtual ? 'virtual' : 'not virtual';
  const detail = `systeminformation: ${verdict}${named === null ? '' : `, host ${named}`}`;
  return { signal: 'systeminformation', saysVm: si.virtual, detail };
}

/** The host systeminformation names for a VM; null when it names none (or says not virtual). */
function siHostOf(si: SystemInformationVirtual | null): string | null {
  const host = si?.virtual === true ? si.virtualHost : undefined;
  return host === undefined || host === '' ? null : host;
}

/**
 * Combines the signals into one fact. The host is DMI's name where DMI says VM (it names clouds),
 * else systeminformation's. Pure.
 */
export function combineVirtualization(
  cpuinfo: string | null,
  dmi: DmiIdentity,
  si: SystemInformationVirtual | null,
): Virtualization {
  const evidence = [cpuinfoEvidence(cpuinfo), dmiEvidence(dmi), systemInformationEvidence(si)].filter(
    (e): e is VirtualizationEvidence => e !== null,
  );
  const isVm = evidence.some((e) => e.saysVm) ? true : evidence.length > 0 ? false : null;
  const dmiMatch = matchDmiIdentity(dmi);
  const host = isVm === true ? (dmiMatch?.vm === true ? dmiMatch.host : siHostOf(si)) : null;
  return { isVm, host, evidence };
}
