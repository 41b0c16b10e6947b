import { describe, expect, it } from 'vitest';
import { counterEnergy, integratePower, powerStats, type PowerPoint } from '../src/analysis/energy.js';

const INTERVAL_MS = 100;
const MAX_GAP_MS = 1000;

/** Samples a power function every INTERVAL_MS over [0, durationMs], with optional timestamp jitter. */
function trace(powerAt: (tMs: number) => number, durationMs: number, jitterMs = 0): PowerPoint[] {
  const points: PowerPoint[] = [];
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let t = 0; t <= durationMs; t += INTERVAL_MS) {
    const tMs = t === 0 || t === durationMs ? t : t + (random() - 0.5) * 2 * jitterMs;
    points.push({ tMs, powerW: powerAt(tMs) });
  }
  return points;
}

function relativeError(measured: number, truth: number): number {
  return Math.abs(measured - truth) / truth;
}

describe('integratePower against analytic energy (60 s at 10 Hz)', () => {
  const durationMs = 60_000;

  it('constant 250 W -> 15000 J exactly', () => {
    const result = integratePower(
      trace(() => 250, durationMs),
      0,
      durationMs,
      MAX_GAP_MS,
    );
    expect(result.energyJ).toBeCloseTo(15_000, 9);
    expect(result.coveredMs).toBe(durationMs);
  });

  it('step 50 W -> 300 W at 20 s: 50*20 + 300*40 = 13000 J within 0.5%', () => {
    const result = integratePower(
      trace((t) => (t < 20_000 ? 50 : 300), durationMs, 10),
      0,
      durationMs,
      MAX_GAP_MS,
    );
    expect(relativeError(result.energyJ, 13_000)).toBeLessThan(0.005);
  });

  it('ramp 0 -> 400 W: 12000 J (trapezoid is exact for a ramp)', () => {
    const result = integratePower(
      trace((t) => (400 * t) / durationMs, durationMs, 20),
      0,
      durationMs,
      MAX_GAP_MS,
    );
    expect(result.energyJ).toBeCloseTo(12_000, 6);
  });

  it('noisy: 200 W + 40 sin(2π t / 7.3 s) + 15 sin(2π t / 0.9 s) within 0.5% of the analytic integral', () => {
    const w1 = (2 * Math.PI) / 7300;
    const w2 = (2 * Math.PI) / 900;
    const power = (t: number): number => 200 + 40 * Math.sin(w1 * t) + 15 * Math.sin(w2 * t);
    const s = durationMs;
    const truthJ = (200 * s + (40 / w1) * (1 - Math.cos(w1 * s)) + (15 / w2) * (1 - Math.cos(w2 * s))) / 1000;
    const result = integratePower(trace(power, s, 15), 0, s, MAX_GAP_MS);
    expect(relativeError(result.energyJ, truthJ)).toBeLessThan(0.005);
  });

  it('a window inside the trace interpolates at its edges when its bounds take in the readings around it', () => {
    const bounds = { fromMs: 0, toMs: durationMs };
    const result = integratePower(
      trace((t) => (400 * t) / durationMs, durationMs),
      10_050,
      20_050,
      MAX_GAP_MS,
      bounds,
    );
    // mean power over [10.05 s, 20.05 s] of the ramp = 400 * 15.05 / 60 W, for 10 s
    expect(result.energyJ).toBeCloseTo(((400 * 15_050) / durationMs) * 10, 9);
  });

  it('does not integrate across a gap longer than maxGapMs, and says how much was covered', () => {
    const points = trace(() => 100, durationMs).filter((p) => p.tMs < 20_000 || p.tMs > 30_000);
    const result = integratePower(points, 0, durationMs, MAX_GAP_MS);
    expect(result.coveredMs).toBeCloseTo(durationMs - 10_200, 6); // readings at 19.9 s and 30.1 s bound the gap
    expect(result.energyJ).toBeCloseTo((100 * result.coveredMs) / 1000, 6);
  });

  it('holds the nearest reading for at most maxGapMs outside the readings', () => {
    const result = integratePower(
      [
        { tMs: 5_000, powerW: 80 },
        { tMs: 6_000, powerW: 80 },
      ],
      0,
      10_000,
      1_000,
    );
    expect(result).toEqual({
      energyJ: 80 * 3,
      coveredMs: 3_000,
      windowMs: 10_000,
      method: 'trapezoid',
      bridgedMs: 0,
    });
  });

  it('item 4: uses only the readings inside the window, holding its first and last to the edges', () => {
    // 60 W at 0.5, 1.5, 2.5 s; 260 W at 3.5 s. Window [0, 3 s]: 60 W held to both edges = 180 J exactly.
    // Before: [2.5, 3] interpolated toward 260 W (60 -> 160 W: 55 J instead of 30 J) = 205 J.
    const points = [500, 1500, 2500, 3500].map((tMs) => ({ tMs, powerW: tMs < 3000 ? 60 : 260 }));
    const result = integratePower(points, 0, 3000, 1000);
    expect(result.energyJ, 'energy').toBeCloseTo(180, 9);
    expect(result.coveredMs, 'covered').toBe(3000);
  });

  it('item 4: a window with no reading inside it is not covered', () => {
    const points = [
      { tMs: 0, powerW: 60 },
      { tMs: 1000, powerW: 260 },
    ];
    expect(integratePower(points, 200, 800, 5000)).toEqual({
      energyJ: 0,
      coveredMs: 0,
      windowMs: 600,
      method: 'trapezoid',
      bridgedMs: 0,
    });
    // ...unless its bounds (its phase) take in readings around it: the line 60 -> 260 W over [200, 800] = 96 J.
    expect(integratePower(points, 200, 800, 5000, { fromMs: 0, toMs: 1000 }).energyJ).toBeCloseTo(96, 9);
  });
});

