import type { MachineInventory } from '../types/inventory-rows.js';
import type { RecordedSoftware } from './settings-record.js';

const GIB = 1024 ** 3;

function gpuList(m: MachineInventory): string {
  return m.gpus.length === 0 ? 'none' : m.gpus.map((g) => g.model).join(', ');
}

/**
 * What differs between the machine a run was measured on and this one, one phrase per fact
 * ("CPU AMD EPYC 7B13, 8 cores → Intel Core i7-8700, 12 cores"); [] when they look the same. Pure.
 */
export function machineDifferences(was: MachineInventory | null, now: MachineInventory): string[] {
  if (was === null) return ['the first run recorded no machine inventory'];
  const facts: [string, string, string][] = [
    ['host', was.hostname, now.hostname],
    ['CPU', `${was.cpuModel}, ${was.cpuCores} cores`, `${now.cpuModel}, ${now.cpuCores} cores`],
    ['memory', `${(was.memoryBytes / GIB).toFixed(1)} GiB`, `${(now.memoryBytes / GIB).toFixed(1)} GiB`],
    ['GPUs', gpuList(was), gpuList(now)],
    ['OS', `${was.platform} ${was.osRelease}`, `${now.platform} ${now.osRelease}`],
  ];
  return facts.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name} ${a} → ${b}`);
}

/** What differs between the software that made a run and this one ([] when the same). Pure. */
export function softwareDifferences(was: RecordedSoftware, now: RecordedSoftware): string[] {
  const commit = (s: RecordedSoftware): string =>
    s.commit === null ? '' : ` @ ${s.commit.slice(0, 12)}${s.dirty === true ? ' (modified)' : ''}`;
  const facts: [string, string, string][] = [
    ['costbench', `${was.costbenchVersion}${commit(was)}`, `${now.costbenchVersion}${commit(now)}`],
    ['Node', was.nodeVersion, now.nodeVersion],
    ['platform', `${was.platform} ${was.arch}`, `${now.platform} ${now.arch}`],
  ];
  return facts.filter(([, a, b]) => a !== b).map(([name, a, b]) => `${name} ${a} → ${b}`);
}
