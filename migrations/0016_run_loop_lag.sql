-- The client's event-loop lag while each level was measured (issue 21 item 4): every TTFT and latency
-- timestamp is taken when costbench's one event loop gets to the chunk, so a busy loop makes them late.
-- From perf_hooks.monitorEventLoopDelay, the timer's own interval taken off (src/runner/loop-lag.ts).
-- level_key is levelKey() of the level (src/types/level.ts). A run from before this migration has no
-- rows: its lag was not measured. A resumed run replaces the rows of the levels it measures again.
CREATE TABLE run_loop_lag (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  level_key TEXT NOT NULL,
  concurrency INTEGER NOT NULL,
  p50_ms REAL NOT NULL,
  p99_ms REAL NOT NULL,
  max_ms REAL NOT NULL,
  samples INTEGER NOT NULL,
  PRIMARY KEY (run_id, level_key)
);
