import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeReadout } from '../src/analysis/channel-readout.js';
import { toSeries, windowEnergy } from '../src/analysis/energy-series.js';
import {
  AmdCounterTrack,
  checkAmdCounter,
  parseRocmVersion,
  readRocmVersion,
  rocmTooOld,
} from '../src/telemetry/amd-counter.js';
import type { StoredChannel, StoredSample } from '../src/types/telemetry-rows.js';
import { makeTempDir } from './support/temp.js';

describe('the ROCm version rule', () => {
  it('parses .info/version and refuses the counter before ROCm 6.3 only', () => {
    expect(parseRocmVersion('6.2.4-120\n'), 'with a build number').toEqual({
      text: '6.2.4',
      major: 6,
      minor: 2,
    });
    expect(parseRocmVersion('7.1'), 'two parts').toEqual({ text: '7.1', major: 7, minor: 1 });
    expect(parseRocmVersion('unknown'), 'not a version').toBeNull();
    expect(rocmTooOld(parseRocmVersion('6.2.4-120'))).toBe(
      "ROCm 6.2.4 is older than 6.3, where amd-smi's energy counter is unreliable",
    );
    expect(rocmTooOld(parseRocmVersion('5.7.1')), '5.7').not.toBeNull();
    expect(rocmTooOld(parseRocmVersion('6.3.0')), '6.3.0 is new enough').toBeNull();
    expect(rocmTooOld(parseRocmVersion('7.0.2')), '7.0').toBeNull();
    expect(rocmTooOld(null), 'unknown: the cross-check alone decides').toBeNull();
  });

  it('reads $ROCM_PATH/.info/version; null where there is none', ({ onTestFinished }) => {
    const dir = makeTempDir('costbench-rocm-');
    onTestFinished(() => dir.remove());
    mkdirSync(join(dir.path, '.info'));
    writeFileSync(join(dir.path, '.info', 'version'), '6.2.4-120\n');
    expect(readRocmVersion({ ROCM_PATH: dir.path })).toEqual({ text: '6.2.4', major: 6, minor: 2 });
    expect(readRocmVersion({ ROCM_PATH: join(dir.path, 'absent') })).toBeNull();
  });
});

describe('the start-up cross-check of the counter against sampled power', () => {
  const at = (tMs: number, powerW: number | null, energyJ: number | null) => ({ tMs, powerW, energyJ });

  it('keeps a counter that agrees: 1000.0 -> 1450.5 J against (220 + 230) / 2 W x 2 s = 450 J', () => {
    // 450.5 / 450 = 1.0011 -> shown as 1x.
    expect(checkAmdCounter(at(0, 220, 1000), at(2000, 230, 1450.5))).toEqual({
      use: true,
      counterJ: 450.5,
      sampledJ: 450,
      ratio: 450.5 / 450,
      note: 'start-up check: counter 450.5 J vs sampled power 450 J over 2 s: 1x apart, within 10x',
    });
  });

  it('disables a counter off by more than 10x either way', () => {
    // 300 W x 2 s = 600 J sampled; the counter moved 6 J: 600 / 6 = 100 > 10.
    expect(checkAmdCounter(at(0, 300, 1000), at(2000, 300, 1006))).toEqual({
      use: false,
      why: 'it disagrees with sampled power by more than 10x (counter 6 J vs sampled power 600 J over 2 s: 100x apart)',
    });
    // The other way: 6001 J against 600 J is 10.0017x > 10.
    const over = checkAmdCounter(at(0, 300, 1000), at(2000, 300, 7001));
    expect(over.use, '6001 J vs 600 J').toBe(false);
    // Exactly 10x (6000 J against 600 J) is still within.
    const edge = checkAmdCounter(at(0, 300, 1000), at(2000, 300, 7000));
    expect(edge.use, '6000 J vs 600 J').toBe(true);
  });

  it('disables a counter that is N/A, went down, did not move, or has no power or time to compare with', () => {
    const why = (c: ReturnType<typeof checkAmdCounter>): string | null => (c.use ? null : c.why);
    expect(why(checkAmdCounter(at(0, 300, null), at(2000, 300, 1006)))).toBe(
      'the counter read N/A at the start-up check',
    );
    expect(why(checkAmdCounter(at(0, 300, 1000), at(2000, 300, 900)))).toBe(
      'the counter went down at the start-up check (counter -100 J vs sampled power 600 J over 2 s)',
    );
    expect(why(checkAmdCounter(at(0, 300, 1000), at(2000, 300, 1000)))).toBe(
      'the counter cannot be checked against power (counter 0 J vs sampled power 600 J over 2 s)',
    );
    expect(why(checkAmdCounter(at(0, null, 1000), at(2000, 300, 1600)))).toBe(
      'no power reading to check the counter against',
    );
    expect(why(checkAmdCounter(at(2000, 300, 1000), at(2000, 300, 1600)))).toBe(
      'the two start-up readings have no time between them',
    );
  });
});

