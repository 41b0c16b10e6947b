import { okRequestRow } from './support/request-row.js';
import { describe, expect, it } from 'vitest';
import { computeEnergySummary } from '../src/analysis/energy-summary.js';
import type { RequestRow } from '../src/store/requests.js';
import type { Phase, StoredChannel } from '../src/store/telemetry.js';
import type { Sample } from '../src/telemetry/sampler.js';

type StoredSample = Omit<Sample, 'channelKey'>;

const BASE_REQUEST: RequestRow = okRequestRow();

function request(
  seq: number,
  startOffsetMs: number,
  latencyMs: number,
  extra: Partial<RequestRow> = {},
): RequestRow {
  return { ...BASE_REQUEST, seq, startOffsetMs, latencyMs, ...extra };
}

function channel(id: number, key: string, extra: Partial<StoredChannel> = {}): StoredChannel {
  return {
    id,
    key,
    source: 'nvidia',
    device: key,
    kind: 'sampled',
    covers: 'gpu-board',
    inTotal: true,
    intervalMs: 100,
    detail: {},
    ...extra,
  };
}

/** Power readings at `firstMs`, `firstMs + periodMs`, ... up to `endMs`, reading `powerAt(t)`. */
function powerReadings(
  firstMs: number,
  periodMs: number,
  endMs: number,
  powerAt: (tMs: number) => number,
): StoredSample[] {
  const out: StoredSample[] = [];
  for (let t = firstMs; t <= endMs; t += periodMs) {
    out.push({
      tMs: t,
      powerW: powerAt(t),
      energyJ: null,
      utilizationPct: null,
      memoryUsedBytes: null,
      clockMhz: null,
      temperatureC: null,
    });
  }
  return out;
}

const phase = (
  name: Phase['name'],
  startMs: number,
  endMs: number,
  concurrency = name === 'measure' ? 1 : 0,
): Phase => ({ name, concurrency, startMs, endMs });

