/**
 * CPU package / DRAM / platform energy from Linux RAPL (powercap sysfs), for Intel and AMD Zen.
 * Which zones are recorded is decided in rapl-domains.ts (overlapping domains are never summed).
 *
 * The counters count µJ and wrap to 0 past `max_energy_range_uj`; one wrap between
 * two reads is unwrapped, two cannot be detected. Without a known range a wrap shows as a drop,
 * which is passed on as it is (see readCounter). At a few hundred watts a package counter can
 * wrap within minutes, so poll at least every few seconds (the poller's 100 ms default is fine).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../errors.js';
import {
  computeEnergyDeltaUj,
  parseMicrojoules,
  parseZoneDirName,
  selectRaplDomains,
} from './rapl-domains.js';
import type { RaplDomain, RaplZone } from './rapl-domains.js';
import { emptySample } from './sampler.js';
import type { Channel, PollResult, ProbeResult, Sample, Sampler, SamplerError } from './sampler.js';

/** Reads a text file synchronously (a sysfs read takes microseconds). */
export type ReadTextFile = (path: string) => string;

/** Options for {@link RaplSampler}. */
export interface RaplSamplerOptions {
  /** Root of sysfs; tests point it at a fixture tree. Default "/sys". */
  sysRoot?: string;
  /** How files are read; tests inject one that throws a real-shaped EACCES error. Default fs.readFileSync. */
  readFile?: ReadTextFile;
}

/** The reason given when energy_uj is root-only. */
export const RAPL_ROOT_ONLY_REASON = 'RAPL energy counters are readable by root only (CVE-2020-8694)';

const DEFAULT_SYS_ROOT = '/sys';
const defaultReadFile: ReadTextFile = (path) => readFileSync(path, 'utf8');

interface CounterState {
  domain: RaplDomain;
  key: string;
  lastUj: number | null;
  lastMs: number | null;
  totalUj: number;
}

/** True for EACCES / EPERM errors from fs. */
function isPermissionError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return code === 'EACCES' || code === 'EPERM';
}

/**
 * The hint for root-only counters: grant read access to one group, not to everyone (the energy
 * readings are a side channel, which is why the kernel made them root-only). `costbench doctor`
 * prints the exact udev rule or tmpfiles.d line for this machine and how to check it worked.
 */
function raplPermissionHint(powercapDir: string, zoneId: string): string {
  return (
    `grant read access to ${powercapDir}/${zoneId}/energy_uj (and its sibling zones) to one group: ` +
    '`costbench doctor` prints the udev rule or tmpfiles.d line and how to check it; or run costbench as root'
  );
}

/** Channel key of a chosen domain, e.g. "rapl:package-0". */
function channelKey(domain: RaplDomain): string {
  return `rapl:${domain.label}`;
}

/**
 * Samples RAPL energy counters ('counter' channels). Each poll reads every chosen zone's
 * energy_uj and returns, per zone, the cumulative unwrapped energy since the first poll
 * (energyJ, 0 at the first poll) and the mean power since the previous poll (powerW, null at
 * the first poll).
 */
export class RaplSampler implements Sampler {
  readonly source = 'rapl' as const;
  private readonly powercapDir: string;
  private readonly readFile: ReadTextFile;
  private counters: CounterState[] | null = null;

  constructor(options: RaplSamplerOptions = {}) {
    this.powercapDir = join(options.sysRoot ?? DEFAULT_SYS_ROOT, 'class', 'powercap');
    this.readFile = options.readFile ?? defaultReadFile;
  }

  /** Finds the zones, chooses the domains and checks their counters can be read. Never throws. */
  async probe(): Promise<ProbeResult> {
    const zones = this.readZones();
    if (zones.length === 0) {
      return {
        available: false,
        reason: `no RAPL powercap interface (${this.powercapDir}/intel-rapl absent): not an Intel/AMD x86 Linux machine, or the intel_rapl module is not loaded`,
        hint: 'run `sudo modprobe intel_rapl_msr`, then check that /sys/class/powercap/intel-rapl:0 exists',
      };
    }
    const selection = selectRaplDomains(zones);
    if (selection.domains.length === 0) {
      return {
        available: false,
        reason: `no usable RAPL domain among ${zones.map((z) => `${z.id} (${z.name})`).join(', ')}`,
        hint: null,
      };
    }
    for (const domain of selection.domains) {
      const refused = this.checkReadable(domain);
      if (refused !== null) return refused;
    }
    this.counters = selection.domains.map((domain) => ({
      domain,
      key: channelKey(domain),
      lastUj: null,
      lastMs: null,
      totalUj: 0,
    }));
    const skipped = selection.skipped.map((s) => `${s.zone.id} (${s.zone.name}): ${s.reason}`).join('; ');
    return { available: true, channels: selection.domains.map((d) => this.channelOf(d, skipped)) };
  }

