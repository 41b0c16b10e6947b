/**
 * A TDP range for a CPU the table does not name, from what is known of it: vendor, laptop / desktop /
 * server class, physical cores and sockets. The range is the table's own spread of rated power per
 * core, over its rows of the same class (and vendor, and a similar core count), times the cores:
 *
 *   lowW  = cores × min(row TDP / row cores)
 *   highW = min(cores × max(row max power / row cores), sockets × the class's largest rated power)
 *
 * The point between (the samples' TDP) is the middle of the range. Max clock is not used: within a
 * class it does not order rated power. Pure.
 */
import type { CpuClass, CpuTdpRow } from './cpu-tdp-table.js';

/** What is known of the CPU and the machine it sits in (systeminformation; null: not known). */
export interface CpuFacts {
  /** The model string, e.g. "AMD EPYC" or "13th Gen Intel(R) Core(TM) i9-13900K". */
  model: string;
  /** Vendor as reported, e.g. "AMD", "Intel", "AuthenticAMD", "GenuineIntel", "Apple". */
  vendor: string | null;
  /** Logical CPUs (threads). */
  cores: number | null;
  physicalCores: number | null;
  /** CPU packages (sockets). */
  sockets: number | null;
  speedMaxGhz: number | null;
  /** The DMI chassis type, e.g. "Notebook", "Desktop", "Rack Mount Chassis". */
  chassis: string | null;
  hasBattery: boolean | null;
}

/** Cores within this factor of the machine's count make a row "similar". */
export const SIMILAR_CORES_FACTOR = 2;

const LAPTOP_CHASSIS = [
  'laptop',
  'notebook',
  'portable',
  'sub notebook',
  'convertible',
  'detachable',
  'tablet',
  'hand held',
];
const SERVER_CHASSIS = [
  'rack mount chassis',
  'blade',
  'blade enclosure',
  'multi-system chassis',
  'main system chassis',
];
const DESKTOP_CHASSIS = [
  'desktop',
  'low profile desktop',
  'tower',
  'mini tower',
  'all in one',
  'mini pc',
  'space-saving',
  'pizza box',
  'lunch box',
  'sealed-case pc',
];

/** The vendor in the table's words, or null. */
function vendorOf(cpu: CpuFacts): 'AMD' | 'Intel' | 'Apple' | null {
  const text = `${cpu.vendor ?? ''} ${cpu.model}`.toLowerCase();
  if (/\bamd\b|authenticamd|ryzen|epyc/.test(text)) return 'AMD';
  if (/intel|\bxeon\b|\bcore\b/.test(text)) return 'Intel';
  if (/\bapple\b/.test(text)) return 'Apple';
  return null;
}

function classFromName(model: string): CpuClass | null {
  const m = model
    .toLowerCase()
    .replace(/\bpro\b/g, ' ')
    .replace(/\s+/g, ' ');
  if (/\b(?:epyc|xeon|neoverse|graviton|altra)\b/.test(m)) return 'server';
  if (/threadripper/.test(m)) return 'desktop';
  if (/ryzen ai\b|ryzen.*\b\d{4}(?:u|h|hs|hx)\b/.test(m)) return 'laptop';
  if (/core.*\b\d{4,5}(?:u|p|h|hx|hs|g\d)\b|core ultra \d \d{3}[uhv]\b/.test(m)) return 'laptop';
  if (/ryzen \d \d{4}|core.*\bi\d-\d{4,5}|core ultra \d \d{3}k/.test(m)) return 'desktop';
  return null;
}

/** The class of the CPU and how it was told: its name, the chassis type, a battery. */
export function classOf(cpu: CpuFacts): { cpuClass: CpuClass | null; why: string } {
  const named = classFromName(cpu.model);
  if (named !== null) return { cpuClass: named, why: 'by its name' };
  const chassis = cpu.chassis?.trim().toLowerCase() ?? '';
  const byChassis: CpuClass | null = LAPTOP_CHASSIS.includes(chassis)
    ? 'laptop'
    : SERVER_CHASSIS.includes(chassis)
      ? 'server'
      : DESKTOP_CHASSIS.includes(chassis)
        ? 'desktop'
        : null;
  if (byChassis !== null) return { cpuClass: byChassis, why: `chassis "${cpu.chassis ?? ''}"` };
  if (cpu.hasBattery === true) return { cpuClass: 'laptop', why: 'a battery is present' };
  return { cpuClass: null, why: 'class unknown' };
}

/** The rows a range is drawn from (pool: the class's, the vendor's where it has 2+), and the peers among them. */
interface Peers {
  pool: CpuTdpRow[];
  /** The pool's rows of a similar core count where there are 2+, else the pool. */
  peers: CpuTdpRow[];
  similar: boolean;
}