describe('item 4: a window uses only the readings inside it', () => {
  // The GPU reads exactly 60 W until the first request, 260 W from it on, once a second
  // (a 1 s meter, or nvidia-smi at -lms 1000), the readings 723 ms past each second.
  const gpu = channel(1, 'nvidia:0', { intervalMs: 1000 });
  const busyFrom =
    (startMs: number) =>
    (t: number): number =>
      t < startMs ? 60 : 260;

  it('--idle 4: idle is exactly 60 W (was 62.4 W: the last idle reading interpolated toward the first busy one)', () => {
    // Hand computation of the old figure: the idle window is [0.8 s, 4 s] (the fixed settle, 20% of 4 s).
    // Readings at 3.723 s (60 W) and 4.723 s (260 W): the line between them rises 200 W/s, so over
    // [3.723, 4.0] the window got 200 x 0.277^2 / 2 = 7.6729 J too much: 60 + 7.6729 / 3.2 = 62.398 W.
    const samples = powerReadings(-277, 1000, 20_000, busyFrom(4000));
    const phases = [
      phase('idle-before', 0, 4000),
      phase('measure', 4000, 14_000),
      phase('idle-after', 14_000, 18_000),
    ];
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, [request(0, 4000, 10_000)], []);
    expect(e.channels[0]?.idleBeforeW, 'idle before').toBeCloseTo(60, 9);
  });

  it('--idle 8: idle is exactly 60 W (was 60.8 W)', () => {
    // Window [1.6 s, 8 s]; readings at 7.774 s (60 W) and 8.774 s (260 W): 200 x 0.226^2 / 2 = 5.1076 J
    // too much over 6.4 s: 60.798 W before the fix.
    const samples = powerReadings(-226, 1000, 30_000, busyFrom(8000));
    const phases = [
      phase('idle-before', 0, 8000),
      phase('measure', 8000, 18_000),
      phase('idle-after', 18_000, 26_000),
    ];
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, [request(0, 8000, 10_000)], []);
    expect(e.channels[0]?.idleBeforeW, 'idle before').toBeCloseTo(60, 9);
  });

  it('the measured phase holds its own first and last readings to its edges: 260 W x 10 s = 2600 J', () => {
    // Old: [4.0, 4.723] interpolated from the idle reading at 3.723 s (115.4 -> 260 W: 135.7 J instead of
    // 188.0 J) and [13.723, 14.0] toward the idle reading at 14.723 s (64.3 J instead of 72.0 J): 2540.1 J.
    const samples = powerReadings(-277, 1000, 20_000, (t) => (t < 4000 || t >= 14_000 ? 60 : 260));
    const phases = [
      phase('idle-before', 0, 4000),
      phase('measure', 4000, 14_000),
      phase('idle-after', 14_000, 18_000),
    ];
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, [request(0, 4000, 10_000)], []);
    expect(e.total.energyJ, 'measured energy').toBeCloseTo(2600, 9);
    expect(e.total.marginalEnergyJ, 'marginal: (260 - 60) x 10 s').toBeCloseTo(2000, 9);
    expect(e.levels[0]?.energyJ, 'the level').toBeCloseTo(2600, 9);
    expect(e.perRequestJ[0]?.energyJ, 'the one request, over the whole phase').toBeCloseTo(2600, 9);
    expect(
      e.channels[0]?.idleAfterW,
      'idle after: window [14.8, 18] s, readings 14.723 s on all 60 W',
    ).toBeCloseTo(60, 9);
  });

  it("a request shorter than the reading period takes its energy from its phase's readings, never from outside it", () => {
    // Readings every 100 ms: 100 W at 0 ms, 200 W at 100 ms inside the measure phase [0, 100]; the idle
    // phase after it reads 1000 W at 150 ms and 300 ms (made-up spikes, to show they are not used).
    // Request A [40, 90] has no reading inside: the phase's line 100 -> 200 W gives (140 + 190) / 2 x 0.05 = 8.25 J.
    // Request B [90, 100]: (190 + 200) / 2 x 0.01 = 1.95 J.
    const readings: StoredSample[] = [
      { tMs: 0, powerW: 100 },
      { tMs: 100, powerW: 200 },
      { tMs: 150, powerW: 1000 },
      { tMs: 200, powerW: 50 },
      { tMs: 250, powerW: 50 },
      { tMs: 300, powerW: 1000 },
    ].map((s) => ({
      ...s,
      energyJ: null,
      utilizationPct: null,
      memoryUsedBytes: null,
      clockMhz: null,
      temperatureC: null,
    }));
    const phases = [
      phase('measure', 0, 100),
      phase('idle-after', 100, 200, 0),
      phase('measure', 200, 260, 2),
    ];
    const requests = [request(0, 40, 50), request(1, 90, 10), request(2, 200, 60, { concurrency: 2 })];
    const e = computeEnergySummary([channel(1, 'gpu')], new Map([[1, readings]]), phases, requests, []);
    expect(e.perRequestJ.map((r) => r.energyJ)[0], 'A').toBeCloseTo(8.25, 9);
    expect(e.perRequestJ.map((r) => r.energyJ)[1], 'B').toBeCloseTo(1.95, 9);
    // C [200, 260], phase [200, 260]: readings at 200 and 250 ms (50 W) are inside it; the one at 300 ms is not,
    // so [250, 260] holds 50 W: 50 x 0.06 = 3 J. The old rule interpolated toward 1000 W over [250, 260]
    // (50 -> 240 W, 1.45 J): 2.5 + 1.45 = 3.95 J.
    expect(e.perRequestJ.map((r) => r.energyJ)[2], 'C').toBeCloseTo(3, 9);
  });
});

/** Counter readings every `periodMs` over [fromMs, toMs] of a cumulative `energyAt(t)` (J), leaving out the times `skip` says. */
function counterReadings(
  fromMs: number,
  toMs: number,
  periodMs: number,
  energyAt: (tMs: number) => number,
  skip: (tMs: number) => boolean = () => false,
): StoredSample[] {
  const out: StoredSample[] = [];
  for (let t = fromMs; t <= toMs; t += periodMs) {
    if (skip(t)) continue;
    out.push({
      tMs: t,
      powerW: null,
      energyJ: energyAt(t),
      utilizationPct: null,
      memoryUsedBytes: null,
      clockMhz: null,
      temperatureC: null,
    });
  }
  return out;
}

