import type { RunEvent } from '../runner/execute.js';
import { formatNumber } from '../report/format-number.js';
import { decodeTokensPerS } from '../analysis/decode-rate.js';

const BAR_WIDTH = 24;
/** The live bar is redrawn at most this often. */
const REDRAW_MS = 100;
/** The live generation rate counts the chunks of this last stretch of time. */
const RATE_WINDOW_MS = 2_000;

/**
 * Shows run progress on stderr: a bar redrawn in place on a terminal (done/total, live
 * generation rate), plain lines otherwise (logs, cron). The live rate counts streamed chunks,
 * about one token each on Ollama; the stored figures come from the server's own counts.
 */
export function createProgress(
  write: (text: string) => void,
  isTty: boolean,
  liveWatts: () => { watts: number; estimated: boolean } | null = () => null,
  now: () => number = () => performance.now(),
): (event: RunEvent) => void {
  let done = 0;
  let total = 0;
  let task = '';
  // Chunks counted per redraw over the last RATE_WINDOW_MS: the live rate of every stream together.
  // A count per redraw, not a time per chunk: at tens of thousands of chunks a second an array of
  // times (filtered at every redraw) would cost the client more than the rate is worth.
  let buckets: { t: number; n: number }[] = [];
  let pendingChunks = 0;
  let lastDraw = 0;

  const draw = (force: boolean): void => {
    const t = now();
    if (!force && t - lastDraw < REDRAW_MS) return;
    lastDraw = t;
    const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
    if (pendingChunks > 0) buckets.push({ t, n: pendingChunks });
    pendingChunks = 0;
    buckets = buckets.filter((b) => t - b.t <= RATE_WINDOW_MS);
    const oldest = buckets[0];
    // The oldest bucket's chunks came before its time: the rate counts those after it.
    const after = buckets.reduce((sum, b) => sum + b.n, 0) - (oldest?.n ?? 0);
    const rate = oldest !== undefined && after > 0 && t > oldest.t ? (after / (t - oldest.t)) * 1000 : null;
    const power = liveWatts();
    const watts =
      power === null
        ? ''
        : `  ${power.estimated ? '~' : ''}${formatNumber(power.watts, 0)} W${power.estimated ? ' (incl. estimate)' : ''}`;
    write(
      `\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${done}/${total}  ${task}  ~${formatNumber(rate)} tok/s live${watts}`,
    );
  };

  return (event) => {
    switch (event.kind) {
      case 'warmup-start':
        write(isTty ? 'loading the model (warm-up)…' : 'warm-up: loading the model\n');
        return;
      case 'warmup-done': {
        const w = event.warmup;
        const text =
          w.state !== 'ok'
            ? `warm-up ${w.state}: ${w.error ?? ''}`
            : event.alreadyLoaded
              ? `warm-up done: the model was already loaded (${formatNumber(w.latencyMs)} ms)`
              : !event.loadKnown
                ? `warm-up done in ${formatNumber(w.latencyMs)} ms (client round trip; the server does not say whether that included loading the model)`
                : `warm-up done: model loaded in ${formatNumber(w.latencyMs)} ms (client round trip${w.loadMs === null ? '' : `; server load ${formatNumber(w.loadMs)} ms`})`;
        write(isTty ? `\r\x1b[2K${text}\n` : `${text}\n`);
        return;
      }
      case 'idle-start': {
        const label = {
          'idle-before': 'idle baseline',
          'idle-after': 'idle after the run',
          cooldown: 'cooldown',
        }[event.phase];
        const settleS = event.settleMaxMs === undefined ? null : formatNumber(event.settleMaxMs / 1000, 0);
        const settle = settleS === null ? '' : ` (after power settles, up to ${settleS} s more)`;
        write(`${label}: ${formatNumber(event.durationMs / 1000, 0)} s with the model loaded${settle}…\n`);
        return;
      }
      case 'retry':
        write(
          `${isTty ? '\r\x1b[2K' : ''}${event.taskId}: ${event.error}; retry ${event.attempt} in ${formatNumber(event.delayMs / 1000, 1)} s\n`,
        );
        return;
      case 'level-start':
        done = 0;
        write(
          event.arrivalRatePerS === undefined
            ? `concurrency ${event.concurrency}: ${event.concurrency === 1 ? 'one request at a time' : `${event.concurrency} requests in flight`}${event.contextDepthTokens === undefined ? '' : `, after ${event.contextDepthTokens} tokens of filler context`}\n`
            : `open loop: ${event.arrivalRatePerS} arrivals/s, whether or not earlier requests finished\n`,
        );
        return;
      case 'rate-level-done': {
        const v = event.verdict;
        const p95 = v.p95LatencyMs === null ? 'no p95' : `p95 ${formatNumber(v.p95LatencyMs, 0)} ms`;
        const ttft = v.p95TtftMs === null ? '' : `, p95 TTFT ${formatNumber(v.p95TtftMs, 0)} ms`;
        const why = v.overSaturated
          ? ' (over-saturated: requests in flight grew without bound; stopped early)'
          : '';
        write(
          `${isTty ? '\r\x1b[2K' : ''}${v.ratePerS}/s: ${p95}${ttft}, ${v.passes ? 'within' : 'outside'} the bound${why}\n`,
        );
        return;
      }
      case 'request-start':
        total = event.total;
        task = event.planned.taskId;
        if (isTty) draw(true);
        return;
      case 'chunk':
        if (!isTty) return; // plain lines show no live rate: keep nothing
        pendingChunks += 1;
        draw(false);
        return;
      case 'attempt-start':
      case 'attempt-done':
      case 'phase-done':
      case 'idle-settled':
        return;
      case 'request-done': {
        done = event.index + 1;
        const r = event.row;
        const rate = decodeTokensPerS(r)?.tokensPerS ?? null;
        if (isTty) {
          if (r.state !== 'ok') write(`\r\x1b[2K${r.taskId}: ${r.state}: ${r.error ?? ''}\n`);
          draw(true);
          if (done === total) write('\n');
        } else {
          const detail =
            r.state === 'ok'
              ? `${formatNumber(r.latencyMs / 1000, 2)} s, ${formatNumber(rate)} tok/s`
              : `${r.error ?? ''}`;
          write(`${done}/${event.total} ${r.taskId} #${r.repeatIndex + 1} ${r.state} ${detail}\n`);
        }
        return;
      }
    }
  };
}
