import type { BreakEven } from '../cost/cost-types.js';
import type { BarResult, Decision } from './decide-types.js';

/** Money in the verdict: three significant figures. */
export function money(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

/** A share as a percentage, e.g. 0.95 -> "95%". */
export function percent(x: number): string {
  return `${Number((x * 100).toFixed(1))}%`;
}

export function tasks(v: number): string {
  return v.toLocaleString('en-US');
}

/** Where local is cheaper, in words, e.g. "from 52,713 tasks a month" or "at no volume up to 1,000,000,000". */
export function describeFlip(b: BreakEven): string {
  switch (b.kind) {
    case 'unknown':
      return `unknown: ${b.reason}${b.missing.length > 0 ? ` (${b.missing.join(', ')})` : ''}`;
    case 'local-always':
      return 'local at every volume';
    case 'never':
      return `the API at every volume up to ${tasks(b.searchedUpTo)} tasks a month`;
    case 'depends':
      return `depends on the estimated power: at its low end ${describeFlip(b.atLowPower)}; at its high end ${describeFlip(b.atHighPower)}`;
    case 'volume': {
      const stretches = b.ranges.map((r) =>
        r.until === null ? `from ${tasks(r.from)}` : `from ${tasks(r.from)} to ${tasks(r.until)}`,
      );
      const limit =
        b.searchLimit === null ? '' : ` (searched up to ${tasks(b.searchedUpTo)}: ${b.searchLimit})`;
      return `local ${stretches.join(', ')} tasks a month${limit}`;
    }
  }
}

function bar(result: BarResult): string {
  return result === 'pass' ? 'clears' : result === 'fail' ? 'fails' : 'unknown for';
}

/** The bars in one sentence each side; '' when no bar was set. */
export function describeBars(d: Decision): string {
  const parts: string[] = [];
  const b = d.bars;
  const side = (name: string, s: Decision['local'], r: Decision['bars']['local']): string => {
    const acc =
      b.minAccuracy === null
        ? null
        : `${bar(r.accuracy)} the accuracy bar ${percent(b.minAccuracy)} (${s.accuracy === null ? 'not measured' : percent(s.accuracy)})`;
    const lat =
      b.maxP95LatencyMs === null
        ? null
        : `${bar(r.latency)} the p95 latency bar ${b.maxP95LatencyMs} ms (${s.p95LatencyMs === null ? 'not measured' : `${Math.round(s.p95LatencyMs)} ms`})`;
    return `${name} ${[acc, lat].filter((x) => x !== null).join(' and ')}.`;
  };
  if (b.minAccuracy === null && b.maxP95LatencyMs === null) return '';
  parts.push(side('Local', d.local, b.local), side('The API', d.api, b.api));
  return parts.join(' ');
}
