-- Context depth (run --context-depth): the tokens of filler context a request's prompt sat after,
-- as requested (the measured depth comes from its prompt token count). NULL: no filler, as every
-- request before this column. A measure phase carries its level's depth, as it carries its concurrency.
--
-- A request is one task repetition at one level, and a level is now concurrency x depth: the table's
-- UNIQUE (run_id, concurrency, task_id, repeat_index) cannot be dropped in place, so the table is
-- rebuilt, its columns in the same order, context_depth_tokens last, and the uniqueness becomes an
-- index over the level (NULL depth as -1, since SQLite counts NULLs in a UNIQUE as all distinct).
CREATE TABLE requests_new (
  id                INTEGER PRIMARY KEY,
  run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  concurrency       INTEGER NOT NULL DEFAULT 1 CHECK (concurrency >= 1),
  seq               INTEGER NOT NULL,
  task_id           TEXT NOT NULL,
  repeat_index      INTEGER NOT NULL,
  state             TEXT NOT NULL CHECK (state IN ('ok', 'errored', 'aborted')),
  started_at        TEXT NOT NULL,
  start_offset_ms   REAL NOT NULL,
  ttft_ms           REAL,
  latency_ms        REAL NOT NULL,
  prompt_tokens     INTEGER,
  prompt_eval_ms    REAL,
  output_tokens     INTEGER,
  eval_ms           REAL,
  load_ms           REAL,
  server_total_ms   REAL,
  done_reason       TEXT,
  chunks            INTEGER NOT NULL DEFAULT 0,
  malformed_lines   INTEGER NOT NULL DEFAULT 0,
  output_text       TEXT,
  error             TEXT,
  score             REAL CHECK (score IS NULL OR (score >= 0 AND score <= 1)),
  correct           INTEGER CHECK (correct IS NULL OR correct IN (0, 1)),
  score_detail      TEXT,
  agreement         REAL CHECK (agreement IS NULL OR (agreement >= 0 AND agreement <= 1)),
  agreement_method  TEXT,
  metrics_source    TEXT CHECK (metrics_source IS NULL OR metrics_source IN ('server', 'usage', 'chunks')),
  cached_prompt_tokens INTEGER,
  last_token_ms     REAL,
  threads           INTEGER,
  eval_tokens       INTEGER,
  reasoning_tokens  INTEGER,
  retries           INTEGER NOT NULL DEFAULT 0,
  retry_wait_ms     REAL NOT NULL DEFAULT 0,
  cost_usd          REAL,
  -- tokens of filler context before the prompt, as requested; NULL: no filler
  context_depth_tokens INTEGER CHECK (context_depth_tokens IS NULL OR context_depth_tokens >= 0)
);

INSERT INTO requests_new (id, run_id, concurrency, seq, task_id, repeat_index, state, started_at,
  start_offset_ms, ttft_ms, latency_ms, prompt_tokens, prompt_eval_ms, output_tokens, eval_ms, load_ms,
  server_total_ms, done_reason, chunks, malformed_lines, output_text, error, score, correct, score_detail,
  agreement, agreement_method, metrics_source, cached_prompt_tokens, last_token_ms, threads, eval_tokens,
  reasoning_tokens, retries, retry_wait_ms, cost_usd)
SELECT id, run_id, concurrency, seq, task_id, repeat_index, state, started_at,
  start_offset_ms, ttft_ms, latency_ms, prompt_tokens, prompt_eval_ms, output_tokens, eval_ms, load_ms,
  server_total_ms, done_reason, chunks, malformed_lines, output_text, error, score, correct, score_detail,
  agreement, agreement_method, metrics_source, cached_prompt_tokens, last_token_ms, threads, eval_tokens,
  reasoning_tokens, retries, retry_wait_ms, cost_usd
FROM requests;

DROP TABLE requests;
ALTER TABLE requests_new RENAME TO requests;
CREATE UNIQUE INDEX requests_level_task
  ON requests (run_id, concurrency, ifnull(context_depth_tokens, -1), task_id, repeat_index);
CREATE INDEX requests_run ON requests (run_id, concurrency, seq);

ALTER TABLE phases ADD COLUMN context_depth_tokens INTEGER;
