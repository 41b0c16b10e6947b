/**
 * `doctor`'s read-access section: which present sources this user may not read, and the exact
 * steps to grant them (telemetry/access-advice*.ts), as text lines or JSON.
 */
import { userInfo } from 'node:os';
import { adviseAccess } from '../../telemetry/access-advice.js';
import { nodeAccessIo, scanAccess, type AccessIo } from '../../telemetry/access-scan.js';
import type { AccessAdvice, AccessSource, AccessStep } from '../../telemetry/access-steps.js';
import { AppleSampler } from '../../telemetry/apple.js';
import type { NamedSampler } from '../../telemetry/build.js';

/** What the read-access scan reads; tests inject refusals (root reads everything). */
export interface AccessDeps {
  /** File-system calls of the scan. Default: the real file system. */
  accessIo?: AccessIo;
  /** Root of device nodes. Default "/dev". */
  devRoot?: string;
  /** The login name a sudoers line names. Default: os.userInfo(). */
  user?: string;
}

/** Which advice unlocks a doctor source, by the name it is listed under. */
const SOURCE_ADVICE: Readonly<Record<string, AccessSource>> = {
  rapl: 'rapl',
  hwmon: 'hwmon',
  nvml: 'nvidia',
  'nvidia-smi': 'nvidia',
  'amd-smi': 'amd',
  'rocm-smi': 'amd',
  powermetrics: 'powermetrics',
};

/** The advice for the doctor source of this name, if any. */
export function adviceFor(source: string, advice: readonly AccessAdvice[]): AccessAdvice | undefined {
  const key = SOURCE_ADVICE[source];
  return key === undefined ? undefined : advice.find((a) => a.source === key);
}

function loginName(): string {
  try {
    return userInfo().username;
  } catch {
    return '<your-user>';
  }
}

/**
 * Scans for refused sources (Linux files and device nodes; powermetrics from its probe) and
 * returns the advice for each. Never throws.
 */
export function readAccessAdvice(
  probed: readonly NamedSampler[],
  platform: NodeJS.Platform,
  sysRoot: string,
  deps: AccessDeps,
): AccessAdvice[] {
  const apple = probed.map((p) => p.sampler).find((s): s is AppleSampler => s instanceof AppleSampler);
  const facts =
    platform === 'linux'
      ? scanAccess(deps.accessIo ?? nodeAccessIo(), { sysRoot, devRoot: deps.devRoot ?? '/dev' })
      : null;
  return adviseAccess({
    facts,
    powermetricsRefused: apple?.sudoRefused === true,
    powermetricsIntervalMs: apple?.sampleIntervalMs ?? 0,
    user: deps.user ?? loginName(),
  });
}

const STEP_INDENT = '  ';
const RUN_INDENT = '       ';

function stepLines(step: AccessStep, label: string): string[] {
  const lines = [`${STEP_INDENT}${label}${step.say}`, ...step.run.map((r) => `${RUN_INDENT}${r}`)];
  if (step.instead !== undefined) {
    lines.push(`${STEP_INDENT}   ${step.instead.say}`, ...step.instead.run.map((r) => `${RUN_INDENT}${r}`));
  }
  return lines;
}

/** One piece of advice as text lines: the problem, numbered steps, the check and the trade-off. Pure. */
export function formatAccessAdvice(a: AccessAdvice): string[] {
  return [
    `Read access: ${a.source}`,
    `${STEP_INDENT}${a.problem}.`,
    ...a.steps.flatMap((step, i) => stepLines(step, `${i + 1}. `)),
    `${STEP_INDENT}Check, as yourself:`,
    ...a.check.map((c) => `${RUN_INDENT}${c}`),
    `${STEP_INDENT}${a.tradeOff}`,
  ];
}

/** The read-access section: every piece of advice, a blank line between them; [] when none. Pure. */
export function formatAccessSection(advice: readonly AccessAdvice[]): string[] {
  return advice.flatMap((a) => ['', ...formatAccessAdvice(a)]);
}
