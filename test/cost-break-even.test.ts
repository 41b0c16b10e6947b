import { describe, expect, it } from 'vitest';
import { combineBreakEvens, computeBreakEven, type BreakEven } from '../src/cost/break-even.js';
import { computeCapacityPerMonth, computeLocalMonth, type LocalCostInputs } from '../src/cost/local-cost.js';
import { formatBreakEven } from '../src/report/cost-words.js';

/** mulberry32: a small seeded PRNG, so every case can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Whether the break-even says local is cheaper at volume v. */
function saysCheaper(b: BreakEven, v: number): boolean {
  switch (b.kind) {
    case 'local-always':
      return true;
    case 'never':
      return false;
    case 'unknown':
      throw new Error(`unexpected unknown break-even: ${b.reason}`);
    case 'depends':
      throw new Error('a depends break-even has no single verdict');
    case 'volume':
      return b.ranges.some((r) => v >= r.from && (r.until === null || v <= r.until));
  }
}

interface Case {
  inputs: LocalCostInputs;
  api: number;
  maxVolume: number;
}

/** Random complete inputs: fixed costs 0 or not, owned or bought, bursty or steady, slopes of either sign. */
function randomCase(rand: () => number): Case {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const hours = pick([24, 12, 8]);
  const bigCapacity = rand() < 0.2; // capacity not hit within the range
  const capacity = bigCapacity ? 1e7 : 300 + rand() * 2500;
  const secondsPerTask = (hours * 30.4375 * 3600) / capacity;
  const idleW = pick([0, 20 + rand() * 200]);
  // Busy energy around idle x time: below it makes the per-task slope of a bought machine negative.
  const totalJPerTask = Math.max(1, idleW * secondsPerTask * (0.3 + rand() * 1.5) + rand() * 500);
  const fixed = rand() < 0.3 ? 0 : 1;
  const inputs: LocalCostInputs = {
    secondsPerTask,
    totalJPerTask,
    marginalJPerTask: totalJPerTask - idleW * secondsPerTask,
    idleW,
    kwhPrice: 0.05 + rand() * 0.5,
    overheadFactor: pick([1, 1.3]),
    availabilityHoursPerDay: hours,
    peakToMean: pick([1, 1, 1 + rand() * 4]),
    purchasePrice: fixed * pick([0, rand() * 5000]),
    amortizationMonths: pick([12, 36]),
    alreadyOwnedIdle: rand() < 0.5,
    workloadShare: pick([1, 0.5]),
    setupHours: fixed * rand() * 20,
    maintenanceHoursPerMonth: fixed * rand() * 3,
    hourlyRate: fixed * rand() * 100,
  };
  const work = (totalJPerTask / 3.6e6) * inputs.kwhPrice * inputs.overheadFactor;
  const api = work * (0.2 + rand() * 4) + (rand() < 0.5 ? rand() * 0.01 : 0);
  const maxVolume = Math.min(8_000, Math.ceil((6 * capacity) / inputs.peakToMean));
  return { inputs, api, maxVolume };
}

