import { formatNumber } from './format-number.js';
import type { RunSummary } from '../analysis/summary.js';
import { describeVmShort } from '../analysis/vm-notes.js';

const GIB = 1024 ** 3;

/** The server software in words: "Ollama 0.12.3", "OpenAI-compatible server b6123"; '' when no version was recorded. */
export function describeServerVersion(backend: string, version: string | null | undefined): string {
  if (version === null || version === undefined) return '';
  if (backend === 'llama-cpp') return version;
  return `${backend === 'ollama' ? 'Ollama' : 'OpenAI-compatible server'} ${version}`;
}

/**
 * The engine line of an embedded run: where it computed, with how many threads, where the layers
 * went, the context as created. null for model servers. Pure.
 */
export function describeEngine(s: RunSummary): string | null {
  const e = s.engine;
  if (e === null || e === undefined) return null;
  const where =
    e.computeBackend === 'cpu'
      ? 'CPU'
      : `${e.computeBackend.toUpperCase()} (${e.devices.join(', ') || 'no device named'})`;
  return [
    `llama.cpp (${e.engine}) on ${where}`,
    `threads ${e.threads}`,
    `${e.gpuLayers}/${e.totalLayers} layers on the GPU`,
    `context ${e.contextSize} x ${e.sequences} sequence${e.sequences === 1 ? '' : 's'}`,
    `batch ${e.batchSize}`,
    `flash attention ${e.flashAttention === 'auto' ? "auto (llama.cpp's choice)" : e.flashAttention}`,
    `KV cache ${e.kvCacheType}`,
    e.mmap ? 'mmap' : 'read (no mmap)',
    `chat template ${e.chatTemplate}`,
  ].join(' · ');
}

/** The model line of a report, as plain text (escape it for Markdown). Pure. */
export function describeModel(s: RunSummary): string {
  const m = s.model;
  const details =
    m === null
      ? []
      : [
          m.family,
          m.parameterSize,
          m.quantization,
          m.contextLength === null ? null : `ctx ${m.contextLength}`,
        ].filter((x) => x !== null);
  const server = describeServerVersion(s.run.backend, m?.serverVersion);
  const where = s.run.backend === 'llama-cpp' ? 'in the embedded engine' : `on ${s.run.host}`;
  return `${s.run.model}${details.length > 0 ? ` (${details.join(', ')})` : ''} ${where}${server === '' ? '' : `, ${server}`}`;
}

/** The machine line of a report, as plain text. Pure. */
export function describeMachine(s: RunSummary): string {
  const m = s.machine;
  if (m === null) return 'not recorded';
  const gpus = m.gpus.length === 0 ? 'none found' : m.gpus.map((g) => g.model).join(', ');
  const vm = m.virtualization?.isVm === true ? `; ${describeVmShort(m.virtualization)}` : '';
  const memory = `${(m.memoryBytes / GIB).toFixed(1)} GiB`;
  const cpu = `${m.cpuModel}, ${m.cpuCores} logical cores`;
  return `${m.hostname} (${m.platform} ${m.arch}), ${cpu}, ${memory}; GPUs: ${gpus}${vm}`;
}

/**
 * The warm-up line of a report (plain text, no final period), or null without a warm-up. An Ollama
 * warm-up the model was not loaded for is a cold load; other servers cannot say whether one was. Pure.
 */
export function describeWarmup(s: RunSummary): string | null {
  const w = s.warmup;
  if (w === null) return null;
  if (w.alreadyLoaded)
    return `Warm-up: the model was already loaded, so no cold load was measured (${formatNumber(w.latencyMs)} ms round trip)`;
  const state = w.state === 'ok' ? '' : ` (${w.state})`;
  const e = s.engine;
  if (s.run.backend === 'llama-cpp' && e !== null && e !== undefined) {
    return (
      `Cold load (warm-up, kept out of every figure below): ${formatNumber(w.latencyMs)} ms: model load ` +
      `${formatNumber(e.modelLoadMs)} ms (${e.mmap ? 'mmap' : 'read'}), context ${formatNumber(e.contextMs)} ms, one priming token ` +
      `${formatNumber(e.primeMs)} ms${state}; before it, the engine process started in ${formatNumber(e.engineStartMs)} ms (no model)`
    );
  }
  if (s.run.backend !== 'ollama') {
    return `Warm-up (kept out of every figure below): ${formatNumber(w.latencyMs)} ms client round trip; this server does not say whether that included loading the model${state}`;
  }
  const server =
    w.serverLoadMs === null
      ? ' (the server reports no load time for a load-only request)'
      : `, server load ${formatNumber(w.serverLoadMs)} ms`;
  return `Cold load (warm-up, kept out of every figure below): ${formatNumber(w.latencyMs)} ms client round trip${server}${state}`;
}

/**
 * The notes of a report, as plain text: a VM's notes, run warnings,
 * energy and sweep flags, sampler gaps, truncations, reloads, malformed lines, the run's error. Pure.
 */
export function collectNotes(s: RunSummary): string[] {
  const r = s.requests;
  const notes: string[] = [
    ...s.vmNotes,
    ...(s.recordView?.warnings ?? []),
    ...s.run.warnings,
    ...(s.energy?.flags ?? []),
    ...(s.sweep?.flags ?? []),
  ];
  for (const e of s.telemetryErrors)
    notes.push(
      `${e.channelKey ?? e.source}: ${e.count} sampler error${e.count === 1 ? '' : 's'} (gaps), e.g. ${e.firstMessage}`,
    );
  if (r.truncated > 0)
    notes.push(`${r.truncated} answers stopped at the output limit (done_reason "length")`);
  if (s.reloadsDuringRun > 0)
    notes.push(`${s.reloadsDuringRun} measured requests paid a model load; their latency includes it`);
  if (r.malformedLines > 0) notes.push(`${r.malformedLines} malformed stream lines were skipped`);
  if (s.run.error !== null) notes.push(`run error: ${s.run.error}`);
  return notes;
}
