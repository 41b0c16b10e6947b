import { describe, expect, it } from 'vitest';
import { computeTickMs, Poller, type TaggedError } from '../src/telemetry/poller.js';
import { emptySample, type PollResult, type Sample, type Sampler } from '../src/telemetry/sampler.js';

class ScriptedSampler implements Sampler {
  readonly source = 'nvidia' as const;
  polls = 0;
  stopped = 0;
  constructor(private readonly behave: (poll: number, nowMs: number) => Promise<PollResult> | PollResult) {}
  probe() {
    return Promise.resolve({ available: true as const, channels: [] });
  }
  start() {
    return Promise.resolve();
  }
  async poll(nowMs: number): Promise<PollResult> {
    this.polls += 1;
    return this.behave(this.polls, nowMs);
  }
  stop() {
    this.stopped += 1;
    return Promise.resolve();
  }
}

const reading = (tMs: number, powerW: number): Sample => ({ ...emptySample('nvidia:0', tMs), powerW });
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Poller', () => {
  it('polls on its interval, hands samples on in batches, and flushes everything at stop', async () => {
    const sampler = new ScriptedSampler((poll, nowMs) => ({
      samples: [reading(nowMs, 100 + poll)],
      errors: [],
    }));
    const batches: Sample[][] = [];
    const poller = new Poller({
      samplers: [{ sampler, periodMs: 0 }],
      intervalMs: 10,
      flushEveryMs: 40,
      now: () => performance.now(),
      onFlush: (s) => batches.push(s),
    });
    poller.start();
    await wait(150);
    await poller.stop();
    const all = batches.flat();
    expect(all.length, 'every poll, plus the last one at stop').toBe(sampler.polls);
    expect(batches.length, 'more than one batch: samples are written during the run').toBeGreaterThan(1);
    expect(all.map((s) => s.powerW)).toEqual(Array.from({ length: sampler.polls }, (_, i) => 101 + i));
    expect(poller.latest().get('nvidia:0')?.powerW).toBe(100 + sampler.polls);
    expect(sampler.stopped).toBe(1);
  });

  it('polls a slow sampler only once per its period', async () => {
    const fast = new ScriptedSampler(() => ({ samples: [], errors: [] }));
    const slow = new ScriptedSampler(() => ({ samples: [], errors: [] }));
    const poller = new Poller({
      samplers: [
        { sampler: fast, periodMs: 0 },
        { sampler: slow, periodMs: 1_000 },
      ],
      intervalMs: 10,
      flushEveryMs: 1000,
      now: () => performance.now(),
      onFlush: () => undefined,
    });
    poller.start();
    await wait(200);
    await poller.stop();
    expect(slow.polls, 'the first tick, and the final poll at stop').toBe(2);
    expect(fast.polls).toBeGreaterThan(5);
  });

  it('ticks only as often as the most frequent sampler needs: a machine with only pushed readings wakes once a flush', async () => {
    const pushed = new ScriptedSampler(() => ({ samples: [], errors: [] }));
    const poller = new Poller({
      samplers: [{ sampler: pushed, periodMs: 1_000 }],
      intervalMs: 10,
      flushEveryMs: 1_000,
      now: () => performance.now(),
      onFlush: () => undefined,
    });
    expect(poller.tickMs).toBe(1_000);
    poller.start();
    await wait(200);
    expect(pushed.polls, 'only the first tick in 200 ms').toBe(1);
    await poller.stop();
    expect(
      computeTickMs(
        [
          { sampler: pushed, periodMs: 1_000 },
          { sampler: pushed, periodMs: 100 },
        ],
        100,
        1_000,
      ),
      'a file-read source at 100 ms',
    ).toBe(100);
    expect(computeTickMs([{ sampler: pushed, periodMs: 0 }], 100, 1_000), 'never under the interval').toBe(
      100,
    );
    expect(computeTickMs([], 100, 1_000), 'nothing to poll: flushes only').toBe(1_000);
    expect(computeTickMs([{ sampler: pushed, periodMs: 5_000 }], 100, 1_000), 'never over a flush').toBe(
      1_000,
    );
  });

  it('skips a sampler whose poll is still in flight instead of queueing', async () => {
    let release: () => void = () => undefined;
    const sampler = new ScriptedSampler((poll) =>
      poll === 1
        ? new Promise<PollResult>((resolve) => (release = () => resolve({ samples: [], errors: [] })))
        : { samples: [], errors: [] },
    );
    const poller = new Poller({
      samplers: [{ sampler, periodMs: 0 }],
      intervalMs: 5,
      flushEveryMs: 1000,
      now: () => performance.now(),
      onFlush: () => undefined,
    });
    poller.start();
    await wait(60);
    expect(sampler.polls, 'one slow poll blocks only itself').toBe(1);
    release();
    await wait(30);
    expect(sampler.polls).toBeGreaterThan(1);
    await poller.stop();
  });

  it('turns a throwing poll into a counted error and keeps going', async () => {
    const sampler = new ScriptedSampler((poll) => {
      if (poll === 2) throw new Error('sensor exploded');
      return { samples: [], errors: [] };
    });
    const errors: TaggedError[] = [];
    const poller = new Poller({
      samplers: [{ sampler, periodMs: 0 }],
      intervalMs: 5,
      flushEveryMs: 10,
      now: () => performance.now(),
      onFlush: (_, e) => errors.push(...e),
    });
    poller.start();
    await wait(60);
    await poller.stop();
    expect(errors.map((e) => [e.source, e.message])).toEqual([['nvidia', 'sensor exploded']]);
    expect(poller.errorCount().get('nvidia')).toBe(1);
    expect(sampler.polls).toBeGreaterThan(3);
  });

  it('survives a failing flush (the database is locked) and reports it', async () => {
    const sampler = new ScriptedSampler((_, nowMs) => ({ samples: [reading(nowMs, 1)], errors: [] }));
    const failures: unknown[] = [];
    const written: Sample[] = [];
    let locked = true;
    const poller = new Poller({
      samplers: [{ sampler, periodMs: 0 }],
      intervalMs: 5,
      flushEveryMs: 10,
      now: () => performance.now(),
      onFlush: (samples) => {
        if (locked) throw new Error('database is locked');
        written.push(...samples);
      },
      onFlushError: (e) => failures.push(e),
    });
    poller.start();
    await wait(50);
    locked = false;
    await poller.stop();
    expect(failures.length).toBeGreaterThan(0);
    expect(written.length, 'readings kept while the database was locked are written later').toBe(
      sampler.polls,
    );
  });
});