describe('item 7: counters across gaps, one covered time for total and marginal', () => {
  const RANGE_UJ = 262_143_328_850; // a real package zone's max_energy_range_uj: 262143 J
  const rapl = (maxEnergyRangeUj: number): StoredChannel =>
    channel(1, 'rapl:package-0', {
      source: 'rapl',
      kind: 'counter',
      covers: 'cpu-package',
      detail: { maxEnergyRangeUj },
    });
  // 60 W idle over [-5, 0] s, 300 W over the measured [0, 10] s, 60 W after; read every 100 ms
  // (a gap is > 5 x 100 ms), except that nothing was read between 4 s and 6 s.
  const energyAt = (t: number): number =>
    (t <= 0 ? 60 * t : t <= 10_000 ? 300 * t : 300 * 10_000 + 60 * (t - 10_000)) / 1000;
  const gap = (t: number): boolean => t > 4000 && t < 6000;
  const phases = [
    phase('idle-before', -5000, 0),
    phase('measure', 0, 10_000),
    phase('idle-after', 10_000, 15_000),
  ];
  const requests = [request(0, 0, 5000), request(1, 5000, 5000)];

  it("bridges a 2 s gap with the counter's change: 300 W x 10 s = 3000 J (was 2400 J)", () => {
    // Known range: at most one wrap fits in 2 s at 300 W (262143 J would take 874 s), and the sampler undid it.
    const samples = counterReadings(-5000, 15_000, 100, energyAt, gap);
    const e = computeEnergySummary([rapl(RANGE_UJ)], new Map([[1, samples]]), phases, requests, []);
    expect(e.total.energyJ, 'energy').toBeCloseTo(3000, 9);
    expect(e.channels[0]?.coverage, 'coverage').toBe(1);
    expect(e.channels[0]?.bridgedMs, 'bridged').toBe(2000);
    expect(e.total.marginalEnergyJ, '3000 - 60 W x 10 s').toBeCloseTo(2400, 9);
    expect(e.levels[0]?.marginalEnergyJ, 'the level: the same').toBeCloseTo(2400, 9);
    expect(e.total.perTaskJ, 'per task').toBeCloseTo(1500, 9);
    expect(e.flags, 'flags').toEqual([]);
  });

  it('with no known range the gap is not bridged; the total and the level take 60 W x the same 8 s covered', () => {
    // 300 W x 8 s = 2400 J over 8 s of 10: coverage 80%. Marginal = 2400 - 60 x 8 = 1920 J for the total
    // and for the level (the level took 60 x 10: 1800 J before).
    const samples = counterReadings(-5000, 15_000, 100, energyAt, gap);
    const e = computeEnergySummary([rapl(0)], new Map([[1, samples]]), phases, requests, []);
    expect(e.total.energyJ, 'energy').toBeCloseTo(2400, 9);
    expect(e.total.coverage, 'coverage').toBeCloseTo(0.8, 9);
    expect(e.total.marginalEnergyJ, 'total marginal').toBeCloseTo(1920, 9);
    expect(e.levels[0]?.marginalEnergyJ, 'level marginal').toBeCloseTo(1920, 9);
    expect(e.levels[0]?.coverage, 'level coverage').toBeCloseTo(0.8, 9);
    // Below 95% coverage a per-task figure would be low by the uncovered share: none is given.
    expect([e.total.perTaskJ, e.total.perTaskMarginalJ, e.total.whPer1kOutputTokens], 'per task').toEqual([
      null,
      null,
      null,
    ]);
    expect([e.levels[0]?.perTaskJ, e.levels[0]?.perTaskMarginalJ], 'level per task').toEqual([null, null]);
    expect(e.flags).toContain(
      'rapl:package-0: readings covered only 80% of the measured time (sensor gaps); ' +
        'no per-task figure below 95%',
    );
    expect(e.flags).toContain(
      "rapl:package-0: the counter's range (max_energy_range_uj) is unknown, so reading gaps are " +
        'not bridged: a wrap inside one could not be seen',
    );
  });

  it("NVML's counter (64-bit mJ since the driver loaded) bridges any gap; another GPU counter does not", () => {
    // The same readings as above on an NVML counter: the 2 s gap holds 300 W x 2 s by the counter's change,
    // 300 W x 10 s = 3000 J, coverage 1. The same counter read by amd-smi leaves the gap out: 2400 J over 80%.
    const gpu = (reader: string): StoredChannel =>
      channel(1, 'nvidia:0', { kind: 'counter', detail: { reader, counterPeriodMs: 100 } });
    const samples = counterReadings(-5000, 15_000, 100, energyAt, gap);
    const nvml = computeEnergySummary([gpu('nvml')], new Map([[1, samples]]), phases, requests, []);
    expect(nvml.total.energyJ, 'nvml').toBeCloseTo(3000, 9);
    expect(nvml.channels[0]?.coverage, 'nvml coverage').toBe(1);
    expect(nvml.channels[0]?.bridgedMs, 'bridged').toBe(2000);
    const other = computeEnergySummary([gpu('amd-smi')], new Map([[1, samples]]), phases, requests, []);
    expect(other.total.energyJ, 'amd-smi').toBeCloseTo(2400, 9);
  });

  it('flags requests shorter than 4 counter periods with their quantisation error', () => {
    // Counter period 100 ms: requests of 150, 300 and 9550 ms. 150 and 300 are under 4 x 100 = 400 ms;
    // the shortest is off by up to one period's energy: 100 / 150 = 66.7% -> "±67%".
    const gpu = channel(1, 'nvidia:0', { kind: 'counter', detail: { reader: 'nvml', counterPeriodMs: 100 } });
    const samples = counterReadings(-5000, 15_000, 100, energyAt);
    const short = [request(0, 0, 150), request(1, 150, 300), request(2, 450, 9550)];
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, short, []);
    expect(e.flags).toContain(
      'nvidia:0: its counter moves every 100 ms, and 2 of 3 requests lasted under 4 periods (shortest 150 ms): ' +
        "a request's energy from it is uncertain by up to one period's energy, ±67% for the shortest",
    );
    // 400 ms is 4 periods: not flagged; a sampled channel never is.
    const long = [request(0, 0, 400), request(1, 400, 9600)];
    const none = computeEnergySummary([gpu], new Map([[1, samples]]), phases, long, []);
    expect(none.flags.filter((f) => f.includes('counter moves'))).toEqual([]);
  });

  it("sampled power across a gap: the level's marginal uses the covered time too (1896 J, was 1770 J)", () => {
    // Readings at 50 ms past each 100 ms (none on a phase edge), none between 4.0 and 6.0 s: the readings at
    // 3.95 and 6.05 s bound a 2.1 s gap that sampled power cannot bridge. Covered: [0, 3.95] + [6.05, 10] = 7.9 s
    // of 300 W = 2370 J; marginal = 2370 - 60 W x 7.9 s = 1896 J (the level took 60 x 10 s: 1770 J before).
    const gpu = channel(1, 'nvidia:0');
    const samples = powerReadings(-4950, 100, 15_000, (t) => (t < 0 || t > 10_000 ? 60 : 300)).filter(
      (s) => !gap(s.tMs),
    );
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, requests, []);
    expect(e.total.energyJ, 'energy: 300 W x 7.9 s').toBeCloseTo(2370, 9);
    expect(e.total.marginalEnergyJ, 'total marginal').toBeCloseTo(1896, 9);
    expect(e.levels[0]?.marginalEnergyJ, 'level marginal').toBeCloseTo(1896, 9);
  });

  it('a counter that goes down with no known range is a wrap of unknown size: that interval is left out', () => {
    // At 5 s the counter drops (it wrapped, range unknown): the sampler reports the drop, not a frozen value.
    // [4.9, 5.0] is left out: 300 W x 9.9 s = 2970 J over 99% of the time.
    const samples = counterReadings(-5000, 15_000, 100, (t) => energyAt(t) - (t >= 5000 ? 4000 : 0));
    const e = computeEnergySummary([rapl(0)], new Map([[1, samples]]), phases, requests, []);
    expect(e.total.energyJ, 'energy').toBeCloseTo(2970, 9);
    expect(e.channels[0]?.coverage, 'coverage').toBeCloseTo(0.99, 9);
    expect(e.channels[0]?.counterWrapsUnknown, 'wraps').toBe(1);
    expect(e.flags).toContain(
      'rapl:package-0: the counter went down 1 time with no known range (a wrap of unknown size): ' +
        'those intervals are left out',
    );
  });
});

