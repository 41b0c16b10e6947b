import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/validate.js';
import { openDb } from '../src/store/db.js';
import { insertRun } from '../src/store/runs.js';
import { startTelemetry } from '../src/telemetry/session.js';
import { telemetrySink } from '../src/store/telemetry.js';
import { useTempDir } from './support/temp.js';
import type { Sample } from '../src/telemetry/sampler.js';
import { emptySample } from '../src/telemetry/sampler.js';
import {
  DEFAULT_STEADY,
  isPowerSteady,
  makeWaitForSteadyPower,
  RecentPower,
} from '../src/telemetry/steady.js';

/**
 * A fake clock whose sleep advances time and delivers the readings of each channel up to the new
 * time (every 100 ms, `lagMs` late for a pushed source): no real waiting.
 */
function fakeMachine(channels: Record<string, { powerAt: (tMs: number) => number; lagMs?: number }>) {
  let nowMs = 0;
  const delivered = new Map<string, number>(Object.keys(channels).map((k) => [k, -100]));
  const recent = new RecentPower(new Set(Object.keys(channels)), 10_000);
  const deliver = (): void => {
    const samples: Sample[] = [];
    for (const [key, ch] of Object.entries(channels)) {
      for (let t = (delivered.get(key) ?? 0) + 100; t <= nowMs - (ch.lagMs ?? 0); t += 100) {
        samples.push({ ...emptySample(key, t), powerW: ch.powerAt(t) });
        delivered.set(key, t);
      }
    }
    recent.add(samples);
  };
  deliver();
  const sleep = async (ms: number): Promise<void> => {
    nowMs += ms;
    deliver();
  };
  return { recent, now: () => nowMs, sleep };
}

describe('issue 13 item 6: waiting for steady power before an idle baseline (fake clock)', () => {
  it('power sliding 100 -> 70 W over 3 s, then 60 W, settles at the first check 2 s after the step: 5.0 s', async () => {
    // Flat = the four 0.5 s bucket means of the last 2 s within 2% of their mean. While sliding at 10 W/s
    // the buckets are 15 W apart; a window that still holds a reading before 3 s has a first bucket of at
    // least (70 + 4 x 60) / 5 = 62 W, 2 W above the others (> 1.2 W). The first window with none: [3, 5] s,
    // seen at the check at 5.0 s (checks every 250 ms; at 4.75 s the newest reading is 4.7 s: [2.7, 4.7]).
    const m = fakeMachine({ gpu: { powerAt: (t) => (t < 3000 ? 100 - t / 100 : 60) } });
    const wait = makeWaitForSteadyPower({ recent: m.recent, now: m.now, sleep: m.sleep });
    expect(await wait(30_000)).toEqual({ steady: true, waitedMs: 5000, windowMs: 2000, tolerance: 0.02 });
  });

  it('smooths the noise of single readings: 58/62 W alternating (6.7% apart) is flat', async () => {
    // Bucket means over five readings: 59.6 or 60.4 W, 0.8 W apart < 2% of 60 W = 1.2 W; the first window
    // after the start is [0, 2] s (the reading at 0 counts), seen at 2.0 s.
    const m = fakeMachine({ cpu: { powerAt: (t) => (Math.round(t / 100) % 2 === 0 ? 58 : 62) } });
    const wait = makeWaitForSteadyPower({ recent: m.recent, now: m.now, sleep: m.sleep });
    expect((await wait(30_000)).waitedMs).toBe(2000);
  });

  it('a machine whose power keeps falling is not flat: gives up at the limit, and says so', async () => {
    // -5 W/s: the first and last bucket means of 2 s are 7.5 W apart, more than 2% of at most 200 W (4 W).
    // -1 W/s: 1.5 W apart, within 2% of about 198 W (3.96 W): flat.
    const steep = fakeMachine({ gpu: { powerAt: (t) => 200 - (t / 1000) * 5 } });
    const m = fakeMachine({ gpu: { powerAt: (t) => 200 - t / 1000 } });
    const wait = makeWaitForSteadyPower({ recent: steep.recent, now: steep.now, sleep: steep.sleep });
    expect(await wait(30_000)).toEqual({ steady: false, waitedMs: 30_000, windowMs: 2000, tolerance: 0.02 });
    const gentle = makeWaitForSteadyPower({ recent: m.recent, now: m.now, sleep: m.sleep });
    expect((await gentle(30_000)).steady, 'a slow drift within 2% is flat').toBe(true);
  });

  it('sums the channels, and waits for a pushed source that arrives late', async () => {
    // The GPU settles at 2 s, but its readings arrive 1 s late; the CPU is flat from the start. The window
    // ends at the newest time both have reached: [2, 4] s is first seen when the GPU's 4.0 s reading has
    // arrived, at 5.0 s.
    const m = fakeMachine({
      cpu: { powerAt: () => 20 },
      gpu: { powerAt: (t) => (t < 2000 ? 200 : 60), lagMs: 1000 },
    });
    const wait = makeWaitForSteadyPower({ recent: m.recent, now: m.now, sleep: m.sleep });
    expect((await wait(30_000)).waitedMs).toBe(5000);
  });

  it('returns at once, not steady, when the run is stopped', async () => {
    const m = fakeMachine({ gpu: { powerAt: () => 60 } });
    const stop = new AbortController();
    stop.abort();
    const wait = makeWaitForSteadyPower({ recent: m.recent, now: m.now, sleep: m.sleep });
    expect((await wait(30_000, stop.signal)).steady).toBe(false);
    expect(m.now(), 'no time waited').toBe(0);
  });

  it('isPowerSteady: readings before the wait began do not count; a channel without power is left out', () => {
    const flat = Array.from({ length: 41 }, (_, i) => ({ tMs: i * 100, powerW: 60 }));
    const channels = new Map([
      ['gpu', flat],
      ['mig', []],
    ]);
    expect(isPowerSteady(channels, 0, DEFAULT_STEADY), 'window [2, 4] s after 0').toBe(true);
    expect(isPowerSteady(channels, 2500, DEFAULT_STEADY), 'window [2, 4] s starts before 2.5 s').toBe(false);
    expect(isPowerSteady(new Map([['mig', []]]), 0, DEFAULT_STEADY), 'no power at all').toBe(false);
  });
});