describe('counterEnergy', () => {
  it('is the counter delta over whole readings, and linear shares at the edges', () => {
    const points = [0, 100, 200, 300, 400].map((tMs, i) => ({ tMs, energyJ: 1000 + i * 25 })); // 250 W
    expect(counterEnergy(points, 0, 400, 1000).energyJ).toBeCloseTo(100, 9);
    expect(counterEnergy(points, 50, 250, 1000).energyJ).toBeCloseTo(50, 9);
    expect(counterEnergy(points, 0, 400, 1000).method).toBe('counter');
  });

  it('item 4: uses only the counter readings inside the window', () => {
    // 60 W until 3 s, 260 W after; readings each second at 0.5 s + k. Window [0, 3 s]: the intervals
    // [0.5, 1.5] and [1.5, 2.5] are 60 W, held to both edges: 180 J. Before: [2.5, 3.5] at its mean rate
    // 160 W shared into the window: 60 x 2.5 + 160 x 0.5 = 230 J.
    const energyAt = (t: number): number => (t < 3000 ? 60 * t : 60 * 3000 + 260 * (t - 3000)) / 1000;
    const points = [500, 1500, 2500, 3500].map((tMs) => ({ tMs, energyJ: energyAt(tMs) }));
    expect(counterEnergy(points, 0, 3000, 1000).energyJ).toBeCloseTo(180, 9);
  });

  it('keeps a burst between two readings exact, where sampled power would miss it', () => {
    const points = [
      { tMs: 0, energyJ: 0 },
      { tMs: 1000, energyJ: 500 }, // a 500 J burst inside this second
      { tMs: 2000, energyJ: 510 },
    ];
    expect(counterEnergy(points, 0, 2000, 5000).energyJ).toBeCloseTo(510, 9);
  });
});

describe('powerStats', () => {
  it('gives the time-weighted mean and the peak', () => {
    const points = [
      { tMs: 0, powerW: 100 },
      { tMs: 1000, powerW: 100 },
      { tMs: 1100, powerW: 300 },
      { tMs: 2000, powerW: 300 },
    ];
    const stats = powerStats(points, 0, 2000, 1000);
    expect(stats.peakW).toBe(300);
    expect(stats.meanW).toBeCloseTo((100 * 1 + 200 * 0.1 + 300 * 0.9) / 2, 9);
  });
});

describe('attributeEnergy', () => {
  const flat100W = (a: number, b: number): number => (100 * (b - a)) / 1000;

  it('gives sequential requests their own windows', async () => {
    const { attributeEnergy } = await import('../src/analysis/attribution.js');
    const shares = attributeEnergy(
      [
        { seq: 0, startMs: 0, endMs: 1000, weight: 10 },
        { seq: 1, startMs: 1500, endMs: 2000, weight: 50 },
      ],
      flat100W,
    );
    expect([...shares]).toEqual([
      [0, 100],
      [1, 50],
    ]);
  });

  it('shares overlapping time by output tokens', async () => {
    const { attributeEnergy } = await import('../src/analysis/attribution.js');
    // [0,1000] only A: 100 J to A; [1000,2000] A and B, tokens 30:10 -> 75 J / 25 J; [2000,3000] only B: 100 J.
    const shares = attributeEnergy(
      [
        { seq: 0, startMs: 0, endMs: 2000, weight: 30 },
        { seq: 1, startMs: 1000, endMs: 3000, weight: 10 },
      ],
      flat100W,
    );
    expect(shares.get(0)).toBeCloseTo(175, 9);
    expect(shares.get(1)).toBeCloseTo(125, 9);
  });
});
