-- Where the power settled before each idle baseline (issue 13 item 6). Instead of leaving a fixed
-- 2 s out of an idle phase, the runner waits until the machine's power is flat within a tolerance
-- over a window (at most max_ms), and the baseline is measured from settled_ms to the phase's end.
-- A run without a row here (telemetry off, no power channel, or written before this migration)
-- keeps the fixed rule.

CREATE TABLE idle_settles (
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  -- the idle phase the wait began ('idle-before', 'idle-after'), on the run's monotonic clock
  phase        TEXT NOT NULL,
  start_ms     REAL NOT NULL,
  -- when power was flat, or when the wait gave up at max_ms
  settled_ms   REAL NOT NULL,
  -- 1: flat within tolerance over window_ms; 0: not flat by max_ms (measured anyway)
  steady       INTEGER NOT NULL CHECK (steady IN (0, 1)),
  max_ms       REAL NOT NULL,
  window_ms    REAL NOT NULL,
  tolerance    REAL NOT NULL,
  PRIMARY KEY (run_id, phase, start_ms)
);