describe('item 6: negative marginal energy, and an idle baseline that starts where power settled', () => {
  const gpu = channel(1, 'nvidia:0');
  const phases = [
    phase('idle-before', 0, 10_000),
    phase('measure', 10_000, 20_000),
    phase('idle-after', 20_000, 30_000),
  ];
  const requests = [request(0, 10_000, 10_000)];

  it('idle above busy gives a negative marginal: flagged as a typed field and a flag with the readings', () => {
    // Clocks still up after the warm-up: 80 W idle, 75 W busy. Marginal = (75 - 80) x 10 s = -50 J.
    const samples = powerReadings(50, 100, 30_000, (t) => (t > 10_000 && t < 20_000 ? 75 : 80));
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, requests, []);
    expect(e.total.marginalEnergyJ, 'kept as computed').toBeCloseTo(-50, 9);
    expect(e.total.marginalNegative, 'typed flag').toBe(true);
    expect(e.levels[0]?.marginalNegative, 'the level too').toBe(true);
    expect(e.flags).toContain(
      'marginal energy came out negative (-50.0 J): idle 80.0 W is above the busy mean 75.0 W ' +
        '(power still up from the warm-up when the baseline was taken?); shown as ~0',
    );
  });

  it('a hair below zero (within 1% of the energy) is about zero, not a finding: no flag', () => {
    // Busy 79.6 W against 80 W idle: marginal (79.6 - 80) x 10 s = -4 J, 0.5% of the 796 J measured.
    const samples = powerReadings(50, 100, 30_000, (t) => (t > 10_000 && t < 20_000 ? 79.6 : 80));
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, requests, []);
    expect(e.total.marginalEnergyJ, 'kept as computed').toBeCloseTo(-4, 9);
    expect([e.total.marginalNegative, e.levels[0]?.marginalNegative], 'not flagged').toEqual([false, false]);
    expect(
      e.flags.filter((f) => f.includes('negative')),
      'no flag',
    ).toEqual([]);
  });

  it('a positive marginal is not flagged', () => {
    const samples = powerReadings(50, 100, 30_000, (t) => (t > 10_000 && t < 20_000 ? 260 : 60));
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, requests, []);
    expect([e.total.marginalNegative, e.levels[0]?.marginalNegative]).toEqual([false, false]);
  });

  it('the baseline is measured from where the run saw power settle: 60 W exactly (75 W with the fixed 2 s)', () => {
    // Power stays at 100 W for 5 s of the idle phase, then 60 W. The fixed rule leaves [0, 2] s out:
    // (100 x 3 + 60 x 5) / 8 = 75 W. The run waited until power was flat and stored 7.2 s as the settle point.
    const samples = powerReadings(50, 100, 30_000, (t) =>
      t < 5000 ? 100 : t > 10_000 && t < 20_000 ? 260 : 60,
    );
    const settles = [
      {
        phase: 'idle-before' as const,
        startMs: 0,
        settledMs: 7200,
        steady: true,
        maxMs: 30_000,
        windowMs: 2000,
        tolerance: 0.02,
      },
    ];
    const fixed = computeEnergySummary([gpu], new Map([[1, samples]]), phases, requests, []);
    expect(fixed.channels[0]?.idleBeforeW, 'fixed settle').toBeCloseTo(75, 9);
    const settled = computeEnergySummary([gpu], new Map([[1, samples]]), phases, requests, [], settles);
    expect(settled.channels[0]?.idleBeforeW, 'from the settle point').toBeCloseTo(60, 9);
    expect(settled.idleSettles, 'kept for the report').toEqual(settles);
    expect(settled.flags, 'steady: no flag').toEqual([]);
  });

  it('a wait that gave up is flagged', () => {
    const samples = powerReadings(50, 100, 30_000, () => 60);
    const settles = [
      {
        phase: 'idle-after' as const,
        startMs: 20_000,
        settledMs: 29_000,
        steady: false,
        maxMs: 9000,
        windowMs: 2000,
        tolerance: 0.02,
      },
    ];
    const e = computeEnergySummary([gpu], new Map([[1, samples]]), phases, requests, [], settles);
    expect(e.flags).toEqual([
      'idle-after: power was not flat within 2% over 2 s after 9 s of waiting; the idle baseline was measured anyway',
    ]);
  });
});
