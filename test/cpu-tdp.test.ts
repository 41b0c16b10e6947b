import { describe, expect, it } from 'vitest';
import { classOf, type CpuFacts } from '../src/telemetry/cpu-tdp-class.js';
import { assumeCpuTdp, CPU_TDP_TABLE, findCpuTdp, type CpuTdpRow } from '../src/telemetry/cpu-tdp.js';

/** A fake CPU: only what a case sets is known. */
function cpu(model: string, known: Partial<CpuFacts> = {}): CpuFacts {
  return {
    model,
    vendor: null,
    cores: null,
    physicalCores: null,
    sockets: null,
    speedMaxGhz: null,
    chassis: null,
    hasBattery: null,
    ...known,
  };
}

const row = (
  match: string,
  vendor: CpuTdpRow['vendor'],
  cpuClass: CpuTdpRow['cpuClass'],
  cores: number,
  tdpW: number,
  maxW: number | null = null,
): CpuTdpRow => ({ match, vendor, cpuClass, cores, tdpW, maxW, source: `fake page for ${match}` });

/** W per core: A 10, B 6, C 4; D 1.875 (to 5); E 2.5 (to 7.5); F 6.25 (to 12.5); G 10. */
const FAKE: CpuTdpRow[] = [
  row('EPYC 1000', 'AMD', 'server', 16, 160),
  row('EPYC 2000', 'AMD', 'server', 32, 192),
  row('EPYC 3000', 'AMD', 'server', 64, 256),
  row('Core i7-1111U', 'Intel', 'laptop', 8, 15, 40),
  row('Core i7-2222H', 'Intel', 'laptop', 16, 40, 120),
  row('Core i9-3333K', 'Intel', 'desktop', 16, 100, 200),
  row('Ryzen 5 4444X', 'AMD', 'desktop', 8, 80),
];

describe('TDP table matching (whole model numbers)', () => {
  it('finds the row, allows an Intel F / EPYC P suffix, never a longer model number', () => {
    expect(findCpuTdp('Intel(R) Core(TM) i9-3333K CPU @ 3.00GHz', FAKE)?.match).toBe('Core i9-3333K');
    expect(findCpuTdp('Intel(R) Core(TM) i9-3333KF', FAKE)?.match, 'KF: no graphics, same power').toBe(
      'Core i9-3333K',
    );
    expect(findCpuTdp('AMD EPYC 1000P 16-Core Processor', FAKE)?.match, 'P: single socket').toBe('EPYC 1000');
    expect(findCpuTdp('Intel(R) Core(TM) i9-3333KS', FAKE), 'KS is another part').toBeNull();
    expect(findCpuTdp('AMD Ryzen 5 4444X3D', FAKE), 'X3D is another part').toBeNull();
    expect(findCpuTdp('AMD EPYC 10000', FAKE), 'a longer number').toBeNull();
  });

  it('the real table: exact rows, PRO parts, and the longest fragment', () => {
    expect(findCpuTdp('AMD Ryzen 9 7950X3D 16-Core Processor')?.tdpW, '7950X3D, not 7950X').toBe(120);
    expect(findCpuTdp('AMD Ryzen 9 7950X 16-Core Processor')?.tdpW, '7950X').toBe(170);
    expect(findCpuTdp('AMD Ryzen 7 PRO 7840U w/ Radeon 780M Graphics')?.match).toBe('Ryzen 7 7840U');
    expect(findCpuTdp('13th Gen Intel(R) Core(TM) i9-13900KS')?.tdpW, 'KS').toBe(150);
    expect(findCpuTdp('AMD EPYC'), 'no model number').toBeNull();
    expect(findCpuTdp('Apple M2 Pro')).toBeNull();
  });

  it('every row names its source, physical cores and a rated power; an upper figure is above it', () => {
    expect(CPU_TDP_TABLE.length).toBeGreaterThanOrEqual(90);
    for (const r of CPU_TDP_TABLE) {
      expect(r.source, r.match).toMatch(/^(AMD product specifications page|Intel ARK specifications page)/);
      expect(r.cores > 0 && r.tdpW > 0 && (r.maxW === null || r.maxW > r.tdpW), r.match).toBe(true);
    }
    expect(new Set(CPU_TDP_TABLE.map((r) => r.match)).size, 'no row twice').toBe(CPU_TDP_TABLE.length);
  });
});

describe('class of a CPU', () => {
  it('by name first, then chassis, then a battery', () => {
    expect(classOf(cpu('AMD EPYC', { chassis: 'Notebook' }))).toEqual({
      cpuClass: 'server',
      why: 'by its name',
    });
    expect(classOf(cpu('Intel Core i7-8565U'))).toEqual({ cpuClass: 'laptop', why: 'by its name' });
    expect(classOf(cpu('Intel Core Ultra 7 155H')).cpuClass).toBe('laptop');
    expect(classOf(cpu('AMD Ryzen 7 PRO 4750G')).cpuClass).toBe('desktop');
    expect(classOf(cpu('QEMU Virtual CPU', { chassis: 'Rack Mount Chassis' }))).toEqual({
      cpuClass: 'server',
      why: 'chassis "Rack Mount Chassis"',
    });
    expect(classOf(cpu('QEMU Virtual CPU', { chassis: 'Other', hasBattery: true }))).toEqual({
      cpuClass: 'laptop',
      why: 'a battery is present',
    });
    expect(classOf(cpu('QEMU Virtual CPU', { chassis: 'Other', hasBattery: false }))).toEqual({
      cpuClass: null,
      why: 'class unknown',
    });
  });
});

