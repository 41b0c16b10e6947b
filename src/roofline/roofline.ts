import { findHardwareById, type HardwareDevice, type HardwareTable } from './hardware.js';

/** A device name as a GPU tool reports it, with its memory when known. */
export interface HardwareQuery {
  /** "NVIDIA GeForce RTX 4090", "NVIDIA A100-SXM4-80GB", "GA102 [GeForce RTX 3090]", "Apple M2 Max", or a table id. */
  name: string;
  /** Reported memory in bytes (nvidia-smi's MiB × 2^20). For Apple chips the machine's unified memory may be passed. */
  vramBytes?: number | null;
}

/** A table row found for a query. */
export interface HardwareMatch {
  device: HardwareDevice;
  /**
   * 'exact': a table id, or every word of the name is accounted for, the memory size agrees where
   * the row's name carries one, and no other row fits as well. 'fuzzy': the best of several rows,
   * a memory size left unconfirmed, or a word (PCIe, SXM) the row does not say.
   */
  how: 'exact' | 'fuzzy';
  /** Rows that fit the query just as well (e.g. both M3 Max bins for "Apple M3 Max"); empty when exact. */
  alternatives: HardwareDevice[];
}

/** Words that say nothing about the chip. */
const IGNORED_WORDS = new Set(['nvidia', 'geforce', 'amd', 'radeon', 'tesla', 'apple']);
/** Board form factors: a name that states one must not match a row that states another. */
const FORM_FACTORS = new Set(['pcie', 'sxm']);
/** Reported memory within this share of a row's size counts as the same size (15 GiB T4, 22.5 GiB L4). */
const MEMORY_TOLERANCE = 0.1;
const BYTES_PER_GIB = 2 ** 30;

interface ParsedName {
  /** Words outside parentheses, less ignored words, sizes and form factors. */
  words: Set<string>;
  /** Words inside parentheses (qualifiers such as a core count). */
  qualifiers: Set<string>;
  formFactors: Set<string>;
  /** A memory size the name carries ("12GB"), GiB. */
  memoryGb: number | null;
}

/**
 * Matches a reported device name to a row of the hardware table. A table id is taken as it is.
 * Otherwise names are compared as word sets, case-insensitive, with "NVIDIA", "GeForce", "AMD",
 * "Radeon", "Tesla", "Apple", "(TM)", "(R)" ignored, hyphens read as spaces, SXM2/4/5 as SXM, and
 * an lspci-style "GA102 [GeForce RTX 3090]" read from its brackets. A row fits when the name holds
 * every word of the row's name (parenthesised qualifiers optional) and no word the row lacks
 * (so "RTX 3060 Ti" or "RTX 4090 Laptop" fit nothing), except a form factor or a memory type that
 * the row does not contradict. A memory size, from the name or else from vramBytes, rules out a row
 * whose name carries another size (and an Apple chip whose maximum is smaller). The row matching
 * the most words wins; a tie is fuzzy and picks the highest bandwidth, so that a share of the
 * ceiling is never overstated. null when nothing fits. Pure.
 */
export function matchHardware(table: HardwareTable, query: HardwareQuery | string): HardwareMatch | null {
  const q = typeof query === 'string' ? { name: query } : query;
  const byId = findHardwareById(table, q.name);
  if (byId !== undefined) return { device: byId, how: 'exact', alternatives: [] };
  const parsed = parseName(q.name);
  const reportedGb =
    parsed.memoryGb ??
    (q.vramBytes !== undefined && q.vramBytes !== null && q.vramBytes > 0
      ? q.vramBytes / BYTES_PER_GIB
      : null);
  const memoryTypes = new Set(
    table.devices.flatMap((d) => (d.memoryType === null ? [] : [d.memoryType.toLowerCase()])),
  );
  const fits = table.devices.flatMap((device) => {
    const fit = assessFit(device, parsed, reportedGb, memoryTypes);
    return fit === null ? [] : [{ device, ...fit }];
  });
  const best = Math.max(...fits.map((f) => f.score));
  const top = fits
    .filter((f) => f.score === best)
    .sort((a, b) => b.device.memoryBandwidthGBps - a.device.memoryBandwidthGBps);
  const [first, ...others] = top;
  if (first === undefined) return null;
  const exact = others.length === 0 && first.certain;
  return { device: first.device, how: exact ? 'exact' : 'fuzzy', alternatives: others.map((f) => f.device) };
}

/** How well one row fits a parsed name: null when it cannot be that device. */
function assessFit(
  device: HardwareDevice,
  query: ParsedName,
  reportedGb: number | null,
  memoryTypes: ReadonlySet<string>,
): { score: number; certain: boolean } | null {
  const row = parseName(device.name);
  const queryWords = new Set([...query.words, ...query.qualifiers]);
  if ([...row.words].some((w) => !queryWords.has(w))) return null;
  let score = 0;
  for (const word of queryWords) {
    if (row.words.has(word) || row.qualifiers.has(word)) score += 1;
    else if (memoryTypes.has(word) && word === device.memoryType?.toLowerCase()) score += 1;
    else return null;
  }
  let certain = true;
  for (const formFactor of query.formFactors) {
    if (row.formFactors.has(formFactor)) score += 1;
    else if (row.formFactors.size > 0) return null;
    else certain = false;
  }
  const memory = memoryFit(device, row.memoryGb, reportedGb);
  if (memory === 'conflict') return null;
  if (memory === 'agrees') score += 1;
  if (memory === 'unknown') certain = false;
  return { score, certain };
}

/**
 * Whether a reported size fits a row: a GPU whose name carries a size must have it (the 8 GB
 * RTX 3060 is a slower card than the 12 GB one); an Apple chip's memoryGb is a maximum.
 * 'unknown' when the row's name carries a size and none was reported.
 */