describe('computeBreakEven against brute force over volumes (issue 13 item 1)', () => {
  const kinds = new Map<string, number>();
  // Four blocks of 30 seeds, so no single test runs long on a loaded machine.
  it.each([1, 31, 61, 91])(
    'agrees with computeLocalMonth(inputs, V).full <= api x V at every integer volume, seeds %i..+29',
    (first) => {
      for (let seed = first; seed < first + 30; seed += 1) {
        const { inputs, api, maxVolume } = randomCase(prng(seed));
        const b = computeBreakEven(inputs, api);
        const kind = b.kind === 'volume' ? `volume x${Math.min(b.ranges.length, 2)}` : b.kind;
        kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
        if (b.kind === 'volume')
          expect(b.ranges[0]?.from, `seed ${seed}: volume 0 never counts`).toBeGreaterThanOrEqual(1);
        const wrong: number[] = [];
        for (let v = 1; v <= maxVolume; v += 1) {
          const truth = (computeLocalMonth(inputs, v).full ?? Infinity) <= api * v;
          if (truth !== saysCheaper(b, v)) wrong.push(v);
        }
        expect(
          wrong.slice(0, 5),
          `seed ${seed}: ${JSON.stringify(b)} disagrees with brute force at these volumes`,
        ).toEqual([]);
      }
    },
  );

  it('the seeded cases met every branch: none, one stretch, several stretches, cheaper from the first task', () => {
    expect([...kinds.keys()].sort(), JSON.stringify([...kinds])).toEqual([
      'local-always',
      'never',
      'volume x1',
      'volume x2',
    ]);
  });

  it('a stretch cheaper, dearer after buying machine 2, cheaper again: every stretch, in words (hand-computed)', () => {
    // One machine does 2,629,800 s / 2191.5 s = 1200 tasks a month. The first is owned and idle (free);
    // each more costs 71.28 / 36 = 1.98 a month (idle draw 0 W). Local per task 3600 J / 3.6e6 x 1 = 0.001; API 0.00213.
    // With k machines: local <= API  <=>  0.001 V + 1.98 (k - 1) <= 0.00213 V  <=>  V >= 1752.21 (k - 1).
    // k = 1: [1, 1200]; k = 2: [1753, 2400]; k = 3: [3505.4 -> 3505, 3600]; k = 4: 5256.6 > 4800, none; beyond: none.
    const inputs: LocalCostInputs = {
      secondsPerTask: 2191.5,
      totalJPerTask: 3600,
      marginalJPerTask: 3600,
      idleW: 0,
      kwhPrice: 1,
      overheadFactor: 1,
      availabilityHoursPerDay: 24,
      peakToMean: 1,
      purchasePrice: 71.28,
      amortizationMonths: 36,
      alreadyOwnedIdle: true,
      workloadShare: 1,
      setupHours: 0,
      maintenanceHoursPerMonth: 0,
      hourlyRate: 0,
    };
    expect(computeCapacityPerMonth(2191.5, 24), 'capacity').toBe(1200);
    const b = computeBreakEven(inputs, 0.00213);
    expect(b).toEqual({
      kind: 'volume',
      ranges: [
        { from: 1, until: 1200 },
        { from: 1753, until: 2400 },
        { from: 3505, until: 3600 },
      ],
      // 100,000 machines of 1,200 tasks: the search says where it stopped rather than claim more.
      searchedUpTo: 120_000_000,
      searchLimit: 'machine limit',
    });
    expect(formatBreakEven(b)).toBe(
      'local is cheaper from 1 to 1,200, and again from 1,753 to 2,400, and again from 3,505 to 3,600 tasks/month; ' +
        'above that the API (more machines are needed) (searched up to 120,000,000 tasks/month: the machine limit)',
    );
  });

  it('bursty load buys machines for the peak, and the solve uses the same count (hand-computed)', () => {
    // Capacity 1200 a month; peak 3x the mean: machines = ceil(3 V / 1200), so 400 tasks a month fill one machine's peak.
    // Bought for the work (not owned): each machine 1.98 a month; local = 0.001 V + 1.98 k; API 0.00213 V.
    // k = 1 (V <= 400): V >= 1.98 / 0.00113 = 1752.2 > 400: none. k machines serve up to 400 k: V >= 1752.2 k > 400 k: never.
    const inputs: LocalCostInputs = {
      secondsPerTask: 2191.5,
      totalJPerTask: 3600,
      marginalJPerTask: 3600,
      idleW: 0,
      kwhPrice: 1,
      overheadFactor: 1,
      availabilityHoursPerDay: 24,
      peakToMean: 3,
      purchasePrice: 71.28,
      amortizationMonths: 36,
      alreadyOwnedIdle: false,
      workloadShare: 1,
      setupHours: 0,
      maintenanceHoursPerMonth: 0,
      hourlyRate: 0,
    };
    expect(computeLocalMonth(inputs, 1000).machines, 'ceil(3 x 1000 / 1200)').toBe(3);
    expect(computeBreakEven(inputs, 0.00213).kind).toBe('never');
    // Steady, with the API at 0.0041: V >= 1.98 k / 0.0031 = 638.7 k, within k machines' 1200 k:
    // k = 1: [639, 1200]; k = 2: [1277.4 -> 1278, 2400]; k = 3: 1916 < 2401, the whole [2401, 3600]; and on.
    expect(computeBreakEven({ ...inputs, peakToMean: 1 }, 0.0041)).toEqual({
      kind: 'volume',
      ranges: [
        { from: 639, until: 1200 },
        { from: 1278, until: null },
      ],
      searchedUpTo: 120_000_000,
      searchLimit: 'machine limit',
    });
    // Bursty 3x: k machines serve up to 400 k tasks, and need V >= 638.7 k: never.
    expect(computeBreakEven(inputs, 0.0041).kind).toBe('never');
  });
});

/** The inputs with a share of the energy and idle power scaled (the estimate part of a TDP range end). */
function scaled(i: LocalCostInputs, share: number, factor: number): LocalCostInputs {
  const f = 1 - share + share * factor;
  const totalJPerTask = (i.totalJPerTask ?? 0) * f;
  const idleW = i.idleW === null ? null : i.idleW * f;
  return {
    ...i,
    totalJPerTask,
    idleW,
    marginalJPerTask: totalJPerTask - (idleW ?? 0) * (i.secondsPerTask ?? 0),
  };
}

