import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GGML_TYPES } from '../src/models/ggml-types.js';
import {
  KNOWN_ARCHITECTURES,
  KNOWN_ARCHITECTURES_NODE_LLAMA_CPP_VERSION,
} from '../src/models/known-architectures.js';

const pinned = (
  JSON.parse(readFileSync('package.json', 'utf8')) as { optionalDependencies: Record<string, string> }
).optionalDependencies['node-llama-cpp'];
const installed = (
  JSON.parse(readFileSync('node_modules/node-llama-cpp/package.json', 'utf8')) as { version: string }
).version;

describe('tables taken from the bundled llama.cpp', () => {
  it('the architecture list belongs to the node-llama-cpp version costbench pins and installs', () => {
    // Bumping node-llama-cpp without regenerating the list fails here (see known-architectures.ts).
    expect(pinned, 'package.json pin').toBe(KNOWN_ARCHITECTURES_NODE_LLAMA_CPP_VERSION);
    expect(installed, 'installed').toBe(KNOWN_ARCHITECTURES_NODE_LLAMA_CPP_VERSION);
    expect(KNOWN_ARCHITECTURES.size, '149 names less "clip" and "(unknown)"').toBe(147);
    for (const arch of ['llama', 'qwen2', 'qwen3', 'gemma3', 'phi3', 'gpt-oss'])
      expect(KNOWN_ARCHITECTURES.has(arch), arch).toBe(true);
    expect(KNOWN_ARCHITECTURES.has('clip'), 'clip is a dummy').toBe(false);
  });

  it('ggml block sizes and bytes agree with the loaded llama.cpp library', async () => {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
    // Internal bindings: the only place node-llama-cpp exposes ggml_blck_size / ggml_type_size.
    const bindings = (
      llama as unknown as {
        _bindings: {
          getBlockSizeForGgmlType(t: number): number | undefined;
          getTypeSizeForGgmlType(t: number): number | undefined;
        };
      }
    )._bindings;
    for (let id = 0; id < 43; id += 1) {
      const mine = GGML_TYPES.get(id);
      const blockSize = bindings.getBlockSizeForGgmlType(id) ?? 0;
      const bytes = bindings.getTypeSizeForGgmlType(id) ?? 0;
      expect(mine === undefined ? [0, 0] : [mine.blockSize, mine.blockBytes], `ggml type ${id}`).toEqual([
        blockSize,
        bytes,
      ]);
    }
  });
});
