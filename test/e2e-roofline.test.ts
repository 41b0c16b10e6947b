import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../src/analysis/summary.js';
import { runCli } from './support/cli.js';
import { COMPUTE_BUFFER_BYTES, startFakeOllama, type FakeModel } from './support/fake-ollama/index.js';
import { makeTempDir } from './support/temp.js';

const SUITE = join(import.meta.dirname, 'fixtures', 'suite-e2e.json');

/** llama3.1:8b Q4_K_M as Ollama serves it: 4.92 GB of weights; model_info without key_length (head dim 4096 / 32). */
const LLAMA31_8B: FakeModel = {
  name: 'llama3.1:8b',
  family: 'llama',
  parameterSize: '8.0B',
  parameterCount: 8_030_261_248,
  quantization: 'Q4_K_M',
  contextLength: 131_072,
  sizeBytes: 4_920_000_000,
  digest: '46e0c10c039e019119339687c3c1757cc81b9da49709a3b3924863ba87ca666e',
  architecture: { blockCount: 32, headCount: 32, headCountKv: 8, embeddingLength: 4096 },
};
const DECODE_TOKENS_PER_S = 130;
/** RTX 4090, data/hardware.json: 1008 GB/s. */
const BANDWIDTH_GBPS = 1008;
/** 32 layers x 8 KV heads x head dim 128 x 2 (K and V) x 2 bytes (f16). */
const KV_BYTES_PER_CONTEXT_TOKEN = 32 * 8 * 128 * 2 * 2;

describe('roofline bytes per token, end to end', () => {
  it("reads the weights once per token plus the KV cache at the measured context, not Ollama's in-memory size", async () => {
    const dir = makeTempDir();
    const db = join(dir.path, 'r.db');
    const suite = JSON.parse(readFileSync(SUITE, 'utf8')) as { options: Record<string, unknown> };
    suite.options['numCtx'] = 8192;
    writeFileSync(join(dir.path, 'suite.json'), JSON.stringify(suite));
    writeFileSync(
      join(dir.path, 'c.json'),
      JSON.stringify({ telemetry: { enabled: false }, roofline: { device: 'nvidia-rtx-4090' } }),
    );
    const answer = (): string => Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const server = await startFakeOllama({
      models: [LLAMA31_8B],
      genTokensPerS: DECODE_TOKENS_PER_S,
      loadMs: 10,
      respond: answer,
    });
    try {
      const result = await runCli(
        [
          'run',
          '--suite',
          join(dir.path, 'suite.json'),
          '--config',
          join(dir.path, 'c.json'),
          '--idle',
          '0',
          '--json',
          '--db',
          db,
          '--host',
          server.url,
        ],
        { XDG_DATA_HOME: dir.path },
      );
      expect(result.code, result.stderr).toBe(0);
      const summary = JSON.parse(result.stdout) as RunSummary;
      const roofline = summary.roofline?.roofline;
      if (roofline == null) throw new Error(`no roofline: ${JSON.stringify(summary.roofline)}`);

      // The in-memory size (/api/ps) is kept, apart from the weights: 4.92e9 + 131072 x 8192 + buffers.
      const sqlite = new Database(db, { readonly: true });
      const stored = sqlite
        .prepare(
          'SELECT size_bytes, loaded_size_bytes, architecture, block_count, head_count, head_count_kv, embedding_length, key_length FROM run_models',
        )
        .get();
      sqlite.close();
      expect(stored).toEqual({
        size_bytes: 4_920_000_000,
        loaded_size_bytes: 4_920_000_000 + KV_BYTES_PER_CONTEXT_TOKEN * 8192 + COMPUTE_BUFFER_BYTES,
        architecture: 'llama',
        block_count: 32,
        head_count: 32,
        head_count_kv: 8,
        embedding_length: 4096,
        key_length: null,
      });

      // By hand: the mean context over a request's decode is its prompt tokens + half its output tokens
      // (the fake's own counts), and each generated token reads the weights and that much KV cache.
      const measured = server.requests.filter((r) => r.doneReason === 'stop');
      const meanContext =
        measured.reduce((acc, r) => acc + r.promptTokens + r.evalCount / 2, 0) / measured.length;
      const kvBytes = KV_BYTES_PER_CONTEXT_TOKEN * meanContext;
      expect(roofline.kv).toMatchObject({
        bytesPerContextToken: 131_072,
        cacheType: 'f16',
        cacheTypeAssumed: true,
      });
      expect(roofline.kv?.meanContextTokens).toBeCloseTo(meanContext, 9);
      expect(roofline.kvMissing).toBeNull();
      expect(roofline.weightBytes).toBe(4_920_000_000);
      expect(roofline.kvBytes).toBeCloseTo(kvBytes, 3);
      expect(roofline.bytesPerToken).toBeCloseTo(4_920_000_000 + kvBytes, 3);
      expect(roofline.ceilingTokensPerS).toBeCloseTo((BANDWIDTH_GBPS * 1e9) / (4_920_000_000 + kvBytes), 9);
      expect(
        Math.abs(roofline.decodeTokensPerS / DECODE_TOKENS_PER_S - 1),
        "decode at the fake's rate",
      ).toBeLessThan(0.02);
      // 130 tok/s against 1008e9 / (4.92e9 + ~25 MB) = 204 tok/s: 64%; Ollama's 6.26 GB in memory would say 81%.
      expect(roofline.shareOfCeiling).toBeCloseTo(roofline.decodeTokensPerS / roofline.ceilingTokensPerS, 12);
      expect(roofline.shareOfCeiling ?? 0).toBeGreaterThan(0.62);
      expect(roofline.shareOfCeiling ?? 1).toBeLessThan(0.66);

      const report = await runCli(['report', 'latest', '--db', db, '--config', join(dir.path, 'c.json')], {
        XDG_DATA_HOME: dir.path,
      });
      expect(report.stdout).toMatch(
        /GB read per token: 4\.92 GB of weights \+ [\d.]+ MB of KV cache at \d+ tokens of context \(f16 assumed: the server does not report the cache type\)/,
      );
    } finally {
      await server.close();
      dir.remove();
    }
  }, 30_000);
});