function memoryFit(
  device: HardwareDevice,
  rowNameGb: number | null,
  reportedGb: number | null,
): 'agrees' | 'conflict' | 'unknown' | 'irrelevant' {
  if (device.kind === 'apple_soc' && device.memoryGb !== null && reportedGb !== null) {
    return reportedGb > device.memoryGb * (1 + MEMORY_TOLERANCE) ? 'conflict' : 'irrelevant';
  }
  if (rowNameGb === null) return 'irrelevant';
  if (reportedGb === null) return 'unknown';
  return Math.abs(reportedGb - rowNameGb) <= rowNameGb * MEMORY_TOLERANCE ? 'agrees' : 'conflict';
}

function parseName(raw: string): ParsedName {
  let text = raw.toLowerCase().replace(/\((tm|r)\)|™|®/g, ' ');
  const bracketed = /\[([^\]]+)\]/.exec(text);
  if (bracketed?.[1] !== undefined) text = bracketed[1];
  const inner = [...text.matchAll(/\(([^)]*)\)/g)].map((m) => m[1] ?? '').join(' ');
  const outer = text.replace(/\([^)]*\)/g, ' ');
  const parsed: ParsedName = {
    words: new Set(),
    qualifiers: new Set(),
    formFactors: new Set(),
    memoryGb: null,
  };
  sortWords(splitWords(outer), parsed, parsed.words);
  sortWords(splitWords(inner), parsed, parsed.qualifiers);
  return parsed;
}

/** Lower-case words with "80 GB" joined to "80gb" and SXM2/4/5 read as SXM. */
function splitWords(text: string): string[] {
  const words = text.split(/[^a-z0-9]+/).filter((w) => w !== '');
  const joined: string[] = [];
  for (const word of words) {
    const previous = joined[joined.length - 1];
    if (word === 'gb' && previous !== undefined && /^\d+$/.test(previous))
      joined[joined.length - 1] = `${previous}gb`;
    else joined.push(/^sxm\d*$/.test(word) ? 'sxm' : word);
  }
  return joined;
}

function sortWords(words: readonly string[], parsed: ParsedName, into: Set<string>): void {
  for (const word of words) {
    const size = /^(\d+)gb$/.exec(word);
    if (size?.[1] !== undefined) parsed.memoryGb ??= Number(size[1]);
    else if (FORM_FACTORS.has(word)) parsed.formFactors.add(word);
    else if (!IGNORED_WORDS.has(word)) into.add(word);
  }
}

/** What a decode speed is measured against. */
export interface RooflineInput {
  /** The device's peak memory bandwidth, decimal GB/s (1e9 bytes/s). */
  bandwidthGBps: number;
  /** Weight bytes read per generated token: the model's file size (its weights), not its size once loaded. */
  weightBytes: number;
  /** KV cache bytes read per generated token at the measured context; null when unknown (then weights only). */
  kvBytes: number | null;
  /** Measured decode speed, tokens/s; null when unknown. */
  decodeTokensPerS: number | null;
}

/** A decode speed set against the memory-bandwidth ceiling. */
export interface Roofline {
  /** Bytes read per decoded token: weightBytes + kvBytes (weights alone when kvBytes is null). */
  bytesPerToken: number;
  weightBytes: number;
  /** The KV cache term; null when it could not be sized (bytesPerToken is then a lower bound). */
  kvBytes: number | null;
  /** The most tokens/s the bandwidth allows: bandwidth / bytesPerToken. */
  ceilingTokensPerS: number;
  /** Measured decode / ceiling (0.59: 59% of the ceiling); null when no decode speed is known. */
  shareOfCeiling: number | null;
  /** The measured speed beats the ceiling, so the model size or the device is wrong. */
  impossible: boolean;
  /** Why `impossible` is set, for the report; null otherwise. */
  warning: string | null;
}

/** The warning an impossible share carries. */
export const IMPOSSIBLE_WARNING =
  'decode is faster than the memory bandwidth allows: the device matched or the model size is wrong (or the model is a mixture-of-experts, which reads only part of itself per token)';

/**
 * The memory-bandwidth roofline of decoding: every generated token reads the model's weights once
 * and the KV cache of its context, so tokens/s <= bandwidth / (weight bytes + KV bytes). Too high
 * for a mixture-of-experts model (it reads only its active experts). The bandwidth is a vendor
 * peak; sustained bandwidth is typically 70-90% of it, so shares near 0.8 are already good. null
 * for a non-positive or non-finite bandwidth or weight size, or a negative KV term. Pure.
 */
export function computeRoofline(input: RooflineInput): Roofline | null {
  const { bandwidthGBps, weightBytes, kvBytes, decodeTokensPerS } = input;
  const positive = (x: number): boolean => x > 0 && Number.isFinite(x);
  const kvValid = kvBytes === null || (kvBytes >= 0 && Number.isFinite(kvBytes));
  if (!positive(bandwidthGBps) || !positive(weightBytes) || !kvValid) return null;
  const bytesPerToken = weightBytes + (kvBytes ?? 0);
  const ceilingTokensPerS = (bandwidthGBps * 1e9) / bytesPerToken;
  const shareOfCeiling =
    decodeTokensPerS === null || !Number.isFinite(decodeTokensPerS)
      ? null
      : decodeTokensPerS / ceilingTokensPerS;
  const impossible = shareOfCeiling !== null && shareOfCeiling > 1;
  const warning = impossible ? IMPOSSIBLE_WARNING : null;
  return { bytesPerToken, weightBytes, kvBytes, ceilingTokensPerS, shareOfCeiling, impossible, warning };
}
