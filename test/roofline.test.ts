import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { findHardwareById, parseHardwareTable } from '../src/roofline/hardware.js';
import { loadHardwareTable } from '../src/tables/hardware-read.js';
import { computeRoofline, IMPOSSIBLE_WARNING, matchHardware } from '../src/roofline/roofline.js';
import { computeKvBytesPerContextToken } from '../src/roofline/kv-cache.js';
import type { ModelArchitecture } from '../src/backends/backend.js';
import { useTempDir } from './support/temp.js';

const MIB = 2 ** 20;
const GIB = 2 ** 30;
const table = loadHardwareTable();
const tempDir = useTempDir('costbench-hw-');

/** The matched id and how, for compact expectations. */
function match(name: string, vramBytes?: number | null): string {
  const m = matchHardware(table, { name, vramBytes });
  return m === null ? 'none' : `${m.device.id} ${m.how}`;
}

describe('loadHardwareTable (bundled data/hardware.json)', () => {
  it('reads every row with its units', () => {
    const rtx4090 = findHardwareById(table, 'nvidia-rtx-4090');
    expect(rtx4090).toMatchObject({
      name: 'NVIDIA GeForce RTX 4090',
      kind: 'gpu',
      memoryGb: 24,
      memoryBandwidthGBps: 1008,
      powerW: 450,
      confirmed: true,
    });
    expect(findHardwareById(table, 'ddr5-5600-2ch')).toMatchObject({
      kind: 'cpu_memory',
      memoryGb: null,
      memoryBandwidthGBps: 89.6,
      powerW: null,
    });
    expect(findHardwareById(table, 'apple-m1')?.unconfirmedFields).toEqual(['memory_bandwidth_gbps']);
    expect(table.sourceNotes).toContain('decimal GB/s');
    expect(loadHardwareTable(), 'cached').toBe(table);
  });

  it('names the file when it is malformed', () => {
    const dir = tempDir();
    const badJson = join(dir, 'bad.json');
    writeFileSync(badJson, '{"devices": [');
    expect(() => loadHardwareTable(badJson)).toThrow(ConfigError);
    expect(() => loadHardwareTable(badJson)).toThrow(`hardware table ${badJson}: invalid JSON`);
    const badField = join(dir, 'field.json');
    writeFileSync(badField, JSON.stringify({ source_notes: 'x', devices: [{ ...rawRow(), kind: 'tpu' }] }));
    expect(() => loadHardwareTable(badField)).toThrow(`${badField}: invalid hardware table: devices.0.kind`);
    expect(() => loadHardwareTable(join(dir, 'missing.json'))).toThrow('cannot read hardware table');
  });
});

function rawRow(): Record<string, unknown> {
  return {
    id: 'x-gpu',
    name: 'X GPU',
    vendor: 'X',
    kind: 'gpu',
    memory_gb: 8,
    memory_type: 'GDDR6',
    memory_bandwidth_gbps: 100,
    power_w: null,
    power_kind: null,
    confirmed: true,
    source: 'test',
  };
}

describe('parseHardwareTable', () => {
  it('refuses duplicate ids, bad bandwidths and missing notes', () => {
    const row = rawRow();
    expect(() => parseHardwareTable({ source_notes: 'x', devices: [row, row] })).toThrow(
      'devices.1.id: duplicate id "x-gpu"',
    );
    expect(() =>
      parseHardwareTable({ source_notes: 'x', devices: [{ ...row, memory_bandwidth_gbps: 0 }] }),
    ).toThrow('devices.0.memory_bandwidth_gbps');
    expect(() => parseHardwareTable({ devices: [row] })).toThrow('source_notes');
    expect(() => parseHardwareTable([])).toThrow(ConfigError);
  });

  it('fills optional fields', () => {
    const parsed = parseHardwareTable({ source_notes: 'x', devices: [rawRow()] });
    expect(parsed.devices[0]).toMatchObject({ memoryType: 'GDDR6', notes: null, unconfirmedFields: [] });
  });
});

