/**
 * Rated power of common CPUs, as data: the rows only (matching is in cpu-tdp.ts, ranges by class in
 * cpu-tdp-class.ts). Every figure is the vendor's own, read from its product specification page:
 * - AMD product pages give one "Default TDP": a point (tdpW, maxW null).
 * - Intel ARK pages since 12th gen give "Processor Base Power" (tdpW) and "Maximum Turbo Power" (maxW):
 *   the part runs up to maxW by default, so both ends are kept; earlier and Xeon pages give one "TDP".
 * Cores are physical cores (P + E for Intel hybrid parts). Apple silicon has no published TDP and no
 * row: costbench measures it with powermetrics instead.
 */

/** Laptop, desktop (workstations included) or server part. */
export type CpuClass = 'laptop' | 'desktop' | 'server';

/** One row: a model-name fragment, what the part is, and its vendor-rated power. */
export interface CpuTdpRow {
  /** Matched case-insensitively as a whole word of the normalized model name (see findCpuTdp). */
  match: string;
  vendor: 'AMD' | 'Intel';
  cpuClass: CpuClass;
  /** Physical cores. */
  cores: number;
  /** Rated power: AMD Default TDP, Intel Processor Base Power or TDP. */
  tdpW: number;
  /** Intel Maximum Turbo Power, where the vendor gives one; null otherwise. */
  maxW: number | null;
  /** The vendor page and field the figures come from. */
  source: string;
}

const AMD = 'AMD product specifications page, "Default TDP"';
const INTEL_TURBO = 'Intel ARK specifications page, "Processor Base Power" and "Maximum Turbo Power"';
const INTEL_TDP = 'Intel ARK specifications page, "TDP"';

type Spec = [match: string, cores: number, tdpW: number, maxW?: number];

function rows(
  vendor: CpuTdpRow['vendor'],
  cpuClass: CpuClass,
  source: string,
  specs: readonly Spec[],
): CpuTdpRow[] {
  return specs.map(([match, cores, tdpW, maxW]) => ({
    match,
    vendor,
    cpuClass,
    cores,
    tdpW,
    maxW: maxW ?? null,
    source,
  }));
}

