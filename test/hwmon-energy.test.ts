import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HwmonSampler } from '../src/telemetry/hwmon.js';
import { checkHwmonCounters, HwmonEnergyTrack } from '../src/telemetry/hwmon-energy.js';
import type { HwmonCounterDecision, ReadCount } from '../src/telemetry/hwmon-energy.js';
import { makeTempDir } from './support/temp.js';

const SYS_ENERGY = fileURLToPath(new URL('./fixtures/sys-amd/dgpu-energy', import.meta.url));
const HWMON3 = 'class/drm/card0/device/hwmon/hwmon3';

/** Runs the check on one card whose files read `first`, then `second` after the (instant) 2 s wait. */
async function check(
  first: { uj: number | string; uw: number },
  second: { uj: number | string; uw: number },
): Promise<HwmonCounterDecision | undefined> {
  let clockMs = 0;
  let files = { e: first.uj, p: first.uw };
  const waits: number[] = [];
  const read: ReadCount = (path) => (path === 'e' ? files.e : files.p);
  const decisions = await checkHwmonCounters([{ key: 'hwmon:card0', energyPath: 'e', powerPath: 'p' }], {
    read,
    now: () => clockMs,
    sleep: async (ms) => {
      waits.push(ms);
      clockMs += ms;
      files = { e: second.uj, p: second.uw };
    },
  });
  expect(waits, 'one wait of AMD_COUNTER_CHECK_MS').toEqual([2000]);
  return decisions.get('hwmon:card0');
}

describe('the start-up check of energy1_input (checkAmdCounter on µJ and µW)', () => {
  it('accepts a counter that agrees with power x time', async () => {
    // (451000000 - 1000000) µJ = 450 J; power (220 + 230) / 2 W x 2 s = 450 J: 1x apart.
    expect(await check({ uj: 1_000_000, uw: 220e6 }, { uj: 451_000_000, uw: 230e6 })).toEqual({
      use: true,
      note: 'energy1_input: start-up check: counter 450 J vs sampled power 450 J over 2 s: 1x apart, within 10x',
      notUsed: null,
    });
  });

  it('refuses a 100x disagreement, a counter that does not move, one that goes down, one unreadable', async () => {
    const why = (d: HwmonCounterDecision | undefined): string | null | undefined => d?.notUsed;
    // (5500000 - 1000000) µJ = 4.5 J against 450 J: 100x apart.
    expect(why(await check({ uj: 1_000_000, uw: 220e6 }, { uj: 5_500_000, uw: 230e6 }))).toBe(
      'hwmon energy1_input not used: it disagrees with sampled power by more than 10x ' +
        '(counter 4.5 J vs sampled power 450 J over 2 s: 100x apart)',
    );
    expect(why(await check({ uj: 1_000_000, uw: 220e6 }, { uj: 1_000_000, uw: 230e6 }))).toBe(
      'hwmon energy1_input not used: the counter cannot be checked against power ' +
        '(counter 0 J vs sampled power 450 J over 2 s)',
    );
    // 1000000 - 451000000 µJ = -450 J.
    const down = await check({ uj: 451_000_000, uw: 220e6 }, { uj: 1_000_000, uw: 230e6 });
    expect(down).toEqual({
      use: false,
      note:
        'energy1_input: not used: the counter went down at the start-up check ' +
        '(counter -450 J vs sampled power 450 J over 2 s)',
      notUsed:
        'hwmon energy1_input not used: the counter went down at the start-up check ' +
        '(counter -450 J vs sampled power 450 J over 2 s)',
    });
    expect(why(await check({ uj: 'cannot read e: EIO', uw: 220e6 }, { uj: 5, uw: 230e6 }))).toBe(
      'hwmon energy1_input not used: cannot read e: EIO',
    );
  });
});

describe('HwmonEnergyTrack', () => {
  it('gives joules since the first reading, passes a drop on with an error, and a failed read as a gap', () => {
    const track = new HwmonEnergyTrack();
    const values: (number | string)[] = [1_000_000, 3_500_000, 500_000, 'cannot read f: EIO', 2_500_000];
    const read: ReadCount = () => values.shift() ?? 'none';
    // 0; (3500000 - 1000000) / 1e6 = 2.5 J; (500000 - 1000000) / 1e6 = -0.5 J (a drop); gap; (2500000 - 1000000) / 1e6 = 1.5 J.
    expect(track.read(read, 'f')).toEqual({ energyJ: 0, error: null });
    expect(track.read(read, 'f')).toEqual({ energyJ: 2.5, error: null });
    expect(track.read(read, 'f')).toEqual({
      energyJ: -0.5,
      error: 'f went down (3500000 -> 500000 uJ): a wrap or reset of unknown size, that interval is left out',
    });
    expect(track.read(read, 'f')).toEqual({ energyJ: null, error: 'cannot read f: EIO' });
    expect(track.read(read, 'f')).toEqual({ energyJ: 1.5, error: null });
    track.reset();
    expect(
      track.read(() => 9_000_000, 'f'),
      'after reset',
    ).toEqual({ energyJ: 0, error: null });
  });
});