describe('matchHardware: GPUs as nvidia-smi, rocm-smi and lspci name them', () => {
  it('matches consumer cards', () => {
    expect(match('NVIDIA GeForce RTX 4090', 24564 * MIB)).toBe('nvidia-rtx-4090 exact');
    expect(match('NVIDIA GeForce RTX 4090')).toBe('nvidia-rtx-4090 exact');
    expect(match('NVIDIA GeForce RTX 5090', 32607 * MIB)).toBe('nvidia-rtx-5090 exact');
    expect(match('nvidia geforce rtx 4070')).toBe('nvidia-rtx-4070 exact');
    expect(match('GA102 [GeForce RTX 3090]'), 'lspci style').toBe('nvidia-rtx-3090 exact');
    expect(match('AMD Radeon RX 7900 XTX', 24 * GIB)).toBe('amd-rx-7900-xtx exact');
    expect(match('AMD Radeon(TM) RX 7900 XTX')).toBe('amd-rx-7900-xtx exact');
  });

  it('matches data-centre cards, form factor and memory type included', () => {
    expect(match('NVIDIA A100-SXM4-80GB', 81920 * MIB)).toBe('nvidia-a100-80gb-sxm exact');
    expect(match('NVIDIA A100-SXM4-40GB', 40960 * MIB)).toBe('nvidia-a100-40gb-sxm exact');
    expect(match('NVIDIA A100-PCIE-40GB', 40960 * MIB)).toBe('nvidia-a100-40gb-pcie exact');
    expect(match('NVIDIA A100 80GB PCIe', 81920 * MIB)).toBe('nvidia-a100-80gb-pcie exact');
    expect(match('NVIDIA H100 80GB HBM3', 81559 * MIB), 'SXM5 by its HBM3').toBe('nvidia-h100-sxm exact');
    expect(match('NVIDIA H100 PCIe', 81559 * MIB)).toBe('nvidia-h100-pcie exact');
    expect(match('Tesla V100-SXM2-16GB', 16160 * MIB)).toBe('nvidia-v100-sxm2-16gb exact');
    expect(match('Tesla V100-PCIE-16GB', 16160 * MIB)).toBe('nvidia-v100-pcie-16gb exact');
    expect(match('Tesla T4', 15360 * MIB)).toBe('nvidia-t4 exact');
    expect(match('NVIDIA A10', 23028 * MIB)).toBe('nvidia-a10 exact');
    expect(match('NVIDIA L4', 23034 * MIB)).toBe('nvidia-l4 exact');
    expect(match('NVIDIA L40S', 46068 * MIB)).toBe('nvidia-l40s exact');
    expect(match('AMD Instinct MI300X', 192 * GIB)).toBe('amd-instinct-mi300x exact');
    expect(match('AMD Instinct MI210')).toBe('amd-instinct-mi210 exact');
  });

  it('breaks ties on the reported memory size', () => {
    expect(match('NVIDIA GeForce RTX 3060', 12288 * MIB), '12 GB reported').toBe(
      'nvidia-rtx-3060-12gb exact',
    );
    expect(match('NVIDIA GeForce RTX 3060'), 'size unknown').toBe('nvidia-rtx-3060-12gb fuzzy');
    expect(match('NVIDIA GeForce RTX 3060', 8192 * MIB), 'the slower 8 GB card is not in the table').toBe(
      'none',
    );
    expect(match('NVIDIA GeForce RTX 3060 12GB')).toBe('nvidia-rtx-3060-12gb exact');
    expect(match('NVIDIA A100', 81920 * MIB)).toBe('nvidia-a100-80gb-sxm fuzzy');
    expect(match('NVIDIA A100-SXM4', 40960 * MIB)).toBe('nvidia-a100-40gb-sxm exact');
    expect(match('NVIDIA A100-SXM4-80GB', 40960 * MIB), 'the name wins over the VRAM').toBe(
      'nvidia-a100-80gb-sxm exact',
    );
  });

  it('lists the rows that fit as well when it cannot choose', () => {
    const m = matchHardware(table, { name: 'NVIDIA A100', vramBytes: 81920 * MIB });
    expect(m?.device.id, 'the higher bandwidth').toBe('nvidia-a100-80gb-sxm');
    expect(m?.alternatives.map((d) => d.id)).toEqual(['nvidia-a100-80gb-pcie']);
    expect(matchHardware(table, 'NVIDIA GeForce RTX 4090')?.alternatives).toEqual([]);
  });
});

