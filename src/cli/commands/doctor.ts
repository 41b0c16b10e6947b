import { createBackend } from '../../backends/create.js';
import { OpenAiBackend } from '../../backends/openai.js';
import { loadConfig, type ConfigFlags } from '../../config/load.js';
import { CostbenchError, EXIT } from '../../errors.js';
import { readMachineInventory } from '../../inventory/machine.js';
import { openDb } from '../../store/db.js';
import { buildEstimateSampler, buildSamplers, probeAll, telemetryIoFromEnv } from '../../telemetry/build.js';
import { needsCpuEstimate, selectChannels } from '../../telemetry/select.js';
import type { CliIo } from '../io.js';
import { checkOllamaServer, checkOpenAiServer, type Check } from './doctor-server.js';
import { describeCpuEstimate } from './doctor-estimate.js';

export interface DoctorFlags extends ConfigFlags {
  json?: boolean;
}

/**
 * `costbench doctor`: what can be measured here and how to enable the rest; whether the model
 * server answers (for an OpenAI-compatible one: which server, and, from one 2-token request, which
 * counts and timings a run will get); where the database is. Exit 0 when the server and the
 * database are fine, else the first failure's exit code (a missing power source is not a failure).
 */
export async function doctorCommand(flags: DoctorFlags, io: CliIo): Promise<number> {
  const { config, host, dbPath, file } = loadConfig(flags, io.env, io.cwd);
  const backend = createBackend(config.backend, host, io.env);
  const server = backend instanceof OpenAiBackend ? await checkOpenAiServer(backend, config.run.model) : await checkOllamaServer(backend, host);
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

  const io2 = telemetryIoFromEnv(io.env);
  const machine = await readMachineInventory();
  const probed = await probeAll(buildSamplers(config.telemetry, io2));
  const channels = probed.flatMap((p) => (p.probe.available ? p.probe.channels : []));
  if (config.telemetry.sources.includes('estimate') && needsCpuEstimate(channels)) {
    probed.push(...(await probeAll([buildEstimateSampler(config.telemetry, io2, machine.cpuFacts)])));
  }
  const allChannels = probed.flatMap((p) => (p.probe.available ? p.probe.channels : []));
  const selection = new Map(selectChannels(allChannels).map((s) => [s.key, s]));
  const sources = probed.map((p) => ({
    source: p.name,
    available: p.probe.available,
    channels: p.probe.available ? p.probe.channels.map((c) => ({ key: c.key, device: c.device, kind: c.kind, covers: c.covers, inTotal: selection.get(c.key)?.inTotal ?? false, why: selection.get(c.key)?.why ?? '' })) : [],
    reason: p.probe.available ? null : p.probe.reason,
    hint: p.probe.available ? null : p.probe.hint,
  }));

  if (flags.json === true) {
    io.stdout(JSON.stringify({ configFile: file, checks, machine: { cpuModel: machine.cpuModel, cpuCores: machine.cpuCores, gpus: machine.gpus }, sources }, null, 2) + '\n');
    return code;
  }
  io.stdout(`costbench doctor${file === null ? '' : ` (config ${file})`}\n\n`);
  for (const c of checks) io.stdout(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}\n${c.hint === null ? '' : `        hint: ${c.hint}\n`}`);
  io.stdout(`\nPower sources on this machine (${machine.cpuModel}, ${machine.cpuCores} cores):\n`);
  for (const s of sources) {
    if (s.available) {
      for (const c of s.channels) {
        const kind = c.kind === 'estimate' ? 'ESTIMATE' : c.kind;
        io.stdout(`ok    ${s.source}: ${c.key} ${c.device} — ${kind}, covers ${c.covers}${c.inTotal ? '' : ` (not in the total: ${c.why})`}\n`);
      }
    } else {
      io.stdout(`--    ${s.source}: ${s.reason ?? 'unavailable'}\n${s.hint === null ? '' : `        to enable: ${s.hint}\n`}`);
    }
  }
  io.stdout(describeCpuEstimate(allChannels.filter((c) => selection.get(c.key)?.inTotal === true)));
  const counted = sources.flatMap((s) => s.channels).filter((c) => c.inTotal && c.covers !== 'none');
  io.stdout(counted.length === 0 ? '\nNo power can be measured or estimated here: energy and electricity cost will be unknown.\n' : `\nMachine total would be: ${counted.map((c) => c.key).join(' + ')}\n`);
  return code;
}