/** A temp copy of dgpu-energy (card0 at 220 W), without card2 if asked. */
function energyTree(withCard2 = true): { root: string; remove: () => void } {
  const dir = makeTempDir('costbench-hwmon-energy-');
  cpSync(SYS_ENERGY, dir.path, { recursive: true });
  if (!withCard2) rmSync(join(dir.path, 'class/drm/card2'), { recursive: true });
  writeFileSync(join(dir.path, HWMON3, 'power1_input'), '220000000\n');
  return { root: dir.path, remove: dir.remove };
}

/** A sampler on `root` whose injected 2 s wait moves card0's counter and power to `after`. */
function sampler(root: string, after: { uj: number; uw: number }): HwmonSampler {
  let clockMs = 0;
  return new HwmonSampler({
    sysRoot: root,
    intervalMs: 100,
    pictureIntervalMs: 1000,
    now: () => clockMs,
    sleep: async (ms) => {
      clockMs += ms;
      writeFileSync(join(root, HWMON3, 'energy1_input'), `${after.uj}\n`);
      writeFileSync(join(root, HWMON3, 'power1_input'), `${after.uw}\n`);
    },
  });
}

describe('HwmonSampler with energy1_input', () => {
  const agreeing = { uj: 451_000_000, uw: 230_000_000 };

  it('makes a card whose counter passes the check a counter channel read at edges', async ({
    onTestFinished,
  }) => {
    const tree = energyTree();
    onTestFinished(tree.remove);
    const s = sampler(tree.root, agreeing);
    const probe = await s.probe();
    expect(probe.available).toBe(true);
    if (!probe.available) return;
    expect(probe.channels.map((c) => [c.key, c.kind])).toEqual([
      ['hwmon:card0', 'counter'],
      ['hwmon:card2', 'sampled'],
    ]);
    // card2 has no counter: the sampler keeps the power interval (100 ms), not the picture's 1000 ms.
    expect(s.pollPeriodMs, 'mixed cards').toBe(100);
    expect(probe.channels[0]?.detail).toEqual({
      card: 'card0',
      pciBusId: '0000:03:00.0',
      hwmon: 'hwmon3',
      reader: 'hwmon',
      file: 'energy1_input',
      powerFile: 'power1_input',
      instantaneous: true,
      periodMs: 100,
      vramTotalBytes: 25753026560,
      apu: false,
      energyCounter: true,
      energyNote:
        'energy1_input: start-up check: counter 450 J vs sampled power 450 J over 2 s: 1x apart, within 10x',
    });
    expect(probe.channels[1]?.detail['energyCounter'], 'card2 has no energy1_input').toBeUndefined();

    await s.start();
    const e = join(tree.root, HWMON3, 'energy1_input');
    expect(s.boundary(10), 'first reading after start: 0 J').toMatchObject({
      samples: [{ channelKey: 'hwmon:card0', tMs: 10, powerW: null, energyJ: 0 }],
      errors: [],
    });
    writeFileSync(e, '453500000\n');
    const poll = await s.poll(20);
    // (453500000 - 451000000) / 1e6 = 2.5 J; power1_input 230000000 µW = 230 W; card2's power1_average 254 W.
    expect(poll.samples.map((x) => [x.channelKey, x.powerW, x.energyJ])).toEqual([
      ['hwmon:card0', 230, 2.5],
      ['hwmon:card2', 254, null],
    ]);
    writeFileSync(e, '1000\n');
    // (1000 - 451000000) / 1e6 = -450.999 J: the drop is passed on as it is, with an error.
    expect(s.boundary(30)).toEqual({
      samples: [expect.objectContaining({ channelKey: 'hwmon:card0', energyJ: -450.999, powerW: null })],
      errors: [
        {
          tMs: 30,
          channelKey: 'hwmon:card0',
          message: `${e} went down (453500000 -> 1000 uJ): a wrap or reset of unknown size, that interval is left out`,
        },
      ],
    });
    writeFileSync(e, '12.5\n');
    expect(s.boundary(40), 'not a whole number: a gap and an error, no throw').toEqual({
      samples: [],
      errors: [
        {
          tMs: 40,
          channelKey: 'hwmon:card0',
          message: `${e} does not hold a whole, non-negative number: "12.5"`,
        },
      ],
    });
  });

  it('polls at the picture interval when every card is a counter', async ({ onTestFinished }) => {
    const tree = energyTree(false);
    onTestFinished(tree.remove);
    const s = sampler(tree.root, agreeing);
    await s.probe();
    expect(s.pollPeriodMs).toBe(1000);
  });

  it('stays sampled, saying why, when the counter does not move (the fixture as it is)', async () => {
    const s = new HwmonSampler({ sysRoot: SYS_ENERGY, intervalMs: 100, sleep: async () => {} });
    const probe = await s.probe();
    const card0 = probe.available ? probe.channels[0] : undefined;
    expect(card0?.kind).toBe('sampled');
    expect(card0?.detail).toMatchObject({ file: 'power1_input', energyCounter: false, reader: 'hwmon' });
    expect(String(card0?.detail['fallback'])).toMatch(
      /^hwmon energy1_input not used: the counter cannot be checked against power \(counter 0 J vs sampled power /,
    );
    expect(s.boundary(5), 'nothing read at edges for a sampled card').toEqual({ samples: [], errors: [] });
  });
});
