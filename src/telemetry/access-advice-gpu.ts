/**
 * Read-access advice for GPUs (pure): NVIDIA device nodes nvidia-smi opens, AMD's /dev/kfd that
 * amd-smi and rocm-smi open, and amdgpu hwmon power files. Where a node belongs to a group, the
 * step is to join it; where it is root's alone, the step says what sets its group and mode.
 */
import type { Denied } from './access-scan.js';
import { DOCTOR_CHECK, joinGroup, RELOGIN, refusedWhat } from './access-steps.js';
import type { AccessAdvice, AccessStep } from './access-steps.js';

/** The group GPU device nodes are usually given to where no other group owns them. */
const NVIDIA_GROUP = 'video';
/** ROCm's documented groups for /dev/kfd and /dev/dri. */
const AMD_GROUPS = 'render,video';
const HWMON_GROUP = 'video';
const HWMON_RULE_FILE = '/etc/udev/rules.d/70-costbench-amdgpu-power.rules';
const KFD_RULE = 'SUBSYSTEM=="kfd", KERNEL=="kfd", GROUP="render", MODE="0660"';
const KFD_RULE_FILE = '/etc/udev/rules.d/70-costbench-kfd.rules';

function ownedBy(d: Denied): string | null {
  return d.group === null || d.group === 'root' ? null : d.group;
}

function gpuTradeOff(group: string): string {
  return `Trade-off: members of ${group} can run any work on the GPU, not only read its power.`;
}

/** NVIDIA device nodes this user cannot open. Pure. */
export function adviseNvidia(d: Denied): AccessAdvice {
  const group = ownedBy(d);
  const problem =
    `this user cannot open ${refusedWhat(d, 'NVIDIA device node')}` +
    `${group === null ? ' (root only)' : ` (group ${group})`}, which nvidia-smi needs`;
  const check = [
    `id -nG   # lists ${group ?? NVIDIA_GROUP}`,
    'nvidia-smi --query-gpu=power.draw --format=csv   # prints the board power, no NVML permission error',
    DOCTOR_CHECK,
  ];
  const steps = group === null ? nvidiaRootOnlySteps() : [joinGroup(group), RELOGIN];
  return { source: 'nvidia', problem, steps, check, tradeOff: gpuTradeOff(group ?? NVIDIA_GROUP) };
}

function nvidiaRootOnlySteps(): AccessStep[] {
  return [
    {
      say:
        'The NVIDIA driver gives its device nodes the group and mode of its NVreg_DeviceFileGID and ' +
        'NVreg_DeviceFileMode module options: find the line that makes them root-only',
      run: ['grep -rs NVreg_DeviceFile /etc/modprobe.d /usr/lib/modprobe.d'],
    },
    {
      say:
        'and make it read as below (no such line: put it in /etc/modprobe.d/nvidia-device-files.conf), ' +
        `N being the id \`getent group ${NVIDIA_GROUP} | cut -d: -f3\` prints; then reboot (where the ` +
        'initramfs loads the nvidia module, rebuild it first, e.g. `sudo update-initramfs -u`):',
      run: ['options nvidia NVreg_DeviceFileGID=N NVreg_DeviceFileMode=0660'],
    },
    joinGroup(NVIDIA_GROUP),
  ];
}

/** /dev/kfd (amd-smi, rocm-smi) this user cannot open. Pure. */
export function adviseAmd(d: Denied): AccessAdvice {
  const group = ownedBy(d);
  const problem =
    `this user cannot open ${refusedWhat(d, 'AMD device node')}` +
    `${group === null ? ' (root only)' : ` (group ${group})`}, which amd-smi and rocm-smi need`;
  const rocmGroups: AccessStep = {
    say: 'Join the groups ROCm documents for /dev/kfd and /dev/dri:',
    run: [`sudo usermod -aG ${AMD_GROUPS} "$USER"`],
  };
  const steps = group === null ? [kfdRuleStep(), rocmGroups, RELOGIN] : [joinGroup(group), RELOGIN];
  const check = [
    `id -nG   # lists ${group ?? 'render'}`,
    'amd-smi metric -p   # prints power, no permission error',
    DOCTOR_CHECK,
  ];
  return { source: 'amd', problem, steps, check, tradeOff: gpuTradeOff(group ?? 'render') };
}

function kfdRuleStep(): AccessStep {
  return {
    say:
      '/dev/kfd is root-only here: a udev rule gives the node to group render (udev sets a device ' +
      "node's group and mode each time it appears, so it survives reboots):",
    run: [
      `echo '${KFD_RULE}' | sudo tee ${KFD_RULE_FILE}`,
      'sudo udevadm control --reload-rules',
      'sudo udevadm trigger --subsystem-match=kfd --action=add',
    ],
  };
}

/** amdgpu hwmon power files this user cannot read. Pure. */
export function adviseHwmon(d: Denied): AccessAdvice {
  const rule =
    `SUBSYSTEM=="hwmon", ATTR{name}=="amdgpu", ACTION=="add", ` +
    `RUN+="/bin/sh -c 'chgrp ${HWMON_GROUP} /sys%p/power1_* && chmod g+r /sys%p/power1_*'"`;
  return {
    source: 'hwmon',
    problem: `this user cannot read ${refusedWhat(d, 'power file')}, amdgpu's power readings`,
    steps: [
      {
        say:
          `Give group ${HWMON_GROUP} read access with a udev rule: it runs each time the amdgpu sensor ` +
          'appears, so it survives reboots and driver reloads. Apply it now too:',
        run: [
          `echo '${rule}' | sudo tee ${HWMON_RULE_FILE}`,
          'sudo udevadm control --reload-rules',
          'sudo udevadm trigger --subsystem-match=hwmon --action=add',
        ],
      },
      joinGroup(HWMON_GROUP),
      RELOGIN,
    ],
    check: [`cat ${d.paths[0] ?? ''}   # prints a number, not "Permission denied"`, DOCTOR_CHECK],
    tradeOff:
      `Trade-off: members of ${HWMON_GROUP} can read the GPU's power, a side channel of the kind ` +
      'PLATYPUS used on CPU energy counters: add only users you trust.',
  };
}
