import type { DownloadProgress } from '../models/download-file.js';

const BAR_WIDTH = 24;
/** The bar is redrawn at most this often. */
const REDRAW_MS = 100;
/** Plain output writes a line each time this share of the file more has arrived. */
const PLAIN_STEP = 0.1;
/** Without a known size, plain output writes a line per this many bytes. */
const PLAIN_STEP_BYTES = 100_000_000;

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** A download's progress on stderr: `onProgress` for resolveModelFile, `finish` when it returns. */
export interface DownloadProgressView {
  onProgress: (progress: DownloadProgress) => void;
  finish: () => void;
}

/**
 * Draws download progress: a bar redrawn in place on a terminal (MB so far / total, the mean
 * rate of this request, time left at that rate), plain lines otherwise (every 10%, for logs).
 */
export function createDownloadProgress(
  write: (text: string) => void,
  isTty: boolean,
  now: () => number = () => performance.now(),
): DownloadProgressView {
  let lastDraw = -Infinity;
  let lastStep = -1;
  let started = false;
  let drawn = false;
  const onProgress = (p: DownloadProgress): void => {
    if (!started) {
      started = true;
      write(`${formatStart(p)}\n`);
    }
    const complete = p.totalBytes !== null && p.receivedBytes >= p.totalBytes;
    if (isTty) {
      const t = now();
      if (!complete && t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      drawn = true;
      write(`\r\x1b[2K${formatBar(p)}`);
      return;
    }
    const step = plainStep(p);
    if (step === lastStep && !complete) return;
    lastStep = step;
    write(`${formatLine(p)}\n`);
  };
  return { onProgress, finish: () => (isTty && drawn ? write('\n') : undefined) };
}

function plainStep(p: DownloadProgress): number {
  if (p.totalBytes === null || p.totalBytes === 0) return Math.floor(p.receivedBytes / PLAIN_STEP_BYTES);
  return Math.floor(p.receivedBytes / p.totalBytes / PLAIN_STEP);
}

/** `downloading <url> (120.0 MB, resuming at 10.0 MB)` */
function formatStart(p: DownloadProgress): string {
  const size = p.totalBytes === null ? 'size unknown' : `${mb(p.totalBytes)} MB`;
  const resumed = p.resumedFromBytes > 0 ? `, resuming at ${mb(p.resumedFromBytes)} MB` : '';
  return `downloading ${p.url} (${size}${resumed})`;
}

function formatRate(p: DownloadProgress): string {
  if (p.bytesPerS === null || p.bytesPerS <= 0) return '';
  const leftS = p.totalBytes === null ? null : Math.ceil((p.totalBytes - p.receivedBytes) / p.bytesPerS);
  const left = leftS === null ? '' : `, ${leftS} s left`;
  return `  ${mb(p.bytesPerS)} MB/s${left}`;
}

/** `[#####.....] 45.2 / 120.0 MB  12.3 MB/s, 6 s left` */
export function formatBar(p: DownloadProgress): string {
  const share = p.totalBytes === null || p.totalBytes === 0 ? 0 : Math.min(1, p.receivedBytes / p.totalBytes);
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
  const total = p.totalBytes === null ? '?' : mb(p.totalBytes);
  return `[${bar}] ${mb(p.receivedBytes)} / ${total} MB${formatRate(p)}`;
}

/** `45% 54.0 / 120.0 MB  12.3 MB/s, 6 s left` */
export function formatLine(p: DownloadProgress): string {
  const known = p.totalBytes !== null && p.totalBytes > 0;
  const pct = known ? `${Math.floor((p.receivedBytes / (p.totalBytes ?? 1)) * 100)}% ` : '';
  const total = p.totalBytes === null ? '' : ` / ${mb(p.totalBytes)}`;
  return `${pct}${mb(p.receivedBytes)}${total} MB${formatRate(p)}`;
}
