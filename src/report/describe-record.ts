import type { ServerFacts } from '../types/server-facts.js';
import type { MachineState } from '../types/machine-state.js';
import { diffMachineStates } from '../analysis/machine-state-diff.js';
import { gpuLabel } from '../analysis/machine-state-warnings.js';
import type { SettingsRecord } from '../types/settings-record.js';
import type { RecordView } from '../analysis/record-view.js';

const SERVER_NAMES: Record<ServerFacts['server'], string> = {
  ollama: 'Ollama',
  'llama.cpp': 'llama.cpp server',
  vllm: 'vLLM',
  lmstudio: 'LM Studio',
  'openai-compatible': 'OpenAI-compatible server',
  embedded: 'embedded engine',
};

function software(r: SettingsRecord): string {
  const s = r.software;
  const commit =
    s.commit === null ? '' : ` @ ${s.commit.slice(0, 12)}${s.dirty === true ? ' (modified)' : ''}`;
  return `costbench ${s.costbenchVersion}${commit}, Node ${s.nodeVersion}, ${s.platform} ${s.arch}`;
}

function telemetryLine(r: SettingsRecord, remote: boolean): string {
  const t = r.config.telemetry;
  if (remote) return "Power sampling: none (a run against a remote API: the machines are the provider's)";
  if (!t.enabled) return 'Power sampling: off';
  const tdp =
    t.cpuTdpW === null
      ? 'CPU TDP (for an estimate) from the table'
      : `CPU TDP (for an estimate) ${t.cpuTdpW} W as set`;
  const meters =
    t.meters.length === 0 ? '' : `; ${t.meters.length} wall meter${t.meters.length === 1 ? '' : 's'}`;
  const idle =
    t.idleBaselineS === 0 ? 'no idle baseline' : `idle baseline ${t.idleBaselineS} s before and after`;
  return `Power sampling: every ${t.intervalMs} ms; ${idle}; sources ${t.sources.join(', ')}; ${tdp}${meters}`;
}

function requestsLine(r: SettingsRecord): string {
  const o = r.requestOptions;
  const suite = Object.entries(o.suite)
    .map(([k, v]) => `${k} ${JSON.stringify(v)}`)
    .join(', ');
  const own = Object.keys(o.byTask).length;
  const json = Object.keys(o.formatByTask).length;
  return [
    `Requests: ${suite === '' ? 'server defaults' : suite} (suite ${r.suite.id} v${r.suite.version})`,
    ...(own === 0 ? [] : [`own options for ${own} task${own === 1 ? '' : 's'}`]),
    ...(json === 0 ? [] : [`structured answers for ${json} task${json === 1 ? '' : 's'}`]),
    `keep-alive ${String(o.keepAlive)}`,
    `timeout ${o.timeoutMs} ms`,
    'streamed',
  ].join('; ');
}

/** The short digest reports print. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 12);
}

/** The server line: what it said about itself. */
export function describeServerFacts(f: ServerFacts): string {
  const parts = [
    `${SERVER_NAMES[f.server]}${f.version === null ? ' (version unknown)' : ` ${f.version}`}${f.build === null ? '' : ` (build ${f.build})`}`,
    f.contextLength === null ? 'context unknown' : `context ${f.contextLength}`,
    ...(f.maxModelLength === null ? [] : [`model max ${f.maxModelLength}`]),
    ...(f.slots === null ? [] : [`${f.slots} slot${f.slots === 1 ? '' : 's'}`]),
    ...(f.placement === null ? [] : [f.placement]),
  ];
  const missing = f.errors.length === 0 ? '' : ` (not told: ${f.errors.join('; ')})`;
  return parts.join(' · ') + missing;
}

/** One machine state in a line: CPU scaling, power source, load, each GPU's limit and persistence. */
export function describeMachineState(m: MachineState): string {
  const c = m.cpu;
  const cpu =
    c.governors === null
      ? 'CPU scaling unknown'
      : `governor ${c.governors.join('/')}${c.scalingDrivers === null ? '' : ` (${c.scalingDrivers.join('/')})`}${c.boost === null ? '' : `, boost ${c.boost ? 'on' : 'off'}`}`;
  const power =
    m.power.onMains === null ? 'power source unknown' : m.power.onMains ? 'on mains' : 'on battery';
  const load =
    m.loadAverage === null ? 'load unknown' : `load ${m.loadAverage.map((l) => l.toFixed(2)).join(' ')}`;
  const gpus =
    m.gpus === null
      ? ['GPUs unknown']
      : m.gpus.map((g) => {
          const limit =
            g.powerLimitW === null
              ? 'power limit unknown'
              : `power limit ${g.powerLimitW} W${g.defaultPowerLimitW === null ? '' : ` (default ${g.defaultPowerLimitW} W)`}`;
          const persistence =
            g.persistenceMode === null ? '' : `, persistence ${g.persistenceMode ? 'on' : 'off'}`;
          return `${gpuLabel(g)}: ${limit}${persistence}${g.driverVersion === null ? '' : `, driver ${g.driverVersion}`}`;
        });
  return [cpu, power, load, ...gpus].join('; ');
}

/**
 * "How it was measured" as plain lines: the record's digest and where to read all of it, the
 * sampling, the request options, the server, the machine at start and end. An older run says
 * what it lacks. Pure.
 */
export function describeRecord(view: RecordView | null | undefined, runId: number, remote = false): string[] {
  if (view === null || view === undefined || view.record === null || view.digest === null) {
    return [
      `How it was measured: unknown (run ${runId} was made before costbench kept settings records: its telemetry settings, machine state and server facts were not stored)`,
    ];
  }
  const r = view.record;
  const lines = [
    `How it was measured: settings record ${shortDigest(view.digest)} (${software(r)}${r.rerunOf === null ? '' : `; a rerun of run ${r.rerunOf}`}); all of it: costbench report ${runId} --format json, or --csv settings`,
    `  ${telemetryLine(r, remote)}`,
    `  ${requestsLine(r)}`,
  ];
  if (view.serverFacts.length === 0) lines.push('  Server: not recorded');
  for (const f of view.serverFacts)
    lines.push(`  Server${f.part === 0 ? '' : ` (resume ${f.part})`}: ${describeServerFacts(f.facts)}`);
  const { start, end } = view.machineStates;
  lines.push(`  Machine at start: ${start === null ? 'not recorded' : describeMachineState(start)}`);
  if (start !== null && end !== null) {
    const changed = diffMachineStates(start, end).filter((d) => d.movesResults);
    lines.push(
      `  Machine at end: ${changed.length === 0 ? 'as at start' : changed.map((d) => `${d.field} ${d.a} → ${d.b}`).join('; ')}`,
    );
  }
  return lines;
}
