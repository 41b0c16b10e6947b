/**
 * AMD GPU power from the amdgpu driver's hwmon files, no tool needed: a pull source reading
 * `<sysRoot>/class/drm/cardN/device/hwmon/hwmonM/power1_input` (µW, instantaneous; preferred)
 * or `power1_average` (µW, averaged by the firmware), for cards whose PCI vendor is AMD.
 * Reads are synchronous: sysfs answers in microseconds.
 *
 * APUs: the reading is the whole package, CPU included, so such a channel covers
 * 'apu-package' and RAPL must not be added on top. The heuristic is deliberately simple:
 * an APU's VRAM is a carve-out of system RAM, usually 512 MiB or less, while discrete
 * cards have several GiB; so `mem_info_vram_total` under APU_VRAM_LIMIT_BYTES (or absent)
 * means APU. A BIOS that carves out 1 GiB or more defeats it; the detail says which rule fired.
 *
 * Energy counter: where a card's hwmon dir has `energy1_input` (µJ) and it passes the start-up check
 * of hwmon-energy.ts, the channel is a 'counter' channel read at every request's and phase's edge
 * ({@link HwmonSampler.boundary}); polls then only draw the charts (power), every pictureIntervalMs.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  checkHwmonCounters,
  energyChannelDetail,
  HWMON_ENERGY_FILE,
  HwmonEnergyTrack,
} from './hwmon-energy.js';
import type { HwmonCounterDecision } from './hwmon-energy.js';
import {
  describeReadError,
  findPowerSensor,
  parsePciSlot,
  parseSysfsInteger,
  readSysfsCount,
  refusedResult,
} from './hwmon-files.js';
import type { PowerFile } from './hwmon-files.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sample, Sampler, SamplerError } from './sampler.js';

export { describeReadError, parsePciSlot, parseSysfsInteger } from './hwmon-files.js';

/** Reads a text file synchronously. */
export type ReadTextFile = (path: string) => string;

/** Utilization, memory, temperature and clock are read at most this often; power at every poll. */
export const EXTRAS_PERIOD_MS = 1_000;

/** Options of {@link HwmonSampler}. */
export interface HwmonSamplerOptions {
  /** Root of sysfs; tests point it at a fixture tree. Default "/sys". */
  sysRoot?: string;
  /** The poller's interval, recorded as the sampling period. */
  intervalMs: number;
  /**
   * The poll period when every card's energy counter is used (it is read at every edge, so polls
   * only draw the charts); default: intervalMs.
   */
  pictureIntervalMs?: number;
  /** Unused (no tool is run); accepted so every GPU sampler takes the same options. */
  env?: NodeJS.ProcessEnv;
  /** Monotonic clock, ms: times the energy counter's start-up check (poll stamps with the poller's nowMs). */
  now?: () => number;
  /** Waits between the two readings of the counter's start-up check. Default: a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** How files are read; tests inject one that throws EACCES (root reads anything). Default fs.readFileSync. */
  readFile?: ReadTextFile;
}

/** PCI vendor id of AMD, as sysfs writes it. */
export const AMD_PCI_VENDOR = '0x1002';
/** Below this much VRAM (or with none reported) a card is taken for an APU. */
export const APU_VRAM_LIMIT_BYTES = 1024 ** 3;
const DEFAULT_SYS_ROOT = '/sys';

interface HwmonCard {
  card: string;
  key: string;
  deviceDir: string;
  hwmonDir: string;
  powerFile: PowerFile;
  pciBusId: string | null;
  vramTotalBytes: number | null;
  apu: boolean;
  /** energy1_input's decision, null without the file. */
  energyDecision: HwmonCounterDecision | null;
  /** The running counter, where it is used. */
  energy: HwmonEnergyTrack | null;
}

/** Samples AMD GPU (or APU package) power from amdgpu's hwmon files, plus utilization, VRAM, clock and temperature. */
export class HwmonSampler implements Sampler {
  readonly source = 'amd' as const;
  private readonly drmDir: string;
  private readonly intervalMs: number;
  private readonly pictureIntervalMs: number;
  private readonly readFile: ReadTextFile;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly extrasReadAt = new Map<string, number>();
  private readonly missing = new Set<string>();
  private cards: HwmonCard[] | null = null;

