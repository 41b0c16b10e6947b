import { describe, expect, it } from 'vitest';
import { PASSED_RUN_OPTIONS, runArgsFromFlags } from '../src/schedule/unit-files.js';
import { runLevels } from '../src/runner/execute.js';
import { levelCount } from '../src/runner/plan.js';
import { levelRequestKey } from '../src/runner/resume.js';
import { checkContextDepth, describeDepthBeyondServer } from '../src/runner/context-depth-check.js';
import { levelKey, levelLabel, levelOf } from '../src/types/level.js';

describe('levels with a context depth', () => {
  it('runs each depth at every concurrency, depth by depth', () => {
    expect(runLevels([1, 4], [0, 4096])).toEqual([
      { concurrency: 1, contextDepthTokens: 0 },
      { concurrency: 4, contextDepthTokens: 0 },
      { concurrency: 1, contextDepthTokens: 4096 },
      { concurrency: 4, contextDepthTokens: 4096 },
    ]);
    expect(runLevels([1, 4], [])).toEqual([{ concurrency: 1 }, { concurrency: 4 }]);
    // 2 concurrencies x 3 depths = 6 levels; without depths, 2.
    expect(levelCount({ concurrency: [1, 4], contextDepth: [0, 4096, 16384] })).toBe(6);
    expect(levelCount({ concurrency: [1, 4], contextDepth: [] })).toBe(2);
  });

  it('keys a level and its requests by depth; a row without one keeps the old key', () => {
    expect(levelKey(levelOf({ concurrency: 4, contextDepthTokens: 4096 }))).toBe('4,depth=4096');
    expect(levelKey(levelOf({ concurrency: 4, contextDepthTokens: null }))).toBe('4');
    expect(levelKey(levelOf({ concurrency: 1, contextDepthTokens: 0 }))).toBe('1,depth=0');
    expect(levelRequestKey({ concurrency: 1, contextDepthTokens: 2000 }, 't1', 0)).toBe('1,depth=2000:t1#0');
    expect(levelLabel({ concurrency: 1, contextDepthTokens: 2000 })).toBe(
      'concurrency 1, context depth 2000 tokens',
    );
  });
});

describe('a depth deeper than the context', () => {
  const base = { backend: 'ollama', numCtx: undefined, engineContextSize: 4096, modelContextLength: null };

  it("names the suite's numCtx on Ollama", () => {
    const e = checkContextDepth([0, 8192], { ...base, numCtx: 8192 });
    expect(e?.message).toBe(
      "--context-depth 8192 does not fit the 8192-token context of the suite's numCtx (Ollama's num_ctx)",
    );
    expect(e?.hint).toMatch(/numCtx/);
    expect(checkContextDepth([0, 8000], { ...base, numCtx: 8192 })).toBeNull();
  });

  it('names --context-size on the embedded engine', () => {
    const e = checkContextDepth([16384], { ...base, backend: 'llama-cpp' });
    expect(e?.message).toBe(
      '--context-depth 16384 does not fit the 4096-token context of the embedded engine (backend.contextSize)',
    );
    expect(e?.hint).toMatch(/--context-size/);
  });

  it("falls back to the model's own length, and says nothing when no bound is known", () => {
    expect(checkContextDepth([200_000], { ...base, modelContextLength: 131072 })?.message).toBe(
      '--context-depth 200000 does not fit the 131072-token context of the model (its trained context length)',
    );
    expect(checkContextDepth([200_000], base)).toBeNull();
    expect(checkContextDepth([0], { ...base, numCtx: 64 })).toBeNull();
  });
});

describe("a depth deeper than the server's loaded context", () => {
  it('warns naming the context, and says nothing when it fits or is unknown', () => {
    expect(describeDepthBeyondServer([0, 4096], 4096)).toBe(
      "--context-depth 4096 does not fit the 4096-token context the server loaded the model with: the server may cut the prompt (the measured depth shows it); raise it (the suite's options.numCtx on Ollama, llama-server -c, vLLM --max-model-len)",
    );
    expect(describeDepthBeyondServer([0, 4000], 4096)).toBeNull();
    expect(describeDepthBeyondServer([8192], null)).toBeNull();
  });
});

describe('a scheduled run', () => {
  it('passes --context-depth on to `costbench run`', () => {
    expect(runArgsFromFlags({ contextDepth: '0,4096' })).toEqual(['--context-depth', '0,4096']);
    expect(PASSED_RUN_OPTIONS).toContain('--context-depth');
  });
});
