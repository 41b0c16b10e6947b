import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../src/config/validate.js';
import { machineDifferences, softwareDifferences } from '../src/record/machine-differences.js';
import { settingDifferences } from '../src/record/resume-settings.js';
import {
  buildSettingsRecord,
  canonicalJson,
  recordDigest,
  recordedConfigOf,
} from '../src/record/settings-record.js';
import { shortDigest } from '../src/report/describe-record.js';
import { headCommitFromFiles } from '../src/record/software.js';
import type { MachineInventory } from '../src/store/inventory.js';
import { useTempDir } from './support/temp.js';

const SOFTWARE = {
  costbenchVersion: '0.1.0',
  commit: null,
  dirty: null,
  nodeVersion: 'v20.20.2',
  platform: 'linux',
  arch: 'x64',
};
const SUITE = {
  id: 'tiny',
  version: '2',
  options: { temperature: 0, numPredict: 16 },
  tasks: [
    { id: 'a' },
    { id: 'b', options: { numPredict: 64 }, format: 'json' as const },
    { id: 'c', options: {} },
  ],
};

describe('the settings record', () => {
  const config = validateConfig({
    telemetry: { intervalMs: 250, idleBaselineS: 1 },
    store: { path: '/tmp/x.db' },
  });

  it('holds the effective config without the store, the request options by task, the software', () => {
    const record = buildSettingsRecord({
      config,
      suite: SUITE,
      suiteSource: 'tiny',
      kind: 'suite',
      replayOutput: null,
      rerunOf: null,
      engineThreads: null,
      threadsSweep: null,
      software: SOFTWARE,
    });
    expect(Object.keys(record.config).sort()).toEqual(['backend', 'cost', 'roofline', 'run', 'telemetry']);
    expect(record.config.telemetry.intervalMs).toBe(250);
    expect(record.config.telemetry.idleBaselineS).toBe(1);
    expect(record.requestOptions).toEqual({
      suite: { temperature: 0, numPredict: 16 },
      byTask: { b: { numPredict: 64 } },
      formatByTask: { b: 'json' },
      keepAlive: '10m',
      timeoutMs: 300_000,
      stream: true,
    });
    expect(record.recordVersion).toBe(1);
    expect(record.suite).toEqual({
      kind: 'suite',
      id: 'tiny',
      version: '2',
      source: 'tiny',
      replayOutput: null,
    });
  });

  it('digests canonical JSON: the same record in any key order gives the same sha256', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe(
      '{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}',
    );
    const record = buildSettingsRecord({
      config,
      suite: SUITE,
      suiteSource: 'tiny',
      kind: 'suite',
      replayOutput: null,
      rerunOf: null,
      engineThreads: null,
      threadsSweep: null,
      software: SOFTWARE,
    });
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(record).reverse())),
    ) as typeof record;
    const expected = createHash('sha256').update(canonicalJson(record)).digest('hex');
    expect(recordDigest(record)).toBe(expected);
    expect(recordDigest(reordered)).toBe(expected);
    expect(shortDigest(expected)).toBe(expected.slice(0, 12));
    expect(recordedConfigOf(config)).not.toHaveProperty('store');
  });
});

describe('a resume against its record', () => {
  const recorded = recordedConfigOf(validateConfig({ telemetry: { intervalMs: 250, idleBaselineS: 1 } }));

  it('names a flag that would change a setting, and the config-file changes apart', () => {
    const today = validateConfig({ telemetry: { intervalMs: 500, idleBaselineS: 30 } });
    expect(settingDifferences({ idle: '30' }, today, recorded, 'm')).toEqual([
      { key: 'telemetry.idleBaselineS', flag: '--idle', recorded: '1', today: '30' },
      { key: 'telemetry.intervalMs', flag: null, recorded: '250', today: '500' },
    ]);
  });

  it('finds nothing when the flags repeat the recorded values; the measured model stands for a null one', () => {
    const today = validateConfig({ telemetry: { intervalMs: 250, idleBaselineS: 1 }, run: { model: 'm' } });
    expect(settingDifferences({ idle: '1', model: 'm' }, today, recorded, 'm')).toEqual([]);
  });

  it('names the negated flags as written: --no-store-outputs', () => {
    const today = validateConfig({
      telemetry: { intervalMs: 250, idleBaselineS: 1 },
      run: { storeOutputs: false },
    });
    expect(settingDifferences({ storeOutputs: false }, today, recorded, 'm')).toEqual([
      { key: 'run.storeOutputs', flag: '--no-store-outputs', recorded: 'true', today: 'false' },
    ]);
  });
});