describe('Poller.boundary: counter reads at request and phase edges', () => {
  it('reads every counter source now, stores the readings with the polled ones, and keeps the last power for the live figure', async () => {
    let clock = 0;
    const sampler = new ScriptedSampler((_poll, nowMs) => ({
      samples: [{ ...reading(nowMs, 250), energyJ: nowMs / 10 }],
      errors: [],
    }));
    const counter = Object.assign(sampler, {
      boundary: (nowMs: number): PollResult => ({
        samples: [{ ...emptySample('nvidia:0', nowMs), energyJ: nowMs / 10 }],
        errors: [],
      }),
    });
    const powerOnly = new ScriptedSampler(() => ({ samples: [], errors: [] }));
    const batches: Sample[][] = [];
    const poller = new Poller({
      samplers: [
        { sampler: counter, periodMs: 1_000_000 },
        { sampler: powerOnly, periodMs: 1_000_000 },
      ],
      intervalMs: 1_000_000,
      flushEveryMs: 1_000_000,
      now: () => clock,
      onFlush: (s) => batches.push(s),
    });
    poller.start();
    await wait(10);
    clock = 120;
    poller.boundary();
    clock = 370;
    poller.boundary();
    // 0.4 ms later (under BOUNDARY_SHARE_MS = 0.5): the same edge, no second read; 1 ms after 370: read.
    clock = 370.4;
    poller.boundary();
    clock = 371;
    poller.boundary();
    expect(poller.latest().get('nvidia:0')?.powerW, 'the live figure is still the polled power').toBe(250);
    await poller.stop();
    const all = batches.flat().map((s) => [s.tMs, s.powerW, s.energyJ]);
    expect(all.slice(0, 4), 'the first poll, then the edges at 120, 370 and 371 ms').toEqual([
      [0, 250, 0],
      [120, null, 12],
      [370, null, 37],
      [371, null, 37.1],
    ]);
    expect(powerOnly.polls, 'a source without counters is not read at the edges').toBe(2);
  });
});