function peerRows(
  table: readonly CpuTdpRow[],
  cpuClass: CpuClass | null,
  vendor: string | null,
  cores: number | null,
): Peers {
  const ofClass = cpuClass === null ? [...table] : table.filter((r) => r.cpuClass === cpuClass);
  const ofVendor = ofClass.filter((r) => r.vendor === vendor);
  const pool = ofVendor.length >= 2 ? ofVendor : ofClass;
  if (cores === null) return { pool, peers: pool, similar: false };
  const f = SIMILAR_CORES_FACTOR;
  const similar = pool.filter((r) => r.cores * f >= cores && r.cores <= cores * f);
  return similar.length >= 2
    ? { pool, peers: similar, similar: true }
    : { pool, peers: pool, similar: false };
}

const APPLE =
  'Apple silicon has no published TDP: it is measured with powermetrics (telemetry.sources "apple")';
const high = (r: CpuTdpRow): number => r.maxW ?? r.tdpW;
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Whole cores counted: physical cores, else logical ones (SMT would count twice: said in the basis). */
function coreCount(cpu: CpuFacts): { cores: number | null; words: string } {
  const n = cpu.physicalCores;
  if (n !== null && n > 0) return { cores: n, words: `${n} core${n === 1 ? '' : 's'}` };
  if (cpu.cores !== null && cpu.cores > 0) {
    return { cores: cpu.cores, words: `${cpu.cores} logical CPUs (physical cores unknown)` };
  }
  return { cores: null, words: 'core count unknown' };
}

/** Which rows a range was drawn from, in words: "12 AMD server table rows with 16–32 cores". */
function rowsWords(
  peers: readonly CpuTdpRow[],
  vendor: string | null,
  cpuClass: CpuClass | null,
  similar: boolean,
): string {
  const ofVendor = vendor !== null && peers.every((r) => r.vendor === vendor) ? `${vendor} ` : '';
  const ofClass = cpuClass === null ? '' : `${cpuClass} `;
  const counts = peers.map((r) => r.cores);
  const withCores = similar ? ` with ${Math.min(...counts)}–${Math.max(...counts)} cores` : '';
  return `${peers.length} ${ofVendor}${ofClass}table rows${withCores}`;
}

/**
 * A TDP range by class and core count (see the module comment), or why none: Apple silicon (no
 * published TDP: measured by powermetrics), or a table with no rows to draw from. Pure.
 */
export function estimateTdpByClass(
  cpu: CpuFacts,
  table: readonly CpuTdpRow[],
): TdpAssumption | { none: string } {
  const vendor = vendorOf(cpu);
  if (vendor === 'Apple') return { none: APPLE };
  const { cpuClass, why } = classOf(cpu);
  const { cores, words } = coreCount(cpu);
  const { pool, peers, similar } = peerRows(table, cpuClass, vendor, cores);
  if (peers.length === 0) return { none: 'the TDP table has no rows to draw a range from' };
  const sockets = cpu.sockets !== null && cpu.sockets > 0 ? cpu.sockets : 1;
  const capW = sockets * Math.max(...pool.map(high));
  const perCoreLow = Math.min(...peers.map((r) => r.tdpW / r.cores));
  const perCoreHigh = Math.max(...peers.map((r) => high(r) / r.cores));
  const highW = Math.round(
    cores === null ? Math.max(...peers.map(high)) : Math.min(cores * perCoreHigh, capW),
  );
  const lowRawW = cores === null ? Math.min(...peers.map((r) => r.tdpW)) : cores * perCoreLow;
  const lowW = Math.min(highW, Math.round(lowRawW));
  const named =
    vendor === null || cpu.model.toLowerCase().includes(vendor.toLowerCase()) ? '' : ` (${vendor})`;
  const cls = cpuClass === null ? 'class unknown' : `${cpuClass} class (${why})`;
  const from = rowsWords(peers, vendor, cpuClass, similar);
  const spread =
    cores === null
      ? `the lowest to highest rated power of ${from}`
      : `${cores} × ${round1(perCoreLow)}–${round1(perCoreHigh)} W per core, ` +
        `the spread of rated power per core of ${from}`;
  const over = cores !== null && cores * perCoreHigh > capW;
  const capped = over ? `, capped at ${capW} W (${sockets} × the largest)` : '';
  return {
    tdpW: (lowW + highW) / 2,
    lowW,
    highW,
    from: 'class',
    basis: `${cpu.model}${named}, ${words}, ${cls}: by class and core count, ${spread}${capped}`,
    source: 'costbench TDP table (vendor-rated power), by class and core count',
  };
}

/** Where the TDP came from. */
export type TdpFrom = 'config' | 'table' | 'class';

/**
 * The TDP assumed: a point (the samples' power uses it) inside a range [lowW, highW]. The range is
 * the point itself for a configured TDP and for a table row with one rated figure.
 */
export interface TdpAssumption {
  tdpW: number;
  lowW: number;
  highW: number;
  from: TdpFrom;
  /** In words: what was known and how the figure follows from it. */
  basis: string;
  /** The source of the figures (vendor page, table rows, config key). */
  source: string;
}
