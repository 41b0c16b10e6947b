/**
 * RAPL (powercap) domain selection and counter unwrapping: pure functions over what
 * rapl.ts read from sysfs. RAPL domains overlap (psys > package > {core, uncore}), so
 * choosing which ones to record is the one place where summing mistakes are prevented.
 */
import type { Coverage } from './sampler.js';

/** One powercap zone as found under `/sys/class/powercap/`. */
export interface RaplZone {
  /** The directory name, e.g. "intel-rapl:0:2" or "intel-rapl-mmio:0". */
  id: string;
  /** The zone's `name` file, e.g. "package-0", "dram", "psys", "package-0-die-1". */
  name: string;
  /** Whether the zone comes from the MMIO interface (`intel-rapl-mmio:*`), which may duplicate MSR zones. */
  mmio: boolean;
  /** The parent zone's id for a subzone ("intel-rapl:0" for "intel-rapl:0:2"), else null. */
  parentId: string | null;
  /** The counter's range (`max_energy_range_uj`); it wraps to 0 past this. */
  maxEnergyRangeUj: number;
}

/** A zone chosen for recording, with what it covers and why it was chosen. */
export interface RaplDomain {
  zone: RaplZone;
  /** Unique among the chosen domains: "package-0", "package-0/dram", "psys". */
  label: string;
  covers: Extract<Coverage, 'psys' | 'cpu-package' | 'dram'>;
  reason: string;
}

/** A zone left out, and why (kept so that the choice can be explained). */
export interface SkippedZone {
  zone: RaplZone;
  reason: string;
}

/** The outcome of {@link selectRaplDomains}. */
export interface RaplSelection {
  domains: RaplDomain[];
  skipped: SkippedZone[];
}

const ZONE_DIR = /^(intel-rapl(-mmio)?):(\d+)(?::(\d+))?$/;
const PACKAGE_NAME = /^package-(\d+)(?:-die-\d+)?$/;

/**
 * Parses a powercap directory name: "intel-rapl:0:1" is a subzone of "intel-rapl:0".
 * Returns null for anything that is not a RAPL zone (e.g. the "intel-rapl" control type).
 */
export function parseZoneDirName(
  dirName: string,
): { id: string; mmio: boolean; parentId: string | null } | null {
  const match = ZONE_DIR.exec(dirName);
  if (match === null) return null;
  const [, prefix, mmio, zone, subzone] = match;
  return {
    id: dirName,
    mmio: mmio !== undefined,
    parentId: subzone === undefined ? null : `${prefix}:${zone}`,
  };
}

