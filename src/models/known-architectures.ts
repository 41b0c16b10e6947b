/**
 * The architectures (`general.architecture`) the llama.cpp inside node-llama-cpp 3.21.1 can load:
 * LLM_ARCH_NAMES in src/llama-arch.cpp of the llama.cpp source that node-llama-cpp ships
 * (node_modules/node-llama-cpp/llama/gitRelease.bundle, release v0.4.0, the same release its
 * prebuilt binaries name), less "clip" (a dummy only llama-quantize uses) and "(unknown)".
 * A test fails when the installed node-llama-cpp is another version: regenerate the list then.
 */

/** The node-llama-cpp version this list was taken from. */
export const KNOWN_ARCHITECTURES_NODE_LLAMA_CPP_VERSION = '3.21.1';

/** `general.architecture` values the bundled llama.cpp knows. */
export const KNOWN_ARCHITECTURES: ReadonlySet<string> = new Set([
  'llama', 'llama4', 'deci', 'falcon', 'grok', 'gpt2', 'gptj', 'gptneox', 'mpt', 'baichuan', 'starcoder',
  'refact', 'bert', 'modern-bert', 'nomic-bert', 'nomic-bert-moe', 'neo-bert', 'jina-bert-v2',
  'jina-bert-v3', 'eurobert', 'bloom', 'stablelm', 'qwen', 'qwen2', 'qwen2moe', 'qwen2vl', 'qwen3',
  'qwen3moe', 'qwen3next', 'qwen3vl', 'qwen3vlmoe', 'qwen35', 'qwen35moe', 'qwen4exp', 'phi2', 'phi3',
  'phimoe', 'plamo', 'plamo2', 'plamo3', 'codeshell', 'orion', 'internlm2', 'minicpm', 'minicpm3', 'gemma',
  'gemma2', 'gemma3', 'gemma3n', 'gemma4', 'gemma4-assistant', 'gemma-embedding', 'starcoder2', 'mamba',
  'mamba2', 'jamba', 'falcon-h1', 'xverse', 'command-r', 'cohere2', 'cohere2moe', 'dbrx', 'olmo', 'olmo2',
  'olmoe', 'muse-glimmer', 'openelm', 'arctic', 'deepseek', 'deepseek2', 'deepseek2-ocr', 'deepseek32',
  'deepseek4', 'chatglm', 'glm4', 'glm4moe', 'glm-dsa', 'bitnet', 't5', 't5encoder', 'jais', 'jais2',
  'nemotron', 'nemotron_h', 'nemotron_h_moe', 'exaone', 'exaone4', 'exaone-moe', 'rwkv6', 'rwkv6qwen2',
  'rwkv7', 'arwkv7', 'granite', 'granitemoe', 'granitehybrid', 'graniteswitch', 'granite_swa', 'chameleon',
  'wavtokenizer-dec', 'plm', 'bailingmoe', 'bailingmoe2', 'bailingmoe3', 'dots1', 'dots3note', 'arcee',
  'afmoe', 'laguna', 'ernie4_5', 'ernie4_5-moe', 'hunyuan-moe', 'hunyuan-dense', 'hunyuan_vl', 'hy_v3',
  'smollm3', 'gpt-oss', 'lfm2', 'lfm2moe', 'dream', 'smallthinker', 'llada', 'llada-moe', 'seed_oss',
  'grovemoe', 'apertus', 'minimax-01', 'minimax-m2', 'minimax-m3', 'cogvlm', 'rnd1', 'pangu-embedded',
  'mistral3', 'eagle3', 'dflash', 'mistral4', 'paddleocr', 'mimo2', 'step35', 'llama-embed', 'maincoder',
  'kimi-linear', 'kimi-k3', 'talkie', 'mellum', 'nanbeige', 'qwen3tts', 'pockettts',
]);

/** Whether the bundled llama.cpp knows this architecture name. */
export function isKnownArchitecture(name: string): boolean {
  return KNOWN_ARCHITECTURES.has(name);
}