describe('a channel read once a second (amd-smi), fewer readings than the 4 buckets of 500 ms', () => {
  const everySecond = (powerAt: (i: number) => number) =>
    Array.from({ length: 5 }, (_, i) => ({ tMs: i * 1000, powerW: powerAt(i) }));

  it('is steady when flat: its last reading holds in a bucket without one', () => {
    // Window [2, 4] s: readings at 2, 3 and 4 s; the buckets [2.5, 3) and [3.5, 4) hold 142 W.
    expect(isPowerSteady(new Map([['amd-smi:0', everySecond(() => 142)]]), 0, DEFAULT_STEADY)).toBe(true);
  });

  it('is not steady while falling, nor from readings before the wait began', () => {
    // 120, 110, 100 W at 2, 3, 4 s: bucket sums 120, 120, 110, 100: 20 W apart > 2% of 112.5 W.
    const falling = everySecond((i) => 140 - 10 * i);
    expect(isPowerSteady(new Map([['amd-smi:0', falling]]), 0, DEFAULT_STEADY), 'falling').toBe(false);
    // Since 2.5 s: the window [2, 4] s starts before the wait began.
    const flat = everySecond(() => 142);
    expect(isPowerSteady(new Map([['amd-smi:0', flat]]), 2500, DEFAULT_STEADY), 'too early').toBe(false);
  });

  it('a channel read every 100 ms with a missing stretch is not held: a gap', () => {
    // Readings every 100 ms over [0, 4] s but none in [2.5, 3) s.
    const gappy = Array.from({ length: 41 }, (_, i) => ({ tMs: i * 100, powerW: 60 })).filter(
      (p) => p.tMs < 2500 || p.tMs >= 3000,
    );
    expect(isPowerSteady(new Map([['gpu', gappy]]), 0, DEFAULT_STEADY)).toBe(false);
  });
});

describe('the telemetry session offers the wait only where there is measured power', () => {
  const tempDir = useTempDir();

  it('an estimate alone (no power sensor): no wait', async () => {
    const dir = tempDir();
    copyFileSync(join(import.meta.dirname, 'fixtures', 'proc', 'stat-0'), join(dir, 'stat'));
    const db = openDb(join(dir, 'r.db'));
    const runId = insertRun(db, {
      startedAt: '2026-11-27T10:00:00.000Z',
      backend: 'ollama',
      host: 'http://127.0.0.1:11434',
      model: 'm',
      suiteId: 's',
      suiteVersion: '1',
      repeatCount: 1,
      plannedRequests: 1,
      settings: {},
      costbenchVersion: '0.1.0',
      pid: 1,
    });
    const telemetry = validateConfig({ telemetry: { sources: ['estimate'], cpuTdpW: 65 } }).telemetry;
    const session = await startTelemetry({
      sink: telemetrySink(db, runId),
      telemetry,
      originMs: 0,
      io: { env: { PATH: '' }, sysRoot: dir, procRoot: dir, now: () => performance.now() },
    });
    try {
      expect(session.channels.map((c) => [c.key, c.kind, c.inTotal])).toEqual([
        ['cpu-load', 'sampled', false],
        ['estimate:cpu', 'estimate', true],
      ]);
      expect(session.waitForSteadyPower, 'nothing measured to wait for').toBeNull();
    } finally {
      await session.stop();
      db.close();
    }
  });
});