describe('matchHardware: Apple chips', () => {
  it('matches by name', () => {
    expect(match('Apple M1')).toBe('apple-m1 exact');
    expect(match('Apple M1 Pro')).toBe('apple-m1-pro exact');
    expect(match('Apple M1 Ultra')).toBe('apple-m1-ultra exact');
    expect(match('Apple M2 Max')).toBe('apple-m2-max exact');
    expect(match('Apple M2 Ultra')).toBe('apple-m2-ultra exact');
    expect(match('Apple M3')).toBe('apple-m3 exact');
    expect(match('Apple M4 Pro')).toBe('apple-m4-pro exact');
  });

  it('cannot tell the M3 Max bins apart by name alone', () => {
    const m = matchHardware(table, 'Apple M3 Max');
    expect(m?.device.id).toBe('apple-m3-max-40c');
    expect(m?.how).toBe('fuzzy');
    expect(m?.alternatives.map((d) => d.id)).toEqual(['apple-m3-max-30c']);
    expect(match('Apple M3 Max', 128 * GIB), 'only the 40-core bin takes 128 GB').toBe(
      'apple-m3-max-40c exact',
    );
    expect(match('Apple M3 Max (14-core CPU / 30-core GPU)')).toBe('apple-m3-max-30c exact');
    expect(match('Apple M4 Max (16-core CPU / 40-core GPU)')).toBe('apple-m4-max-40c exact');
  });
});

describe('matchHardware: system memory, by id or by name', () => {
  it('takes ids as they are', () => {
    for (const id of [
      'ddr4-3200-2ch',
      'ddr5-4800-2ch',
      'ddr5-5600-2ch',
      'ddr5-6000-2ch',
      'ddr5-6400-2ch',
      'ddr4-3200-8ch',
      'ddr5-4800-12ch',
      'ddr5-6000-12ch',
    ]) {
      expect(match(id), id).toBe(`${id} exact`);
    }
    expect(match('NVIDIA-RTX-4090'), 'any id, any case').toBe('nvidia-rtx-4090 exact');
  });

  it('matches the table names', () => {
    expect(match('Desktop dual-channel DDR5-5600')).toBe('ddr5-5600-2ch exact');
    expect(match('Desktop dual-channel DDR4-3200')).toBe('ddr4-3200-2ch exact');
    expect(match('Server 12-channel DDR5-4800')).toBe('ddr5-4800-12ch exact');
    expect(match('Server 8-channel DDR4-3200')).toBe('ddr4-3200-8ch exact');
  });
});

describe('matchHardware: every table name finds its own row', () => {
  it("with the row's memory reported", () => {
    for (const device of table.devices) {
      const vramBytes = device.kind === 'gpu' && device.memoryGb !== null ? device.memoryGb * GIB : null;
      expect(match(device.name, vramBytes), device.name).toBe(`${device.id} exact`);
    }
  });
});

