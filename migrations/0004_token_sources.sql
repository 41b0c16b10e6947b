-- Backends other than Ollama: where each request's token counts came from, the prompt tokens the
-- server took from its cache, and the client time of the last streamed token (with ttft_ms it
-- gives a client-timed decode rate where the server reports no decode duration).

ALTER TABLE requests ADD COLUMN metrics_source TEXT
  CHECK (metrics_source IS NULL OR metrics_source IN ('server', 'usage', 'chunks'));
ALTER TABLE requests ADD COLUMN cached_prompt_tokens INTEGER;
ALTER TABLE requests ADD COLUMN last_token_ms REAL;

-- Rows written before this migration: Ollama's counts are its own (eval_count, eval_duration).
-- Rows of other backends stay NULL (unknown): their source was not recorded.
UPDATE requests SET metrics_source = 'server'
  WHERE state = 'ok' AND run_id IN (SELECT id FROM runs WHERE backend = 'ollama');
