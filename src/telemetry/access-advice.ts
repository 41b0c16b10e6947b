/**
 * The exact, minimal way to grant this user read access to a power source that is present but
 * refused (pure): the commands and file lines, which of them survive reboots and module reloads,
 * how to check it worked, and the security trade-off in one sentence. `doctor` prints them.
 *
 * Facts behind the text: RAPL energy_uj became root-only in kernel commit 949dd0104c49 for
 * CVE-2020-8694 (PLATYPUS: unprivileged RAPL reads broke KASLR and leaked AES-NI keys); udev's
 * GROUP/MODE apply to device nodes only, so sysfs files need RUN+= chgrp/chmod, and %p is the
 * devpath (/sys%p is the device's directory); `udevadm trigger` sends "change" unless told
 * --action=add; a tmpfiles.d "z" line (globs allowed) is applied at boot by systemd-tmpfiles, not
 * when a module re-creates the files; sudoers matches given arguments exactly and wants `,` `:`
 * `=` `\` escaped; ROCm documents the render and video groups for /dev/kfd and /dev/dri.
 */
import { adviseAmd, adviseHwmon, adviseNvidia } from './access-advice-gpu.js';
import type { AccessFacts, Denied } from './access-scan.js';
import { DOCTOR_CHECK, joinGroup, RELOGIN, refusedWhat } from './access-steps.js';
import type { AccessAdvice, AccessStep } from './access-steps.js';
import { POWERMETRICS_PATH, POWERMETRICS_PROBE_ARGS, sudoersLine } from './apple-parse.js';

/** What the advice is computed from. */
export interface AccessContext {
  /** The scan of refused Linux files and device nodes; null off Linux. */
  facts: AccessFacts | null;
  /** powermetrics is there but sudo refused it (macOS). */
  powermetricsRefused: boolean;
  /** The interval powermetrics samples at (-i), ms. */
  powermetricsIntervalMs: number;
  /** This user's login name (sudoers needs it literally). */
  user: string;
}

/** The group the RAPL advice creates. */
export const POWERCAP_GROUP = 'powercap';
/** The files the RAPL rule opens to the group (the range is not a side channel but is root-only too). */
const RAPL_FILES = ['energy_uj', 'max_energy_range_uj'] as const;
const RAPL_RULE_FILE = '/etc/udev/rules.d/70-costbench-powercap.rules';
const RAPL_TMPFILES = '/etc/tmpfiles.d/costbench-powercap.conf';
const SUDOERS_FILE = '/etc/sudoers.d/costbench';
/** Every piece of advice that applies, in a fixed order. Pure. */
export function adviseAccess(ctx: AccessContext): AccessAdvice[] {
  const f = ctx.facts;
  const advice = [
    f?.rapl == null ? null : adviseRapl(f.rapl),
    f?.hwmon == null ? null : adviseHwmon(f.hwmon),
    f?.nvidia == null ? null : adviseNvidia(f.nvidia),
    f?.amd == null ? null : adviseAmd(f.amd),
    ctx.powermetricsRefused ? advisePowermetrics(ctx.user, ctx.powermetricsIntervalMs) : null,
  ];
  return advice.filter((a): a is AccessAdvice => a !== null);
}

/** The udev rule that opens the RAPL files of every zone to the group, at each zone's "add". */
export function raplUdevRule(group = POWERCAP_GROUP): string {
  const files = RAPL_FILES.map((f) => `/sys%p/${f}`).join(' ');
  return (
    `SUBSYSTEM=="powercap", KERNEL=="intel-rapl*:*", ACTION=="add", ` +
    `RUN+="/bin/chgrp ${group} ${files}", RUN+="/bin/chmod g+r ${files}"`
  );
}

/** RAPL energy_uj refused: a group, a udev rule (or tmpfiles.d lines), a new login. Pure. */
export function adviseRapl(d: Denied): AccessAdvice {
  const problem =
    'RAPL energy counters are root-only (kernel commit 949dd0104c49, CVE-2020-8694): ' +
    `this user cannot read ${refusedWhat(d, 'energy_uj file')}`;
  const tradeOff =
    `Trade-off: members of ${POWERCAP_GROUP} can read the CPU's energy counters, a side ` +
    'channel through which unprivileged code broke KASLR and leaked AES-NI keys (PLATYPUS), which is why ' +
    'the kernel made them root-only: add only users you trust.';
  const check = [`cat ${d.paths[0] ?? ''}   # prints a number, not "Permission denied"`, DOCTOR_CHECK];
  if (d.group === POWERCAP_GROUP) {
    const say = `The files are already readable by group ${POWERCAP_GROUP} (a rule is in place); join it:`;
    const steps = [{ ...joinGroup(POWERCAP_GROUP), say }, RELOGIN];
    return { source: 'rapl', problem, steps, check, tradeOff };
  }
  const group: AccessStep = {
    say: `Create a group for it and join it:`,
    run: [`sudo groupadd -f --system ${POWERCAP_GROUP}`, `sudo usermod -aG ${POWERCAP_GROUP} "$USER"`],
  };
  return { source: 'rapl', problem, steps: [group, raplRuleStep(), RELOGIN], check, tradeOff };
}

function raplRuleStep(): AccessStep {
  const tmpfiles = RAPL_FILES.map(
    (f) => `z /sys/class/powercap/intel-rapl*:*/${f} 0440 root ${POWERCAP_GROUP} -`,
  );
  return {
    say:
      'Let the group read the counters with a udev rule: it runs each time a RAPL zone appears, ' +
      'so it survives reboots and reloads of the intel_rapl modules. Apply it now too:',
    run: [
      `echo '${raplUdevRule()}' | sudo tee ${RAPL_RULE_FILE}`,
      'sudo udevadm control --reload-rules',
      'sudo udevadm trigger --subsystem-match=powercap --action=add',
    ],
    instead: {
      say:
        'or a tmpfiles.d file: systemd-tmpfiles applies it once at boot, so it survives a reboot ' +
        '(if the intel_rapl modules are loaded by then) but not a reload of them ' +
        '(the files come back root-only):',
      run: [
        `printf '%s\\n' ${tmpfiles.map((l) => `'${l}'`).join(' ')} | sudo tee ${RAPL_TMPFILES}`,
        `sudo systemd-tmpfiles --create ${RAPL_TMPFILES}`,
      ],
    },
  };
}

/** powermetrics refused by sudo: one sudoers line for the exact command lines costbench runs. Pure. */
export function advisePowermetrics(user: string, intervalMs: number): AccessAdvice {
  const probe = [POWERMETRICS_PATH, ...POWERMETRICS_PROBE_ARGS].join(' ');
  return {
    source: 'powermetrics',
    problem: 'powermetrics needs root, and sudo -n (which costbench uses: it never prompts) was refused',
    steps: [
      { say: 'Open a sudoers drop-in with the syntax checker:', run: [`sudo visudo -f ${SUDOERS_FILE}`] },
      {
        say:
          'Add this one line: it allows exactly the two powermetrics command lines costbench runs, no ' +
          `other arguments (-i ${intervalMs} is telemetry.intervalMs, at least 100: after changing it, ` +
          'run doctor again):',
        run: [sudoersLine(user, intervalMs)],
      },
    ],
    check: [`sudo -n ${probe}   # prints one sample, asks no password`, DOCTOR_CHECK],
    tradeOff:
      'Trade-off: this user can read power at will without a password, a side channel of the ' +
      'kind PLATYPUS used on Linux RAPL, but can run nothing else as root (no other command, no -o ' +
      'output file).',
  };
}