describe('a TDP for every CPU: configured, table, else a range by class and core count', () => {
  it('"AMD EPYC" with 16 cores (a cloud VM): 96–160 W from the 2 AMD server rows of 8–32 cores', () => {
    // Rows of 16 / 2 = 8 to 16 x 2 = 32 cores: EPYC 1000 (10 W/core) and 2000 (6 W/core); 3000 (64) is out.
    // low 16 x 6 = 96, high 16 x 10 = 160 (under the cap 1 x 256); point (96 + 160) / 2 = 128.
    const t = assumeCpuTdp(
      cpu('AMD EPYC', { vendor: 'AuthenticAMD', cores: 32, physicalCores: 16, sockets: 1 }),
      null,
      FAKE,
    );
    expect(t).toEqual({
      tdpW: 128,
      lowW: 96,
      highW: 160,
      from: 'class',
      basis:
        'AMD EPYC, 16 cores, server class (by its name): by class and core count, ' +
        '16 × 6–10 W per core, the spread of rated power per core of 2 AMD server table rows with 16–32 cores',
      source: 'costbench TDP table (vendor-rated power), by class and core count',
    });
  });

  it('2 vCPUs of an EPYC: no row within 2x, so the whole AMD server spread: 1 core x 4–10 W', () => {
    const t = assumeCpuTdp(cpu('AMD EPYC', { cores: 2, physicalCores: 1 }), null, FAKE);
    expect(t).toMatchObject({ lowW: 4, highW: 10, tdpW: 7, from: 'class' });
  });

  it('48 cores: 4–6 W per core (rows of 32 and 64 cores), capped at the largest rated power', () => {
    // low 48 x 4 = 192; high 48 x 6 = 288 > 1 socket x 256 W: 256.
    const t = assumeCpuTdp(cpu('AMD EPYC', { physicalCores: 48 }), null, FAKE);
    expect(t).toMatchObject({ lowW: 192, highW: 256, tdpW: 224 });
    expect('basis' in t ? t.basis : '').toContain(', capped at 256 W (1 × the largest)');
    const two = assumeCpuTdp(cpu('AMD EPYC', { physicalCores: 48, sockets: 2 }), null, FAKE);
    expect(two, 'two sockets: cap 512').toMatchObject({ lowW: 192, highW: 288 });
  });

  it('an unknown name in a notebook: the laptop rows (any vendor), 8 cores x 1.875–7.5 W', () => {
    // Laptop rows of 4-16 cores: D 15/8 = 1.875 to 40/8 = 5; E 40/16 = 2.5 to 120/16 = 7.5. 8 x 1.875 = 15, 8 x 7.5 = 60.
    const known = { physicalCores: 8 };
    expect(
      assumeCpuTdp(cpu('Mystery CPU 9000', { ...known, chassis: 'Notebook' }), null, FAKE),
    ).toMatchObject({ lowW: 15, highW: 60, tdpW: 37.5 });
    expect(assumeCpuTdp(cpu('Mystery CPU 9000', { ...known, hasBattery: true }), null, FAKE)).toMatchObject({
      lowW: 15,
      highW: 60,
      basis: expect.stringContaining('laptop class (a battery is present)'),
    });
  });

  it("nothing known but the name: the table's lowest to highest rated power", () => {
    expect(assumeCpuTdp(cpu('Mystery CPU 9000'), null, FAKE)).toMatchObject({
      lowW: 15,
      highW: 256,
      tdpW: 135.5,
      basis:
        'Mystery CPU 9000, core count unknown, class unknown: by class and core count, ' +
        'the lowest to highest rated power of 7 table rows',
    });
  });

  it("a table row: its rated power, and Intel's Maximum Turbo Power as the high end", () => {
    expect(assumeCpuTdp(cpu('Intel(R) Core(TM) i9-3333KF'), null, FAKE)).toEqual({
      tdpW: 100,
      lowW: 100,
      highW: 200,
      from: 'table',
      basis: 'Core i9-3333K: rated 100 W (Processor Base Power), up to 200 W (Maximum Turbo Power)',
      source: 'fake page for Core i9-3333K',
    });
    expect(assumeCpuTdp(cpu('AMD Ryzen 5 4444X'), null, FAKE), 'one rated figure: a point').toMatchObject({
      tdpW: 80,
      lowW: 80,
      highW: 80,
      from: 'table',
    });
  });

  it('the configured TDP wins; Apple silicon is left to powermetrics', () => {
    expect(assumeCpuTdp(cpu('AMD EPYC', { physicalCores: 16 }), 65, FAKE)).toEqual({
      tdpW: 65,
      lowW: 65,
      highW: 65,
      from: 'config',
      basis: 'configured: 65 W',
      source: 'telemetry.cpuTdpW',
    });
    expect(assumeCpuTdp(cpu('Apple M2 Pro', { vendor: 'Apple', physicalCores: 10 }), null, FAKE)).toEqual({
      none: 'Apple silicon has no published TDP: it is measured with powermetrics (telemetry.sources "apple")',
    });
  });

  it('the real table: "AMD EPYC", 16 cores: 90–200 W (EPYC 7502 180 W / 32 to EPYC 9124 200 W / 16)', () => {
    // AMD server rows of 8-32 cores: the least per core is the 7502 (5.625 W), the most the 9124 and 9135 (12.5 W).
    expect(
      assumeCpuTdp(cpu('AMD EPYC', { vendor: 'AMD', cores: 32, physicalCores: 16 }), null),
    ).toMatchObject({ lowW: 90, highW: 200, tdpW: 145, from: 'class' });
  });
});