describe('matchHardware: no match', () => {
  it('is null for other cards and variants', () => {
    expect(match('NVIDIA GeForce RTX 3060 Ti', 8192 * MIB), 'Ti is another card').toBe('none');
    expect(match('NVIDIA GeForce RTX 4090 Laptop GPU'), 'laptop part').toBe('none');
    expect(match('NVIDIA H100 NVL', 95830 * MIB)).toBe('none');
    expect(match('AMD Radeon RX 7900 XT')).toBe('none');
    expect(match('Navi 31 [Radeon RX 7900 XT/7900 XTX]'), 'lspci cannot tell').toBe('none');
    expect(match('Tesla V100-SXM2-32GB', 32 * GIB), 'no 32 GB row').toBe('none');
    expect(match('NVIDIA A100-SXM4-80GB HBM3'), 'memory type contradicts').toBe('none');
    expect(match('Intel(R) UHD Graphics 770')).toBe('none');
    expect(match('llvmpipe (LLVM 15.0.7, 256 bits)')).toBe('none');
    expect(match('')).toBe('none');
  });
});

describe('computeKvBytesPerContextToken', () => {
  const shape = (over: Partial<ModelArchitecture> = {}): ModelArchitecture => ({
    name: 'llama',
    blockCount: 32,
    headCount: 32,
    headCountKv: 8,
    embeddingLength: 4096,
    keyLength: null,
    valueLength: null,
    ...over,
  });

  it('llama3.1:8b: 32 layers x 8 KV heads x head dim 128 (4096 / 32) x 2 (K and V) x 2 bytes (f16) = 131072', () => {
    expect(computeKvBytesPerContextToken(shape(), 'f16')).toEqual({
      bytesPerContextToken: 131_072,
      why: null,
    });
    expect(
      computeKvBytesPerContextToken(shape({ keyLength: 128, valueLength: 128 }), 'f16').bytesPerContextToken,
      'stated widths agree',
    ).toBe(131_072);
    // q8_0: 34 bytes per 32 values
    expect(computeKvBytesPerContextToken(shape(), 'q8_0').bytesPerContextToken).toBe(
      32 * 8 * 256 * (34 / 32),
    );
  });

  it('stated key and value widths win over embedding / heads; no head_count_kv means one KV head per head', () => {
    // qwen2.5:0.5b: 24 layers x 2 KV heads x (64 + 64) x 2 bytes = 12288 (896 / 14 = 64)
    expect(
      computeKvBytesPerContextToken(
        shape({ blockCount: 24, headCount: 14, headCountKv: 2, embeddingLength: 896 }),
        'f16',
      ).bytesPerContextToken,
    ).toBe(12_288);
    // a model whose heads are wider than embedding / heads (gemma-like: 256-wide heads, 2048 embedding, 8 heads)
    expect(
      computeKvBytesPerContextToken(
        shape({
          blockCount: 18,
          headCount: 8,
          headCountKv: 1,
          embeddingLength: 2048,
          keyLength: 256,
          valueLength: 256,
        }),
        'f16',
      ).bytesPerContextToken,
    ).toBe(18 * 1 * 512 * 2);
    expect(
      computeKvBytesPerContextToken(shape({ headCountKv: null }), 'f16').bytesPerContextToken,
      'llama2-style: 32 KV heads',
    ).toBe(32 * 32 * 256 * 2);
  });

  it('says what is missing', () => {
    expect(computeKvBytesPerContextToken(null, 'f16')).toEqual({
      bytesPerContextToken: null,
      why: "the server does not describe the model's architecture (layers, KV heads)",
    });
    expect(computeKvBytesPerContextToken(shape({ blockCount: null, embeddingLength: null }), 'f16')).toEqual({
      bytesPerContextToken: null,
      why: "the model's metadata lacks llama.block_count, llama.attention.key_length (or embedding_length and attention.head_count)",
    });
  });
});