describe('the counter while running', () => {
  it('gives joules since the first reading; N/A, negative and non-finite readings are gaps; a drop is passed on with an error', () => {
    const track = new AmdCounterTrack();
    const got = [1000, 1200.25, null, 1450.5, 3, 53, -5, Number.NaN].map((raw) => track.next(raw));
    expect(got).toEqual([
      { energyJ: 0, error: null }, // 1000 - 1000
      { energyJ: 200.25, error: null }, // 1200.25 - 1000
      { energyJ: null, error: null }, // N/A: a gap
      { energyJ: 450.5, error: null }, // 1450.5 - 1000
      {
        energyJ: -997, // 3 - 1000: the drop stays visible, so the summary leaves that interval out
        error:
          'energy counter went down (1450.5 -> 3 J): a reset or wrap of unknown size, that interval is left out',
      },
      { energyJ: -947, error: null }, // 53 - 1000: counts again from the new value (+50 J)
      { energyJ: null, error: 'energy counter read -5 J: left out as a gap' },
      { energyJ: null, error: 'energy counter read NaN J: left out as a gap' },
    ]);
    track.reset();
    expect(track.next(2000), 'after reset').toEqual({ energyJ: 0, error: null });
  });
});

describe("an AMD counter channel's energy in the analysis", () => {
  const channel: StoredChannel = {
    id: 1,
    key: 'amd-smi:0',
    source: 'amd',
    device: 'AMD Instinct MI300X',
    kind: 'counter',
    covers: 'gpu-board',
    inTotal: true,
    intervalMs: 1000,
    detail: { reader: 'amd-smi' },
  };
  const reading = (tMs: number, energyJ: number | null, powerW: number | null = 225): StoredSample => ({
    tMs,
    powerW,
    energyJ,
    utilizationPct: null,
    memoryUsedBytes: null,
    clockMhz: null,
    temperatureC: null,
  });

  it('is the counter delta over a window: 1000.0 J at the start, 1450.5 J at the end -> 450.5 J', () => {
    // As the sampler stores them: joules since its first reading (1000.0 J raw -> 0).
    const series = toSeries(channel, [reading(0, 0), reading(1000, 200), reading(2000, 450.5)]);
    const e = windowEnergy(series, 0, 2000);
    expect(e.method).toBe('counter');
    expect(e.energyJ).toBeCloseTo(450.5, 9); // 1450.5 - 1000.0
    expect(e.coveredMs).toBe(2000);
  });

  it('leaves out the interval where the counter went down, and counts the others', () => {
    // Raw 1000, 1200, 3 (reset), 53 -> stored 0, 200, -997, -947: 200 J + (left out) + 50 J = 250 J over 2 of 3 s.
    const series = toSeries(channel, [
      reading(0, 0),
      reading(1000, 200),
      reading(2000, -997),
      reading(3000, -947),
    ]);
    expect(series.counterWrapsUnknown).toBe(1);
    const e = windowEnergy(series, 0, 3000);
    expect(e.method).toBe('counter');
    expect(e.energyJ).toBeCloseTo(250, 9);
    expect(e.coveredMs).toBe(2000);
  });

  it("a disabled counter: the report's readout says sampled power, and why the counter was not used", () => {
    const fallback =
      'amd-smi energy counter not used: it disagrees with sampled power by more than 10x (counter 6 J vs sampled power 600 J over 2 s: 100x apart)';
    const sampled: StoredChannel = { ...channel, kind: 'sampled', detail: { reader: 'amd-smi', fallback } };
    expect(describeReadout(sampled)).toBe(
      `sampled power (amd-smi), polled every 1000 ms: energy = power x time; ${fallback}`,
    );
  });
});