  /** Resets the counters so the next poll starts energy at 0 (probes first if needed). */
  async start(): Promise<void> {
    if (this.counters === null) await this.probe();
    for (const counter of this.counters ?? []) {
      counter.lastUj = null;
      counter.lastMs = null;
      counter.totalUj = 0;
    }
  }

  /** Reads every chosen counter now. A failed read is an error and a gap, never a throw. */
  async poll(nowMs: number): Promise<PollResult> {
    return this.boundary(nowMs);
  }

  /** Reads every counter now (file reads, synchronous): the poll, and a read at a request's or phase's edge. */
  boundary(nowMs: number): PollResult {
    const samples: Sample[] = [];
    const errors: SamplerError[] = [];
    for (const counter of this.counters ?? []) {
      const result = this.readCounter(counter, nowMs);
      if (result.sample !== null) samples.push(result.sample);
      if (result.error !== null) errors.push({ tMs: nowMs, channelKey: counter.key, message: result.error });
    }
    return { samples, errors };
  }

  /** Nothing to release: reads are one-shot file reads. */
  async stop(): Promise<void> {}

  /**
   * One reading: the cumulative energy since the first poll, and the mean power since the last.
   * Where the range is unknown, a counter that went down wrapped by an unknown amount: the reading
   * carries the drop as it is (the energy summary leaves that interval out) and an error marks it;
   * the next interval counts again, instead of comparing with the old value for ever.
   */
  private readCounter(counter: CounterState, nowMs: number): { sample: Sample | null; error: string | null } {
    const path = join(this.powercapDir, counter.domain.zone.id, 'energy_uj');
    let uj: number | null;
    try {
      uj = parseMicrojoules(this.readFile(path));
    } catch (error) {
      return { sample: null, error: `cannot read ${path}: ${describeError(error)}` };
    }
    if (uj === null) return { sample: null, error: `${path} does not hold a whole number of microjoules` };
    const sample = emptySample(counter.key, nowMs);
    let error: string | null = null;
    if (counter.lastUj !== null && counter.lastMs !== null) {
      const deltaUj = computeEnergyDeltaUj(counter.lastUj, uj, counter.domain.zone.maxEnergyRangeUj);
      const dtMs = nowMs - counter.lastMs;
      if (deltaUj === null) {
        error =
          `${path} went down (${counter.lastUj} -> ${uj} uJ) and max_energy_range_uj is unknown: ` +
          'taken as a wrap of unknown size, that interval is left out';
        counter.totalUj += uj - counter.lastUj;
      } else {
        counter.totalUj += deltaUj;
        sample.powerW = dtMs > 0 ? deltaUj / (dtMs * 1000) : null;
      }
    }
    counter.lastUj = uj;
    counter.lastMs = nowMs;
    sample.energyJ = counter.totalUj / 1e6;
    return { sample, error };
  }

  /** Lists the RAPL zones with their names and ranges; zones whose name cannot be read are left out. */
  private readZones(): RaplZone[] {
    let entries: string[];
    try {
      entries = readdirSync(this.powercapDir);
    } catch {
      return [];
    }
    const zones: RaplZone[] = [];
    for (const entry of entries.sort()) {
      const parsed = parseZoneDirName(entry);
      if (parsed === null) continue;
      const name = this.tryRead(join(this.powercapDir, entry, 'name'))?.trim();
      if (name === undefined || name === '') continue;
      const range = this.tryRead(join(this.powercapDir, entry, 'max_energy_range_uj'));
      zones.push({
        ...parsed,
        name,
        maxEnergyRangeUj: (range === undefined ? null : parseMicrojoules(range)) ?? 0,
      });
    }
    return zones;
  }

  private tryRead(path: string): string | undefined {
    try {
      return this.readFile(path);
    } catch {
      return undefined;
    }
  }

  /** null if the zone's energy_uj reads as a number, else why not (with a hint). */
  private checkReadable(domain: RaplDomain): ProbeResult | null {
    const path = join(this.powercapDir, domain.zone.id, 'energy_uj');
    try {
      if (parseMicrojoules(this.readFile(path)) !== null) return null;
      return { available: false, reason: `${path} does not hold a whole number of microjoules`, hint: null };
    } catch (error) {
      if (isPermissionError(error)) {
        return {
          available: false,
          reason: RAPL_ROOT_ONLY_REASON,
          hint: raplPermissionHint(this.powercapDir, domain.zone.id),
        };
      }
      return { available: false, reason: `cannot read ${path}: ${describeError(error)}`, hint: null };
    }
  }

  private channelOf(domain: RaplDomain, skipped: string): Channel {
    return {
      key: channelKey(domain),
      source: 'rapl',
      device: domain.label,
      kind: 'counter',
      covers: domain.covers,
      detail: {
        zone: domain.zone.id,
        mmio: domain.zone.mmio,
        maxEnergyRangeUj: domain.zone.maxEnergyRangeUj,
        selection: domain.reason,
        zonesSkipped: skipped === '' ? null : skipped,
        note: 'energy counter; unwraps one wraparound between polls, so poll at least every few seconds',
      },
    };
  }
}