describe('where costbench came from', () => {
  const tempDir = useTempDir();
  const SHA = '0123456789abcdef0123456789abcdef01234567';

  it('reads the commit from .git: a loose ref, a packed ref, a detached HEAD; null otherwise', () => {
    const git = join(tempDir(), '.git');
    mkdirSync(join(git, 'refs', 'heads'), { recursive: true });
    writeFileSync(join(git, 'HEAD'), 'ref: refs/heads/main\n');
    expect(headCommitFromFiles(git), 'no such ref').toBeNull();
    writeFileSync(join(git, 'packed-refs'), `# pack-refs with: peeled\n${SHA} refs/heads/main\n`);
    expect(headCommitFromFiles(git), 'packed').toBe(SHA);
    writeFileSync(join(git, 'refs', 'heads', 'main'), `${SHA.replace('0', 'f')}\n`);
    expect(headCommitFromFiles(git), 'loose wins').toBe(SHA.replace('0', 'f'));
    writeFileSync(join(git, 'HEAD'), `${SHA}\n`);
    expect(headCommitFromFiles(git), 'detached').toBe(SHA);
    expect(headCommitFromFiles(join(tempDir(), 'none')), 'no .git').toBeNull();
  });
});

describe('what differs here, for a rerun', () => {
  const machine: MachineInventory = {
    hostname: 'box',
    platform: 'linux',
    osRelease: '6.8',
    arch: 'x64',
    cpuModel: 'AMD EPYC 7B13',
    cpuCores: 8,
    memoryBytes: 32 * 1024 ** 3,
    gpus: [],
    nodeVersion: 'v20',
    collectedBy: 'test',
  };

  it('says nothing for the same machine and software, one phrase per changed fact otherwise', () => {
    expect(machineDifferences(machine, { ...machine, collectedBy: 'other' })).toEqual([]);
    expect(
      machineDifferences(machine, {
        ...machine,
        hostname: 'other',
        cpuCores: 16,
        gpus: [{ vendor: 'NVIDIA', model: 'H100', vramBytes: null }],
      }),
    ).toEqual([
      'host box → other',
      'CPU AMD EPYC 7B13, 8 cores → AMD EPYC 7B13, 16 cores',
      'GPUs none → H100',
    ]);
    expect(machineDifferences(null, machine)).toEqual(['the first run recorded no machine inventory']);
    expect(softwareDifferences(SOFTWARE, SOFTWARE)).toEqual([]);
    expect(
      softwareDifferences(SOFTWARE, {
        ...SOFTWARE,
        costbenchVersion: '0.2.0',
        commit: 'abcdef0123456789',
        dirty: true,
      }),
    ).toEqual(['costbench 0.1.0 → 0.2.0 @ abcdef012345 (modified)']);
  });
});

describe('which cost inputs a cost was computed with', () => {
  it("says today's, and how they differ from the run's own", async () => {
    const { costInputsNote } = await import('../src/analysis/cost-inputs-note.js');
    const today = validateConfig({ cost: { electricityPerKwh: 0.25 } });
    const then = validateConfig({ cost: { electricityPerKwh: 0.3 } });
    const record = buildSettingsRecord({
      config: then,
      suite: SUITE,
      suiteSource: 'tiny',
      kind: 'suite',
      replayOutput: null,
      rerunOf: null,
      engineThreads: null,
      threadsSweep: null,
      software: SOFTWARE,
    });
    expect(costInputsNote(today.cost, record, '/x/c.json')).toBe(
      "computed with today's cost inputs (config file /x/c.json); at run time they differed: cost.electricityPerKwh 0.3 then, 0.25 now",
    );
    expect(costInputsNote(then.cost, record, null)).toBe(
      "computed with today's cost inputs (no config file: the defaults), the same as at run time",
    );
    expect(costInputsNote(today.cost, null, null)).toBe(
      "computed with today's cost inputs (no config file: the defaults); the run recorded none of its own",
    );
  });
});

describe('whether a run replayed a batch file', () => {
  it("is what the record says; a record from before the kind was kept falls back on the replay loader's suite id", async () => {
    const { isReplayRun } = await import('../src/record/workload.js');
    const record = buildSettingsRecord({
      config: validateConfig({}),
      suite: SUITE,
      suiteSource: 'tiny',
      kind: 'replay',
      replayOutput: null,
      rerunOf: null,
      engineThreads: null,
      threadsSweep: null,
      software: SOFTWARE,
    });
    expect(isReplayRun({ suiteId: 'tiny' }, record), 'the record says replay').toBe(true);
    expect(
      isReplayRun({ suiteId: 'replay-batch' }, { ...record, suite: { ...record.suite, kind: 'suite' } }),
      'the record says suite',
    ).toBe(false);
    const old: typeof record.suite = { ...record.suite };
    delete old.kind;
    expect(isReplayRun({ suiteId: 'replay-batch' }, { ...record, suite: old }), 'older record: the id').toBe(
      true,
    );
    expect(isReplayRun({ suiteId: 'e2e' }, null), 'no record: the id').toBe(false);
  });
});