describe('computeRoofline', () => {
  it('sets a decode speed against the bandwidth ceiling: RTX 4090, 4.58 GB model', () => {
    const r = computeRoofline({
      bandwidthGBps: 1008,
      weightBytes: 4.58e9,
      kvBytes: null,
      decodeTokensPerS: 130.58,
    });
    expect(r?.bytesPerToken, 'bytes per token').toBe(4.58e9);
    expect(r?.ceilingTokensPerS, 'ceiling tok/s').toBeCloseTo(220.0873, 4);
    expect(r?.shareOfCeiling, 'share').toBeCloseTo(0.59331, 5);
    expect(r?.impossible, 'impossible').toBe(false);
    expect(r?.warning).toBeNull();
  });

  it('flags a speed above the ceiling', () => {
    const r = computeRoofline({
      bandwidthGBps: 1008,
      weightBytes: 4.58e9,
      kvBytes: null,
      decodeTokensPerS: 300,
    });
    expect(r?.shareOfCeiling, 'share').toBeCloseTo(1.363095, 6);
    expect(r?.impossible, 'impossible').toBe(true);
    expect(r?.warning).toBe(IMPOSSIBLE_WARNING);
  });

  it('gives the ceiling alone without a decode speed, and nothing for bad inputs', () => {
    const r = computeRoofline({
      bandwidthGBps: 89.6,
      weightBytes: 8e9,
      kvBytes: null,
      decodeTokensPerS: null,
    });
    expect(r?.ceilingTokensPerS, 'DDR5-5600 dual channel, 8 GB').toBeCloseTo(11.2, 12);
    expect(r?.shareOfCeiling).toBeNull();
    expect(r?.impossible).toBe(false);
    expect(
      computeRoofline({ bandwidthGBps: 1008, weightBytes: 0, kvBytes: null, decodeTokensPerS: 10 }),
    ).toBeNull();
    expect(
      computeRoofline({ bandwidthGBps: 0, weightBytes: 1e9, kvBytes: null, decodeTokensPerS: 10 }),
    ).toBeNull();
    expect(
      computeRoofline({ bandwidthGBps: Number.NaN, weightBytes: 1e9, kvBytes: null, decodeTokensPerS: 10 }),
    ).toBeNull();
  });

  it('adds the KV cache read per token to the weights', () => {
    // llama3.1:8b Q4_K_M on an RTX 4090: 4.92 GB of weights + 131072 bytes x 600 tokens of context (78.6432 MB)
    // = 4.9986432 GB a token; 1008e9 / that = 201.6547 tok/s; 130 tok/s is 64.47% of it.
    const r = computeRoofline({
      bandwidthGBps: 1008,
      weightBytes: 4.92e9,
      kvBytes: 131_072 * 600,
      decodeTokensPerS: 130,
    });
    expect(r?.bytesPerToken).toBe(4_998_643_200);
    expect(r?.weightBytes).toBe(4.92e9);
    expect(r?.kvBytes).toBe(78_643_200);
    expect(r?.ceilingTokensPerS).toBeCloseTo(201.6547, 4);
    expect(r?.shareOfCeiling).toBeCloseTo(0.644666, 6);
    // Ollama's in-memory size with an 8k f16 cache and buffers (about 6.5 GB) in place of both terms: 84%, the wrong figure.
    expect(
      computeRoofline({ bandwidthGBps: 1008, weightBytes: 6.5e9, kvBytes: null, decodeTokensPerS: 130 })
        ?.shareOfCeiling,
    ).toBeCloseTo(0.838294, 6);
    expect(
      computeRoofline({ bandwidthGBps: 1008, weightBytes: 4.92e9, kvBytes: -1, decodeTokensPerS: 130 }),
    ).toBeNull();
  });

  it('works from a matched row', () => {
    const device = matchHardware(table, { name: 'NVIDIA GeForce RTX 4090', vramBytes: 24564 * MIB })?.device;
    const r = computeRoofline({
      bandwidthGBps: device?.memoryBandwidthGBps ?? 0,
      weightBytes: 4.58e9,
      kvBytes: null,
      decodeTokensPerS: 130.58,
    });
    expect(Math.round((r?.shareOfCeiling ?? 0) * 100), 'percent of the ceiling').toBe(59);
  });
});