describe('issue 15 item 2: break-even of an energy range, against brute force at both ends', () => {
  const kinds = new Set<string>();
  it.each([1, 26, 51, 76])(
    'local cheaper at the high end only where at the low end; one verdict only where the ends agree, seeds %i..+24',
    (first) => {
      for (let seed = first; seed < first + 25; seed += 1) {
        const rand = prng(seed);
        const { inputs, api, maxVolume } = randomCase(rand);
        const share = 0.2 + rand() * 0.8;
        const [low, high] = [scaled(inputs, share, 0.5), scaled(inputs, share, 2)];
        const b = combineBreakEvens(computeBreakEven(low, api), computeBreakEven(high, api));
        kinds.add(b.kind === 'depends' ? 'depends' : 'agreed');
        const wrong: number[] = [];
        for (let v = 1; v <= maxVolume; v += 1) {
          const atLow = (computeLocalMonth(low, v).full ?? Infinity) <= api * v;
          const atHigh = (computeLocalMonth(high, v).full ?? Infinity) <= api * v;
          if (atHigh && !atLow) wrong.push(-v); // more power never makes local cheaper
          const said =
            b.kind === 'depends'
              ? [saysCheaper(b.atLowPower, v), saysCheaper(b.atHighPower, v)]
              : [saysCheaper(b, v), saysCheaper(b, v)];
          if (said[0] !== atLow || said[1] !== atHigh) wrong.push(v);
        }
        expect(wrong.slice(0, 5), `seed ${seed}: ${JSON.stringify(b)}`).toEqual([]);
      }
    },
  );

  it('the seeded cases met both an agreed verdict and a verdict that depends on the power', () => {
    expect([...kinds].sort()).toEqual(['agreed', 'depends']);
  });

  it('agreement: never at both ends (stated at the low end), local from the first task at both (the high end)', () => {
    // One owned machine, no fixed costs, capacity beyond the search: local <= API  <=>  work per task <= API per task.
    const base: LocalCostInputs = {
      secondsPerTask: 0.001,
      totalJPerTask: 3600,
      marginalJPerTask: 3600,
      idleW: 0,
      kwhPrice: 1,
      overheadFactor: 1,
      availabilityHoursPerDay: 24,
      peakToMean: 1,
      purchasePrice: 0,
      amortizationMonths: 36,
      alreadyOwnedIdle: true,
      workloadShare: 1,
      setupHours: 0,
      maintenanceHoursPerMonth: 0,
      hourlyRate: 0,
    };
    // Work per task: 1800 J -> 0.0005, 7200 J -> 0.002 (1 per kWh).
    const [low, high] = [
      { ...base, totalJPerTask: 1800 },
      { ...base, totalJPerTask: 7200 },
    ];
    const never = combineBreakEvens(computeBreakEven(low, 0.0004), computeBreakEven(high, 0.0004));
    expect(never).toEqual(computeBreakEven(low, 0.0004));
    expect(formatBreakEven(never)).toBe(
      'never: the API costs no more per task than the local electricity alone (0.000400 vs 0.000500)',
    );
    const always = combineBreakEvens(computeBreakEven(low, 0.003), computeBreakEven(high, 0.003));
    expect(always.kind).toBe('local-always');
    // Between the ends: cheaper from the first task at 1800 J, never at 7200 J: no verdict.
    const split = combineBreakEvens(computeBreakEven(low, 0.001), computeBreakEven(high, 0.001));
    expect(split.kind).toBe('depends');
    expect(formatBreakEven(split)).toBe(
      'local is cheaper from 1 tasks/month at the low end of the CPU power range, never at the high end: ' +
        "no verdict, depending on the CPU's real power (ESTIMATE range)",
    );
  });

  it('a range of volumes: fixed costs 10 a month, local from 10 / (API - work) tasks, at each end (hand-computed)', () => {
    const base: LocalCostInputs = {
      secondsPerTask: 0.001,
      totalJPerTask: 300,
      marginalJPerTask: 300,
      idleW: 0,
      kwhPrice: 1,
      overheadFactor: 1,
      availabilityHoursPerDay: 24,
      peakToMean: 1,
      purchasePrice: 0,
      amortizationMonths: 36,
      alreadyOwnedIdle: true,
      workloadShare: 1,
      setupHours: 0,
      maintenanceHoursPerMonth: 1,
      hourlyRate: 10,
    };
    // 300 J: work 0.0000833, 10 / (0.0002 - 0.0000833) = 85,714.3 -> 85,715; 450 J: 10 / 0.000075 = 133,333.3 -> 133,334.
    const b = combineBreakEvens(
      computeBreakEven(base, 0.0002),
      computeBreakEven({ ...base, totalJPerTask: 450 }, 0.0002),
    );
    expect(b).toMatchObject({
      kind: 'depends',
      atLowPower: { kind: 'volume', ranges: [{ from: 85_715, until: null }] },
      atHighPower: { kind: 'volume', ranges: [{ from: 133_334, until: null }] },
    });
    expect(formatBreakEven(b)).toBe(
      "local is cheaper from 85,715–133,334 tasks/month, depending on the CPU's real power (ESTIMATE range)",
    );
  });
});
