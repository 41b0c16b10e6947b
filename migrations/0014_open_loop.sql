-- Open-loop load (issue 21): requests that arrive at a rate, on a schedule, whether or not earlier ones
-- finished. Closed-loop rows and phases (--concurrency) keep the new columns NULL.
-- arrival_rate_per_s: the offered rate of the request's (or measure phase's) level, tasks/s; an
--   open-loop level's concurrency is its cap on requests in flight.
-- scheduled_offset_ms: when the request was due, on the run's clock (start_offset_ms - scheduled_offset_ms
--   is the client's own queue wait: its lag before sending). No server reports its queue time apart:
--   Ollama counts queue wait inside load_duration; llama.cpp's timings and vLLM's usage have none per
--   request. So the server side of the queue is inside the TTFT.
--
-- The table is rebuilt: a level is now (concurrency, arrival rate), and the old table-level
-- UNIQUE (run_id, concurrency, task_id, repeat_index) would refuse the same task at two rates. The
-- uniqueness moves to a named index, so a later level dimension can drop and recreate it.
CREATE TABLE requests_new (
  id                INTEGER PRIMARY KEY,
  run_id            INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  -- requests in flight at once when this one ran (a concurrency sweep runs the suite at each level)
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
  arrival_rate_per_s  REAL CHECK (arrival_rate_per_s IS NULL OR arrival_rate_per_s > 0),
  scheduled_offset_ms REAL
);

INSERT INTO requests_new (id, run_id, concurrency, seq, task_id, repeat_index, state, started_at, start_offset_ms,
  ttft_ms, latency_ms, prompt_tokens, prompt_eval_ms, output_tokens, eval_ms, load_ms, server_total_ms, done_reason,
  chunks, malformed_lines, output_text, error, score, correct, score_detail, agreement, agreement_method,
  metrics_source, cached_prompt_tokens, last_token_ms, threads, eval_tokens, reasoning_tokens, retries,
  retry_wait_ms, cost_usd)
SELECT id, run_id, concurrency, seq, task_id, repeat_index, state, started_at, start_offset_ms,
  ttft_ms, latency_ms, prompt_tokens, prompt_eval_ms, output_tokens, eval_ms, load_ms, server_total_ms, done_reason,
  chunks, malformed_lines, output_text, error, score, correct, score_detail, agreement, agreement_method,
  metrics_source, cached_prompt_tokens, last_token_ms, threads, eval_tokens, reasoning_tokens, retries,
  retry_wait_ms, cost_usd
FROM requests;

DROP TABLE requests;
ALTER TABLE requests_new RENAME TO requests;
CREATE INDEX requests_run ON requests (run_id, concurrency, seq);
-- One row per (level, task, repetition); a closed-loop row's rate counts as 0.
CREATE UNIQUE INDEX requests_level_task
  ON requests (run_id, concurrency, ifnull(arrival_rate_per_s, 0), task_id, repeat_index);

ALTER TABLE phases ADD COLUMN arrival_rate_per_s REAL;
-- 1: the open-loop level was stopped early because requests in flight grew without bound (over-saturated).
ALTER TABLE phases ADD COLUMN over_saturated INTEGER CHECK (over_saturated IS NULL OR over_saturated IN (0, 1));
-- The p95 latency bound a rate sweep judged the level against, ms; NULL: no bound.
ALTER TABLE phases ADD COLUMN latency_bound_ms REAL;