/** Parses the text of an `energy_uj` or `max_energy_range_uj` file; null if it is not a non-negative integer. */
export function parseMicrojoules(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * Energy between two reads of one counter, in µJ, unwrapping one wraparound:
 * `d = e2 - e1 + (e2 < e1 ? max : 0)`. A counter that wrapped more than once between reads
 * cannot be told apart from one that wrapped once, which is why polls must be frequent
 * (a package counter can wrap within minutes at high power). Returns null when the counter went
 * backwards and its range is unknown (0).
 */
export function computeEnergyDeltaUj(
  prevUj: number,
  nextUj: number,
  maxEnergyRangeUj: number,
): number | null {
  if (nextUj >= prevUj) return nextUj - prevUj;
  if (maxEnergyRangeUj <= 0) return null;
  return nextUj - prevUj + maxEnergyRangeUj;
}

/** "package-0" for a top-level zone, "package-0/dram" for a subzone of package-0. */
function zoneLabel(zone: RaplZone, byId: ReadonlyMap<string, RaplZone>): string {
  const parent = zone.parentId === null ? undefined : byId.get(zone.parentId);
  return parent === undefined ? zone.name : `${parent.name}/${zone.name}`;
}

/** Drops MMIO zones that repeat an MSR zone of the same label. */
function dropMmioDuplicates(
  zones: readonly RaplZone[],
  labels: ReadonlyMap<RaplZone, string>,
): { kept: RaplZone[]; skipped: SkippedZone[] } {
  const msrByLabel = new Map<string, RaplZone>();
  for (const zone of zones) if (!zone.mmio) msrByLabel.set(labels.get(zone) ?? zone.name, zone);
  const kept: RaplZone[] = [];
  const skipped: SkippedZone[] = [];
  for (const zone of zones) {
    const twin = zone.mmio ? msrByLabel.get(labels.get(zone) ?? zone.name) : undefined;
    if (twin === undefined) kept.push(zone);
    else skipped.push({ zone, reason: `duplicates ${twin.id} (${twin.name}) through the MMIO interface` });
  }
  return { kept, skipped };
}

/** Selection when no psys zone exists: every package plus every dram, never core/uncore. */
function selectPackages(zones: readonly RaplZone[], labels: ReadonlyMap<RaplZone, string>): RaplSelection {
  const selection: RaplSelection = { domains: [], skipped: [] };
  const wholePackages = new Set(zones.filter((z) => /^package-\d+$/.test(z.name)).map((z) => z.name));
  for (const zone of zones) {
    const label = labels.get(zone) ?? zone.name;
    const pkg = PACKAGE_NAME.exec(zone.name);
    if (pkg !== null && zone.name.includes('-die-') && wholePackages.has(`package-${pkg[1]}`)) {
      selection.skipped.push({
        zone,
        reason: `${zone.name} is inside package-${pkg[1]}, which is recorded: never summed with it`,
      });
    } else if (pkg !== null) {
      selection.domains.push({
        zone,
        label,
        covers: 'cpu-package',
        reason: 'no psys: each package (or die) domain is recorded',
      });
    } else if (zone.name === 'dram') {
      selection.domains.push({
        zone,
        label,
        covers: 'dram',
        reason: 'no psys: dram lies outside the package domain, so it is recorded next to it',
      });
    } else if (zone.name === 'core' || zone.name === 'uncore') {
      selection.skipped.push({ zone, reason: `${label} is inside its package domain: never summed with it` });
    } else {
      selection.skipped.push({ zone, reason: `unknown RAPL domain "${zone.name}": not recorded` });
    }
  }
  return selection;
}

/**
 * Chooses which RAPL zones to record so that no energy is counted twice: if a psys (platform)
 * zone exists it is used alone (it covers package and dram); otherwise every package (or die)
 * zone plus every dram zone. core and uncore lie inside the package and are never recorded, and
 * an MMIO zone that repeats an MSR zone is dropped. Chosen labels are unique.
 */
export function selectRaplDomains(zones: readonly RaplZone[]): RaplSelection {
  const byId = new Map(zones.map((z) => [z.id, z] as const));
  const labels = new Map(zones.map((z) => [z, zoneLabel(z, byId)] as const));
  const deduped = dropMmioDuplicates(zones, labels);
  const remaining = deduped.kept;
  const psys = remaining.filter((z) => z.name === 'psys');
  let selection: RaplSelection;
  if (psys.length > 0) {
    selection = {
      domains: psys.map((zone) => ({
        zone,
        label: labels.get(zone) ?? zone.name,
        covers: 'psys',
        reason: 'psys (platform) present: it covers package and dram, so it is used alone',
      })),
      skipped: remaining
        .filter((z) => z.name !== 'psys')
        .map((zone) => ({ zone, reason: 'psys is present and covers this domain: never summed with it' })),
    };
  } else {
    selection = selectPackages(remaining, labels);
  }
  return { domains: uniqueLabels(selection.domains), skipped: [...deduped.skipped, ...selection.skipped] };
}

/** Appends the zone id to a label that occurs twice, so channel keys stay unique. */
function uniqueLabels(domains: RaplDomain[]): RaplDomain[] {
  const counts = new Map<string, number>();
  for (const d of domains) counts.set(d.label, (counts.get(d.label) ?? 0) + 1);
  return domains.map((d) =>
    (counts.get(d.label) ?? 0) > 1 ? { ...d, label: `${d.label}@${d.zone.id}` } : d,
  );
}
