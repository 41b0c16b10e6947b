-- The model's shape and its two sizes, for the roofline's bytes per token; llama.cpp prompt tokens
-- that count the prompt cache.
--
-- size_bytes is the weights' file size as the server lists it (/api/tags, llama.cpp meta.size);
-- loaded_size_bytes is the size once loaded as the server reports it (/api/ps: weights + KV cache
-- for num_ctx + compute buffers). Before this migration the loaded size overwrote size_bytes at the
-- end of an Ollama run, which is when size_vram_bytes was set: those rows get it moved to
-- loaded_size_bytes, and their weight size becomes unknown (it was not kept).
ALTER TABLE run_models ADD COLUMN loaded_size_bytes INTEGER;
UPDATE run_models SET loaded_size_bytes = size_bytes, size_bytes = NULL
  WHERE size_vram_bytes IS NOT NULL AND run_id IN (SELECT id FROM runs WHERE backend = 'ollama');

-- From Ollama's /api/show model_info (GGUF keys); NULL where the server does not say (OpenAI-compatible
-- servers, and every run stored before this migration).
ALTER TABLE run_models ADD COLUMN architecture TEXT;
ALTER TABLE run_models ADD COLUMN block_count INTEGER;
ALTER TABLE run_models ADD COLUMN head_count INTEGER;
ALTER TABLE run_models ADD COLUMN head_count_kv INTEGER;
ALTER TABLE run_models ADD COLUMN embedding_length INTEGER;
ALTER TABLE run_models ADD COLUMN key_length INTEGER;
ALTER TABLE run_models ADD COLUMN value_length INTEGER;

-- requests.prompt_tokens now always counts every prompt token, cached ones included (what an API
-- bills), and cached_prompt_tokens the cached part. llama.cpp rows stored before (metrics_source
-- 'server' on an OpenAI-compatible run, with a cached count from timings.cache_n) held prompt_n,
-- which leaves the cache out: they are rewritten to prompt_n + cache_n, so that every row has one
-- meaning and the prefill rate ((prompt - cached) / prompt_eval_ms) stays what it was.
UPDATE requests SET prompt_tokens = prompt_tokens + cached_prompt_tokens
  WHERE metrics_source = 'server' AND prompt_tokens IS NOT NULL AND cached_prompt_tokens IS NOT NULL
    AND run_id IN (SELECT id FROM runs WHERE backend = 'openai');