/** The table. */
export const CPU_TDP_TABLE: readonly CpuTdpRow[] = [
  ...rows('AMD', 'desktop', AMD, [
    ['Ryzen 9 9950X', 16, 170],
    ['Ryzen 9 9900X', 12, 120],
    ['Ryzen 7 9800X3D', 8, 120],
    ['Ryzen 7 9700X', 8, 65],
    ['Ryzen 5 9600X', 6, 65],
    ['Ryzen 9 7950X', 16, 170],
    ['Ryzen 9 7950X3D', 16, 120],
    ['Ryzen 9 7900X', 12, 170],
    ['Ryzen 9 7900', 12, 65],
    ['Ryzen 7 7800X3D', 8, 120],
    ['Ryzen 7 7700X', 8, 105],
    ['Ryzen 7 7700', 8, 65],
    ['Ryzen 5 7600X', 6, 105],
    ['Ryzen 5 7600', 6, 65],
    ['Ryzen 9 5950X', 16, 105],
    ['Ryzen 9 5900X', 12, 105],
    ['Ryzen 7 5800X3D', 8, 105],
    ['Ryzen 7 5800X', 8, 105],
    ['Ryzen 7 5700X', 8, 65],
    ['Ryzen 5 5600X', 6, 65],
    ['Ryzen 5 5600', 6, 65],
    ['Ryzen Threadripper 7980X', 64, 350],
    ['Ryzen Threadripper 7970X', 32, 350],
  ]),
  ...rows('AMD', 'laptop', AMD, [
    ['Ryzen 7 5800U', 8, 15],
    ['Ryzen 7 5800H', 8, 45],
    ['Ryzen 7 6800U', 8, 28],
    ['Ryzen 7 7840U', 8, 28],
    ['Ryzen 7 7840HS', 8, 35],
    ['Ryzen 9 7940HS', 8, 35],
    ['Ryzen 7 8840U', 8, 28],
    ['Ryzen 7 8845HS', 8, 45],
    ['Ryzen AI 9 HX 370', 12, 28],
  ]),
  ...rows('AMD', 'server', AMD, [
    ['EPYC 9965', 192, 500],
    ['EPYC 9755', 128, 500],
    ['EPYC 9575F', 64, 400],
    ['EPYC 9355', 32, 280],
    ['EPYC 9135', 16, 200],
    ['EPYC 9754', 128, 360],
    ['EPYC 9654', 96, 360],
    ['EPYC 9554', 64, 360],
    ['EPYC 9454', 48, 290],
    ['EPYC 9354', 32, 280],
    ['EPYC 9254', 24, 200],
    ['EPYC 9124', 16, 200],
    ['EPYC 8534P', 64, 200],
    ['EPYC 4564P', 16, 170],
    ['EPYC 7763', 64, 280],
    ['EPYC 7713', 64, 225],
    ['EPYC 7543', 32, 225],
    ['EPYC 7443', 24, 200],
    ['EPYC 7313', 16, 155],
    ['EPYC 7742', 64, 225],
    ['EPYC 7702', 64, 200],
    ['EPYC 7502', 32, 180],
    ['EPYC 7402', 24, 180],
    ['EPYC 7302', 16, 155],
  ]),
  ...rows('Intel', 'desktop', INTEL_TURBO, [
    ['Core Ultra 9 285K', 24, 125, 250],
    ['Core Ultra 7 265K', 20, 125, 250],
    ['Core Ultra 5 245K', 14, 125, 159],
    ['Core i9-14900K', 24, 125, 253],
    ['Core i7-14700K', 20, 125, 253],
    ['Core i5-14600K', 14, 125, 181],
    ['Core i5-14400', 10, 65, 148],
    ['Core i9-13900KS', 24, 150, 253],
    ['Core i9-13900K', 24, 125, 253],
    ['Core i7-13700K', 16, 125, 253],
    ['Core i5-13600K', 14, 125, 181],
    ['Core i5-13400', 10, 65, 148],
    ['Core i9-12900K', 16, 125, 241],
    ['Core i7-12700K', 12, 125, 190],
    ['Core i5-12600K', 10, 125, 150],
    ['Core i5-12400', 6, 65, 117],
    ['Core i3-12100', 4, 60, 89],
  ]),
  ...rows('Intel', 'laptop', INTEL_TURBO, [
    ['Core Ultra 9 185H', 16, 45, 115],
    ['Core Ultra 7 155H', 16, 28, 115],
    ['Core Ultra 5 125H', 14, 28, 115],
    ['Core Ultra 7 155U', 12, 15, 57],
    ['Core Ultra 7 258V', 8, 17, 37],
    ['Core i9-13900HX', 24, 55, 157],
    ['Core i7-13700H', 14, 45, 115],
    ['Core i7-12700H', 14, 45, 115],
    ['Core i7-1360P', 12, 28, 64],
    ['Core i7-1260P', 12, 28, 64],
    ['Core i7-1355U', 10, 15, 55],
    ['Core i5-1335U', 10, 15, 55],
    ['Core i7-1255U', 10, 15, 55],
    ['Core i5-1235U', 10, 15, 55],
  ]),
  ...rows('Intel', 'laptop', INTEL_TDP, [['Core i7-1165G7', 4, 28]]),
  ...rows('Intel', 'server', INTEL_TDP, [
    ['Xeon 6980P', 128, 500],
    ['Xeon Platinum 8592+', 64, 350],
    ['Xeon Gold 6548Y+', 32, 250],
    ['Xeon Platinum 8480+', 56, 350],
    ['Xeon Platinum 8468', 48, 350],
    ['Xeon Gold 6448Y', 32, 225],
    ['Xeon Gold 6430', 32, 270],
    ['Xeon Silver 4410Y', 12, 150],
    ['Xeon Platinum 8380', 40, 270],
    ['Xeon Gold 6338', 32, 205],
    ['Xeon Gold 5318Y', 24, 165],
    ['Xeon Silver 4314', 16, 135],
    ['Xeon Silver 4310', 12, 120],
    ['Xeon Gold 6248R', 24, 205],
  ]),
];