  constructor(options: HwmonSamplerOptions) {
    this.drmDir = join(options.sysRoot ?? DEFAULT_SYS_ROOT, 'class', 'drm');
    this.intervalMs = options.intervalMs;
    this.pictureIntervalMs = Math.max(options.pictureIntervalMs ?? options.intervalMs, options.intervalMs);
    this.readFile = options.readFile ?? ((path) => readFileSync(path, 'utf8'));
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Least time between polls: the picture interval when every card's counter is used, else the power interval. */
  get pollPeriodMs(): number {
    const cards = this.cards ?? [];
    return cards.length > 0 && cards.every((c) => c.energy !== null)
      ? this.pictureIntervalMs
      : this.intervalMs;
  }

  /** Finds AMD cards with a power sensor and checks it can be read. Never throws. */
  async probe(): Promise<ProbeResult> {
    const found = this.findCards();
    if (found === null)
      return {
        available: false,
        reason: `no ${this.drmDir}: not Linux, or sysfs is not mounted`,
        hint: null,
      };
    if (found.length === 0) {
      return {
        available: false,
        reason: `no AMD GPU with a hwmon power sensor under ${this.drmDir}`,
        hint: 'load the amdgpu driver (`sudo modprobe amdgpu`); NVIDIA GPUs are read by the nvidia sampler',
      };
    }
    const readable: HwmonCard[] = [];
    const refused: { path: string; error: unknown }[] = [];
    for (const card of found) {
      const path = join(card.hwmonDir, card.powerFile);
      try {
        this.readFile(path);
        readable.push(card);
      } catch (error) {
        refused.push({ path, error });
      }
    }
    const first = refused[0];
    if (readable.length === 0 && first !== undefined)
      return refusedResult(first.path, first.error, this.drmDir);
    await this.decideCounters(readable);
    this.cards = readable;
    return { available: true, channels: readable.map((c) => this.toChannel(c)) };
  }

  /** Each poll reads the files (probing first if needed); energy counters restart at 0. */
  async start(): Promise<void> {
    if (this.cards === null) await this.probe();
    for (const card of this.cards ?? []) card.energy?.reset();
  }

  /**
   * Reads every card's power now, and its energy counter where used. A failed read is an error and
   * a gap, never a throw.
   */
  async poll(nowMs: number): Promise<PollResult> {
    const samples: Sample[] = [];
    const errors: SamplerError[] = [];
    for (const card of this.cards ?? []) {
      const result = this.readCard(card, nowMs);
      if (typeof result === 'string') errors.push({ tMs: nowMs, channelKey: card.key, message: result });
      const energy = this.readEnergy(card, nowMs);
      if (energy.error !== null) errors.push(energy.error);
      if (typeof result !== 'string') {
        result.energyJ = energy.sample?.energyJ ?? null;
        samples.push(result);
      } else if (energy.sample !== null) samples.push(energy.sample);
    }
    return { samples, errors };
  }

  /** Reads the energy counters now (file reads, synchronous) at a request's or phase's edge: energy only. */
  boundary(nowMs: number): PollResult {
    const samples: Sample[] = [];
    const errors: SamplerError[] = [];
    for (const card of this.cards ?? []) {
      const energy = this.readEnergy(card, nowMs);
      if (energy.sample !== null) samples.push(energy.sample);
      if (energy.error !== null) errors.push(energy.error);
    }
    return { samples, errors };
  }

  /** Nothing to release. */
  async stop(): Promise<void> {}

  /** One card's counter now, where used: an energy-only sample, and an error when the read failed or went down. */
  private readEnergy(card: HwmonCard, nowMs: number): { sample: Sample | null; error: SamplerError | null } {
    if (card.energy === null) return { sample: null, error: null };
    const read = card.energy.read((path) => this.readCount(path), join(card.hwmonDir, HWMON_ENERGY_FILE));
    const error = read.error === null ? null : { tMs: nowMs, channelKey: card.key, message: read.error };
    if (read.energyJ === null) return { sample: null, error };
    return { sample: { ...emptySample(card.key, nowMs), energyJ: read.energyJ }, error };
  }

  /** A whole, non-negative number from a file, or one line saying why not. */
  private readCount(path: string): number | string {
    return readSysfsCount(this.readFile, path);
  }

  /** Checks each card's energy1_input, where there is one, against its power (hwmon-energy.ts). */
  private async decideCounters(cards: HwmonCard[]): Promise<void> {
    const withFile = cards.filter((c) => existsSync(join(c.hwmonDir, HWMON_ENERGY_FILE)));
    const targets = withFile.map((c) => ({
      key: c.key,
      energyPath: join(c.hwmonDir, HWMON_ENERGY_FILE),
      powerPath: join(c.hwmonDir, c.powerFile),
    }));
    const io = { read: (path: string) => this.readCount(path), now: this.now, sleep: this.sleep };
    const decisions = await checkHwmonCounters(targets, io);
    for (const card of cards) {
      card.energyDecision = decisions.get(card.key) ?? null;
      card.energy = card.energyDecision?.use === true ? new HwmonEnergyTrack() : null;
    }
  }

  private readCard(card: HwmonCard, nowMs: number): Sample | string {
    const path = join(card.hwmonDir, card.powerFile);
    let text: string;
    try {
      text = this.readFile(path);
    } catch (error) {
      return describeReadError(path, error);
    }
    const microwatts = parseSysfsInteger(text);
    if (microwatts === null)
      return `${path} does not hold a whole number of microwatts: "${text.trim().slice(0, 40)}"`;
    const sample = emptySample(card.key, nowMs);
    sample.powerW = microwatts / 1e6;
    // Power at every poll; utilization, memory, temperature and clock about once a second (each is a file read).
    const last = this.extrasReadAt.get(card.key);
    if (last !== undefined && nowMs - last < EXTRAS_PERIOD_MS) return sample;
    this.extrasReadAt.set(card.key, nowMs);
    sample.utilizationPct = this.readOptional(join(card.deviceDir, 'gpu_busy_percent'), 1);
    sample.memoryUsedBytes = this.readOptional(join(card.deviceDir, 'mem_info_vram_used'), 1);
    sample.temperatureC = this.readOptional(join(card.hwmonDir, 'temp1_input'), 1e-3); // millidegrees
    sample.clockMhz = this.readOptional(join(card.hwmonDir, 'freq1_input'), 1e-6); // sclk, Hz
    return sample;
  }

  /** A scaled integer from an optional file; null when absent or unreadable (then not tried again). */
  private readOptional(path: string, scale: number): number | null {
    if (this.missing.has(path)) return null;
    try {
      const value = parseSysfsInteger(this.readFile(path));
      return value === null ? null : value * scale;
    } catch {
      this.missing.add(path);
      return null;
    }
  }

  private readText(path: string): string | null {
    try {
      return this.readFile(path);
    } catch {
      return null;
    }
  }

  /** AMD cards (cardN, not connectors such as card0-DP-1) with a power file; null if there is no drm dir. */
  private findCards(): HwmonCard[] | null {
    let entries: string[];
    try {
      entries = readdirSync(this.drmDir);
    } catch {
      return null;
    }
    const cards: HwmonCard[] = [];
    const numbered = entries
      .filter((e) => /^card\d+$/.test(e))
      .sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
    for (const card of numbered) {
      const deviceDir = join(this.drmDir, card, 'device');
      if (this.readText(join(deviceDir, 'vendor'))?.trim().toLowerCase() !== AMD_PCI_VENDOR) continue;
      const sensor = findPowerSensor(join(deviceDir, 'hwmon'));
      if (sensor === null) continue;
      const vramTotalBytes = parseSysfsInteger(this.readText(join(deviceDir, 'mem_info_vram_total')) ?? '');
      const pciBusId = parsePciSlot(this.readText(join(deviceDir, 'uevent')) ?? '');
      const apu = vramTotalBytes === null || vramTotalBytes < APU_VRAM_LIMIT_BYTES;
      const key = `hwmon:${card}`;
      cards.push({
        card,
        key,
        deviceDir,
        ...sensor,
        pciBusId,
        vramTotalBytes,
        apu,
        energyDecision: null,
        energy: null,
      });
    }
    return cards;
  }

  private toChannel(card: HwmonCard): Channel {
    const detail: Channel['detail'] = {
      card: card.card,
      pciBusId: card.pciBusId,
      hwmon: basename(card.hwmonDir),
      file: card.powerFile,
      instantaneous: card.powerFile === 'power1_input',
      periodMs: this.pollPeriodMs,
      vramTotalBytes: card.vramTotalBytes,
      apu: card.apu,
      ...energyChannelDetail(card.energyDecision, card.powerFile),
    };
    if (card.apu) {
      detail['note'] = 'includes the CPU: do not add RAPL';
      detail['apuHeuristic'] =
        `mem_info_vram_total ${card.vramTotalBytes === null ? 'absent' : `under ${APU_VRAM_LIMIT_BYTES} bytes`}`;
    }
    return {
      key: card.key,
      source: 'amd',
      device: `AMD GPU ${card.card}`,
      kind: card.energy === null ? 'sampled' : 'counter',
      covers: card.apu ? 'apu-package' : 'gpu-board',
      detail,
    };
  }
}
