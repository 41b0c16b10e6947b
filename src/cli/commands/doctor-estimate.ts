/**
 * The doctor's line on the CPU power estimate: which TDP it assumes (a point or a range, from what)
 * and how to set telemetry.cpuTdpW. Kept apart from doctor.ts so each part can change alone.
 */
import { describeTdp, estimateTdpOf, isRange } from '../../analysis/energy-range.js';
import type { Channel } from '../../telemetry/sampler.js';

/** The estimate's TDP and how to replace it, as lines for the doctor; '' when no estimate is used. Pure. */
export function describeCpuEstimate(channels: readonly Channel[]): string {
  const stored = channels.map((c, id) => ({ ...c, id, inTotal: c.kind === 'estimate', intervalMs: 0 }));
  const tdp = estimateTdpOf(stored);
  if (tdp === null) return '';
  const what = isRange(tdp)
    ? `a range: energy and cost will be reported low–high, the samples at ${tdp.tdpW} W`
    : 'a point';
  return (
    `\nCPU power ESTIMATE (nothing here measures the CPU): ${describeTdp(tdp)}; ${what}; ` +
    `source: ${tdp.source}\n` +
    "        to replace it: set telemetry.cpuTdpW to the CPU's rated power in watts in the config file " +
    '(e.g. {"telemetry": {"cpuTdpW": 65}}), or measure the CPU (RAPL, a wall meter)\n'
  );
}
