import { createBackend } from '../../backends/create.js';
import { OpenAiBackend } from '../../backends/openai.js';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { CostbenchError, EXIT } from '../../errors.js';
import { inventoryOptionsFromEnv, readMachineInventory } from '../../inventory/machine.js';
import { openDb } from '../../store/db.js';
import type { MachineReading as MachineInventory } from '../../inventory/machine.js';
import type { AccessAdvice } from '../../telemetry/access-steps.js';
import { buildEstimateSampler, buildSamplers, probeAll, telemetryIoFromEnv } from '../../telemetry/build.js';
import type { NamedSampler, TelemetryIo } from '../../telemetry/build.js';
import { labelGuestSideProbe } from '../../telemetry/estimate.js';
import type { Channel, ProbeResult } from '../../telemetry/sampler.js';
import { needsCpuEstimate, selectChannels } from '../../telemetry/select.js';
import type { CliIo } from '../io.js';
import { adviceFor, formatAccessSection, readAccessAdvice, type AccessDeps } from './doctor-access.js';
import { checkOllamaServer, checkOpenAiServer, type Check } from './doctor-server.js';
import { formatVirtualizationSection, virtualizationJson } from './doctor-vm.js';
import { describeCpuEstimate } from './doctor-estimate.js';

/** doctor's flags: the config flags, and --json. */
export interface DoctorFlags extends ConfigFlags {
  json?: boolean;
}

/** What doctor reads of the machine; tests inject all of it (they run as root, in a VM). */
export interface DoctorDeps extends AccessDeps {
  /** The machine inventory. Default: readMachineInventory with COSTBENCH_SYS_ROOT / _PROC_ROOT. */
  readInventory?: () => Promise<MachineInventory>;
  /** Overrides of the samplers' I/O: readFile (injected EACCES), platform. */
  telemetry?: Partial<TelemetryIo>;
}

type Probed = NamedSampler & { probe: ProbeResult };

/** One power source as doctor lists it. */
interface SourceLine {
  source: string;
  available: boolean;
  channels: {
    key: string;
    device: string;
    kind: Channel['kind'];
    covers: Channel['covers'];
    inTotal: boolean;
    why: string;
    /** An estimate made inside a VM. */
    guestSide: boolean;
  }[];
  reason: string | null;
  hint: string | null;
}

/**
 * `costbench doctor`: what can be measured here and how to enable the rest (for a source that is
 * present but refused, the exact steps to grant read access); whether this is a VM; whether the
 * model server answers (for an OpenAI-compatible one: which server, and, from one 2-token
 * request, which counts and timings a run will get); where the database is. Exit 0 when the
 * server and the database are fine, else the first failure's exit code (a missing power source
 * is not a failure).
 */
