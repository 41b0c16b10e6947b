import type { StoredChannel } from '../types/telemetry-rows.js';

function text(channel: StoredChannel, key: string): string | null {
  const v = channel.detail[key];
  return typeof v === 'string' ? v : null;
}

function number(channel: StoredChannel, key: string): number | null {
  const v = channel.detail[key];
  return typeof v === 'number' ? v : null;
}

/**
 * How a channel was read, in words, for every report beside its energy: the method (counter,
 * sampled, estimate), the reader, the counter's update period, whether the counter was read at
 * each request's and phase's edge, the polling interval, and a fallback's reason. Pure: from what
 * the channel stored when it was measured.
 */
export function describeReadout(channel: StoredChannel): string {
  const reader = text(channel, 'reader') ?? channel.source;
  const poll = `polled every ${channel.intervalMs} ms`;
  const fallback = text(channel, 'fallback');
  const tail = fallback === null ? '' : `; ${fallback}`;
  if (channel.kind === 'estimate') return `ESTIMATE, modelled from CPU load, ${poll}${tail}`;
  if (channel.kind === 'counter') {
    const period = number(channel, 'counterPeriodMs');
    const counter = `energy counter (${reader}${period === null ? '' : `, updates every ${period} ms`})`;
    const edges = channel.detail['readAtEdges'] === true ? ", read at every request's and phase's edge" : '';
    return `${counter}: energy = counter deltas${edges}; power ${poll}${tail}`;
  }
  const averaging = number(channel, 'averagingMs');
  const average = averaging === null ? '' : ` (each reading a ${averaging} ms average)`;
  return `sampled power (${reader})${average}, ${poll}: energy = power x time${tail}`;
}
