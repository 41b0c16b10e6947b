-- costbench schema, version 1: runs, their machine and model inventory, and one row per request.
-- Times: ISO-8601 UTC text for wall-clock instants; *_ms REAL for durations and for offsets
-- on the run's monotonic clock (0 = run start). Server durations arrive in nanoseconds and are
-- converted to milliseconds once, in the backend.

CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  status            TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'aborted', 'interrupted')),
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  backend           TEXT NOT NULL,
  host              TEXT NOT NULL,
  model             TEXT NOT NULL,
  suite_id          TEXT NOT NULL,
  suite_version     TEXT NOT NULL,
  repeat_count      INTEGER NOT NULL CHECK (repeat_count >= 1),
  planned_requests  INTEGER NOT NULL,
  settings_json     TEXT NOT NULL,
  costbench_version TEXT NOT NULL,
  pid               INTEGER,
  error             TEXT,
  warnings_json     TEXT NOT NULL DEFAULT '[]'
);

-- The warm-up that loads the model: kept apart so cold load never mixes into measured figures.
CREATE TABLE warmups (
  run_id          INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  state           TEXT NOT NULL CHECK (state IN ('ok', 'errored', 'aborted')),
  -- 1 when /api/ps already listed the model before the warm-up: then its time is no cold load.
  already_loaded  INTEGER NOT NULL CHECK (already_loaded IN (0, 1)),
  start_offset_ms REAL NOT NULL,
  latency_ms      REAL NOT NULL,
  load_ms         REAL,
  done_reason     TEXT,
  error           TEXT
);

CREATE TABLE run_machines (
  run_id        INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  hostname      TEXT NOT NULL,
  platform      TEXT NOT NULL,
  os_release    TEXT NOT NULL,
  arch          TEXT NOT NULL,
  cpu_model     TEXT NOT NULL,
  cpu_cores     INTEGER NOT NULL,
  memory_bytes  INTEGER NOT NULL,
  gpus_json     TEXT NOT NULL DEFAULT '[]',
  node_version  TEXT NOT NULL,
  collected_by  TEXT NOT NULL
);

CREATE TABLE run_models (
  run_id           INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  name             TEXT NOT NULL,
  digest           TEXT,
  family           TEXT,
  parameter_size   TEXT,
  parameter_count  INTEGER,
  quantization     TEXT,
  context_length   INTEGER,
  size_bytes       INTEGER,
  size_vram_bytes  INTEGER,
  server_version   TEXT
);

CREATE TABLE requests (
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
  UNIQUE (run_id, concurrency, task_id, repeat_index)
);

CREATE INDEX requests_run ON requests (run_id, concurrency, seq);
CREATE INDEX runs_started ON runs (started_at);