export async function doctorCommand(flags: DoctorFlags, io: CliIo, deps: DoctorDeps = {}): Promise<number> {
  const { config, host, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  const { checks, code } = await checkServerAndDatabase(config, host, dbPath, io);
  const tio: TelemetryIo = { ...telemetryIoFromEnv(io.env), ...deps.telemetry };
  const readInventory = deps.readInventory ?? (() => readMachineInventory(inventoryOptionsFromEnv(io.env)));
  const machine = await readInventory();
  const probed = await probeSources(config, tio, machine);
  const sources = describeSources(probed);
  const access = readAccessAdvice(probed, tio.platform ?? process.platform, tio.sysRoot, deps);
  if (flags.json === true) {
    io.stdout(JSON.stringify(doctorJson(file, checks, machine, sources, access), null, 2) + '\n');
    return code;
  }
  io.stdout(`costbench doctor${file === null ? '' : ` (config ${file})`}\n\n`);
  io.stdout(formatChecks(checks));
  io.stdout(`\nPower sources on this machine (${machine.cpuModel}, ${machine.cpuCores} cores):\n`);
  io.stdout(formatSources(sources, access));
  io.stdout(describeCpuEstimate(channelsInTotal(probed)));
  io.stdout(formatTotal(sources));
  io.stdout(linesOf(formatMeasureForReal(sources, access, machine)));
  io.stdout(linesOf(formatAccessSection(access)));
  const v = machine.virtualization;
  if (v !== undefined) io.stdout(linesOf(['', ...formatVirtualizationSection(v)]));
  return code;
}

/** doctor --json: the checks, the machine and whether it is a VM, the sources, the read-access advice. */
function doctorJson(
  file: string | null,
  checks: Check[],
  machine: MachineInventory,
  sources: SourceLine[],
  access: AccessAdvice[],
): object {
  const v = machine.virtualization;
  const { cpuModel, cpuCores, gpus } = machine;
  return {
    configFile: file,
    checks,
    machine: { cpuModel, cpuCores, gpus },
    virtualization: v === undefined ? null : virtualizationJson(v),
    sources,
    access,
  };
}

function linesOf(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}

/** The model server's checks and the database's; the exit code of the first failure. */
async function checkServerAndDatabase(
  config: Config,
  host: string,
  dbPath: string,
  io: CliIo,
): Promise<{ checks: Check[]; code: number }> {
  const backend = createBackend(config.backend, host, io.env);
  const server =
    backend instanceof OpenAiBackend
      ? await checkOpenAiServer(backend, config.run.model)
      : await checkOllamaServer(backend, host);
  const checks: Check[] = [...server.checks];
  let code = server.code;
  try {
    openDb(dbPath).close();
    checks.push({ name: 'database', ok: true, detail: `${dbPath} (migrated, writable)`, hint: null });
  } catch (error) {
    const e = error instanceof CostbenchError ? error : null;
    checks.push({ name: 'database', ok: false, detail: e?.message ?? String(error), hint: e?.hint ?? null });
    if (code === EXIT.ok) code = e?.exitCode ?? EXIT.internal;
  }
  return { checks, code };
}

/** Probes every configured source, and the CPU estimate where nothing measures the CPU (guest-side: VM). */
async function probeSources(config: Config, tio: TelemetryIo, machine: MachineInventory): Promise<Probed[]> {
  const probed = await probeAll(buildSamplers(config.telemetry, tio));
  const channels = probed.flatMap((p) => (p.probe.available ? p.probe.channels : []));
  if (config.telemetry.sources.includes('estimate') && needsCpuEstimate(channels)) {
    const estimate = await probeAll([buildEstimateSampler(config.telemetry, tio, machine.cpuFacts)]);
    const guest = machine.virtualization?.isVm === true;
    probed.push(...(guest ? estimate.map((p) => ({ ...p, probe: labelGuestSideProbe(p.probe) })) : estimate));
  }
  return probed;
}

/** The channels that count toward the machine total. */
function channelsInTotal(probed: readonly Probed[]): Channel[] {
  const all = probed.flatMap((p) => (p.probe.available ? p.probe.channels : []));
  const selection = new Map(selectChannels(all).map((s) => [s.key, s]));
  return all.filter((c) => selection.get(c.key)?.inTotal === true);
}

/** Each source with its channels and whether each counts toward the machine total. */
function describeSources(probed: readonly Probed[]): SourceLine[] {
  const allChannels = probed.flatMap((p) => (p.probe.available ? p.probe.channels : []));
  const selection = new Map(selectChannels(allChannels).map((s) => [s.key, s]));
  return probed.map((p) => ({
    source: p.name,
    available: p.probe.available,
    channels: p.probe.available
      ? p.probe.channels.map((c) => ({
          key: c.key,
          device: c.device,
          kind: c.kind,
          covers: c.covers,
          inTotal: selection.get(c.key)?.inTotal ?? false,
          why: selection.get(c.key)?.why ?? '',
          guestSide: c.detail['guestSide'] === true,
        }))
      : [],
    reason: p.probe.available ? null : p.probe.reason,
    hint: p.probe.available ? null : p.probe.hint,
  }));
}

function formatChecks(checks: readonly Check[]): string {
  const hintOf = (c: Check): string => (c.hint === null ? '' : `        hint: ${c.hint}\n`);
  return checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}\n${hintOf(c)}`).join('');
}

/** The sources, one line each; a source with read-access advice points to it instead of its hint. */
function formatSources(sources: readonly SourceLine[], access: readonly AccessAdvice[]): string {
  let out = '';
  for (const s of sources) {
    if (s.available) {
      for (const c of s.channels) {
        const kind = c.kind === 'estimate' ? (c.guestSide ? 'guest-side ESTIMATE' : 'ESTIMATE') : c.kind;
        const total = c.inTotal ? '' : ` (not in the total: ${c.why})`;
        out += `ok    ${s.source}: ${c.key} ${c.device} — ${kind}, covers ${c.covers}${total}\n`;
      }
      continue;
    }
    const advice = adviceFor(s.source, access);
    const hint = advice === undefined ? s.hint : `see "Read access: ${advice.source}" below`;
    const enable = hint === null ? '' : `        to enable: ${hint}\n`;
    out += `--    ${s.source}: ${s.reason ?? 'unavailable'}\n${enable}`;
  }
  return out;
}

function countedChannels(sources: readonly SourceLine[]): SourceLine['channels'] {
  return sources.flatMap((s) => s.channels).filter((c) => c.inTotal && c.covers !== 'none');
}

function formatTotal(sources: readonly SourceLine[]): string {
  const counted = countedChannels(sources);
  return counted.length === 0
    ? '\nNo power can be measured or estimated here: energy and electricity cost will be unknown.\n'
    : `\nMachine total would be: ${counted.map((c) => c.key).join(' + ')}\n`;
}

/** Where nothing is measured (an estimate at most): how to measure for real. [] otherwise. Pure. */
function formatMeasureForReal(
  sources: readonly SourceLine[],
  access: readonly AccessAdvice[],
  machine: MachineInventory,
): string[] {
  if (countedChannels(sources).some((c) => c.kind !== 'estimate')) return [];
  const lines = ['To measure for real:'];
  const refused = access.map((a) => a.source).join(', ');
  if (access.length > 0) {
    lines.push(`  - grant read access to ${refused} as below, then run costbench doctor again`);
  }
  if (machine.virtualization?.isVm === true) {
    lines.push('  - this is a virtual machine: measure its host instead (see "Virtual machine" below)');
    return lines;
  }
  lines.push(
    '  - add a wall meter (telemetry.meters: a Shelly or Tasmota plug, or a command such as ' +
      '`ipmitool dcmi power reading`, with "meter" in telemetry.sources): it measures the whole machine',
  );
  return lines;
}
