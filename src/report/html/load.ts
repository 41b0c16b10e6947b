import type { Db } from '../../store/db.js';
import { listRequests } from '../../store/requests.js';
import { listChannels, listPhases, listSamples } from '../../store/telemetry.js';
import { MAX_POINTS_PER_CHANNEL, shapeHtmlSeries, type HtmlSeries } from './series.js';

export type { HtmlChannelSeries, HtmlSeries, PowerPoint, RequestPoint, UtilPoint } from './series.js';

/**
 * Reads a run's channels, samples, phases and requests and shapes them for the HTML report
 * (power downsampled to at most about `maxPoints` per channel). The only I/O is the reads.
 */
export function loadHtmlSeries(db: Db, runId: number, maxPoints = MAX_POINTS_PER_CHANNEL): HtmlSeries {
  const channels = listChannels(db, runId);
  const samples = new Map(channels.map((c) => [c.id, listSamples(db, c.id)]));
  return shapeHtmlSeries(channels, samples, listPhases(db, runId), listRequests(db, runId), maxPoints);
}
