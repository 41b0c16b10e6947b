import type { EnergySummary } from './energy-summary.js';
import { formatNumber } from './format-number.js';

const COVERS_LABEL: Record<string, string> = {
  'gpu-board': 'GPU board', 'apu-package': 'APU package', 'cpu-package': 'CPU package', dram: 'DRAM', psys: 'platform (psys)',
  soc: 'SoC (CPU+GPU+ANE)', cpu: 'CPU', gpu: 'GPU', ane: 'ANE', wall: 'wall (whole machine)', none: 'utilization only',
};

/** An estimate is never printed like a measurement: it carries a "~". */
function watts(value: number | null, estimate: boolean, decimals = 1): string {
  return value === null ? '—' : `${estimate ? '~' : ''}${formatNumber(value, decimals)}`;
}

/** The power and energy section of the text report. Pure. */
export function formatEnergySection(e: EnergySummary): string[] {
  const lines: string[] = ['', `Power and energy over the measured phase (${formatNumber(e.total.measuredMs / 1000)} s)`];
  const header = ['channel'.padEnd(26), 'kind'.padEnd(9), 'covers'.padEnd(16), 'idle W'.padStart(8), 'mean W'.padStart(8), 'peak W'.padStart(8), 'energy J'.padStart(10), 'marginal J'.padStart(11), '  total'];
  const powered = e.channels.filter((c) => c.covers !== 'none');
  if (powered.length > 0) lines.push(header.join(' '));
  for (const c of powered) {
    const est = c.kind === 'estimate';
    lines.push(
      [
        `${c.key} ${c.device === c.key ? '' : c.device}`.slice(0, 26).padEnd(26),
        (est ? 'ESTIMATE' : c.kind).padEnd(9),
        (COVERS_LABEL[c.covers] ?? c.covers).slice(0, 16).padEnd(16),
        watts(c.idleBeforeW ?? c.idleAfterW, est).padStart(8),
        watts(c.meanW, est).padStart(8),
        watts(c.peakW, est).padStart(8),
        watts(c.energyJ, est).padStart(10),
        watts(c.marginalEnergyJ, est).padStart(11),
        c.inTotal ? '  yes' : '  no',
      ].join(' '),
    );
  }
  const t = e.total;
  if (t.channelKeys.length > 0) {
    const est = t.includesEstimate;
    const label = est ? 'includes an ESTIMATE' : t.kinds.join(' + ');
    lines.push(
      `Machine total (${t.channelKeys.join(' + ')}; ${label}): idle ${watts(t.idleW, est)} W, mean ${watts(t.meanW, est)} W, energy ${watts(t.energyJ, est)} J, marginal ${watts(t.marginalEnergyJ, est)} J`,
      `Per task: ${watts(t.perTaskJ, est)} J total, ${watts(t.perTaskMarginalJ, est)} J marginal (above idle) · per 1k output tokens: ${watts(t.whPer1kOutputTokens, est, 3)} Wh total, ${watts(t.marginalWhPer1kOutputTokens, est, 3)} Wh marginal`,
    );
    if (t.idleW === null) lines.push('  (no idle baseline was measured: marginal energy is unknown; run with --idle 30)');
  } else {
    lines.push('No power source could be read here: energy is unknown (see `costbench doctor`).');
  }
  if (e.warmup !== null && t.channelKeys.length > 0) {
    lines.push(`Warm-up (model load, not in the figures above): ${watts(e.warmup.energyJ, t.includesEstimate)} J over ${formatNumber(e.warmup.durationMs / 1000, 2)} s`);
  }
  const missing = e.sources.filter((s) => !s.available);
  if (missing.length > 0) {
    lines.push('Not measured:');
    for (const s of missing) lines.push(`  - ${s.source}: ${s.reason ?? 'unavailable'}${s.hint === null ? '' : ` (to enable: ${s.hint})`}`);
  }
  return lines;
}
