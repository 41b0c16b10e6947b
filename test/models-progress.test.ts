import { describe, expect, it } from 'vitest';
import { createDownloadProgress, formatBar, formatLine } from '../src/cli/download-progress.js';
import type { DownloadProgress } from '../src/models/download-file.js';
import { checkMemoryFit, computeMemoryFit } from '../src/models/memory-fit.js';
import { ModelFileError } from '../src/errors.js';

const GiB = 1024 ** 3;
const at = (
  receivedBytes: number,
  bytesPerS: number | null = 10e6,
  totalBytes: number | null = 100e6,
  resumedFromBytes = 0,
): DownloadProgress => ({
  url: 'https://h/m.gguf',
  receivedBytes,
  totalBytes,
  resumedFromBytes,
  bytesPerS,
});

describe('download progress', () => {
  it('formats a bar and a line', () => {
    // 45 of 100 MB: 0.45 x 24 = 10.8 -> 11 of 24 filled; 55 MB left at 10 MB/s = 5.5 s -> 6 s
    expect(formatBar(at(45e6))).toBe('[###########.............] 45.0 / 100.0 MB  10.0 MB/s, 6 s left');
    expect(formatLine(at(45e6))).toBe('45% 45.0 / 100.0 MB  10.0 MB/s, 6 s left');
    expect(formatBar(at(5e6, null, null)), 'size and rate unknown').toBe(
      '[........................] 5.0 / ? MB',
    );
    expect(formatLine(at(5e6, null, null)), 'size and rate unknown').toBe('5.0 MB');
  });

  it('plain output (not a TTY): a start line, then a line per 10%', () => {
    const lines: string[] = [];
    const view = createDownloadProgress((t) => lines.push(t), false);
    for (const mb of [1, 5, 9, 10, 15, 25, 100]) view.onProgress(at(mb * 1e6, 10e6, 100e6, 1e6));
    view.finish();
    expect(lines).toEqual([
      'downloading https://h/m.gguf (100.0 MB, resuming at 1.0 MB)\n',
      '1% 1.0 / 100.0 MB  10.0 MB/s, 10 s left\n',
      '10% 10.0 / 100.0 MB  10.0 MB/s, 9 s left\n',
      '25% 25.0 / 100.0 MB  10.0 MB/s, 8 s left\n',
      '100% 100.0 / 100.0 MB  10.0 MB/s, 0 s left\n',
    ]);
  });

  it('a TTY: the bar redrawn in place at most every 100 ms, always at the end, then a newline', () => {
    const writes: string[] = [];
    let t = 0;
    const view = createDownloadProgress(
      (s) => writes.push(s),
      true,
      () => t,
    );
    view.onProgress(at(10e6)); // t 0: drawn
    t = 50;
    view.onProgress(at(20e6)); // 50 ms later: skipped
    t = 120;
    view.onProgress(at(30e6)); // drawn
    t = 130;
    view.onProgress(at(100e6)); // complete: drawn at once
    view.finish();
    expect(writes).toEqual([
      'downloading https://h/m.gguf (100.0 MB)\n',
      '\r\x1b[2K[##......................] 10.0 / 100.0 MB  10.0 MB/s, 9 s left',
      '\r\x1b[2K[#######.................] 30.0 / 100.0 MB  10.0 MB/s, 7 s left',
      '\r\x1b[2K[########################] 100.0 / 100.0 MB  10.0 MB/s, 0 s left',
      '\n',
    ]);
  });
});

describe('larger than memory', () => {
  it('weights + the stated allowance against RAM + VRAM', () => {
    expect(computeMemoryFit({ weightsBytes: 7 * GiB, ramBytes: 8 * GiB }), 'fits').toEqual({
      fits: true,
      requiredBytes: 7.5 * GiB,
      availableBytes: 8 * GiB,
      allowanceBytes: 0.5 * GiB,
    });
    expect(computeMemoryFit({ weightsBytes: 7.6 * GiB, ramBytes: 8 * GiB }).fits, '7.6 + 0.5 > 8').toBe(
      false,
    );
    expect(
      computeMemoryFit({ weightsBytes: 7.6 * GiB, ramBytes: 8 * GiB, vramBytes: 4 * GiB }).fits,
      'VRAM counts',
    ).toBe(true);
  });

  it('says the figures', () => {
    let error: unknown;
    try {
      checkMemoryFit({ weightsBytes: 14 * GiB, ramBytes: 8 * GiB, vramBytes: 4 * GiB }, 'big.gguf');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toBe(
      "big.gguf is larger than this machine's memory: weights 14.00 GiB + allowance 512.0 MiB = 14.50 GiB > RAM 8.00 GiB + VRAM 4.00 GiB",
    );
    expect((error as ModelFileError).exitCode, 'exit 7').toBe(7);
  });
});
